"""``assay keygen``: ``--output DIR`` writes the key pair there; ``--out`` still works, with a warning."""

from __future__ import annotations

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
