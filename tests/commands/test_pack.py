"""``assay pack``: ``--output`` names the archive; ``--out`` still works, with a warning."""

from __future__ import annotations

import zipfile
from pathlib import Path


def members(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_output_names_the_pack(cli, project: Path) -> None:
    result = cli("pack", "--output", "pack.zip")
    assert result.code == 0, result.err
    assert result.err.startswith("assay pack: wrote pack.zip: ")
    assert "evidence/aws/ec2/volumes.json" in members(project / "pack.zip")


def test_out_still_works_with_a_warning(cli, project: Path) -> None:
    result = cli("pack", "--out", "pack.zip")
    assert result.code == 0, result.err
    first, second = result.err.splitlines()
    assert first == "assay pack: warning: --out is deprecated; use --output"
    assert second.startswith("assay pack: wrote pack.zip: ")
    assert "evidence/aws/ec2/volumes.json" in members(project / "pack.zip")


def test_output_is_required(cli, project: Path) -> None:
    result = cli("pack")
    assert (result.code, result.err) == (
        2,
        "assay pack: error: the following arguments are required: --output\n",
    )
