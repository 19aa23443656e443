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


REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "oscal"
MODERATE = REFERENCE / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"
NIST_MAPPINGS = """
framework: nist-800-53-moderate
mappings:
  - requirement: ac-2
    controls:
      - {control: IAM-01, coverage: partial, rationale: MFA for console users is part of it.}
  - requirement: sc-28
    controls:
      - {control: CRYPTO-01, coverage: partial, rationale: Encrypted volumes protect information at rest.}
"""


@pytest.mark.skipif(not MODERATE.is_file(), reason=f"NIST's OSCAL reference files are not here ({REFERENCE})")
def test_built_in_controls_mapped_onto_nist_800_53_are_reported_on_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trestle.oscal.assessment_results import AssessmentResults

    monkeypatch.chdir(tmp_path)
    shutil.copyfile(MODERATE, "nist-800-53-moderate.json")
    Path("mappings").mkdir()
    Path("mappings/nist.yaml").write_text(NIST_MAPPINGS, encoding="utf-8")
    Path("assay.toml").write_text('catalogs = ["nist-800-53-moderate.json"]\nmappings = ["mappings"]\n')
    result = cli("check", "--framework", "nist-800-53-moderate", "--output", "results.oscal.json")
    assert result.code in (0, 1), result.err
    document = json.loads(Path("results.oscal.json").read_text(encoding="utf-8"))["assessment-results"]
    AssessmentResults.model_validate(document)
    findings = {f["target"]["target-id"]: f for f in document["results"][0]["findings"]}
    assert len(findings) == 287
    assert findings["ac-2"]["title"].endswith("ac-2: AC-2 Account Management")
    assert findings["ac-2"]["related-observations"]
    assert findings["ac-2.1"]["target"]["status"]["state"] == "not-satisfied"
    # The component definition of the same project names the OSCAL ids, and NIST's models accept it.
    from trestle.oscal.component import ComponentDefinition

    exported = cli("export", "component-definition", "--framework", "nist-800-53-moderate")
    assert exported.code == 0, exported.err
    definition = json.loads(exported.out)["component-definition"]
    ComponentDefinition.model_validate(definition)
    (implementation,) = definition["components"][0]["control-implementations"]
    assert [r["control-id"] for r in implementation["implemented-requirements"]] == ["ac-2", "sc-28"]
