"""``assay keygen``: ``--output DIR`` writes the key pair there; ``--out`` still works, with a warning."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

KEY_FILES = ["assay-signing-key.pem", "assay-signing-key.pub"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_output_names_the_folder(cli, tmp_path: Path) -> None:
    result = cli("keygen", "--output", "keys")
    assert result.code == 0, result.err
    assert result.err == (
        "assay keygen: wrote keys/assay-signing-key.pem (private: keep it secret) and "
        "keys/assay-signing-key.pub (give it to auditors)\n"
    )
    assert re.fullmatch(r"\S+\n", result.out)  # the key id
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == KEY_FILES


def test_out_still_works_with_a_warning(cli, tmp_path: Path) -> None:
    result = cli("keygen", "--out", "keys")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == "assay keygen: warning: --out is deprecated; use --output"
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == KEY_FILES


def test_neither_output_nor_key_paths_exits_2(cli, tmp_path: Path) -> None:
    result = cli("keygen")
    assert (result.code, result.err) == (
        2,
        "assay: error: give either --output DIR, or --private FILE and --public FILE\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_prints_the_fingerprint_of_the_public_key_it_wrote(cli, tmp_path: Path) -> None:
    """The fingerprint is the SHA-256 of the 32 raw key bytes: anyone can compute it from the .pub file."""
    from cryptography.hazmat.primitives import serialization

    result = cli("keygen", "--output", "keys")
    public = serialization.load_pem_public_key((tmp_path / "keys" / "assay-signing-key.pub").read_bytes())
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert len(raw) == 32
    assert result.out == f"sha256:{hashlib.sha256(raw).hexdigest()}\n"
