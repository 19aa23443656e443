"""``assay cache info`` and ``assay cache clear``: what is in the cache folder, and emptying it; a folder
that is not assay's own is refused, untouched."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assay import cache
from assay.cache import KEY_FILE, open_cache


def filled(folder: Path, count: int = 3) -> cache.Cache:
    store = open_cache(folder)
    assert store is not None
    for n in range(count):
        store.put("k", f'["v1", {n}]', {"n": n})
    store.save_bundle()
    return store


def test_info_shows_the_folder_entries_size_and_cap(cli, cache_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(cache.MAX_MB_ENV, "2.5")
    empty = cli("cache", "info")
    assert empty.code == 0, empty.err
    assert f"folder:  {cache_dir} (not made yet)" in empty.out
    assert not cache_dir.exists()  # looking does not make it
    filled(cache_dir)
    (cache_dir / "rules.pack").write_bytes(b"old")
    shown = cli("cache", "info")
    assert shown.code == 0, shown.err
    size = sum(f.size for f in cache.cache_files(cache_dir))
    assert "entries: 3 (and 1 file of an older layout)" in shown.out
    assert f"({size} bytes)" in shown.out
    assert f"cap:     2.5 MiB (${cache.MAX_MB_ENV})" in shown.out


def test_clear_removes_every_entry_but_keeps_the_key_and_other_files(cli, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    store = filled(cache_dir)
    (cache_dir / "rules.pack").write_bytes(b"old")
    (cache_dir / "notes.txt").write_text("not assay's")
    done = cli("cache", "clear")
    assert done.code == 0, done.err
    assert "removed 5 files" in done.out  # three entries, the bundle, the old pack
    left = sorted(p.relative_to(cache_dir).as_posix() for p in cache_dir.rglob("*"))
    assert left == [KEY_FILE, "notes.txt"]
    assert store.get("k", '["v1", 0]') is None
    assert "entries: 0" in cli("cache", "info").out


def test_clear_on_a_missing_folder_does_nothing(cli, cache_dir: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("cache", "clear")
    assert (done.code, done.out) == (0, f"removed 0 files from {cache_dir}\n")
    assert not cache_dir.exists()


def symlinked(folder: Path) -> str:
    real = folder.parent / "real"
    filled(real)
    folder.symlink_to(real)
    return "symbolic link"


def group_writable(folder: Path) -> str:
    filled(folder)
    folder.chmod(0o770)
    return "open to other users"


def another_users(folder: Path) -> str:
    if os.getuid() != 0:
        pytest.skip("making a folder another user's needs root")
    filled(folder)
    os.chown(folder, 4242, 4242)
    return "belongs to another user"


def a_file(folder: Path) -> str:
    folder.write_text("a file where the folder should be")
    return "not a directory"


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX owners and modes")
@pytest.mark.parametrize("make", [symlinked, group_writable, another_users, a_file])
@pytest.mark.parametrize("action", ["info", "clear"])
def test_a_folder_that_is_not_assays_is_refused_untouched(cli, cache_dir: Path, make, action: str) -> None:  # type: ignore[no-untyped-def]
    reason = make(cache_dir)
    before = sorted(str(p) for p in cache_dir.parent.rglob("*"))
    done = cli("cache", action)
    assert done.code == 2
    assert done.out == ""
    assert f"{cache_dir} is not assay's cache folder (" in done.err
    assert reason in done.err
    assert sorted(str(p) for p in cache_dir.parent.rglob("*")) == before


def test_an_unknown_action_is_a_usage_error(cli) -> None:  # type: ignore[no-untyped-def]
    done = cli("cache", "purge")
    assert done.code == 2
    assert "invalid choice" in done.err


def test_the_command_loads_no_heavy_part(cache_dir: Path) -> None:
    script = (
        "import json, sys\nfrom assay.cli import main\ncode = main(['cache', 'info'])\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\nsys.exit(code)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = ("assay.cel", "assay.loading", "assay.engine", "assay.render", "yaml", "pydantic", "lark")
    assert [m for m in modules if any(m == h or m.startswith(h + ".") for h in heavy)] == []


def check_run(project: Path, folder: Path, cap: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ASSAY_CACHE_DIR": str(folder), cache.MAX_MB_ENV: cap}
    environment.pop("ASSAY_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "assay", "check", "--format", "json"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_a_run_with_a_cap_of_zero_works_and_leaves_only_the_key(project: Path, tmp_path: Path) -> None:
    """The whole command line in its own process, so the exit handler that prunes runs as in use."""
    cached = check_run(project, tmp_path / "roomy", "64")
    assert cached.returncode == 0, cached.stderr
    assert len([f for f in cache.cache_files(tmp_path / "roomy") if f.role == "entry"]) > 3
    (tmp_path / "tight").mkdir(mode=0o700)
    (tmp_path / "tight" / "rules.pack").write_bytes(b"a file of the layout before the bundle")
    for _ in range(2):  # the second run finds nothing either
        tight = check_run(project, tmp_path / "tight", "0")
        assert (tight.returncode, tight.stdout, tight.stderr) == (0, cached.stdout, "")
        assert [p.name for p in (tmp_path / "tight").rglob("*") if not p.is_dir()] == [KEY_FILE]
