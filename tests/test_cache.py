"""The on-disk cache: private directory, authenticated entries, refused when anything is off."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from assay import cache
from assay.cache import KEY_FILE, Cache, CacheWarning, default_cache, open_cache

MATERIAL = '["v1", "item.Encrypted == true"]'


@pytest.fixture
def store(tmp_path: Path) -> Cache:
    opened = open_cache(tmp_path / "cache")
    assert opened is not None
    return opened


def entry_file(store: Cache, kind: str = "k", material: str = MATERIAL) -> Path:
    return Path(store._path(kind, material))


def test_an_entry_comes_back_and_the_files_are_private(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": [1, "two"]})
    assert store.get("k", MATERIAL) == {"answer": [1, "two"]}
    assert os.stat(store.directory).st_mode & 0o777 == 0o700
    assert os.stat(store.directory / KEY_FILE).st_mode & 0o777 == 0o600
    assert os.stat(entry_file(store)).st_mode & 0o777 == 0o600
    assert os.stat(entry_file(store).parent).st_mode & 0o777 == 0o700
    assert len((store.directory / KEY_FILE).read_bytes()) == cache.KEY_BYTES


def test_no_entry_is_a_miss(store: Cache) -> None:
    assert store.get("k", MATERIAL) is None


def test_a_flipped_byte_anywhere_is_a_miss(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    original = entry_file(store).read_bytes()
    for index in range(0, len(original), 7):
        hostile = bytearray(original)
        hostile[index] ^= 0x01
        entry_file(store).write_bytes(bytes(hostile))
        assert store.get("k", MATERIAL) is None, index


def test_a_truncated_or_empty_entry_is_a_miss(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    original = entry_file(store).read_bytes()
    for length in (0, 5, len(original) // 2, len(original) - 1):
        entry_file(store).write_bytes(original[:length])
        assert store.get("k", MATERIAL) is None


def test_an_entry_copied_over_another_is_a_miss(store: Cache) -> None:
    other = '["v1", "item.Encrypted == false"]'
    store.put("k", MATERIAL, {"answer": "true"})
    store.put("k", other, {"answer": "false"})
    entry_file(store, material=other).write_bytes(entry_file(store).read_bytes())
    assert store.get("k", other) is None
    assert store.get("k", MATERIAL) == {"answer": "true"}


def test_an_entry_of_another_kind_is_a_miss(store: Cache) -> None:
    store.put("a", MATERIAL, 1)
    target = entry_file(store, kind="b")
    target.parent.mkdir(mode=0o700)
    target.write_bytes(entry_file(store, kind="a").read_bytes())
    assert store.get("b", MATERIAL) is None


def test_an_entry_signed_with_another_key_is_a_miss(store: Cache, tmp_path: Path) -> None:
    other = open_cache(tmp_path / "other")
    assert other is not None
    other.put("k", MATERIAL, {"answer": "forged"})
    entry_file(store).parent.mkdir(mode=0o700, exist_ok=True)
    entry_file(store).write_bytes(entry_file(other).read_bytes())
    assert store.get("k", MATERIAL) is None


def test_an_entry_that_is_a_symlink_is_a_miss(store: Cache, tmp_path: Path) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    real = tmp_path / "elsewhere"
    real.write_bytes(entry_file(store).read_bytes())
    entry_file(store).unlink()
    entry_file(store).symlink_to(real)
    assert store.get("k", MATERIAL) is None


def test_a_rewritten_entry_replaces_a_bad_one(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    entry_file(store).write_bytes(b"garbage")
    assert store.get("k", MATERIAL) is None
    store.put("k", MATERIAL, {"answer": "right"})
    assert store.get("k", MATERIAL) == {"answer": "right"}
    assert [p.name for p in entry_file(store).parent.iterdir()] == [entry_file(store).name]  # no leftovers


def test_a_group_writable_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o770)
    with pytest.warns(CacheWarning, match="open to other users"):
        assert open_cache(folder) is None


def test_a_symlinked_directory_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real)
    with pytest.warns(CacheWarning, match="symbolic link"):
        assert open_cache(tmp_path / "link") is None


def test_a_file_in_place_of_the_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.warns(CacheWarning, match="not using the cache directory"):
        assert open_cache(tmp_path / "file") is None


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda key: key.write_bytes(b"short"), "5 bytes"),
        (lambda key: (key.write_bytes(b"k" * 32), key.chmod(0o644)), "open to other users"),
        (lambda key: key.mkdir(), "not a regular file"),
        (lambda key: key.symlink_to(key.parent / "target"), "cannot be opened safely"),
    ],
)
def test_a_bad_key_is_refused(tmp_path: Path, make: object, reason: str) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    (folder / "target").write_bytes(b"k" * 32)
    (folder / "target").chmod(0o600)
    key = folder / KEY_FILE
    make(key)  # type: ignore[operator]
    if key.is_file() and not key.is_symlink() and reason != "open to other users":
        key.chmod(0o600)
    with pytest.warns(CacheWarning, match=reason):
        assert open_cache(folder) is None


def test_the_environment_chooses_the_directory_or_turns_it_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "chosen"))
    chosen = default_cache()
    assert chosen is not None
    assert chosen.directory == tmp_path / "chosen"
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    assert default_cache() is None
    monkeypatch.setenv("ASSAY_NO_CACHE", "0")
    assert default_cache() is chosen


def test_the_cache_kept_per_process_follows_every_change_of_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ASSAY_NO_CACHE", raising=False)
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "a"))
    first = default_cache()
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "b"))
    second = default_cache()
    assert first is not None
    assert second is not None
    assert (first.directory, second.directory) == (tmp_path / "a", tmp_path / "b")
    monkeypatch.setenv("ASSAY_NO_CACHE", " YES ")
    assert default_cache() is None
    monkeypatch.setenv("ASSAY_NO_CACHE", "off")
    assert default_cache() is second
    monkeypatch.delenv("ASSAY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        third = default_cache()
        assert third is not None
        assert third.directory == tmp_path / "xdg" / "assay"
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(tmp_path / "a"))
    assert default_cache() is first


def test_a_bundle_entry_that_is_not_json_is_a_miss_and_its_file_serves(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    name = store._name("k", MATERIAL)
    body = b"{" + json.dumps(name).encode() + b":[1,}"  # signed, but the entry itself is broken
    bundle_file(store).write_bytes(b"assay-bundle 1 " + store._mac(body) + b"\n" + body)
    assert reopened(store).get("k", MATERIAL) == {"answer": 1}
    body = b"{" + json.dumps(name).encode() + b':{"kind":"k","material":1}}'
    bundle_file(store).write_bytes(b"assay-bundle 1 " + store._mac(body) + b"\n" + body)
    entry_file(store).unlink()
    assert reopened(store).get("k", MATERIAL) is None


def test_xdg_cache_home_is_the_default_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSAY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG is the Linux convention")
    assert cache.cache_directory() == tmp_path / "xdg" / "assay"


@pytest.mark.parametrize("xdg", [None, "", "/x/y", "/x/y/", "  /x/z  ", "relative/dir", "~/c"])
def test_the_default_directory_is_the_one_platformdirs_gives(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    import platformdirs

    monkeypatch.delenv("ASSAY_CACHE_DIR")
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache.cache_directory() == Path(platformdirs.user_cache_dir("assay", appauthor=False))


def test_an_unwritable_cache_costs_speed_not_results(store: Cache) -> None:
    (store.directory / "k").write_text("a file where the entries' folder should be")
    store.put("k", MATERIAL, {"answer": 1})  # nothing written, nothing raised
    assert store.get("k", MATERIAL) is None


def reopened(store: Cache) -> Cache:
    """The same directory and key as a new process would see them."""
    return Cache(store.directory, store.key)


def bundle_file(store: Cache) -> Path:
    return store.directory / cache.BUNDLE_FILE


def test_the_bundle_holds_what_a_run_used(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    store.put("j", MATERIAL, [2])
    store.save_bundle()
    entry_file(store).unlink()
    entry_file(store, "j").unlink()
    warm = reopened(store)
    assert warm.get("k", MATERIAL) == {"answer": 1}  # from the bundle alone
    assert warm.get("j", MATERIAL) == [2]
    assert os.stat(bundle_file(store)).st_mode & 0o777 == 0o600


def test_a_flipped_byte_anywhere_in_the_bundle_makes_it_unused(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    store.save_bundle()
    entry_file(store).unlink()
    original = bundle_file(store).read_bytes()
    for index in range(0, len(original), 3):
        hostile = bytearray(original)
        hostile[index] ^= 0x01
        bundle_file(store).write_bytes(bytes(hostile))
        assert reopened(store).get("k", MATERIAL) is None, index


def test_a_tampered_bundle_falls_back_to_the_entry_files(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "true"})
    store.save_bundle()
    bundle_file(store).write_bytes(bundle_file(store).read_bytes().replace(b"true", b"fals"))
    assert reopened(store).get("k", MATERIAL) == {"answer": "true"}  # the bundle's copy is bad, the file not


def test_a_bundle_signed_with_another_key_is_unused(store: Cache, tmp_path: Path) -> None:
    elsewhere = open_cache(tmp_path / "elsewhere")
    assert elsewhere is not None
    elsewhere.put("k", MATERIAL, {"answer": "theirs"})
    elsewhere.save_bundle()
    store.put("k", MATERIAL, {"answer": "ours"})
    bundle_file(store).write_bytes(bundle_file(elsewhere).read_bytes())
    assert reopened(store).get("k", MATERIAL) == {"answer": "ours"}


def test_a_bundle_of_another_catalog_gives_none_of_its_entries(store: Cache) -> None:
    """Same key, other materials (another catalog, version or backend): nothing in it is used, and the
    run's own entries come from their files."""
    store.put("k", '["v1", "other"]', {"answer": "other"})
    store.put("k", MATERIAL, {"answer": "ours"})
    other = reopened(store)
    assert other.get("k", '["v1", "other"]') == {"answer": "other"}
    other.save_bundle()  # the other catalog's run: its bundle holds only its own entry
    warm = reopened(store)
    assert warm.get("k", MATERIAL) == {"answer": "ours"}
    entry_file(store).unlink()
    assert reopened(store).get("k", MATERIAL) is None


def test_an_entry_of_the_bundle_moved_under_another_name_is_a_miss(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": "right"})
    store.save_bundle()
    entry_file(store).unlink()
    asked = '["v1", "item.Encrypted == false"]'
    data = bundle_file(store).read_bytes()
    entries = json.loads(data.partition(b"\n")[2])
    (entry,) = entries.values()
    body = json.dumps({store._name("k", asked): entry}, separators=(",", ":")).encode()
    bundle_file(store).write_bytes(b"assay-bundle 1 " + store._mac(body) + b"\n" + body)  # signed, even
    assert reopened(store).get("k", asked) is None


@pytest.mark.parametrize("content", [b"", b"garbage", b'{"x": 1}', b"[1, 2]", b"\xff\xfe"])
def test_a_damaged_bundle_is_ignored(store: Cache, content: bytes) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    bundle_file(store).write_bytes(content)
    assert reopened(store).get("k", MATERIAL) == {"answer": 1}


def test_a_payload_changed_by_its_caller_is_not_written_back(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": [1]})
    store.save_bundle()
    warm = reopened(store)
    payload = warm.get("k", MATERIAL)
    payload["answer"].append("changed")
    assert warm.get("k", MATERIAL) == {"answer": [1]}  # handed out once: the second comes from its file
    warm.put("k", '["v1", "other"]', 2)
    warm.save_bundle()
    entry_file(store).unlink()
    assert reopened(store).get("k", MATERIAL) == {"answer": [1]}


def test_the_bundle_is_rewritten_only_when_it_lacked_something(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    store.save_bundle()
    first = bundle_file(store).stat().st_mtime_ns
    warm = reopened(store)
    assert warm.get("k", MATERIAL) == {"answer": 1}
    bundle_file(store).write_bytes(bundle_file(store).read_bytes())  # the same bytes, a new time
    touched = bundle_file(store).stat().st_mtime_ns
    warm.save_bundle()
    assert bundle_file(store).stat().st_mtime_ns == touched
    assert touched >= first
    other = '["v1", "other"]'
    warm.put("k", other, 2)
    warm.save_bundle()
    again = reopened(store)
    assert again.get("k", other) == 2
    assert again.get("k", MATERIAL) == {"answer": 1}
    entries = json.loads(bundle_file(store).read_bytes().partition(b"\n")[2])
    assert set(entries) == {again._name("k", MATERIAL), again._name("k", other)}


# Pruning: the folder stays under its cap ($ASSAY_CACHE_MAX_MB).


def aged(store: Cache, kind: str, material: str, when: float) -> Path:
    """An entry written, then dated ``when`` (seconds since the epoch) as if last used then."""
    store.put(kind, material, {"material": material, "padding": "x" * 500})
    path = entry_file(store, kind, material)
    os.utime(path, (when, when))
    return path


def test_over_the_cap_the_least_recently_used_go_first_and_the_bundles_stay(store: Cache) -> None:
    oldest, old, newer = (aged(store, "k", f'["v1", "{n}"]', 1_000_000 + n) for n in range(3))
    run = reopened(store)  # a later run uses one old entry and one new: the bundle holds those two
    assert run.get("k", '["v1", "0"]') is not None  # read from its file: used now
    run.put("k", '["v1", "new"]', {"padding": "y" * 500})
    run.save_bundle()
    total = sum(f.size for f in cache.cache_files(store.directory))
    removed = cache.prune(store.directory, total - 1, keep=set(run._bundle.found))
    assert removed == 1
    assert not old.exists()  # the least recently used: 1_000_001 (the oldest was read since)
    assert oldest.exists()
    assert newer.exists()
    cache.prune(
        store.directory,
        bundle_file(store).stat().st_size + 2 * oldest.stat().st_size + 100,  # the bundle and its two entries
        keep=set(run._bundle.found),
    )
    assert not newer.exists()  # not in the bundle: it goes before the bundle's entries, though newer
    assert oldest.exists()
    assert entry_file(store, "k", '["v1", "new"]').exists()
    assert bundle_file(store).exists()


def test_a_cap_of_zero_keeps_nothing_but_the_key_and_the_run_still_works(
    store: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.MAX_MB_ENV, "0")
    store.put("k", MATERIAL, {"answer": 1})
    assert store.get("k", MATERIAL) == {"answer": 1}
    store.close()
    assert sorted(p.name for p in store.directory.rglob("*") if p.is_file()) == [KEY_FILE]
    again = reopened(store)
    assert again.get("k", MATERIAL) is None  # a miss: rebuilt by the caller
    again.put("k", MATERIAL, {"answer": 1})
    assert again.get("k", MATERIAL) == {"answer": 1}


def test_pruning_happens_once_and_only_after_a_run_wrote(
    store: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    store.close()  # wrote: pruned (the default cap keeps everything)
    old_layout = store.directory / "rules.pack"
    old_layout.write_bytes(b"a file of the layout before the bundle")
    os.utime(entry_file(store), (1_000_000, 1_000_000))
    warm = reopened(store)
    assert warm.get("k", MATERIAL) == {"answer": 1}  # from the bundle: nothing written
    warm.close()
    assert old_layout.exists()  # a warm run lists nothing and removes nothing
    assert entry_file(store).stat().st_mtime == 1_000_000  # nor touches the entries it took from the bundle
    store.put("k", '["v1", "other"]', 2)
    store.close()
    assert old_layout.exists()  # this process pruned already
    cold = reopened(store)
    cold.put("k", '["v1", "third"]', 3)
    cold.close()
    assert not old_layout.exists()


def test_old_layouts_and_abandoned_temporaries_go_and_nothing_else(store: Cache) -> None:
    store.put("k", MATERIAL, {"answer": 1})
    folder = entry_file(store).parent
    hostile = {
        store.directory / "rules.pack": False,
        store.directory / "parsed.pack": False,
        folder / ".new-abandoned": False,
        folder / ".new-being-written": True,
        store.directory / "notes.txt": True,  # not a name assay makes: never touched
        folder / "readme": True,
    }
    for path in hostile:
        path.write_bytes(b"x" * 100)
    os.utime(folder / ".new-abandoned", (1_000_000, 1_000_000))
    outside = store.directory.parent / "x.entry"  # not in the cache folder
    outside.write_bytes(b"kept")
    (folder / "link.entry").symlink_to(outside)
    cache.prune(store.directory, 10**9)
    assert {path: path.exists() for path in hostile} == hostile
    assert entry_file(store).exists()
    assert (folder / "link.entry").exists()  # under the cap: entries stay, a symlink too
    cache.prune(store.directory, 0)
    assert not (folder / "link.entry").is_symlink()  # the link is removed, never what it points to
    assert outside.read_bytes() == b"kept"


@pytest.mark.parametrize("value", ["lots", "-1", "nan", "1e400"])
def test_a_bad_cap_is_warned_about_and_the_default_used(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(cache.MAX_MB_ENV, value)
    with pytest.warns(CacheWarning, match=cache.MAX_MB_ENV):
        assert cache.max_bytes() == cache.DEFAULT_MAX_MB * 1024 * 1024


PRUNER = """
import sys
from pathlib import Path
from assay.cache import Cache, cache_files, prune

directory, key, which = Path(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3]
for round in range(20):
    store = Cache(directory, key)
    for n in range(10):
        store.put("k", f'["{which}", {round}, {n}]', {"padding": "z" * 2000})
    assert store.get("k", '["v1", 3]') in (None, {"padding": "z" * 2000})
    prune(directory, 20_000, keep={store._name("k", f'["{which}", {round}, 9]')})
print("done")
"""


def test_two_processes_pruning_the_same_folder_neither_crash_nor_corrupt(store: Cache) -> None:
    import subprocess

    for n in range(50):
        store.put("k", f'["v1", {n}]', {"padding": "z" * 2000})
    source = str(Path(cache.__file__).parents[1])
    environment = {**os.environ, "PYTHONPATH": source}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PRUNER, str(store.directory), store.key.hex(), which],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
        )
        for which in ("a", "b")
    ]
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert (process.returncode, out, err) == (0, b"done\n", b"")
    files = cache.cache_files(store.directory)
    assert {f.role for f in files} <= {"entry"}  # no temporary left behind
    for file in files:  # every entry left is whole: it reads back as what was written
        body = Cache(store.directory, store.key)._read(file.path)
        assert body is not None
        assert store._verified(body, cache._MAGIC) is not None
    cache.prune(store.directory, 20_000)
    assert sum(f.size for f in cache.cache_files(store.directory)) <= 20_000


def test_the_previous_bundles_entries_outlast_older_unused_ones(
    store: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Project A runs warm from the bundle (its entries' files never touched), then project B runs once:
    over the cap, an entry neither run used goes before A's, though A's files are older."""
    a_entry = aged(store, "k", '["v1", "a"]', 1_000_000)
    store.save_bundle()  # A's bundle
    unused = aged(reopened(store), "k", '["v1", "unused"]', 2_000_000)
    b_run = reopened(store)
    assert b_run.get("k", '["v1", "b"]') is None  # a miss: B compiles it and writes it
    b_run.put("k", '["v1", "b"]', {"padding": "b" * 500})
    b_run.save_bundle()
    total = sum(f.size for f in cache.cache_files(store.directory))
    monkeypatch.setenv(cache.MAX_MB_ENV, repr((total - 1) / 1024 / 1024))
    b_run.close()
    assert not unused.exists()
    assert a_entry.exists()
