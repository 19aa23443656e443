"""Blobs of the on-disk cache: bytes in a file of their own, authenticated and checked like an entry."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assay import cache
from assay.cache import Cache, open_cache

MATERIAL = '["v1", "a catalog\'s programs"]'
DATA = bytes(range(256)) * 3 + b"\n\x00 not ascii, newlines and all\n"


@pytest.fixture
def store(tmp_path: Path) -> Cache:
    opened = open_cache(tmp_path / "cache")
    assert opened is not None
    return opened


def reopened(store: Cache) -> Cache:
    """The same directory and key as a new process would see them."""
    return Cache(store.directory, store.key)


def blob_file(store: Cache, kind: str = "b", material: str = MATERIAL) -> Path:
    return Path(store._path(kind, material))


def test_a_blob_comes_back_byte_for_byte_from_a_private_file(store: Cache) -> None:
    store.put_blob("b", MATERIAL, DATA)
    found = reopened(store).get_blob("b", MATERIAL)
    assert found is not None
    assert bytes(found) == DATA
    assert os.stat(blob_file(store)).st_mode & 0o777 == 0o600


def test_a_flipped_byte_anywhere_in_a_blob_is_a_miss(store: Cache) -> None:
    store.put_blob("b", MATERIAL, DATA)
    original = blob_file(store).read_bytes()
    for index in range(0, len(original), 5):
        hostile = bytearray(original)
        hostile[index] ^= 0x01
        blob_file(store).write_bytes(bytes(hostile))
        assert reopened(store).get_blob("b", MATERIAL) is None, index


def test_a_truncated_blob_is_a_miss(store: Cache) -> None:
    store.put_blob("b", MATERIAL, DATA)
    original = blob_file(store).read_bytes()
    for length in (0, 5, 20, len(original) // 2, len(original) - 1):
        blob_file(store).write_bytes(original[:length])
        assert reopened(store).get_blob("b", MATERIAL) is None, length


def test_a_blob_moved_over_another_material_or_kind_is_a_miss(store: Cache) -> None:
    other = '["v1", "another catalog"]'
    store.put_blob("b", MATERIAL, DATA)
    store.put_blob("b", other, b"other")
    blob_file(store, material=other).write_bytes(blob_file(store).read_bytes())
    assert reopened(store).get_blob("b", other) is None
    blob_file(store, "c").parent.mkdir(mode=0o700)
    blob_file(store, "c").write_bytes(blob_file(store).read_bytes())
    assert reopened(store).get_blob("c", MATERIAL) is None
    found = reopened(store).get_blob("b", MATERIAL)
    assert found is not None
    assert bytes(found) == DATA


def test_an_entry_is_not_a_blob_nor_a_blob_an_entry(store: Cache) -> None:
    """The two layouts have their own magic: neither is read as the other under the same name."""
    store.put("b", MATERIAL, {"answer": 1})
    assert reopened(store).get_blob("b", MATERIAL) is None
    store.put_blob("b", MATERIAL, json.dumps({"kind": "b", "material": MATERIAL, "payload": 1}).encode())
    assert reopened(store).get("b", MATERIAL) is None


def test_a_blob_signed_with_another_key_is_a_miss(store: Cache, tmp_path: Path) -> None:
    store.put_blob("b", MATERIAL, DATA)
    other = Cache(store.directory, b"k" * cache.KEY_BYTES)
    assert other.get_blob("b", MATERIAL) is None


def test_a_blob_is_never_in_the_bundle_and_is_kept_when_pruning(
    store: Cache, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put("k", MATERIAL, {"padding": "x" * 3000})
    store.put_blob("b", MATERIAL, DATA * 20)
    store.save_bundle()
    bundle = (store.directory / cache.BUNDLE_FILE).read_bytes()
    assert store._name("b", MATERIAL).encode() not in bundle
    assert store._name("k", MATERIAL).encode() in bundle
    warm = reopened(store)
    assert warm.get_blob("b", MATERIAL) is not None
    os.utime(blob_file(store), (1, 1))  # the oldest file of the folder, but used by this run
    # Room for the blob and the bundle: the entries go, though the blob is older than all of them.
    monkeypatch.setenv(cache.MAX_MB_ENV, str((len(DATA) * 20 + 4500) / 1024 / 1024))
    warm.put("j", MATERIAL, {"padding": "y" * 3000})  # this run wrote: it prunes at exit
    warm.close()
    assert blob_file(store).is_file()
    assert not Path(store._path("k", MATERIAL)).exists()
    assert not Path(store._path("j", MATERIAL)).exists()  # the bundle holds it
