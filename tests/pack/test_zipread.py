"""One zip reading: verify refuses an archive whose local headers and central directory disagree.

Every hostile archive here is written byte by byte (struct), or is a real signed pack changed as an
attacker would change it. ``streamed`` reads local headers as bsdtar or Java's ZipInputStream does,
to show what the disagreement would have shown an auditor.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from assay.pack import PackLimits, TrustedKey, load_public_key, verify_pack
from assay.pack.archive import UnsafeArchive, read_archive
from assay.pack.zipread import read_entries
from tests.pack.packs import (
    CENTRAL,
    END,
    LOCAL,
    Member,
    Packs,
    build_packs,
    central_record,
    directory_offset,
    insert_before_directory,
    local_entry,
    shift,
    streamed,
    zip_bytes,
)

LIMITS = PackLimits()
EVIL = b"<html>the attacker's page</html>"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Packs:
    return build_packs(tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="module")
def trusted(packs: Packs) -> list[TrustedKey]:
    return [TrustedKey(load_public_key(packs.public.read_bytes(), "key"), "key")]


def refusal(data: bytes) -> tuple[str, ...]:
    with pytest.raises(UnsafeArchive) as caught:
        read_archive(data, LIMITS)
    return caught.value.problems


# --- real packs, changed -----------------------------------------------------------------------------


def test_the_signed_pack_verifies_and_streams_to_the_same_files(packs: Packs, trusted) -> None:
    result = verify_pack(packs.signed, trusted_keys=trusted)
    assert (result.status, result.problems) == ("OK", ())
    assert streamed(packs.signed) == read_archive(packs.signed, LIMITS).entries


def test_data_prepended_to_a_pack_is_refused(packs: Packs, trusted) -> None:
    prepended = b"MZ" + bytes(510) + packs.signed  # a self-extracting stub, say
    with zipfile.ZipFile(io.BytesIO(prepended)) as archive:
        assert archive.testzip() is None  # Python's zipfile reads it, skipping the stub
    result = verify_pack(prepended, trusted_keys=trusted)
    assert result.refused
    assert result.problems == (
        "unsafe archive: 512 bytes that the central directory does not account for (data prepended to "
        "the archive, or put before its directory)",
    )


def test_data_prepended_with_the_offsets_moved_is_refused(packs: Packs, trusted) -> None:
    moved = shift(packs.signed, b"#!/bin/sh\nexit 0\n")
    assert zipfile.ZipFile(io.BytesIO(moved)).testzip() is None
    assert verify_pack(moved, trusted_keys=trusted).problems == (
        "unsafe archive: 17 bytes before the first entry (data prepended to the archive)",
    )


def test_a_hidden_local_entry_before_the_directory_is_refused(packs: Packs, trusted) -> None:
    hidden = insert_before_directory(packs.signed, local_entry(b"index.html", EVIL))
    with zipfile.ZipFile(io.BytesIO(hidden)) as archive:  # the central directory still shows the real page
        assert archive.read("index.html") != EVIL
    assert streamed(hidden)["index.html"] == EVIL  # but a streaming extractor writes the attacker's
    result = verify_pack(hidden, trusted_keys=trusted)
    assert result.status == "REFUSED"
    assert result.problems == (
        f"unsafe archive: a local entry 'index.html' at offset {directory_offset(packs.signed):,} "
        "is not in the central directory",
    )


def test_a_hidden_local_entry_before_the_first_is_refused(packs: Packs, trusted) -> None:
    hidden = shift(packs.signed, local_entry(b"index.html", EVIL))
    assert streamed(hidden)["index.html"] != EVIL  # the real one comes later and wins in a stream ...
    assert verify_pack(hidden, trusted_keys=trusted).problems == (
        "unsafe archive: a local entry 'index.html' at offset 0 is not in the central directory",
    )


def test_bytes_after_the_end_record_are_refused(packs: Packs) -> None:
    assert refusal(packs.signed + b"appended") == (
        "unsafe archive: 8 bytes after the end of the central directory (an archive comment or appended "
        "data)",
    )
    fake_end = END.pack(b"PK\x05\x06", 0, 0, 0, 0, 0, 0, 0)  # an empty archive's end, after the real one
    assert refusal(packs.signed + fake_end) == (
        f"unsafe archive: {len(packs.signed):,} bytes that the central directory does not account for "
        "(data prepended to the archive, or put before its directory)",
    )


def test_an_archive_comment_is_refused(packs: Packs) -> None:
    fields = list(END.unpack_from(packs.signed, len(packs.signed) - END.size))
    fields[7] = 7
    commented = packs.signed[: -END.size] + END.pack(*fields) + b"comment"
    assert refusal(commented) == (
        "unsafe archive: 7 bytes after the end of the central directory (an archive comment or appended "
        "data)",
    )


# --- hand-written archives ---------------------------------------------------------------------------


def test_a_hand_written_zip_reads_the_same_both_ways() -> None:
    data = zip_bytes([Member("a.json", b"{}"), Member("b/c.txt", b"text")])
    assert read_archive(data, LIMITS).entries == streamed(data) == {"a.json": b"{}", "b/c.txt": b"text"}


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        (
            [Member("index.html", b"real", local_name="other.html")],
            "unsafe entry 'index.html': the local header names it 'other.html'",
        ),
        (
            [Member("index.html", b"real", local_size=2)],
            "unsafe entry 'index.html': the local header gives 2 bytes (2 compressed), the central "
            "directory 4 (4 compressed), or different CRC-32s",
        ),
        (
            [Member("index.html", EVIL, listed=False), Member("a.json", b"{}")],
            "unsafe archive: a local entry 'index.html' at offset 0 is not in the central directory",
        ),
        (
            [Member("a.json", b"{}"), Member("index.html", EVIL, listed=False)],
            "unsafe archive: a local entry 'index.html' at offset 38 is not in the central directory",
        ),
        (
            [Member("é.json", b"{}", name_bytes="é.json".encode("latin-1"))],
            "unsafe entry '\\\\xe9.json': the name is not ASCII and not flagged as UTF-8",
        ),
        (
            [Member("a.json", b"{}", flags=0x800, name_bytes=b"\xff.json")],
            "unsafe entry '\\\\xff.json': the name is not UTF-8",
        ),
    ],
    ids=["name", "size", "unlisted-first", "unlisted-last", "latin-1-name", "bad-utf-8"],
)
def test_local_headers_that_disagree_with_the_directory(members: list[Member], problem: str) -> None:
    assert refusal(zip_bytes(members)) == (problem,)


def test_bytes_before_and_between_entries() -> None:
    members = [Member("a.json", b"{}"), Member("b.json", b"[]")]
    assert refusal(zip_bytes(members, before=b"junk")) == (
        "unsafe archive: 4 bytes before the first entry (data prepended to the archive)",
    )
    assert refusal(zip_bytes(members, between=b"junk")) == (
        "unsafe archive: 4 bytes between entries, before entry 'b.json', belong to no entry",
    )


def test_duplicate_names_are_refused() -> None:
    data = zip_bytes([Member("index.html", b"real"), Member("index.html", EVIL)])
    assert refusal(data) == ("unsafe entry 'index.html': duplicate name",)


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        (
            [Member("index.html", b"real"), Member("index.html/", b"", mode=0o40755)],
            "unsafe entry 'index.html/': a folder entry named like the file 'index.html'",
        ),
        (
            [Member("Index.HTML/", b"", mode=0o40755), Member("index.html", b"real")],
            "unsafe entry 'Index.HTML/': a folder entry named like the file 'index.html'",
        ),
        (
            [Member("evidence", b"{}"), Member("evidence/a.json", b"{}")],
            "unsafe entry 'evidence': a file named like the folder of 'evidence/a.json'",
        ),
        (
            [Member("empty/", b"", mode=0o40755), Member("a.json", b"{}")],
            "unsafe entry 'empty/': a folder entry with no file in it",
        ),
        (
            [Member("a/", b"data", mode=0o40755), Member("a/b.json", b"{}")],
            "unsafe entry 'a/': a folder entry with data",
        ),
        (
            [Member("a/", b"", mode=0o100644), Member("a/b.json", b"{}")],
            "unsafe entry 'a/': a folder entry without a folder's mode",
        ),
        (
            [Member("a//", b"", mode=0o40755), Member("a/b.json", b"{}")],
            "unsafe entry 'a//': not a normalised path",
        ),
    ],
    ids=["folder-named-like-a-file", "in-another-case", "file-named-like-a-folder", "empty", "data", "mode",
         "double-slash"],
)  # fmt: skip
def test_folder_entries_that_hide_files_are_refused(members: list[Member], problem: str) -> None:
    assert refusal(zip_bytes(members)) == (problem,)


def test_folder_entries_that_hold_files_are_read_past() -> None:
    members = [Member("a/", b"", mode=0o40755), Member("a/b/", b"", mode=0), Member("a/b/c.json", b"{}")]
    assert read_archive(zip_bytes(members), LIMITS).entries == {"a/b/c.json": b"{}"}


def test_two_directory_records_for_one_local_entry_are_refused() -> None:
    body = local_entry(b"a.json", b"{}")
    directory = central_record(b"a.json", b"{}", 0, 0o100644) * 2
    end = END.pack(b"PK\x05\x06", 0, 0, 2, 2, len(directory), len(body), 0)
    assert refusal(body + directory + end) == ("unsafe archive: entry 'a.json' overlaps the entry before it",)


def test_the_entry_count_is_bounded_before_the_directory_is_read() -> None:
    end = END.pack(b"PK\x05\x06", 0, 0, 65_000, 65_000, 46 * 65_000, 0, 0)
    with pytest.raises(UnsafeArchive) as caught:  # 22 bytes in all: no directory was there to read
        read_entries(end, max_entries=10_000)
    assert caught.value.problems == ("unsafe archive: 65,000 entries; the limit is 10,000",)


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ((0, 0, 0xFFFF, 0xFFFF, 0, 0, 0), "unsafe archive: zip64 records; a pack is read without them"),
        ((1, 0, 0, 0, 0, 0, 0), "unsafe archive: an archive in several parts"),
        ((0, 0, 1, 1, 10, 0, 0), "unsafe archive: the central directory runs past its end record"),
        ((0, 0, 0, 0, 0, 0, 3), "unsafe archive: the end record claims a 3-byte comment past the file"),
    ],
)
def test_end_records_that_cannot_be_trusted(fields: tuple[int, ...], problem: str) -> None:
    assert refusal(END.pack(b"PK\x05\x06", *fields)) == (problem,)


def test_a_directory_with_more_or_fewer_records_than_counted() -> None:
    data = bytearray(zip_bytes([Member("a.json", b"{}"), Member("b.json", b"[]")]))
    start = directory_offset(bytes(data))
    fewer = bytes(data[: -END.size]) + END.pack(
        b"PK\x05\x06", 0, 0, 1, 1, len(data) - END.size - start, start, 0
    )
    assert refusal(fewer) == ("unsafe archive: 52 bytes in the central directory after its entries",)
    size = len(data) - END.size - start
    more = bytes(data[: -END.size]) + END.pack(b"PK\x05\x06", 0, 0, 3, 3, size, start, 0)
    assert refusal(more) == ("unsafe archive: 104 bytes cannot hold a directory of 3 entries",)
    broken = bytearray(data)
    broken[start + CENTRAL.size + len("a.json")] = ord("X")  # the second record's signature
    assert refusal(bytes(broken)) == ("unsafe archive: central directory record 2 of 2 is missing",)


def test_deflate_data_that_ends_before_its_entry_is_refused() -> None:
    deflated = zlib.compress(b"{}", wbits=-15) + b"hidden"
    crc = zlib.crc32(b"{}")
    local = LOCAL.pack(b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(deflated), 2, 6, 0) + b"a.json" + deflated
    fields = (20, 0, 8, 0, 0x21, crc, len(deflated), 2, 6, 0, 0, 0, 0, 0o100644 << 16, 0)
    directory = CENTRAL.pack(b"PK\x01\x02", 0x0314, *fields) + b"a.json"
    end = END.pack(b"PK\x05\x06", 0, 0, 1, 1, len(directory), len(local), 0)
    assert refusal(local + directory + end) == (
        "unsafe entry 'a.json': 6 bytes after the end of its deflate data",
    )


def test_stored_data_with_a_descriptor_is_refused() -> None:
    data = zip_bytes([Member("a.json", b"{}", flags=0x8)])
    assert refusal(data) == (
        "unsafe entry 'a.json': stored data whose size only a descriptor after it gives",
    )


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, so zipfile writes sizes in data descriptors after each entry."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:  # type: ignore[no-untyped-def,override]
        self.chunks.append(bytes(data))
        return len(data)


def test_deflated_entries_with_data_descriptors_are_read(packs: Packs, trusted) -> None:
    pipe = _Pipe()
    with zipfile.ZipFile(io.BytesIO(packs.signed)) as source, zipfile.ZipFile(pipe, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_DEFLATED)
    data = b"".join(pipe.chunks)
    assert all(info.flag_bits & 0x8 for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert verify_pack(data, trusted_keys=trusted).status == "OK"
    lying = bytearray(data)
    descriptor = data.index(b"PK\x07\x08")
    lying[descriptor + 8] ^= 0x01  # the compressed size it repeats
    assert (
        verify_pack(bytes(lying), trusted_keys=trusted)
        .problems[0]
        .endswith(": its data descriptor disagrees with the central directory")
    )


# --- re-zipped packs ---------------------------------------------------------------------------------


def _rezip_with_zip(folder: Path, target: Path) -> None:
    subprocess.run(["zip", "-q", "-r", str(target), "."], cwd=folder, check=True)


def _rezip_with_folders(folder: Path, target: Path) -> None:
    """What ``zip -r`` writes, made with zipfile: a folder entry before the files of each folder."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for root, folders, files in os.walk(folder):
            folders.sort()
            relative = Path(root).relative_to(folder).as_posix()
            if relative != ".":
                archive.write(root, f"{relative}/")
            for name in sorted(files):
                archive.write(Path(root) / name, name if relative == "." else f"{relative}/{name}")


@pytest.mark.parametrize("rezip", [_rezip_with_zip, _rezip_with_folders], ids=["zip -r", "zipfile"])
def test_a_pack_re_zipped_with_folder_entries_still_verifies(
    packs: Packs, trusted, tmp_path: Path, rezip
) -> None:
    if rezip is _rezip_with_zip and shutil.which("zip") is None:
        pytest.skip("the zip command is not installed; the zipfile case writes the same folder entries")
    with zipfile.ZipFile(io.BytesIO(packs.signed)) as archive:
        archive.extractall(tmp_path / "pack")  # our own pack: safe to extract
    rezip(tmp_path / "pack", tmp_path / "again.zip")
    data = (tmp_path / "again.zip").read_bytes()
    folders = [i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.is_dir()]
    assert {"evidence/", "evidence/aws/", "reports/", "sources/"} <= set(folders)
    result = verify_pack(data, trusted_keys=trusted)
    assert (result.status, result.problems) == ("OK", ())
    assert result.files == 21


def test_a_re_zipped_pack_with_an_added_folder_entry_hiding_a_file_is_refused(
    packs: Packs, trusted, tmp_path: Path
) -> None:
    with zipfile.ZipFile(io.BytesIO(packs.signed)) as archive:
        archive.extractall(tmp_path / "pack")
    _rezip_with_folders(tmp_path / "pack", tmp_path / "again.zip")
    with zipfile.ZipFile(tmp_path / "again.zip", "a") as archive:
        archive.mkdir("index.html")
    assert verify_pack((tmp_path / "again.zip").read_bytes(), trusted_keys=trusted).problems == (
        "unsafe entry 'index.html/': a folder entry named like the file 'index.html'",
    )


def test_local_and_central_names_are_compared_as_bytes() -> None:
    """The same text, but the local header spells it with another case: readers would differ."""
    data = zip_bytes([Member("a.json", b"{}", local_name="A.json")])
    assert refusal(data) == ("unsafe entry 'a.json': the local header names it 'A.json'",)


def test_the_struct_layouts_match_the_format() -> None:
    assert (LOCAL.size, CENTRAL.size, END.size) == (30, 46, 22)
    assert struct.calcsize("<4s5H3L2H") == LOCAL.size
