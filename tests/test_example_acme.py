"""The worked example, examples/acme: a company's own project, run the way its CI would run it.

Acme Ledger keeps four built-in controls and adds ten of its own, maps them onto SOC 2 and ISO 27001,
and ships evidence that gives every control status but error: pass, fail, waived, and not_assessed
(one stale attestation, one missing export). Its requirements show the verdicts of issue #13: every
Acme mapping covers only part of its requirement, so passing controls give partially_met, never met;
failing ones not_met; CC6.4 is inherited from AWS and out of scope only while VENDOR-01 proves AWS's
reports were reviewed. Each test works on a copy of the example, as a customer's checkout.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

import assay.pytest_plugin  # noqa: F401 - imported before pytester snapshots sys.modules
from assay.project import ENVIRONMENT, PROJECT_VARIABLE
from tests.conftest import TESTS

pytest_plugins = ["pytester"]

EXAMPLE = TESTS.parent / "examples" / "acme"
BUILTIN = {"CRYPTO-01": "pass", "IAM-01": "fail", "LOG-01": "pass", "VENDOR-01": "pass"}
OWN = {
    "ACME-01": "pass",
    "ACME-02": "pass",
    "ACME-03": "fail",
    "ACME-04": "pass",
    "ACME-05": "fail",
    "ACME-06": "waived",
    "ACME-07": "pass",
    "ACME-08": "not_assessed",
    "ACME-09": "pass",
    "ACME-10": "not_assessed",
}
STATUSES = {**BUILTIN, **OWN}
# (status, coverage): coverage is how much of the requirement the passing (or waived) controls cover.
REQUIREMENTS = {
    # IAM-01 fails; the passing CRYPTO-01 covers only part (encrypted volumes)
    ("soc2", "CC6.1"): ("not_met", "partial"),
    # ACME-05 fails: a control that only supports a requirement still drags it down (LOG-01 passes)
    ("soc2", "CC7.2"): ("not_met", "partial"),
    # ACME-05 fails and LOG-01 only supports: nothing covers any part of it
    ("iso27001", "A.5.33"): ("not_met", "none"),
    # ACME-02 passes, but covers one role of one system (Okta super admin), not least privilege overall
    ("soc2", "CC6.3"): ("partially_met", "partial"),
    # ACME-07 passes, but reviews only ledger code, not infrastructure or emergency changes
    ("soc2", "CC8.1"): ("partially_met", "partial"),
    # ACME-04 (database backups) and the built-in VENDOR-01 both pass, each partial, with no `together`
    ("soc2", "A1.2"): ("partially_met", "partial"),
    # VENDOR-01's built-in mapping comes with it: supplier risk is only partly covered
    ("soc2", "CC9.2"): ("partially_met", "partial"),
    # only the supporting LOG-01 is mapped: it passes, and covers no part of the criterion
    ("soc2", "CC2.1"): ("partially_met", "none"),
    # ACME-06 is waived, but covers only critical findings in production images: no met_with_exceptions
    ("soc2", "CC7.1"): ("partially_met", "partial"),
    ("iso27001", "A.8.8"): ("partially_met", "partial"),
    # CRYPTO-01 and ACME-01 both pass, each partial: no rules for cryptography, no key management
    ("iso27001", "A.8.24"): ("partially_met", "partial"),
    # a heading rolls up from its only criterion, CC8.1
    ("soc2", "CC8"): ("partially_met", None),
    # inherited from AWS in scope.yaml, proven by the passing VENDOR-01
    ("soc2", "CC6.4"): ("out_of_scope", None),
    # ACME-10's evidence is missing
    ("iso27001", "A.8.10"): ("not_assessed", "none"),
    ("soc2", "C1.2"): ("not_assessed", "none"),
    # not applicable in scope.yaml
    ("iso27001", "A.8.30"): ("out_of_scope", None),
}
# Two per Acme control; CRYPTO-01 has 2, IAM-01, LOG-01 and VENDOR-01 have 3.
EMBEDDED_CASES = 2 * len(OWN) + 2 + 3 + 3 + 3


@pytest.fixture(autouse=True)
def _no_assay_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The example's assay.toml decides everything: no ASSAY_* variable of the caller's shell."""
    for variable in (*ENVIRONMENT.values(), PROJECT_VARIABLE):
        monkeypatch.delenv(variable, raising=False)


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/acme, as the working directory."""
    project = tmp_path / "acme"
    shutil.copytree(EXAMPLE, project)
    monkeypatch.chdir(project)
    return project


def report(cli) -> dict:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "json")
    assert result.code == 1, result.err
    return json.loads(result.out)  # type: ignore[no-any-return]


def requirements_of(data: dict) -> dict[tuple[str, str], dict]:
    return {(f["key"], r["id"]): r for f in data["frameworks"] for r in f["requirements"]}


def test_lint_is_clean(cli, acme: Path) -> None:
    result = cli("lint")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_every_embedded_test_case_passes(cli, acme: Path) -> None:
    result = cli("test")
    assert result.code == 0, result.out + result.err
    assert f"{EMBEDDED_CASES} passed, 0 failed" in result.out


def test_check_gives_every_status(cli, acme: Path) -> None:
    data = report(cli)
    assert {c["control"]: c["status"] for c in data["controls"]} == STATUSES
    assert data["summary"] == {"pass": 8, "fail": 3, "error": 0, "not_assessed": 2, "waived": 1}
    assert sorted(f["key"] for f in data["frameworks"]) == ["iso27001", "soc2"]
    requirements = requirements_of(data)
    verdicts = {key: (requirements[key]["status"], requirements[key]["coverage"]) for key in REQUIREMENTS}
    assert verdicts == REQUIREMENTS
    # Every Acme control covers only part of its requirements: nothing is met, with or without exceptions.
    for framework in data["frameworks"]:
        assert framework["counts"]["met"] == framework["counts"]["met_with_exceptions"] == 0, framework["key"]
    assert data["unused_evidence"] == []
    assert data["problems"] == []


def test_check_explains_the_waiver_and_what_is_not_assessed(cli, acme: Path) -> None:
    controls = {c["control"]: c for c in report(cli)["controls"]}
    waived = controls["ACME-06"]
    assert waived["waiver"]["ticket"] == "SEC-231"
    assert [f["resource"] for f in waived["findings"]] == ["ledger-batch:2026.10.02"]
    assert "older than the 183d" in controls["ACME-08"]["reason"]
    assert "ledger.erasure_runs is missing" in controls["ACME-10"]["reason"]
    assert [f["resource"] for f in controls["IAM-01"]["findings"]] == ["kofi.mensah@acme-ledger.example"]


def test_check_says_why_a_requirement_is_only_partially_met(cli, acme: Path) -> None:
    requirements = requirements_of(report(cli))
    reasons = {
        "partial": "the controls that pass (or are waived) cover only part of it",
        "none": "only supporting controls are mapped to it",
    }
    for key, (status, coverage) in REQUIREMENTS.items():
        if status == "partially_met" and coverage is not None:  # a heading has no reason of its own
            assert requirements[key]["reason"] == reasons[coverage], key
    a824 = requirements[("iso27001", "A.8.24")]
    assert {(c["control"], c["coverage"], c["status"]) for c in a824["controls"]} == {
        ("CRYPTO-01", "partial", "pass"),
        ("ACME-01", "partial", "pass"),
    }
    assert a824["together"] is None
    cc71 = requirements[("soc2", "CC7.1")]
    assert [(c["control"], c["waiver"]["ticket"]) for c in cc71["controls"]] == [("ACME-06", "SEC-231")]
    # A mapping's rationale says what the control covers, never the migrated placeholder.
    rationales = [c["rationale"] for r in requirements.values() for c in r["controls"]]
    assert "The control checks exactly what the requirement asks." not in rationales


def test_the_inherited_requirement_names_its_proof_and_complementary_controls(cli, acme: Path) -> None:
    cc64 = requirements_of(report(cli))[("soc2", "CC6.4")]
    assert cc64["reason"] == (
        "inherited from AWS, proven by VENDOR-01; complementary control IAM-01 did not pass"
    )
    scope = cc64["scope"]
    assert (scope["applicability"], scope["provider"], scope["proven_by"], scope["proof_status"]) == (
        "inherited",
        "AWS",
        "VENDOR-01",
        "pass",
    )
    assert [(c["control"], c["status"]) for c in scope["complementary_controls"]] == [
        ("IAM-01", "fail"),
        ("CRYPTO-01", "pass"),
    ]


def test_without_a_reviewed_aws_report_cc6_4_is_not_assessed(cli, acme: Path) -> None:
    review = acme / "evidence" / "attestations" / "cloud_provider_assurance.yaml"
    text = review.read_text(encoding="utf-8")
    assert "cuecs_reviewed: true" in text
    review.write_text(text.replace("cuecs_reviewed: true", "cuecs_reviewed: false"), encoding="utf-8")
    data = report(cli)
    assert {c["control"]: c["status"] for c in data["controls"]}["VENDOR-01"] == "fail"
    cc64 = requirements_of(data)[("soc2", "CC6.4")]
    assert cc64["status"] == "not_assessed"
    assert "VENDOR-01 (which proves AWS's assurance report was reviewed) is fail" in cc64["reason"]


def test_the_tabletop_record_is_checked_as_an_attestation(cli, acme: Path) -> None:
    kinds = {
        item["name"]: item.get("kind")
        for path in sorted((acme / "controls").glob("*.yaml"))
        for control in yaml.safe_load(path.read_text(encoding="utf-8"))["controls"]
        for item in control["evidence"]
    }
    assert all(kind in ("system", "attestation") for kind in kinds.values()), kinds  # stated, not defaulted
    attestations = sorted(name for name, kind in kinds.items() if kind == "attestation")
    assert attestations == ["attestations.ir_tabletop"]  # the training CSV is the platform's own report
    tabletop = acme / "evidence" / "attestations" / "ir_tabletop.yaml"
    text = tabletop.read_text(encoding="utf-8")
    tabletop.write_text(text.replace("attested_at:", "signed_on:"), encoding="utf-8")
    result = cli("check")
    assert result.code == 2
    assert "evidence/attestations/ir_tabletop.yaml:" in result.err
    assert "attested_at" in result.err


def test_the_readme_shows_the_real_summary(cli, acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # the width the README shows; a narrower one wraps the lines
    result = cli("check")
    assert result.code == 1
    summary = result.out.split("\n\nFailing controls", 1)[0].split("\n\n", 1)[1]
    assert summary.startswith("Controls: 14 · 8 pass · 3 fail · 0 error · 2 not_assessed · 1 waived\n")
    assert "0 met · 8 partially_met" in summary
    assert summary in (EXAMPLE / "README.md").read_text(encoding="utf-8")


def test_the_main_readme_shows_the_real_config() -> None:
    readme = (TESTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A company's own project\n", 1)[1].split("\n## ", 1)[0]
    (shown,) = re.findall(r"```toml\n(.*?)```", section, flags=re.DOTALL)
    actual = (EXAMPLE / "assay.toml").read_text(encoding="utf-8")
    assert tomllib.loads(shown) == tomllib.loads(actual)


def test_a_signed_pack_verifies(cli, acme: Path) -> None:
    assert cli("keygen", "--output", "keys").code == 0
    packed = cli("pack", "--output", "pack.zip", "--sign-key", "keys/assay-signing-key.pem")
    assert packed.code == 0, packed.err
    assert "14 evidence files" in packed.err
    verified = cli("verify", "pack.zip", "--public-key", "keys/assay-signing-key.pub")
    assert verified.code == 0, verified.out + verified.err
    assert "signature: valid" in verified.out
    with zipfile.ZipFile(acme / "pack.zip") as archive:
        names = set(archive.namelist())
    assert {
        "manifest.json",
        "manifest.sig",
        "sources/controls/platform.yaml",
        "sources/waivers.yaml",
        "sources/parameters.yaml",  # the values that decide ACME-02 and ACME-07
    } <= names
    assert "evidence/hr/security_training.csv" in names
    with zipfile.ZipFile(acme / "pack.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["inputs"]["parameters"] == "parameters.yaml"
    # Of the built-in controls, only the files holding the three it keeps, with their schemas.
    packed_controls = {s["path"] for s in manifest["sources"] if s["kind"] == "controls"}
    assert "sources/controls/network.yaml" not in names
    assert "sources/controls/evidence-schemas/aws.ec2.volumes.schema.json" in names  # CRYPTO-01 reads it
    assert "sources/controls/evidence-schemas/aws.ec2.security_groups.schema.json" not in names
    assert "sources/controls/evidence-schemas/attestations.cloud_provider_assurance.schema.json" in names
    assert packed_controls == {
        "controls/cryptography.yaml",
        "controls/identity-access.yaml",
        "controls/logging-monitoring.yaml",
        "controls/vendor-cloud.yaml",
        "controls/access.yaml",  # Acme's own files
        "controls/operations.yaml",
        "controls/platform.yaml",
    }


def test_the_trust_page_publishes_only_what_passes(cli, acme: Path) -> None:
    claims = {c["control"]: c["claim"] for c in report(cli)["controls"]}
    result = cli("trust-page", "--output", "site")
    assert result.code == 0, result.err
    assert "8 claim(s) published, 6 withheld" in result.err
    page = html.unescape((acme / "site" / "index.html").read_text(encoding="utf-8"))
    for control, status in STATUSES.items():
        assert (claims[control] in page) is (status == "pass"), control
    # show_percentages = false: the frameworks are named, with no counts or shares
    assert "assessed with every run" in page
    assert "requirements in scope met" not in page
    assert not re.search(r"\(\d+%\)", page)
    security_txt = (acme / "site" / ".well-known" / "security.txt").read_text(encoding="utf-8")
    assert "Expires: 2027-04-30T00:00:00Z" in security_txt


def test_the_pytest_plugin_gives_the_same_statuses(pytester: pytest.Pytester) -> None:
    shutil.copytree(EXAMPLE, pytester.path, dirs_exist_ok=True)
    result = pytester.runpytest("-rfs")
    passed = sum(status == "pass" for status in STATUSES.values())
    failed = sum(status == "fail" for status in STATUSES.values())
    result.assert_outcomes(
        passed=passed + EMBEDDED_CASES, failed=failed, skipped=len(STATUSES) - passed - failed
    )
    result.stdout.fnmatch_lines_random(
        [
            "FAILED controls/access.yaml::ACME-03 - *",
            "FAILED controls/platform.yaml::ACME-05 - *",
            "FAILED *identity-access.yaml::IAM-01 - *",
            "SKIPPED [[]1] controls/platform.yaml:*: waived by SEC-231 for ledger-batch:2026.10.02, *",
            "SKIPPED [[]1] controls/operations.yaml:*: not_assessed: evidence attestations.ir_tabletop *",
            "SKIPPED [[]1] controls/operations.yaml:*: not_assessed: evidence ledger.erasure_runs is missing",
        ]
    )
