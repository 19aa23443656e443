"""The worked example, examples/acme: a company's own project, run the way its CI would run it.

Acme Ledger keeps three built-in controls and adds ten of its own, maps them onto SOC 2 and ISO 27001,
and ships evidence that gives every control status: pass, fail, waived, and not_assessed (one stale
attestation, one missing export). Each test works on a copy of the example, as a customer's checkout.
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

import assay.pytest_plugin  # noqa: F401 - imported before pytester snapshots sys.modules
from assay.project import ENVIRONMENT, PROJECT_VARIABLE
from tests.conftest import TESTS

pytest_plugins = ["pytester"]

EXAMPLE = TESTS.parent / "examples" / "acme"
BUILTIN = {"CRYPTO-01": "pass", "IAM-01": "fail", "LOG-01": "pass"}
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
REQUIREMENTS = {
    # a built-in mapping: CRYPTO-01 passes, IAM-01 fails
    ("soc2", "CC6.1"): "not_met",
    # ACME-06 is waived: an exception the report names, never a plain "met"
    ("soc2", "CC7.1"): "met_with_exceptions",
    # inherited from AWS in scope.yaml
    ("soc2", "CC6.4"): "out_of_scope",
    # the built-in CRYPTO-01 and Acme's own ACME-01, both passing
    ("iso27001", "A.8.24"): "met",
    # ACME-10's evidence is missing
    ("iso27001", "A.8.10"): "not_assessed",
    # not applicable in scope.yaml
    ("iso27001", "A.8.30"): "out_of_scope",
}
EMBEDDED_CASES = 2 * len(OWN) + 2 + 3 + 3  # two per Acme control; CRYPTO-01 has 2, IAM-01 and LOG-01 3


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
    assert data["summary"] == {"pass": 7, "fail": 3, "error": 0, "not_assessed": 2, "waived": 1}
    assert sorted(f["key"] for f in data["frameworks"]) == ["iso27001", "soc2"]
    requirements = {(f["key"], r["id"]): r["status"] for f in data["frameworks"] for r in f["requirements"]}
    assert {key: requirements[key] for key in REQUIREMENTS} == REQUIREMENTS
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


def test_the_readme_shows_the_real_summary(cli, acme: Path) -> None:
    result = cli("check")
    assert result.code == 1
    summary = "Controls: 13 · 7 pass · 3 fail · 0 error · 2 not_assessed · 1 waived"
    assert summary in result.out
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
    assert "13 evidence files" in packed.err
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
    assert packed_controls == {
        "controls/cryptography.yaml",
        "controls/identity-access.yaml",
        "controls/logging-monitoring.yaml",
        "controls/access.yaml",  # Acme's own files
        "controls/operations.yaml",
        "controls/platform.yaml",
    }


def test_the_trust_page_publishes_only_what_passes(cli, acme: Path) -> None:
    claims = {c["control"]: c["claim"] for c in report(cli)["controls"]}
    result = cli("trust-page", "--output", "site")
    assert result.code == 0, result.err
    assert "7 claim(s) published, 6 withheld" in result.err
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
