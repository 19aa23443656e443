"""``assay explain``: a mapped requirement's wording and parameters (an OSCAL catalog's) under its mapping."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "oscal"
MODERATE = REFERENCE / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"


def project(folder: Path, catalog: str, requirement: str) -> None:
    (folder / "maps").mkdir(parents=True)
    mapping = (
        f"framework: {catalog.removesuffix('.json')}\nmappings:\n  - requirement: {requirement}\n"
        "    controls: [{control: IAM-01, coverage: partial, rationale: MFA is part of it.}]\n"
    )
    (folder / "maps" / "map.yaml").write_text(mapping, encoding="utf-8")
    (folder / "assay.toml").write_text(f'catalogs = ["{catalog}"]\nmappings = ["maps"]\n', encoding="utf-8")


@pytest.mark.skipif(not MODERATE.is_file(), reason=f"NIST's OSCAL reference files are not here ({REFERENCE})")
def test_explain_shows_nists_statement_with_its_parameters_in_place(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copyfile(MODERATE, tmp_path / "nist-800-53-moderate.json")
    project(tmp_path, "nist-800-53-moderate.json", "ac-2")
    monkeypatch.chdir(tmp_path)
    result = cli("explain", "IAM-01")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    start = lines.index(next(line for line in lines if "AC-2 Account Management" in line))
    assert (
        lines[start + 3]
        == "      c. Require [Assignment: prerequisites and criteria] for group and role membership;"
    )
    assert lines[start + 5] == "        1. Authorized users of the system;"
    assert "      Parameters:" in lines
    assert "        ac-02_odp.10: [Assignment: frequency]" in lines
    # Requirements of frameworks without parts (SOC 2 ...) keep their one line.
    soc2 = lines.index(next(line for line in lines if line.startswith("  soc2 ")))
    assert not lines[soc2 + 1].startswith("      ")


def test_explain_shows_a_catalogs_text_safely(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = "Lock \x1b[2J{{ insert: param, t-1_prm }}\u202e"
    control = {
        "id": "t-1",
        "title": "Lockout",
        "params": [{"id": "t-1_prm", "values": ["after 5 tries\x07"]}],
        "parts": [{"name": "statement", "prose": hostile}],
    }
    metadata = {
        "title": "Tiny",
        "last-modified": "2026-01-15T00:00:00Z",
        "version": "1",
        "oscal-version": "1.1.2",
    }
    document = {"catalog": {"uuid": "x", "metadata": metadata, "controls": [control]}}
    (tmp_path / "tiny.json").write_text(json.dumps(document), encoding="utf-8")
    project(tmp_path, "tiny.json", "t-1")
    monkeypatch.chdir(tmp_path)
    result = cli("explain", "IAM-01")
    assert result.code == 0, result.err
    assert "\x1b" not in result.out
    assert "\x07" not in result.out
    assert "\u202e" not in result.out
    assert "      Lock " in result.out
    assert "after 5 tries" in result.out
    assert "        t-1_prm: after 5 tries" in result.out
