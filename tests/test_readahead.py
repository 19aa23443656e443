"""The next large file read in a thread while this one is parsed gives what reading it then gives."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from assay.digests import THREAD_ABOVE
from assay.errors import LoadError
from assay.evidence import load_evidence_dir
from assay.readahead import ReadAhead


class _Folder:
    """Reads files of a folder, noting the thread that read each (a real reader, no mock)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.readers: dict[str, str] = {}

    def read(self, name: str) -> bytes:
        self.readers[name] = threading.current_thread().name
        path = self.root / name
        if path.suffix == ".bad":
            raise LoadError([])
        return path.read_bytes()

    def size(self, name: str) -> int:
        return (self.root / name).stat().st_size if (self.root / name).exists() else 0


def test_a_large_next_file_is_read_in_a_thread_and_its_error_raised_when_it_is_asked(tmp_path: Path) -> None:
    big = b"x" * THREAD_ABOVE
    for name, data in {
        "a": b"small",
        "b": big,
        "c.bad": big,
        "d": big + b"d",
        "e": b"tiny",
        "f": big,
    }.items():
        (tmp_path / name).write_bytes(data)
    folder = _Folder(tmp_path)
    ahead = ReadAhead(folder.read, folder.size)
    assert ahead.read("a", "b") == b"small"
    assert ahead.read("b", "c.bad") == big
    with pytest.raises(LoadError):  # hostile: the file read ahead fails; it fails when asked, as it would
        ahead.read("c.bad", "d")
    assert ahead.read("d", "f") == big + b"d"  # after a failure, read here
    assert ahead.read("e", None) == b"tiny"  # f was read ahead, never asked: e is read as usual
    ahead.close()
    here = threading.current_thread().name
    assert folder.readers == {
        "a": here,
        "b": "assay-read-ahead",
        "c.bad": "assay-read-ahead",
        "d": here,
        "f": "assay-read-ahead",
        "e": here,
    }


def test_a_folder_of_large_files_loads_as_read_one_by_one(tmp_path: Path) -> None:
    documents = {}
    for index in range(3):
        data = b'{"Items": [' + b",".join(b'{"Id": "r-%d-%d"}' % (index, i) for i in range(70_000)) + b"]}"
        documents[f"f{index}.json"] = data
    documents["f1.json"] = documents["f1.json"][:-1]  # hostile: broken in the middle of the run
    for name, data in documents.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "f3.json").symlink_to("/etc/hostname")  # a link out of the folder: refused, never read
    store = load_evidence_dir(tmp_path)
    assert store.get("f0") is not None
    assert store.get("f0").data["Items"][69_999] == {"Id": "r-0-69999"}  # type: ignore[union-attr]
    assert store.problem("f1") is not None
    assert store.get("f2") is not None
    assert store.digests["f2.json"] == hashlib.sha256(documents["f2.json"]).hexdigest()
    problem = store.problem("f3")
    assert problem is not None
    assert "outside" in problem.diagnostic.message
    assert not any(thread.name == "assay-read-ahead" for thread in threading.enumerate())


def test_loading_leaves_no_reference_cycle_to_the_store(tmp_path: Path) -> None:
    # assay check runs without the cyclic collector: a cycle through the loader would keep each
    # loaded store (an organisation run loads one per account) until the process ends.
    import gc

    for index in range(2):
        data = b'{"Items": [' + b",".join(b'{"Id": "r-%d-%d"}' % (index, i) for i in range(70_000)) + b"]}"
        (tmp_path / f"f{index}.json").write_bytes(data)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        store = load_evidence_dir(tmp_path)
        assert store.get("f1") is not None
        del store
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()
