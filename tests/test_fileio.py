"""Atomic writes keep files as private as they were, or as their folder is; reads stay inside a folder."""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assay.errors import LoadError
from assay.fileio import atomic_write, read_inside, real_path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_in_a_private_folder_is_private(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    atomic_write(folder / "report.html", "<p>findings</p>")
    assert mode(folder / "report.html") == 0o600
    assert (folder / "report.html").read_text(encoding="utf-8") == "<p>findings</p>"


def test_a_new_file_in_a_shared_folder_follows_the_umask(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    atomic_write(folder / "report.md", "# report")
    assert mode(folder / "report.md") == 0o644
    os.umask(0o027)
    atomic_write(folder / "other.md", "# report")
    assert mode(folder / "other.md") == 0o640


@pytest.mark.parametrize("existing", [0o600, 0o640, 0o400, 0o664])
def test_an_existing_file_keeps_its_mode(tmp_path: Path, umask_022: None, existing: int) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    target = folder / "report.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(existing)
    atomic_write(target, "new")
    assert mode(target) == existing
    assert target.read_text(encoding="utf-8") == "new"


def test_the_data_is_never_readable_by_others_while_it_is_written(
    tmp_path: Path, umask_022: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    seen: list[int] = []
    real_fsync = os.fsync

    def spy(descriptor: int) -> None:  # the temporary file is already private when its data is synced
        seen.append(stat.S_IMODE(os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write(folder / "secret.txt", "new")
    assert seen == [0o600]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write(target, 12)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.txt"]


def test_a_pipe_is_written_in_place_and_stays_a_pipe(tmp_path: Path) -> None:
    """``--output`` naming a pipe or a device (/dev/null, /dev/stdout) writes into it: a rename would
    put a regular file in its place (as root, over /dev/null itself)."""
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    atomic_write(fifo, "the report")
    reader.join(timeout=10)
    assert received == [b"the report"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]  # no temporary left


def test_read_inside_refuses_files_over_the_limit_before_reading(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_bytes(b"x" * 11)
    assert read_inside(tmp_path, "big.json", 11, "ev/big.json") == b"x" * 11
    with pytest.raises(LoadError, match=r"^ev/big.json:1:1: error: file is 11 bytes; the limit is 10 bytes$"):
        read_inside(tmp_path, "big.json", 10, "ev/big.json")


def test_read_inside_refuses_directories_and_escapes(tmp_path: Path) -> None:
    (tmp_path / "root" / "sub").mkdir(parents=True)
    (tmp_path / "secret").write_text("x", encoding="utf-8")
    with pytest.raises(LoadError, match="is a directory, not a regular file"):
        read_inside(tmp_path / "root", "sub", 10, "sub")
    with pytest.raises(LoadError, match="is a link that points outside the folder; refusing it"):
        read_inside(tmp_path / "root", "../secret", 10, "../secret")


@pytest.mark.parametrize("resolved_once", [False, True])
def test_read_inside_refuses_a_neighbour_whose_name_begins_like_the_folder(
    tmp_path: Path, resolved_once: bool
) -> None:
    root = tmp_path / "evidence"
    root.mkdir()
    (tmp_path / "evidence-other").mkdir()
    (tmp_path / "evidence-other" / "secret.json").write_text("{}", encoding="utf-8")
    (root / "inside.json").write_text("[]", encoding="utf-8")
    (root / "link.json").symlink_to(tmp_path / "evidence-other" / "secret.json")
    (root / "alias.json").symlink_to(root / "inside.json")
    real = real_path(root) if resolved_once else None
    with pytest.raises(LoadError, match="is a link that points outside the folder"):
        read_inside(root, "link.json", 10, "link.json", real_root=real)
    with pytest.raises(LoadError, match="is a link that points outside the folder"):
        read_inside(root, "../evidence-other/secret.json", 10, "x", real_root=real)
    assert read_inside(root, "alias.json", 10, "alias.json", real_root=real) == b"[]"


def test_read_inside_a_folder_reached_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "data.json").write_text("[1]", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    root = tmp_path / "link"
    assert read_inside(root, "data.json", 10, "data.json") == b"[1]"
    assert read_inside(root, "data.json", 10, "data.json", real_root=real_path(root)) == b"[1]"
