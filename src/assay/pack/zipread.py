"""The zip format read once, strictly: the entries of an archive as every zip reader would see them.

A zip names its entries twice: in a local header before each entry's data, which streaming readers
(``bsdtar``, Java's ``ZipInputStream``) follow from the start of the file, and in the central
directory at its end, which Python's :mod:`zipfile` and most extractors read. An archive where the
two disagree shows different files to different readers, so an auditor could be shown files other
than the ones verified. :func:`read_entries` accepts only an archive both readings agree on:

- the end record ends the file (no comment, nothing appended) and names one part, no zip64;
- the entry count is bounded before the central directory is read, which is exactly its entries;
- the entries start at byte 0 and follow one another with nothing before, between or after them
  (no prepended data, no local entry the central directory does not list, no overlaps);
- each local header names the same bytes, flags, method, CRC and sizes as its central record;
- sizes in a data descriptor (flag bit 3) only after deflated data, and equal to the central ones.

Anything else is :class:`UnsafeArchive`. Extra fields may differ (``zip`` writes longer ones locally).
"""

from __future__ import annotations

import struct

from assay.lean_dataclasses import frozen

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = b"PK\x05\x06"
_DESCRIPTOR = b"PK\x07\x08"
_END_FORMAT = struct.Struct(
    "<4s4H2LH"
)  # signature, disk, directory disk, entries here, entries, size, offset, comment
_CENTRAL_FORMAT = struct.Struct("<4s6H3L5H2L")
_LOCAL_FORMAT = struct.Struct("<4s5H3L2H")
_SIZES = struct.Struct("<3L")  # crc-32, compressed size, size
_MAX_COMMENT = 0xFFFF
_ZIP64_COUNT = 0xFFFF  # a field at its maximum means "look in the zip64 records"
_ZIP64_SIZE = 0xFFFFFFFF
_USES_DESCRIPTOR = 0x8  # general purpose flag bit 3: crc and sizes follow the data
_UTF8_NAME = 0x800  # general purpose flag bit 11
_STORED = 0
_LONGEST_SHOWN = 200  # characters of a name in a message


class UnsafeArchive(Exception):
    """The archive is not safe to read (or not a zip at all); nothing more was read from it."""

    def __init__(self, *problems: str) -> None:
        super().__init__(*problems)
        self.problems = problems


@frozen
class Entry:
    """One entry, as its local header and its central record agree on it."""

    name: str
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    mode: int  # the Unix mode in the high half of the external attributes (0 when there is none)
    data_offset: int  # where its (compressed) bytes start in the archive

    @property
    def is_folder(self) -> bool:
        return self.name.endswith("/")


@frozen
class _Central:
    """A central directory record: what the directory says, before the local header is compared."""

    raw_name: bytes
    flags: int
    method: int
    crc: int
    compressed_size: int
    size: int
    external: int
    offset: int  # of its local header


def read_entries(data: bytes, max_entries: int) -> tuple[Entry, ...]:
    """The archive's entries in the order of the file, or :class:`UnsafeArchive` saying why not."""
    end = _end_offset(data)
    count, start = _directory_bounds(data, end, max_entries)
    records = _central_records(data, start, end, count)
    return _matched(data, records, start)


# --- the end record and the central directory ------------------------------------------------------


def _end_offset(data: bytes) -> int:
    """Where the end record starts: it must be the last 22 bytes of the file."""
    end = len(data) - _END_FORMAT.size
    if end >= 0 and data[end : end + 4] == _END:
        return end
    found = data.rfind(_END, max(0, end - _MAX_COMMENT))
    if found < 0:
        raise UnsafeArchive("not a zip archive: no end of central directory record")
    after = len(data) - found - _END_FORMAT.size
    raise UnsafeArchive(
        f"unsafe archive: {after:,} bytes after the end of the central directory "
        "(an archive comment or appended data)"
    )


def _directory_bounds(data: bytes, end: int, max_entries: int) -> tuple[int, int]:
    """The entry count and where the central directory starts, checked before it is read."""
    _, disk, directory_disk, here, count, size, start, comment = _END_FORMAT.unpack_from(data, end)
    if comment:
        raise UnsafeArchive(f"unsafe archive: the end record claims a {comment:,}-byte comment past the file")
    if _ZIP64_COUNT in (here, count) or _ZIP64_SIZE in (size, start):
        raise UnsafeArchive("unsafe archive: zip64 records; a pack is read without them")
    if disk or directory_disk or here != count:
        raise UnsafeArchive("unsafe archive: an archive in several parts")
    if count > max_entries:
        raise UnsafeArchive(f"unsafe archive: {count:,} entries; the limit is {max_entries:,}")
    if start + size < end:
        raise UnsafeArchive(
            f"unsafe archive: {end - start - size:,} bytes that the central directory does not account "
            "for (data prepended to the archive, or put before its directory)"
        )
    if start + size > end:
        raise UnsafeArchive("unsafe archive: the central directory runs past its end record")
    if count * _CENTRAL_FORMAT.size > size:
        raise UnsafeArchive(f"unsafe archive: {size:,} bytes cannot hold a directory of {count:,} entries")
    return count, start


def _central_records(data: bytes, start: int, end: int, count: int) -> list[_Central]:
    """Exactly ``count`` records filling the directory from ``start`` to ``end``."""
    records = []
    at = start
    for number in range(1, count + 1):
        if at + _CENTRAL_FORMAT.size > end or data[at : at + 4] != _CENTRAL:
            raise UnsafeArchive(f"unsafe archive: central directory record {number} of {count} is missing")
        fields = _CENTRAL_FORMAT.unpack_from(data, at)
        flags, method, crc, compressed, size, name_length, extra, comment = fields[3:5] + fields[7:13]
        disk, external, offset = fields[13], fields[15], fields[16]
        name_start = at + _CENTRAL_FORMAT.size
        at = name_start + name_length + extra + comment
        if at > end:
            raise UnsafeArchive(f"unsafe archive: central directory record {number} runs past the directory")
        if _ZIP64_SIZE in (compressed, size, offset):
            raise UnsafeArchive("unsafe archive: zip64 records; a pack is read without them")
        if disk:
            raise UnsafeArchive("unsafe archive: an archive in several parts")
        raw_name = data[name_start : name_start + name_length]
        records.append(_Central(raw_name, flags, method, crc, compressed, size, external, offset))
    if at != end:
        raise UnsafeArchive(f"unsafe archive: {end - at:,} bytes in the central directory after its entries")
    return records


# --- the local entries -----------------------------------------------------------------------------


def _matched(data: bytes, records: list[_Central], directory: int) -> tuple[Entry, ...]:
    """Every record's local entry, in file order, each starting where the one before it ended."""
    entries = []
    at = 0
    for record in sorted(records, key=lambda r: r.offset):
        shown = _shown(record.raw_name)
        if record.offset != at:
            raise UnsafeArchive(_gap(data, at, record.offset, f"entry {shown}"))
        entry, at = _local_entry(data, record, directory, shown)
        entries.append(entry)
    if at != directory:
        raise UnsafeArchive(_gap(data, at, directory, "the central directory"))
    return tuple(entries)


def _gap(data: bytes, at: int, expected: int, what: str) -> str:
    """Why the next thing is not where the previous entry ended: bytes in between, or an overlap."""
    if expected < at:
        return f"unsafe archive: {what} overlaps the entry before it"
    if data[at : at + 4] == _LOCAL and at + _LOCAL_FORMAT.size <= expected:
        length = _LOCAL_FORMAT.unpack_from(data, at)[9]
        hidden = _shown(data[at + _LOCAL_FORMAT.size : at + _LOCAL_FORMAT.size + length])
        return f"unsafe archive: a local entry {hidden} at offset {at:,} is not in the central directory"
    if at == 0:
        return f"unsafe archive: {expected:,} bytes before the first entry (data prepended to the archive)"
    return f"unsafe archive: {expected - at:,} bytes between entries, before {what}, belong to no entry"


def _local_entry(data: bytes, record: _Central, directory: int, shown: str) -> tuple[Entry, int]:
    """The entry at ``record.offset``, checked against its record, and where the next one must start."""
    at = record.offset
    if at + _LOCAL_FORMAT.size > directory or data[at : at + 4] != _LOCAL:
        raise UnsafeArchive(f"unsafe entry {shown}: no local header where the central directory puts it")
    fields = _LOCAL_FORMAT.unpack_from(data, at)
    flags, method, crc, compressed, size, name_length, extra = fields[2:4] + fields[6:11]
    name_start = at + _LOCAL_FORMAT.size
    local_name = data[name_start : name_start + name_length]
    start = name_start + name_length + extra
    disagreement = _disagreement(record, local_name, flags, method, (crc, compressed, size))
    if disagreement is not None:
        raise UnsafeArchive(f"unsafe entry {shown}: {disagreement}")
    after = start + record.compressed_size
    if record.flags & _USES_DESCRIPTOR:
        after = _after_descriptor(data, record, after, shown)
    if after > directory:
        raise UnsafeArchive(f"unsafe entry {shown}: its data runs into the central directory")
    name = _decoded(record.raw_name, record.flags, shown)
    entry = Entry(
        name=name,
        flags=flags,
        method=method,
        crc=record.crc,
        compressed_size=record.compressed_size,
        size=record.size,
        mode=record.external >> 16,
        data_offset=start,
    )
    return entry, after


def _disagreement(
    record: _Central, name: bytes, flags: int, method: int, sizes: tuple[int, int, int]
) -> str | None:
    """How the local header contradicts the central record, or None."""
    if name != record.raw_name:
        return f"the local header names it {_shown(name)}"
    if flags != record.flags or method != record.method:
        return "the local header and the central directory give different flags or compression"
    deferred = record.flags & _USES_DESCRIPTOR and sizes == (0, 0, 0)
    if not deferred and sizes != _sizes(record):
        return (
            f"the local header gives {sizes[2]:,} bytes ({sizes[1]:,} compressed), the central "
            f"directory {record.size:,} ({record.compressed_size:,} compressed), or different CRC-32s"
        )
    return None


def _after_descriptor(data: bytes, record: _Central, at: int, shown: str) -> int:
    """Where the data descriptor after an entry's data ends; it must repeat the central sizes."""
    if record.method == _STORED:
        raise UnsafeArchive(f"unsafe entry {shown}: stored data whose size only a descriptor after it gives")
    if data[at : at + 4] == _DESCRIPTOR:  # the signature is optional
        at += 4
    given = _SIZES.unpack_from(data, at) if at + _SIZES.size <= len(data) else None
    if given != _sizes(record):
        raise UnsafeArchive(f"unsafe entry {shown}: its data descriptor disagrees with the central directory")
    return at + _SIZES.size


def _sizes(record: _Central) -> tuple[int, int, int]:
    return record.crc, record.compressed_size, record.size


def _decoded(raw: bytes, flags: int, shown: str) -> str:
    """The name: UTF-8 when flagged so, else ASCII (other bytes are read differently by each reader)."""
    try:
        return raw.decode("utf-8" if flags & _UTF8_NAME else "ascii")
    except UnicodeDecodeError:
        reason = "not UTF-8" if flags & _UTF8_NAME else "not ASCII and not flagged as UTF-8"
        raise UnsafeArchive(f"unsafe entry {shown}: the name is {reason}") from None


def _shown(raw: bytes) -> str:
    """A name for messages, whatever its bytes: quoted, escaped, and cut short when very long."""
    text = raw.decode("utf-8", errors="backslashreplace")
    return repr(text) if len(text) <= _LONGEST_SHOWN else repr(text[:_LONGEST_SHOWN]) + "..."
