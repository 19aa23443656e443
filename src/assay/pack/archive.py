"""Reading a zip archive safely, into memory only: which entry names are safe, the caps on entries,
sizes and compression ratio (:class:`PackLimits`), and :func:`read_archive`.

Nothing is extracted to disk. The archive's structure is read once, by :mod:`assay.pack.zipread`,
which refuses one whose local headers and central directory disagree. An archive with unsafe names
(absolute, ``..``, backslashes), links, duplicates, folder entries that clash with files, encryption
or unknown compression, or whose headers break a cap, is then refused before any entry is inflated;
entries are inflated from exactly the bytes that reading found, under the same caps, since headers can
lie. Folder entries (``zip -r`` writes them) are accepted when each holds a file and names no file.
"""

from __future__ import annotations

import stat
import zlib
from collections.abc import Callable, Sequence

from assay.lean_dataclasses import dataclass, frozen
from assay.pack.manifest import MiB
from assay.pack.zipread import Entry, UnsafeArchive, read_entries

__all__ = ["ArchiveContents", "PackLimits", "UnsafeArchive", "name_problem", "read_archive", "unsafe_entries"]

_SPACE = 0x20  # characters below this are control characters
_DELETE = 0x7F  # and so is this one
_ENCRYPTED = 0x1  # general purpose flag bit 0
_STORED, _DEFLATED = 0, 8


@frozen
class PackLimits:
    """Caps that keep a hostile archive from exhausting memory: checked in the headers and while reading."""

    max_entries: int = 10_000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 512 * MiB
    max_ratio: int = 200  # uncompressed : compressed
    ratio_floor: int = 1 * MiB  # entries smaller than this are not held to the ratio


@frozen
class ArchiveContents:
    """The files of a safe archive: their bytes, and those that could not be read and why.

    Folder entries are not among them: they hold no bytes, and each was checked to hold a file.
    """

    entries: dict[str, bytes]
    unreadable: frozenset[str]
    problems: tuple[str, ...]


def read_archive(data: bytes, limits: PackLimits) -> ArchiveContents:
    """Every file of the zip in ``data``, or :class:`UnsafeArchive` when it is not safe to read."""
    found = read_entries(data, limits.max_entries)
    unsafe = unsafe_entries(found, limits)
    if unsafe:
        raise UnsafeArchive(*unsafe)
    files = [entry for entry in found if not entry.is_folder]
    entries, problems = _read_entries(data, files, limits)
    unreadable = frozenset(entry.name for entry in files) - set(entries)
    return ArchiveContents(entries, unreadable, tuple(problems))


# --- names -----------------------------------------------------------------------------------------


def _has_control_character(name: str) -> bool:
    return any(ord(c) < _SPACE or ord(c) == _DELETE for c in name)


def _is_absolute(name: str) -> bool:
    return name.startswith("/") or (len(name) > 1 and name[1] == ":")


def _is_not_normalised(name: str) -> bool:
    return any(part in ("", ".") for part in name.split("/"))


_NAME_RULES: tuple[tuple[Callable[[str], bool], str], ...] = (
    (lambda name: not name, "empty name"),
    (_has_control_character, "control character in the name"),
    (_is_absolute, "absolute path"),
    (lambda name: "\\" in name, "backslash in the name"),
    (lambda name: ".." in name.split("/"), "'..' in the path"),
    (_is_not_normalised, "not a normalised path"),
)


def name_problem(name: str) -> str | None:
    """Why an entry name is unsafe to hand to anything that might extract it, or None."""
    return next((problem for broken, problem in _NAME_RULES if broken(name)), None)


# --- headers ---------------------------------------------------------------------------------------


def unsafe_entries(entries: Sequence[Entry], limits: PackLimits) -> list[str]:
    """Every problem the headers show, before anything is inflated (empty when the archive is safe)."""
    if len(entries) > limits.max_entries:
        return [f"unsafe archive: {len(entries):,} entries; the limit is {limits.max_entries:,}"]
    problems: list[str] = []
    seen: dict[str, str] = {}  # casefolded name -> the first name seen
    total = 0
    sound = []  # the entries with no problem of their own, for the checks across entries
    for entry in entries:
        problem = _entry_problem(entry, seen, limits)
        if problem is not None:
            problems.append(f"unsafe entry {entry.name!r}: {problem}")
        else:
            sound.append(entry)
        seen.setdefault(entry.name.casefold(), entry.name)
        total += entry.size
    problems += _folder_problems(sound)
    if not problems and total > limits.max_total_bytes:
        problems.append(
            f"unsafe archive: {total:,} bytes uncompressed in all; the limit is {limits.max_total_bytes:,}"
        )
    return problems


def _entry_problem(entry: Entry, seen: dict[str, str], limits: PackLimits) -> str | None:
    """The first reason one entry is unsafe, in a fixed order, or None."""
    return (
        name_problem(entry.name.removesuffix("/") if entry.is_folder else entry.name)
        or _type_problem(entry)
        or _duplicate_problem(entry.name, seen)
        or _format_problem(entry)
        or _size_problem(entry, limits)
    )


def _type_problem(entry: Entry) -> str | None:
    kind = stat.S_IFMT(entry.mode)
    if entry.is_folder:
        if kind not in (0, stat.S_IFDIR):
            return "a folder entry without a folder's mode"
        return "a folder entry with data" if entry.size or entry.compressed_size else None
    if kind not in (0, stat.S_IFREG):
        return "a symbolic link" if stat.S_ISLNK(entry.mode) else "not a regular file"
    return None


def _duplicate_problem(name: str, seen: dict[str, str]) -> str | None:
    first = seen.get(name.casefold())
    if first is None:
        return None
    return "duplicate name" if first == name else f"differs from {first!r} only in case"


def _format_problem(entry: Entry) -> str | None:
    if entry.flags & _ENCRYPTED:
        return "encrypted"
    if entry.method not in (_STORED, _DEFLATED):
        return f"compression method {entry.method}; only stored and deflated entries are read"
    return None


def _size_problem(entry: Entry, limits: PackLimits) -> str | None:
    if entry.size > limits.max_entry_bytes:
        return f"{entry.size:,} bytes uncompressed; the limit is {limits.max_entry_bytes:,}"
    if _over_ratio(entry.size, entry.compressed_size, limits):
        ratio = entry.size / max(entry.compressed_size, 1)
        return f"compression ratio {ratio:,.0f}:1; the limit is {limits.max_ratio}:1"
    return None


def _over_ratio(size: int, compressed: int, limits: PackLimits) -> bool:
    return size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1)


def _folder_problems(entries: Sequence[Entry]) -> list[str]:
    """Folder entries must each hold a file and name none; no file may be named like a folder.

    An extractor makes a folder for ``index.html/`` and then cannot write the file ``index.html``
    (or the other way round), so one of the two would be hidden. Names are compared casefolded.
    """
    files = {e.name.casefold(): e.name for e in entries if not e.is_folder}
    parents: dict[str, str] = {}  # casefolded folder -> a file inside it
    for folded, name in files.items():
        parts = folded.split("/")
        for depth in range(1, len(parts)):
            parents.setdefault("/".join(parts[:depth]), name)
    problems = []
    for entry in entries:
        folded = entry.name.casefold().removesuffix("/")
        if entry.is_folder and folded in files:
            problems.append(
                f"unsafe entry {entry.name!r}: a folder entry named like the file {files[folded]!r}"
            )
        elif entry.is_folder and folded not in parents:
            problems.append(f"unsafe entry {entry.name!r}: a folder entry with no file in it")
        elif not entry.is_folder and folded in parents:
            problems.append(
                f"unsafe entry {entry.name!r}: a file named like the folder of {parents[folded]!r}"
            )
    return problems


# --- inflating -------------------------------------------------------------------------------------


@dataclass
class _Meter:
    """Bytes inflated so far, over all entries, against the caps."""

    limits: PackLimits
    total: int = 0

    def count(self, entry: Entry, size: int, chunk: int) -> None:
        """Count ``chunk`` more bytes of ``entry`` (``size`` so far, with them); refuse past a cap."""
        self.total += chunk
        limits = self.limits
        if size > entry.size or size > limits.max_entry_bytes:
            raise UnsafeArchive(
                f"unsafe entry {entry.name!r}: inflates past its declared size of {entry.size:,} bytes"
            )
        if _over_ratio(size, entry.compressed_size, limits):
            raise UnsafeArchive(f"unsafe entry {entry.name!r}: inflates past {limits.max_ratio}:1")
        if self.total > limits.max_total_bytes:
            raise UnsafeArchive(f"unsafe archive: inflates past {limits.max_total_bytes:,} bytes in all")


class _Unreadable(Exception):
    """One entry's bytes are not what its headers say (a bad CRC, a broken deflate stream)."""


def _read_entries(
    data: bytes, files: Sequence[Entry], limits: PackLimits
) -> tuple[dict[str, bytes], list[str]]:
    """Every file's bytes, counted while inflating: headers are checked already, but not trusted."""
    entries: dict[str, bytes] = {}
    problems: list[str] = []
    meter = _Meter(limits)
    view = memoryview(data)
    for entry in files:
        raw = view[entry.data_offset : entry.data_offset + entry.compressed_size]
        try:
            body = _inflate(raw, entry, meter) if entry.method == _DEFLATED else _stored(raw, entry, meter)
            if zlib.crc32(body) != entry.crc:
                raise _Unreadable("its CRC-32 does not match its headers")
        except _Unreadable as exc:
            problems.append(f"{entry.name}: cannot be read: {exc}")
            continue
        entries[entry.name] = body
    return entries, problems


def _stored(raw: memoryview, entry: Entry, meter: _Meter) -> bytes:
    if entry.compressed_size != entry.size:
        raise _Unreadable(f"stored, but {entry.compressed_size:,} bytes hold {entry.size:,}")
    meter.count(entry, len(raw), len(raw))
    return bytes(raw)


def _inflate(raw: memoryview, entry: Entry, meter: _Meter) -> bytes:
    """Inflate ``raw``, which must hold one whole deflate stream and nothing after it."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    chunks: list[bytes] = []
    size = 0
    pending: bytes | memoryview = raw
    try:
        while not inflater.eof:
            chunk = inflater.decompress(pending, MiB)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            size += len(chunk)
            meter.count(entry, size, len(chunk))
            chunks.append(chunk)
    except zlib.error as exc:
        raise _Unreadable(f"broken deflate data ({exc})") from None
    if not inflater.eof:
        raise _Unreadable("its deflate data is cut short")
    if pending or inflater.unused_data:
        extra = len(pending) + len(inflater.unused_data)
        raise UnsafeArchive(f"unsafe entry {entry.name!r}: {extra:,} bytes after the end of its deflate data")
    if size != entry.size:
        raise _Unreadable(f"it inflates to {size:,} bytes; its headers say {entry.size:,}")
    return b"".join(chunks)
