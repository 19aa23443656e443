"""Reading a zip archive safely, into memory only: which entry names are safe, the caps on entries,
sizes and compression ratio (:class:`PackLimits`), and :func:`read_archive`.

Nothing is extracted to disk. An archive with unsafe names (absolute, ``..``, backslashes), links,
directories, duplicates, encryption or unknown compression, or whose headers break a cap, is refused
before any entry is read; entries are then inflated under the same caps, since headers can lie.
"""

from __future__ import annotations

import io
import stat
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assay.pack.manifest import MiB

_SPACE = 0x20  # characters below this are control characters
_DELETE = 0x7F  # and so is this one
_ENCRYPTED = 0x1  # general purpose flag bit 0
_READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError)


@dataclass(frozen=True)
class PackLimits:
    """Caps that keep a hostile archive from exhausting memory: checked in the headers and while reading."""

    max_entries: int = 10_000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 512 * MiB
    max_ratio: int = 200  # uncompressed : compressed
    ratio_floor: int = 1 * MiB  # entries smaller than this are not held to the ratio


class UnsafeArchive(Exception):
    """The archive is not safe to read (or not a zip at all); nothing more was read from it."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = problems


@dataclass(frozen=True)
class ArchiveContents:
    """The entries of a safe archive: their bytes, and those that could not be read and why."""

    entries: dict[str, bytes]
    unreadable: frozenset[str]
    problems: tuple[str, ...]


def read_archive(data: bytes, limits: PackLimits) -> ArchiveContents:
    """Every entry of the zip in ``data``, or :class:`UnsafeArchive` when it is not safe to read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise UnsafeArchive(f"not a zip archive: {exc}") from None
    with archive:
        infos = archive.infolist()
        unsafe = unsafe_entries(infos, limits)
        if unsafe:
            raise UnsafeArchive(*unsafe)
        entries, problems = _read_entries(archive, infos, limits)
    unreadable = frozenset(info.filename for info in infos) - set(entries)
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


def unsafe_entries(infos: Sequence[zipfile.ZipInfo], limits: PackLimits) -> list[str]:
    """Every problem the headers show, before anything is inflated (empty when the archive is safe)."""
    if len(infos) > limits.max_entries:
        return [f"unsafe archive: {len(infos):,} entries; the limit is {limits.max_entries:,}"]
    problems: list[str] = []
    seen: dict[str, str] = {}  # casefolded name -> the first name seen
    total = 0
    for info in infos:
        name = info.orig_filename
        problem = _entry_problem(info, seen, limits)
        if problem is not None:
            problems.append(f"unsafe entry {name!r}: {problem}")
        seen.setdefault(name.casefold(), name)
        total += info.file_size
    if not problems and total > limits.max_total_bytes:
        problems.append(
            f"unsafe archive: {total:,} bytes uncompressed in all; the limit is {limits.max_total_bytes:,}"
        )
    return problems


def _entry_problem(info: zipfile.ZipInfo, seen: dict[str, str], limits: PackLimits) -> str | None:
    """The first reason one entry is unsafe, in a fixed order, or None."""
    return (
        name_problem(info.orig_filename)
        or _type_problem(info)
        or _duplicate_problem(info.orig_filename, seen)
        or _format_problem(info)
        or _size_problem(info, limits)
    )


def _type_problem(info: zipfile.ZipInfo) -> str | None:
    mode = info.external_attr >> 16
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        return "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
    return "not a regular file" if info.is_dir() else None


def _duplicate_problem(name: str, seen: dict[str, str]) -> str | None:
    first = seen.get(name.casefold())
    if first is None:
        return None
    return "duplicate name" if first == name else f"differs from {first!r} only in case"


def _format_problem(info: zipfile.ZipInfo) -> str | None:
    if info.flag_bits & _ENCRYPTED:
        return "encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return f"compression method {info.compress_type}; only stored and deflated entries are read"
    return None


def _size_problem(info: zipfile.ZipInfo, limits: PackLimits) -> str | None:
    if info.file_size > limits.max_entry_bytes:
        return f"{info.file_size:,} bytes uncompressed; the limit is {limits.max_entry_bytes:,}"
    if _over_ratio(info.file_size, info.compress_size, limits):
        ratio = info.file_size / max(info.compress_size, 1)
        return f"compression ratio {ratio:,.0f}:1; the limit is {limits.max_ratio}:1"
    return None


def _over_ratio(size: int, compressed: int, limits: PackLimits) -> bool:
    return size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1)


# --- inflating -------------------------------------------------------------------------------------


@dataclass
class _Meter:
    """Bytes inflated so far, over all entries, against the caps."""

    limits: PackLimits
    total: int = 0

    def count(self, info: zipfile.ZipInfo, size: int, chunk: int) -> None:
        """Count ``chunk`` more bytes of ``info`` (``size`` so far, with them); refuse past a cap."""
        self.total += chunk
        limits = self.limits
        if size > info.file_size or size > limits.max_entry_bytes:
            raise UnsafeArchive(
                f"unsafe entry {info.filename!r}: inflates past its declared size of {info.file_size:,} bytes"
            )
        if _over_ratio(size, info.compress_size, limits):
            raise UnsafeArchive(f"unsafe entry {info.filename!r}: inflates past {limits.max_ratio}:1")
        if self.total > limits.max_total_bytes:
            raise UnsafeArchive(f"unsafe archive: inflates past {limits.max_total_bytes:,} bytes in all")


def _read_entries(
    archive: zipfile.ZipFile, infos: Sequence[zipfile.ZipInfo], limits: PackLimits
) -> tuple[dict[str, bytes], list[str]]:
    """Every entry's bytes, counted while inflating: headers are checked already, but not trusted."""
    entries: dict[str, bytes] = {}
    problems: list[str] = []
    meter = _Meter(limits)
    for info in infos:
        try:
            entries[info.filename] = _inflate(archive, info, meter)
        except _READ_ERRORS as exc:
            problems.append(f"{info.filename}: cannot be read: {exc}")
    return entries, problems


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, meter: _Meter) -> bytes:
    chunks: list[bytes] = []
    size = 0
    with archive.open(info) as stream:
        while chunk := stream.read(MiB):
            size += len(chunk)
            meter.count(info, size, len(chunk))
            chunks.append(chunk)
    return b"".join(chunks)
