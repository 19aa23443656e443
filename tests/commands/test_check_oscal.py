"""``assay check --format oscal``: the assessment results written through the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ACME = Path(__file__).resolve().parents[1] / "fixtures" / "acme"
ARGS = [
    "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
    "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", "2026-11-25T12:00:00Z",
]  # fmt: skip


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(ACME, copy)
    monkeypatch.chdir(copy)
    return copy


def test_the_oscal_extension_chooses_the_format_and_two_runs_write_the_same_bytes(cli, acme: Path) -> None:
    first = cli("check", *ARGS, "--output", "first.oscal.json")
    second = cli("check", *ARGS, "--output", "second.oscal.json")
    assert first.code == second.code == 1  # a control fails
    assert "wrote oscal report to first.oscal.json" in first.err
    data = (acme / "first.oscal.json").read_bytes()
    assert data == (acme / "second.oscal.json").read_bytes()
    results = json.loads(data)["assessment-results"]
    assert results["results"][0]["start"] == "2026-11-25T12:00:00+00:00"
    hashes = {
        p["value"]
        for o in results["results"][0]["observations"]
        for e in o.get("relevant-evidence", [])
        for p in e.get("props", [])
        if p["name"] == "sha256"
    }
    assert hashes  # the evidence the run read, by hash
    for digest in hashes:
        assert len(digest) == 64


def test_format_oscal_on_stdout(cli, acme: Path) -> None:
    result = cli("check", *ARGS, "--format", "oscal")
    assert json.loads(result.out)["assessment-results"]["metadata"]["oscal-version"] == "1.1.2"
