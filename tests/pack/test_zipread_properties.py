"""Properties of the one zip reading, over archives Hypothesis writes and then breaks.

Whatever the bytes, reading either refuses the archive or returns files that a streaming extractor
(local headers from byte 0) reads the same; it never raises anything else. Archives zipfile writes,
with or without folder entries, are read back exactly.
"""

from __future__ import annotations

import io
import zipfile

from hypothesis import given
from hypothesis import strategies as st

from assay.pack import PackLimits
from assay.pack.archive import UnsafeArchive, read_archive
from tests.pack.packs import Member, streamed, zip_bytes

LIMITS = PackLimits()
_SEGMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=8)
_NAMES = st.lists(_SEGMENT, min_size=1, max_size=3).map("/".join)
_FILES = st.dictionaries(_NAMES, st.binary(max_size=200), min_size=1, max_size=6).filter(
    lambda files: not any(other.startswith(f"{name}/") for name in files for other in files)
)


def _read(data: bytes) -> dict[str, bytes] | None:
    """The files, when the archive is accepted and every entry could be read; None when refused."""
    try:
        contents = read_archive(data, LIMITS)
    except UnsafeArchive:
        return None
    return None if contents.problems else contents.entries


@st.composite
def _broken(draw: st.DrawFn) -> bytes:
    files = draw(_FILES)
    data = bytearray(zip_bytes([Member(name, body) for name, body in sorted(files.items())]))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete"]))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=40))
        else:
            del data[at : at + draw(st.integers(1, 40))]
    return bytes(data)


@given(_broken())
def test_a_broken_archive_is_refused_or_reads_as_a_stream_would(data: bytes) -> None:
    files = _read(data)
    if files is not None:
        assert files == streamed(data)


@given(st.binary(max_size=300))
def test_any_bytes_are_refused_or_read_never_a_crash(data: bytes) -> None:
    _read(data)


@given(_FILES, st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]), st.booleans())
def test_what_zipfile_writes_is_read_back_exactly(
    files: dict[str, bytes], method: int, folders: bool
) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        written: set[str] = set()
        for name, body in sorted(files.items()):
            parts = name.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth]) + "/"
                if folders and folder not in written:
                    archive.mkdir(folder)
                    written.add(folder)
            archive.writestr(name, body)
    assert _read(buffer.getvalue()) == files
