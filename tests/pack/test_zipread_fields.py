"""Each field and bound of the zip format that :mod:`assay.pack.zipread` checks, one archive per check.

These archives came from mutation testing (``benchmarks/mutation.py --area zipread``): each one makes a
change to the reader that the other tests let through either accept a bad archive, refuse a good one,
crash with something other than :class:`UnsafeArchive`, or say the wrong thing about where it is bad.
The archives are written byte by byte, as in ``test_zipread.py``.
"""

from __future__ import annotations

import io
import zipfile
import zlib

import pytest

from assay.pack.zipread import Entry, UnsafeArchive, read_entries
from tests.pack.packs import CENTRAL, END, LOCAL, Member, directory_offset, insert_before_directory, zip_bytes

MAX_ENTRIES = 10_000


def problems(data: bytes, max_entries: int = MAX_ENTRIES) -> tuple[str, ...]:
    with pytest.raises(UnsafeArchive) as caught:
        read_entries(data, max_entries)
    return caught.value.problems


def names(data: bytes, max_entries: int = MAX_ENTRIES) -> list[str]:
    return [entry.name for entry in read_entries(data, max_entries)]


def patched(data: bytes, layout: type[object] | object, at: int, field: int, value: int) -> bytes:
    """``data`` with field number ``field`` of the ``layout`` record at ``at`` set to ``value``."""
    fields = list(layout.unpack_from(data, at))  # type: ignore[attr-defined]
    fields[field] = value
    changed = bytearray(data)
    layout.pack_into(changed, at, *fields)  # type: ignore[attr-defined]
    return bytes(changed)


def deflated_zip(name: str, content: bytes, *, comment: bytes = b"") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.comment = comment
        archive.writestr(info, content)
    return buffer.getvalue()


# --- archives that are good --------------------------------------------------------------------------


def test_an_entry_with_a_comment_of_its_own_is_read() -> None:
    data = deflated_zip("a.json", b"{}" * 50, comment=b"an entry comment")
    (entry,) = read_entries(data, MAX_ENTRIES)
    assert (entry.name, entry.size) == ("a.json", 100)


def test_an_entry_with_an_empty_name_and_no_data_fills_its_records_exactly() -> None:
    # 30 bytes of local header, then a 46-byte central record ending where the end record starts.
    data = zip_bytes([Member("", b"")])
    assert len(data) == LOCAL.size + CENTRAL.size + END.size
    assert read_entries(data, MAX_ENTRIES) == (
        Entry(name="", flags=0, method=0, crc=0, compressed_size=0, size=0, mode=0o100644, data_offset=30),
    )


def test_a_name_flagged_as_utf_8_is_read_as_utf_8() -> None:
    assert names(zip_bytes([Member("données.json", b"{}", flags=0x800)])) == ["données.json"]


def test_as_many_entries_as_the_limit_are_read() -> None:
    data = zip_bytes([Member("a.json"), Member("b.json")])
    assert names(data, max_entries=2) == ["a.json", "b.json"]
    assert problems(data, max_entries=1) == ("unsafe archive: 2 entries; the limit is 1",)


# --- the end record ----------------------------------------------------------------------------------


def test_an_end_record_at_the_start_of_the_file_with_a_byte_after_it() -> None:
    data = END.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0) + b"x"
    assert problems(data) == (
        "unsafe archive: 1 bytes after the end of the central directory "
        "(an archive comment or appended data)",
    )


def test_an_end_record_further_back_than_any_comment_can_reach_is_not_looked_for() -> None:
    data = zip_bytes([Member("a.json")]) + bytes(70_000)
    assert problems(data) == ("not a zip archive: no end of central directory record",)


def test_an_entry_count_on_this_part_that_differs_from_the_total() -> None:
    data = zip_bytes([Member("a.json"), Member("b.json")])
    assert problems(patched(data, END, len(data) - END.size, 3, 1)) == (
        "unsafe archive: an archive in several parts",
    )


# --- the central directory ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        (9, 0xFFFFFFFF, "unsafe archive: zip64 records; a pack is read without them"),  # compressed size
        (16, 0xFFFFFFFF, "unsafe archive: zip64 records; a pack is read without them"),  # offset
        (13, 1, "unsafe archive: an archive in several parts"),  # disk number
        (10, 5_000, "unsafe archive: central directory record 1 runs past the directory"),  # name length
    ],
    ids=["zip64-size", "zip64-offset", "disk", "name-length"],
)
def test_central_records_that_cannot_be_trusted(field: int, value: int, problem: str) -> None:
    data = zip_bytes([Member("a.json", b"{}")])
    assert problems(patched(data, CENTRAL, directory_offset(data), field, value)) == (problem,)


def test_a_last_central_record_cut_short_is_missing() -> None:
    # Room in the directory's size for two records, but the second is a signature and 40 bytes.
    body = zip_bytes([Member("a.json", b"{}")])[: -END.size]
    start = directory_offset(zip_bytes([Member("a.json", b"{}")]))
    directory = body[start:] + b"PK\x01\x02" + bytes(40)
    data = body[:start] + directory + END.pack(b"PK\x05\x06", 0, 0, 2, 2, len(directory), start, 0)
    assert problems(data) == ("unsafe archive: central directory record 2 of 2 is missing",)


# --- local headers against the central directory -----------------------------------------------------


@pytest.mark.parametrize(("field", "value"), [(2, 0x2), (3, 8)], ids=["flags-only", "compression-only"])
def test_a_local_header_that_differs_in_flags_or_compression_alone(field: int, value: int) -> None:
    data = patched(zip_bytes([Member("a.json", b"{}")]), LOCAL, 0, field, value)
    assert problems(data) == (
        "unsafe entry 'a.json': the local header and the central directory give different flags or "
        "compression",
    )


def test_a_local_header_with_no_sizes_and_no_data_descriptor() -> None:
    # Zero CRC and sizes are "see the descriptor" only when the descriptor flag says so; without it a
    # streaming reader takes the entry as empty and reads its data as the next header.
    data = zip_bytes([Member("a.json", b"{}")])
    for field in (6, 7, 8):  # crc-32, compressed size, size
        data = patched(data, LOCAL, 0, field, 0)
    assert problems(data) == (
        "unsafe entry 'a.json': the local header gives 0 bytes (0 compressed), the central directory 2 "
        "(2 compressed), or different CRC-32s",
    )


def test_a_local_compressed_size_that_differs_is_named_apart_from_the_size() -> None:
    data = deflated_zip("a.json", b"{}" * 50)
    compressed = LOCAL.unpack_from(data, 0)[7]
    assert problems(patched(data, LOCAL, 0, 7, compressed + 1)) == (
        f"unsafe entry 'a.json': the local header gives 100 bytes ({compressed + 1} compressed), the central "
        f"directory 100 ({compressed} compressed), or different CRC-32s",
    )


def test_no_local_header_where_the_central_directory_puts_one() -> None:
    data = b"XXXX" + zip_bytes([Member("a.json", b"{}")])[4:]
    assert problems(data) == ("unsafe entry 'a.json': no local header where the central directory puts it",)


def test_a_local_signature_too_close_to_the_directory_to_hold_a_header() -> None:
    body = b"PK\x03\x04" + bytes(10)
    directory = zip_bytes([Member("a.json", b"{}")])[38 : -END.size]  # its one record, offset 0
    data = body + directory + END.pack(b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    assert problems(data) == ("unsafe entry 'a.json': no local header where the central directory puts it",)


def test_data_that_runs_into_the_central_directory() -> None:
    # Local header and central record agree on ten bytes, but only two are there before the directory.
    content = b"0123456789"
    whole = zip_bytes([Member("a.json", content)])
    start = directory_offset(whole)
    directory = whole[start : -END.size]
    body = whole[: start - 8]
    data = body + directory + END.pack(b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(body), 0)
    data = patched(data, CENTRAL, len(body), 16, 0)
    assert problems(data) == ("unsafe entry 'a.json': its data runs into the central directory",)


@pytest.mark.parametrize("beyond", [1_000_000, 8], ids=["far-beyond", "straddling-the-end"])
def test_a_data_descriptor_that_would_lie_past_the_end_of_the_file(beyond: int) -> None:
    # Deflated, sizes deferred to a descriptor, and a central size that puts the descriptor past the
    # end of the file (far past, or starting in its last 12 bytes): refused, never a struct error.
    content = zlib.compress(b"{}", wbits=-15)
    local = LOCAL.pack(b"PK\x03\x04", 20, 0x8, 8, 0, 0x21, 0, 0, 0, 6, 0) + b"a.json" + content
    size = len(local) + CENTRAL.size + len(b"a.json") + END.size  # of the whole archive
    compressed = size - (LOCAL.size + len(b"a.json")) - 12 + beyond
    fields = (20, 0x8, 8, 0, 0x21, zlib.crc32(b"{}"), compressed, 2, 6, 0, 0, 0, 0, 0o100644 << 16, 0)
    directory = CENTRAL.pack(b"PK\x01\x02", 0x0314, *fields) + b"a.json"
    data = local + directory + END.pack(b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(local), 0)
    assert len(data) == size
    assert problems(data) == (
        "unsafe entry 'a.json': its data descriptor disagrees with the central directory",
    )


# --- bytes that belong to no entry -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "problem"),
    [
        (bytes(40), "unsafe archive: 40 bytes before the first entry (data prepended to the archive)"),
        (
            b"PK\x03\x04" + bytes(10),
            "unsafe archive: 14 bytes before the first entry (data prepended to the archive)",
        ),
        (
            LOCAL.pack(b"PK\x03\x04", 20, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            "unsafe archive: a local entry '' at offset 0 is not in the central directory",
        ),
    ],
    ids=["junk", "a-signature-without-room-for-a-header", "a-whole-empty-header"],
)
def test_what_is_said_of_bytes_before_the_first_entry(before: bytes, problem: str) -> None:
    assert problems(zip_bytes([Member("a.json", b"{}")], before=before)) == (problem,)


def test_bytes_between_the_last_entry_and_the_directory() -> None:
    data = insert_before_directory(zip_bytes([Member("a.json", b"{}")]), b"junk")
    assert problems(data) == (
        "unsafe archive: 4 bytes between entries, before the central directory, belong to no entry",
    )


# --- names in messages -------------------------------------------------------------------------------


def test_a_name_that_is_not_ascii_and_not_flagged_as_utf_8() -> None:
    data = zip_bytes([Member("é.json", b"{}", name_bytes="é.json".encode())])
    assert problems(data) == ("unsafe entry 'é.json': the name is not ASCII and not flagged as UTF-8",)


def test_names_in_messages_are_cut_after_200_characters() -> None:
    data = zip_bytes([Member("a" * 200, b"{}", local_name="b" * 201)])
    assert problems(data) == (f"unsafe entry {'a' * 200!r}: the local header names it {'b' * 200!r}...",)
