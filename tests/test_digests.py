"""A file's SHA-256 computed in a thread beside other work on its bytes is the file's SHA-256."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from assay.digests import THREAD_ABOVE, Digest
from assay.evidence import load_evidence_dir


@given(st.binary(max_size=64))
def test_the_digest_of_small_bytes_is_their_sha256_made_at_once(raw: bytes) -> None:
    digest = Digest(raw)
    assert digest._thread is None
    assert digest.hexdigest() == hashlib.sha256(raw).hexdigest()


def test_large_bytes_are_hashed_in_a_thread_while_the_caller_goes_on() -> None:
    raw = bytes(range(256)) * (THREAD_ABOVE // 256 + 7)
    digest = Digest(raw, "test-sha256")
    assert digest._thread is not None  # started: the caller was not kept waiting for it
    assert digest.hexdigest() == hashlib.sha256(raw).hexdigest()
    assert digest.hexdigest() == hashlib.sha256(raw).hexdigest()  # asked again: the same, no thread left
    assert not any(thread.name == "test-sha256" for thread in threading.enumerate())


def test_a_large_evidence_file_loaded_keeps_the_digest_of_its_bytes(tmp_path: Path) -> None:
    # hostile: a large file whose content is not valid JSON still gets its digest, and its problem
    good = b'{"Volumes": [' + b",".join(b'{"VolumeId": "vol-%d"}' % i for i in range(60_000)) + b"]}"
    bad = good[:-1] + b",,"
    assert len(good) >= THREAD_ABOVE
    (tmp_path / "good.json").write_bytes(good)
    (tmp_path / "bad.json").write_bytes(bad)
    store = load_evidence_dir(tmp_path)
    assert store.digests["good.json"] == hashlib.sha256(good).hexdigest()
    assert store.digests["bad.json"] == hashlib.sha256(bad).hexdigest()
    item = store.get("good")
    assert item is not None
    assert item.sha256 == hashlib.sha256(good).hexdigest()
    assert store.get("bad") is None
    assert store.problem("bad") is not None
