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


def test_xdg_cache_home_is_the_default_on_linux(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSAY_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if not sys.platform.startswith("linux"):
        pytest.skip("XDG is the Linux convention")
    assert cache.cache_directory() == tmp_path / "xdg" / "assay"


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
