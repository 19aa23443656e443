"""Packs for the pack tests, built once per module from the acme fixture, and zips written by hand.

The hand-written zips (:func:`zip_bytes`) say whatever a test needs their headers to say; a real pack
is changed with :func:`insert_before_directory` and :func:`shift`, as an attacker would change it.
"""

from __future__ import annotations

import io
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from assay.cli import main

ACME = Path(__file__).resolve().parents[1] / "fixtures" / "acme"
NOW = "2026-11-25T12:00:00Z"
END = struct.Struct("<4s4H2LH")
CENTRAL = struct.Struct("<4s6H3L5H2L")
LOCAL = struct.Struct("<4s5H3L2H")


@dataclass(frozen=True)
class Packs:
    signed: bytes
    unsigned: bytes
    private: Path
    public: Path
    fingerprint: str  # as assay keygen printed it


def run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def build_packs(folder: Path) -> Packs:
    """A signed and an unsigned pack of the acme fixture (every path absolute: no chdir needed)."""
    acme = folder / "acme"
    shutil.copytree(ACME, acme)
    fingerprint = run("keygen", "--output", str(folder / "keys")).strip()
    private, public = folder / "keys" / "assay-signing-key.pem", folder / "keys" / "assay-signing-key.pub"
    args = [
        "pack", "--controls", str(acme / "controls"), "--mappings", str(acme / "mappings"),
        "--evidence", str(acme / "evidence"), "--waivers", str(acme / "waivers.yaml"),
        "--scope", str(acme / "scope.yaml"), "--now", NOW, "--framework", "soc2",
    ]  # fmt: skip
    run(*args, "--output", str(folder / "signed.zip"), "--sign-key", str(private))
    run(*args, "--output", str(folder / "unsigned.zip"))
    return Packs(
        signed=(folder / "signed.zip").read_bytes(),
        unsigned=(folder / "unsigned.zip").read_bytes(),
        private=private,
        public=public,
        fingerprint=fingerprint,
    )


# --- zips by hand ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """One entry of a hand-written zip, stored (not compressed); its local header may lie."""

    name: str
    data: bytes = b"x"
    local_name: str | None = None  # the name in the local header, when it differs
    local_size: int | None = None  # the size in the local header, when it differs
    listed: bool = True  # in the central directory
    mode: int = 0o100644
    flags: int = 0
    name_bytes: bytes | None = None  # the raw name, when it is not UTF-8 text


def local_entry(name: bytes, data: bytes, size: int | None = None, flags: int = 0) -> bytes:
    """A stored local entry: its header and its data."""
    length = len(data) if size is None else size
    header = LOCAL.pack(b"PK\x03\x04", 20, flags, 0, 0, 0x21, zlib.crc32(data), length, length, len(name), 0)
    return header + name + data


def central_record(name: bytes, data: bytes, offset: int, mode: int, flags: int = 0) -> bytes:
    crc, size = zlib.crc32(data), len(data)
    fields = (20, flags, 0, 0, 0x21, crc, size, size, len(name), 0, 0, 0, 0, mode << 16, offset)
    return CENTRAL.pack(b"PK\x01\x02", 0x0314, *fields) + name  # made on Unix, so the mode counts


def zip_bytes(
    members: list[Member], *, before: bytes = b"", between: bytes = b"", count: int | None = None
) -> bytes:
    """A stored zip of ``members``: ``before`` the first entry, ``between`` each two, offsets all true."""
    body, directory = bytearray(before), bytearray()
    for index, member in enumerate(members):
        body += between if index else b""
        offset = len(body)
        name = member.name_bytes or member.name.encode()
        local = member.local_name.encode() if member.local_name is not None else name
        body += local_entry(local, member.data, member.local_size, member.flags)
        if member.listed:
            directory += central_record(name, member.data, offset, member.mode, member.flags)
    listed = sum(m.listed for m in members) if count is None else count
    end = END.pack(b"PK\x05\x06", 0, 0, listed, listed, len(directory), len(body), 0)
    return bytes(body + directory + end)


# --- changing a real pack --------------------------------------------------------------------------


def directory_offset(data: bytes) -> int:
    return END.unpack_from(data, len(data) - END.size)[6]  # type: ignore[no-any-return]


def insert_before_directory(data: bytes, extra: bytes) -> bytes:
    """``extra`` put between the last entry and the central directory, the end record updated to match."""
    start = directory_offset(data)
    fields = list(END.unpack_from(data, len(data) - END.size))
    fields[6] += len(extra)
    return data[:start] + extra + data[start : -END.size] + END.pack(*fields)


def shift(data: bytes, prefix: bytes) -> bytes:
    """``prefix`` before the first entry, with every offset moved to match (as ``zip -A`` does)."""
    start = directory_offset(data)
    directory = bytearray(data[start : -END.size])
    at = 0
    while at < len(directory):
        fields = list(CENTRAL.unpack_from(directory, at))
        fields[16] += len(prefix)
        CENTRAL.pack_into(directory, at, *fields)
        at += CENTRAL.size + fields[10] + fields[11] + fields[12]
    end = list(END.unpack_from(data, len(data) - END.size))
    end[6] += len(prefix)
    return prefix + data[:start] + bytes(directory) + END.pack(*end)


def streamed(data: bytes) -> dict[str, bytes]:
    """What a streaming extractor (bsdtar, ZipInputStream) reads: local headers from byte 0, in order,
    each later entry of a name replacing the earlier one; it stops at the first thing that is not one.
    Only stored entries and entries with sizes in their header are followed, which is all this needs."""
    found: dict[str, bytes] = {}
    at = 0
    while data[at : at + 4] == b"PK\x03\x04":
        fields = LOCAL.unpack_from(data, at)
        method, compressed, name_length, extra = fields[3], fields[7], fields[9], fields[10]
        name = data[at + LOCAL.size : at + LOCAL.size + name_length].decode("utf-8", "replace")
        start = at + LOCAL.size + name_length + extra
        raw = data[start : start + compressed]
        found[name] = raw if method == 0 else zlib.decompress(raw, -15)
        at = start + compressed
    return found
