"""The pytest plugin, driven through pytester on copies of tests/fixtures/acme.

Issue 5, point by point: enabling (entry point, --assay, [tool.assay]), control items and their
statuses, selection (-m, -k), embedded test cases, Python checks, --assay-report, pytest-xdist and
--junitxml, and collection errors that are diagnostics, not tracebacks.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import assay.pytest_plugin  # noqa: F401 - imported before pytester snapshots sys.modules
from assay.cli import main
from tests.conftest import MINIMAL_MAPPING, TESTS, mapped_controls

pytest_plugins = ["pytester"]

ACME = TESTS / "fixtures" / "acme"
CONTROLS = "controls/controls.yaml"
SETTINGS = """
[tool.pytest.ini_options]
filterwarnings = ["error"]

[tool.assay]
controls = "controls"
mappings = "mappings"
evidence = "evidence"
waivers = "waivers.yaml"
scope = "scope.yaml"
now = 2026-11-25T00:00:00Z
"""
PYTHON_CONTROLS = """
  - id: ACME-01
    title: No EBS volume is public
    claim: Disks are never shared outside the account.
    description: Checked in Python, from the volume list.
    severity: low
    domain: cryptography
    check: python
    evidence:
      - name: aws.ec2.volumes
    remediation: Unshare the volume.

  - id: ACME-02
    title: Load balancers use TLS 1.2
    claim: Traffic is encrypted in transit.
    description: Checked in Python, from the listener list.
    severity: medium
    domain: network
    check: python
    evidence:
      - name: aws.elbv2.listeners
    remediation: Use a TLS 1.2 policy.
"""
PYTHON_CHECKS = """
import pytest

from assay.pytest_plugin import check


@check("ACME-01")
def test_no_volume_is_public(assay_evidence, assay_catalog, assay_now):
    volumes = assay_evidence.get("aws.ec2.volumes").data["Volumes"]
    assert assay_catalog.control("ACME-01").check == "python"
    assert assay_now.isoformat() == "2026-11-25T00:00:00+00:00"
    public = [v["VolumeId"] for v in volumes if v["VolumeId"] != "vol-001"]
    assert public == [], f"volumes shared publicly: {', '.join(public)}"


@pytest.mark.assay_control("ACME-01")
def test_volumes_are_listed(assay_evidence):
    assert assay_evidence.get("aws.ec2.volumes").data["Volumes"]


@pytest.mark.assay_control("ACME-02")
def test_listeners_use_tls12(assay_evidence):
    raise AssertionError("never runs: the evidence is missing")


@pytest.mark.assay_control("NOPE-01")
def test_unknown_control():
    pass


@pytest.mark.assay_control("NET-01")
def test_cel_control():
    pass


def test_plain():
    pass
"""


@pytest.fixture
def acme(pytester: pytest.Pytester) -> pytest.Pytester:
    """The acme fixture catalog and evidence, enabled by [tool.assay] in pyproject.toml."""
    shutil.copytree(ACME, pytester.path, dirs_exist_ok=True)
    (pytester.path / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    return pytester


def add_python_checks(pytester: pytest.Pytester) -> None:
    controls = pytester.path / CONTROLS
    controls.write_text(controls.read_text(encoding="utf-8") + PYTHON_CONTROLS, encoding="utf-8")
    soc2 = pytester.path / "mappings" / "soc2.yaml"
    text = (
        soc2.read_text(encoding="utf-8")
        + f"  - requirement: CC6.7\n    controls: [{mapped_controls(['ACME-01', 'ACME-02'])}]\n"
    )
    soc2.write_text(text, encoding="utf-8")
    pytester.makepyfile(test_checks=PYTHON_CHECKS)


def lit(pattern: str) -> str:
    """An fnmatch pattern in which square brackets are literal."""
    return pattern.replace("[", "[[]")


def collected(pytester: pytest.Pytester, *args: str) -> list[str]:
    result = pytester.runpytest("--collect-only", "-q", *args)
    return [line for line in result.outlines if "::" in line]


def yaml_line(pytester: pytest.Pytester, text: str, file: str = CONTROLS) -> int:
    lines = (pytester.path / file).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if text in line)


# --- 1. enabling -----------------------------------------------------------------------------------


def test_the_pytest11_entry_point_is_the_light_module() -> None:
    (plugin,) = [ep for ep in entry_points(group="pytest11") if ep.name == "assay"]
    assert plugin.value == "_assay_pytestplugin"


def test_the_entry_point_imports_neither_assay_nor_its_dependencies() -> None:
    script = (
        "import sys, _assay_pytestplugin\n"
        "heavy = {'assay', 'pydantic', 'celpy', 'lark', 'jsonschema', 'yaml', 'rich'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out == "[]\n"


def test_a_run_without_assay_enabled_never_imports_assay(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_assay_is_not_imported():
            assert not [m for m in sys.modules if m == "assay" or m.startswith("assay.")]
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)


def test_markers_are_registered_even_when_disabled(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.assay_control("ACME-01")
        @pytest.mark.soc2
        @pytest.mark.severity_high
        def test_check(request):
            request.getfixturevalue("assay_evidence")
        """
    )
    result = pytester.runpytest("--strict-markers", "-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        [lit("*assay is not enabled: run pytest --assay, or add a [tool.assay] table*")]
    )


def test_enabled_by_the_pyproject_table(acme: pytest.Pytester) -> None:
    assert collected(acme) == [
        f"{CONTROLS}::CRYPTO-01",
        f"{CONTROLS}::CRYPTO-02",
        f"{CONTROLS}::NET-01",
        f"{CONTROLS}::GOV-01",
        f"{CONTROLS}::LOG-01",
        f"{CONTROLS}::IAM-01",
    ]


def test_enabled_by_the_flag_with_the_builtin_catalog(pytester: pytest.Pytester) -> None:
    assert collected(pytester) == []
    ids = collected(pytester, "--assay")
    assert any(i.endswith("cryptography.yaml::CRYPTO-01") for i in ids)
    assert any(i.startswith("cryptography.yaml::CRYPTO-01[") for i in ids)  # its embedded test cases


def test_paths_named_on_the_command_line_are_all_that_is_collected(acme: pytest.Pytester) -> None:
    acme.makepyfile(test_one="def test_one(): pass")
    assert collected(acme, "test_one.py") == ["test_one.py::test_one"]
    assert len(collected(acme, "test_one.py", "controls")) == 7


def test_a_bad_table_is_a_usage_error_naming_the_file(acme: pytest.Pytester) -> None:
    (acme.path / "pyproject.toml").write_text('[tool.assay]\ncontrol = "controls"\n', encoding="utf-8")
    result = acme.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            lit(
                "ERROR: assay: pyproject.toml:2:1: error: [tool.assay] > control: "
                "unknown key 'control'; did you mean 'controls'?"
            )
        ]
    )


# --- 2. a control is an item; its status decides the outcome ---------------------------------------


def test_statuses_become_outcomes(acme: pytest.Pytester) -> None:
    result = acme.runpytest("-rs")
    # CRYPTO-02 passes; CRYPTO-01 fails; IAM-01 errors; NET-01 waived; GOV-01 and LOG-01 not assessed
    result.assert_outcomes(passed=1, failed=2, skipped=3)
    result.stdout.fnmatch_lines(
        [
            "*_ control CRYPTO-01: EBS volumes are encrypted _*",
            "CRYPTO-01 EBS volumes are encrypted: fail",
            "  severity: high",
            "  claim: Data on server disks is encrypted at rest.",
            "  rule volume-encrypted:",
            "    vol-002: EBS volume vol-002 is not encrypted",
            "    vol-003: EBS volume vol-003 is not encrypted",
            "  evidence:",
            "    aws.ec2.volumes  evidence/aws/ec2/volumes.json  collected 2026-11-20T06:00:00+00:00  *",
            "  remediation: Enable encryption by default and replace unencrypted volumes.",
            "*_ control IAM-01: Console users have MFA _*",
            "IAM-01 Console users have MFA: error",
            "  errors:",
            f"    {CONTROLS}:90:17: rule mfa: resource alice: *",
        ]
    )
    net, gov, log = (yaml_line(acme, f"- id: {c}") for c in ("NET-01", "GOV-01", "LOG-01"))
    result.stdout.fnmatch_lines(
        [
            f"SKIPPED [1] {CONTROLS}:{net}: waived by SEC-7 for sg-0bastion, approved by Dana Whitfield, "
            "expires 2026-12-10: Bastion host, SSH restricted by key and replaced by SSM in January.",
            f"SKIPPED [1] {CONTROLS}:{gov}: not_assessed: evidence attestations.security_audit is from "
            "2026-07-02T10:00:00+00:00, older than the 100d the control allows",
            f"SKIPPED [1] {CONTROLS}:{log}: not_assessed: evidence aws.cloudtrail.trails is missing",
        ]
    )
    assert "Traceback" not in result.stdout.str()
    assert "pytest_plugin.py" not in result.stdout.str()


def test_strict_fails_what_could_not_be_assessed(acme: pytest.Pytester) -> None:
    result = acme.runpytest("--assay-strict", "-k", "GOV or LOG or NET")
    result.assert_outcomes(failed=2, skipped=1)  # the waived NET-01 is still skipped
    result.stdout.fnmatch_lines(
        [
            "GOV-01 Quarterly security audit is current: not_assessed (failing under --assay-strict)",
            "  reason: evidence attestations.security_audit is from 2026-07-02T10:00:00+00:00, older than*",
        ]
    )


def test_reportinfo_points_at_the_control_in_the_yaml(acme: pytest.Pytester) -> None:
    items, _ = acme.inline_genitems()
    crypto = items[0]
    assert crypto.nodeid == f"{CONTROLS}::CRYPTO-01"
    assert crypto.location == (
        CONTROLS,
        yaml_line(acme, "- id: CRYPTO-01") - 1,
        "control CRYPTO-01: EBS volumes are encrypted",
    )


def test_an_expired_waiver_is_mentioned(acme: pytest.Pytester) -> None:
    (acme.path / "evidence/aws/ec2/ebs_encryption_by_default.json").write_text(
        '{"EbsEncryptionByDefault": false}', encoding="utf-8"
    )
    result = acme.runpytest("-k", "CRYPTO-02")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["  expired waiver: SEC-3 (expired 2026-01-31)"])


# --- 3. selection ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "controls"),
    [
        (("-m", "iso27001"), ["CRYPTO-01", "CRYPTO-02", "NET-01"]),
        (
            ("-m", "soc2"),
            [
                "CRYPTO-01",
                "CRYPTO-02",
                "NET-01",
                "GOV-01",
                "LOG-01",
                "IAM-01",
                "test_no_volume_is_public",
                "test_volumes_are_listed",
                "test_listeners_use_tls12",
            ],
        ),
        (("-k", "CC6.1"), ["CRYPTO-01", "CRYPTO-02", "IAM-01"]),
        (("-k", "A.8.24"), ["CRYPTO-01", "CRYPTO-02"]),
        (("-k", "CRYPTO"), ["CRYPTO-01", "CRYPTO-02"]),
        (("-k", "ACME-02"), ["test_listeners_use_tls12"]),
        (("-m", "severity_critical"), ["NET-01"]),
        (("-m", "severity_low and soc2"), ["test_no_volume_is_public", "test_volumes_are_listed"]),
        (("-m", "pci-dss"), []),
        (("-m", "not assay"), ["test_plain"]),
    ],
)
def test_selection(acme: pytest.Pytester, args: tuple[str, ...], controls: list[str]) -> None:
    add_python_checks(acme)
    ids = collected(acme, "--strict-markers", *args, "controls", "test_checks.py")
    assert [i.rsplit("::", 1)[1] for i in ids] == controls


# --- 4. embedded test cases ------------------------------------------------------------------------

CASES = """
controls:
  - id: CRYPTO-01
    title: EBS volumes are encrypted
    claim: Data on disks is encrypted.
    description: Every EBS volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: volume-encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt them.
    tests:
      - name: all encrypted
        evidence:
          aws.ec2.volumes: {Volumes: [{VolumeId: vol-1, Encrypted: true}]}
        expect: pass
      - name: wrong expectation
        evidence:
          aws.ec2.volumes: {Volumes: [{VolumeId: vol-1, Encrypted: false}]}
        expect: pass
"""


def test_embedded_test_cases_are_items_and_need_no_evidence(pytester: pytest.Pytester) -> None:
    (pytester.path / "controls").mkdir()
    (pytester.path / "controls" / "crypto.yaml").write_text(CASES, encoding="utf-8")
    (pytester.path / "mappings").mkdir()
    (pytester.path / "mappings" / "soc2.yaml").write_text(
        MINIMAL_MAPPING % mapped_controls(["CRYPTO-01"]), encoding="utf-8"
    )
    (pytester.path / "evidence").mkdir()
    (pytester.path / "pyproject.toml").write_text(
        '[tool.assay]\ncontrols = "controls"\nmappings = "mappings"\nevidence = "evidence"\n',
        encoding="utf-8",
    )
    result = pytester.runpytest("-v", "-rs")
    result.assert_outcomes(passed=1, failed=1, skipped=1)
    case_line = yaml_line(pytester, "- name: wrong expectation", "controls/crypto.yaml")
    result.stdout.fnmatch_lines(
        [
            "controls/crypto.yaml::CRYPTO-01 SKIPPED (not_assessed: evidence *",
            lit("controls/crypto.yaml::CRYPTO-01[all encrypted] PASSED*"),
            lit("controls/crypto.yaml::CRYPTO-01[wrong expectation] FAILED*"),
            "*_ control CRYPTO-01 > test case 'wrong expectation' _*",
            "CRYPTO-01 > test case 'wrong expectation':",
            "  expected pass, got fail",
            "  finding: vol-1: rule volume-encrypted failed for vol-1",
        ]
    )
    items, _ = pytester.inline_genitems()
    assert items[2].location[1] == case_line - 1


# --- 5. Python checks ------------------------------------------------------------------------------


def test_python_checks_decide_their_controls_in_the_report(acme: pytest.Pytester) -> None:
    add_python_checks(acme)
    result = acme.runpytest("--assay-report=report.json", "-rs", "-k", "not controls.yaml")
    result.assert_outcomes(passed=2, failed=1, skipped=1, errors=2)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_unknown_control*",
            "assay_control('NOPE-01'): no such control in the catalog",
            "*ERROR at setup of test_cel_control*",
            "assay_control('NET-01'): the control is checked by its CEL rules; declare 'check: python'*",
            lit(
                "SKIPPED [1] test_checks.py:*: ACME-02 not_assessed: evidence aws.elbv2.listeners is missing"
            ),
        ]
    )
    report = json.loads((acme.path / "report.json").read_text(encoding="utf-8"))
    acme01 = report["controls"][6]
    assert acme01["control"] == "ACME-01"
    assert acme01["status"] == "fail"
    assert acme01["mappings"] == {"soc2": ["CC6.7"]}
    assert acme01["findings"] == [
        {
            "rule": "test_no_volume_is_public",
            "resource": None,
            "message": "volumes shared publicly: vol-002, vol-003",
            "waived_by": None,
            "location": None,
        }
    ]
    assert acme01["evidence"][0]["path"] == "evidence/aws/ec2/volumes.json"
    acme02 = report["controls"][7]
    assert (acme02["status"], acme02["reason"]) == ("not_assessed", "evidence aws.elbv2.listeners is missing")
    cc67 = next(r for r in report["frameworks"][1]["requirements"] if r["id"] == "CC6.7")
    assert cc67["status"] == "not_met"


def test_a_passing_python_check_passes_its_control(acme: pytest.Pytester) -> None:
    add_python_checks(acme)
    result = acme.runpytest("--assay-report=report.json", "test_checks.py::test_volumes_are_listed")
    result.assert_outcomes(passed=1)
    report = json.loads((acme.path / "report.json").read_text(encoding="utf-8"))
    assert report["controls"][6]["status"] == "pass"
    # the controls were not run as items, but the report still covers every one of them
    assert report["summary"] == {"pass": 2, "fail": 1, "error": 1, "not_assessed": 3, "waived": 1}


def test_a_python_control_without_a_test_is_not_assessed(cli, acme: pytest.Pytester) -> None:  # type: ignore[no-untyped-def]
    add_python_checks(acme)
    result = cli("check", "--format", "json")
    acme01 = json.loads(result.out)["controls"][6]
    assert (acme01["status"], acme01["reason"]) == (
        "not_assessed",
        "checked by a Python test in the pytest suite",
    )


# --- 6. the gap report -----------------------------------------------------------------------------


def test_the_report_is_the_one_assay_check_writes(acme: pytest.Pytester) -> None:
    result = acme.runpytest("--assay-report=report.json")
    result.assert_outcomes(passed=1, failed=2, skipped=3)
    result.stdout.fnmatch_lines(
        [
            "assay: wrote the json gap report to report.json "
            "(1 pass, 1 fail, 1 error, 2 not_assessed, 1 waived)"
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    check = acme.path / "check.json"
    assert main(["check", "--output", str(check)]) == 1
    assert json.loads((acme.path / "report.json").read_text(encoding="utf-8")) == json.loads(
        check.read_text(encoding="utf-8")
    )


def test_the_report_format_comes_from_the_extension_or_the_option(acme: pytest.Pytester) -> None:
    acme.runpytest("--assay-report=report.md", "-k", "CRYPTO-02")
    assert (acme.path / "report.md").read_text(encoding="utf-8").startswith("# assay gap report")
    acme.runpytest("--assay-report=report.txt", "--assay-report-format=csv", "-k", "CRYPTO-02")
    assert (acme.path / "report.txt").read_text(encoding="utf-8").startswith("framework,")


def test_assay_now_sets_the_evaluation_time(acme: pytest.Pytester) -> None:
    acme.runpytest("--assay-now=2026-11-21", "--assay-report=report.json", "-k", "GOV-01")
    report = json.loads((acme.path / "report.json").read_text(encoding="utf-8"))
    assert report["generated_at"] == "2026-11-21T00:00:00Z"
    result = acme.runpytest("--assay-now=yesterday")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: assay: --assay-now: now must be an ISO 8601 timestamp, not 'yesterday'"]
    )


def test_a_report_that_cannot_be_written_fails_the_run(acme: pytest.Pytester) -> None:
    result = acme.runpytest("--assay-report=missing/report.json", "-k", "CRYPTO-02")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stdout.fnmatch_lines(["assay: could not write the gap report to missing/report.json: *"])


def test_an_unknown_report_format_is_a_usage_error(acme: pytest.Pytester) -> None:
    result = acme.runpytest("--assay-report=report.docx")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["ERROR: --assay-report: cannot tell the format of report.docx from its extension*"]
    )
    result = acme.runpytest("--assay-report=r.json", "--assay-report-format=pdf")
    result.stderr.fnmatch_lines(
        ["ERROR: --assay-report-format: unknown format 'pdf' (known: csv, html, json*"]
    )


# --- 7. pytest-xdist and --junitxml ----------------------------------------------------------------


def test_xdist_workers_report_to_the_controller(acme: pytest.Pytester) -> None:
    add_python_checks(acme)
    acme.makeconftest(
        """
        def pytest_runtest_logreport(report):
            attached = hasattr(report, "assay_result") or hasattr(report, "assay_check")
            if attached and hasattr(report, "node"):  # received by the xdist controller
                with open("attached.txt", "a", encoding="utf-8") as out:
                    out.write(f"{report.when} {report.nodeid}\\n")
        """
    )
    single = acme.runpytest("--assay-report=single.json")
    single.assert_outcomes(passed=3, failed=3, skipped=4, errors=2)
    result = acme.runpytest_subprocess("-n", "2", "--assay-report=xdist.json")
    result.assert_outcomes(passed=3, failed=3, skipped=4, errors=2)
    result.stdout.fnmatch_lines(["*created: 2/2 workers*", "assay: wrote the json gap report to xdist.json*"])
    xdist = json.loads((acme.path / "xdist.json").read_text(encoding="utf-8"))
    # the controller received the workers' results on their reports: 6 controls, 5 Python checks
    attached = (acme.path / "attached.txt").read_text(encoding="utf-8").splitlines()
    assert len([line for line in attached if line.startswith("call ")]) == 6 + 2  # 3 stop at setup
    assert len({line.split()[1] for line in attached}) == 6 + 5
    assert xdist == json.loads((acme.path / "single.json").read_text(encoding="utf-8"))
    assert [c["status"] for c in xdist["controls"]] == [
        "fail",
        "pass",
        "waived",
        "not_assessed",
        "not_assessed",
        "error",
        "fail",
        "not_assessed",
    ]


def test_junitxml_has_a_testcase_per_control(acme: pytest.Pytester) -> None:
    acme.runpytest("--junitxml=junit.xml")
    # pytest's own --junitxml report of the test run above, not untrusted input.
    cases = ET.parse(acme.path / "junit.xml").getroot().iter("testcase")  # noqa: S314
    outcomes = {
        case.get("name"): (
            [child.tag for child in case if child.tag != "properties"],
            {p.get("name"): p.get("value") for p in case.iter("property")},
        )
        for case in cases
    }
    assert outcomes == {
        "CRYPTO-01": (["failure"], {"assay_status": "fail"}),
        "CRYPTO-02": ([], {"assay_status": "pass"}),
        "NET-01": (["skipped"], {"assay_status": "waived"}),
        "GOV-01": (["skipped"], {"assay_status": "not_assessed"}),
        "LOG-01": (["skipped"], {"assay_status": "not_assessed"}),
        "IAM-01": (["failure"], {"assay_status": "error"}),
    }


# --- 8. collection errors are diagnostics ----------------------------------------------------------


def test_a_cel_syntax_error_is_a_collection_error_at_its_position(acme: pytest.Pytester) -> None:
    controls = acme.path / CONTROLS
    text = controls.read_text(encoding="utf-8")
    controls.write_text(text.replace("assert: item.Encrypted == true", "assert: item.Encrypted == (true"))
    result = acme.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.re_match_lines(
        [
            rf".*_ ERROR collecting {CONTROLS} _.*",
            rf"{CONTROLS}:15:\d+: error: control CRYPTO-01 > rules\[0\] > assert: CEL syntax error: .+",
            rf"ERROR {CONTROLS}",
        ]
    )
    assert "Traceback" not in result.stdout.str()


def test_a_yaml_syntax_error_is_a_collection_error_at_its_position(acme: pytest.Pytester) -> None:
    (acme.path / "controls" / "broken.yaml").write_text("controls:\n  - id: [\n", encoding="utf-8")
    result = acme.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            "*_ ERROR collecting controls/broken.yaml _*",
            "controls/broken.yaml:3:1: error: invalid YAML: *",
            "*= 1 error in *",
        ]
    )
    assert "Traceback" not in result.stdout.str()


HINT = "did you mean 'severity'?"


def test_schema_errors_in_a_control_file_are_listed(acme: pytest.Pytester) -> None:
    controls = acme.path / CONTROLS
    text = controls.read_text(encoding="utf-8").replace(
        "    severity: medium", "    severity: medium\n    severty: x"
    )
    controls.write_text(text, encoding="utf-8")
    result = acme.runpytest()
    result.stdout.fnmatch_lines(
        [
            f"{CONTROLS}:24:5: error: control CRYPTO-02 > severty: unknown key 'severty'; {HINT}",
            f"{CONTROLS}:56:5: error: control GOV-01 > severty: unknown key 'severty'; {HINT}",
        ]
    )


def test_an_error_in_a_mappings_file_stops_the_run(acme: pytest.Pytester) -> None:
    soc2 = acme.path / "mappings" / "soc2.yaml"
    text = soc2.read_text(encoding="utf-8").replace("- control: NET-01", "- control: NET-99")
    soc2.write_text(text, encoding="utf-8")
    result = acme.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "ERROR: assay: the catalog has errors:",
            lit(
                "mappings/soc2.yaml:16:9: error: mapping CC6.6 > controls[0]: "
                "unknown control 'NET-99'; did you mean 'NET-01'?"
            ),
        ]
    )


def test_inputs_that_cannot_be_loaded_fail_every_control(acme: pytest.Pytester) -> None:
    (acme.path / "waivers.yaml").write_text("waivers:\n  - control: NET-01\n", encoding="utf-8")
    result = acme.runpytest("-k", "CRYPTO")
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines(
        [
            "the inputs have errors:",
            "waivers.yaml:2:5: error: waiver #1: missing required key 'approver'",
        ]
    )
    assert "Traceback" not in result.stdout.str()


# --- check: python in the model, the schema and the engine -----------------------------------------

PYTHON_CONTROL = """
controls:
  - id: IAM-09
    title: Admins use hardware keys
    claim: Every administrator signs in with a hardware key.
    description: Checked in Python from the identity provider export.
    severity: high
    domain: identity
    check: python
    evidence:
      - name: idp.users
    remediation: Enrol a hardware key.
"""


def catalog_problems(tmp_path: Path, controls_yaml: str) -> list[str]:
    from assay.loading.catalog import read_catalog
    from tests.conftest import catalog_from_yaml

    catalog_from_yaml(PYTHON_CONTROL, tmp_path)  # writes the mapping file
    (tmp_path / "controls" / "c.yaml").write_text(controls_yaml, encoding="utf-8")
    _, diagnostics = read_catalog([tmp_path / "controls"], [tmp_path / "mappings"])
    return [f"{d.line}:{d.column}: {d.breadcrumb}: {d.message}" for d in diagnostics]


def test_a_python_control_loads_without_rules(tmp_path: Path) -> None:
    assert catalog_problems(tmp_path, PYTHON_CONTROL) == []


def test_a_python_control_has_neither_rules_nor_test_cases(tmp_path: Path) -> None:
    rules = PYTHON_CONTROL + "    rules: [{id: r, assert: 'true'}]\n"
    assert catalog_problems(tmp_path, rules) == [
        "3:5: control IAM-09: a control with 'check: python' has no rules: a pytest test is its check"
    ]
    cases = PYTHON_CONTROL + "    tests: [{name: t, expect: pass}]\n"
    assert catalog_problems(tmp_path, cases) == [
        "3:5: control IAM-09: a control with 'check: python' has no test cases: its pytest test checks it"
    ]


def test_a_cel_control_still_needs_a_rule(tmp_path: Path) -> None:
    assert catalog_problems(tmp_path, PYTHON_CONTROL.replace("    check: python\n", "")) == [
        "3:5: control IAM-09: a control needs at least one rule under 'rules' (or 'check: python')"
    ]


def test_the_schema_follows_the_check_kind() -> None:
    import jsonschema

    from assay.schemas import json_schema
    from assay.yamlsource import parse_yaml

    validator = jsonschema.Draft202012Validator(json_schema("control"))
    data = parse_yaml(PYTHON_CONTROL, "c.yaml").data
    assert list(validator.iter_errors(data)) == []
    del data["controls"][0]["check"]
    assert [e.message for e in validator.iter_errors(data)] == ["'rules' is a required property"]
    data["controls"][0].update(check="python", rules=[{"id": "r", "assert": "true"}])
    assert [e.message for e in validator.iter_errors(data)] == [
        "[{'id': 'r', 'assert': 'true'}] is expected to be empty"
    ]


def test_the_engine_leaves_python_controls_to_pytest(make_catalog) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from assay.engine import PYTHON_CHECK_REASON, evaluate
    from assay.evidence import InMemoryEvidence
    from assay.model import ControlStatus

    catalog = make_catalog(PYTHON_CONTROL)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    evidence = InMemoryEvidence.from_values({"idp.users": []}, collected_at=now)
    result = evaluate(catalog, evidence, now=now).result("IAM-09")
    assert (result.status, result.reason) == (ControlStatus.NOT_ASSESSED, PYTHON_CHECK_REASON)
    assert [use.name for use in result.evidence] == ["idp.users"]
    missing = evaluate(catalog, InMemoryEvidence(), now=now).result("IAM-09")
    assert missing.reason == "evidence idp.users is missing"


def test_merging_python_outcomes(make_catalog) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, date, datetime

    from assay.engine import evaluate
    from assay.evidence import InMemoryEvidence
    from assay.model import ControlStatus, Waiver
    from assay.pytest_plugin import CheckOutcome, merge_python_checks

    now = datetime(2026, 11, 25, tzinfo=UTC)
    catalog = make_catalog(PYTHON_CONTROL)
    evidence = InMemoryEvidence.from_values({"idp.users": []}, collected_at=now)
    base = evaluate(catalog, evidence, now=now).result("IAM-09")

    def merged(*outcomes: tuple[str, str], waivers: list[Waiver] | None = None) -> tuple[str, str | None]:
        checks = [CheckOutcome("IAM-09", f"test_{i}", o, m) for i, (o, m) in enumerate(outcomes)]
        result = merge_python_checks(base, checks, waivers or [], now)
        return result.status.value, result.reason

    assert merged(("pass", "")) == ("pass", None)
    assert merged(("pass", ""), ("skip", "no key")) == ("not_assessed", "test_1 was skipped: no key")
    assert merged(("pass", ""), ("fail", "bob has no key"))[0] == "fail"
    assert merged(("fail", "x"), ("error", "call: KeyError: 'users'")) == (
        "error",
        "test_1: call: KeyError: 'users'",
    )
    waiver = Waiver(
        control="IAM-09", justification="j", approver="a", ticket="SEC-9", expires=date(2026, 12, 31)
    )
    assert merged(("fail", "bob"), waivers=[waiver]) == ("waived", "waived by SEC-9 until 2026-12-31: j")
    missing = evaluate(catalog, InMemoryEvidence(), now=now).result("IAM-09")
    outcome = CheckOutcome("IAM-09", "test_0", "pass")
    assert merge_python_checks(missing, [outcome], [], now).status is ControlStatus.NOT_ASSESSED


@pytest.mark.parametrize(
    ("keyword", "framework", "requirement"),
    [("Art.32", "gdpr", "Art.32"), ("164.312.a.2.iv", "hipaa", "164.312(a)(2)(iv)")],
)
def test_k_selects_by_gdpr_and_hipaa_ids(
    pytester: pytest.Pytester, keyword: str, framework: str, requirement: str
) -> None:
    """Any framework's requirement id is a keyword (a substring of its children's, so Art.32 selects
    what is mapped to Art.32(1)(a) ...); parentheses, which -k cannot hold, become dots."""
    import assay

    catalog = assay.builtin_catalog()
    family = catalog.requirement_family(framework, requirement)
    mapped = {m.control for m in catalog.mappings if m.framework == framework and m.requirement in family}
    assert mapped
    lines = collected(pytester, "--assay", "-k", keyword)
    chosen = {line.split("::")[1].split("[")[0] for line in lines}
    assert chosen == mapped


def test_an_assay_toml_below_rootdir_is_found_from_where_pytest_starts(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `assay check` does: the nearest config at or above the working folder, up to rootdir."""
    (pytester.path / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    company = pytester.path / "company"
    shutil.copytree(ACME, company)
    (company / "assay.toml").write_text(
        'controls = "controls"\nmappings = "mappings"\nevidence = "evidence"\nwaivers = "waivers.yaml"\n'
        'scope = "scope.yaml"\nnow = 2026-11-25T00:00:00Z\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(company)
    result = pytester.runpytest("-q", "-k", "CRYPTO-02 and not [")
    result.assert_outcomes(passed=1)


def test_the_plugin_runs_on_the_backend_the_environment_names(
    acme: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_CEL_BACKEND", "reference")
    acme.runpytest("--assay-report=report.json", "-k", "CRYPTO-02")
    assert json.loads((acme.path / "report.json").read_text(encoding="utf-8"))["backend"] == "reference"


# --- controls that fail lint: refused like assay check refuses them, unless skip_invalid -----------

DEFAULT_ON = "assert: aws.ec2.ebs_encryption_by_default.EbsEncryptionByDefault == true"
A_TYPO = """assert: sizee(aws.ec2.ebs_encryption_by_default) > 0
    tests:
      - name: on
        evidence: {aws.ec2.ebs_encryption_by_default: {EbsEncryptionByDefault: true}}
        expect: pass"""
LINT_ERROR = "unknown function 'sizee'; did you mean 'size'? (see `assay functions`)"


def with_a_typo(pytester: pytest.Pytester) -> None:
    controls = pytester.path / CONTROLS
    controls.write_text(controls.read_text(encoding="utf-8").replace(DEFAULT_ON, A_TYPO), encoding="utf-8")


def test_a_control_that_fails_lint_stops_the_run_as_a_collection_error(acme: pytest.Pytester) -> None:
    with_a_typo(acme)
    result = acme.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(
        [
            f"*_ ERROR collecting {CONTROLS} _*",
            lit(f"{CONTROLS}:29:17: error: control CRYPTO-02 > rules[0] > assert: {LINT_ERROR}"),
        ]
    )


def test_skip_invalid_makes_it_an_error_of_its_own_items(acme: pytest.Pytester) -> None:
    with_a_typo(acme)
    (acme.path / "pyproject.toml").write_text(SETTINGS + "skip_invalid = true\n", encoding="utf-8")
    result = acme.runpytest("-k", "CRYPTO", "--assay-report=report.json")
    result.assert_outcomes(failed=3)  # CRYPTO-01 fails on the evidence; CRYPTO-02 and its test case
    reason = (
        f"{CONTROLS}:29:17: not evaluated, fails lint: control CRYPTO-02 > rules[0] > assert: {LINT_ERROR}"
    )
    result.stdout.fnmatch_lines(
        ["CRYPTO-02 EBS encryption is on by default: error", "  errors:", f"    {lit(reason)}"]
    )
    result.stdout.fnmatch_lines(
        [
            "CRYPTO-02 > test case 'on': not run, the control fails lint:",
            lit(f"{CONTROLS}:29:17: error: control CRYPTO-02 > rules[0] > assert: {LINT_ERROR}"),
        ]
    )
    controls = json.loads((acme.path / "report.json").read_text(encoding="utf-8"))["controls"]
    statuses = {c["control"]: (c["status"], c.get("reason")) for c in controls}
    assert statuses["CRYPTO-02"] == ("error", reason)
    assert statuses["CRYPTO-01"][0] == "fail"


def test_failure_text_shows_control_characters_from_evidence_as_escapes() -> None:
    """A resource id or message from evidence cannot move pytest's cursor or forge a line of output."""
    from assay.loaded_project import load_project
    from assay.model import ControlStatus
    from assay.pytest_plugin.messages import describe
    from assay.results import ControlResult, Finding

    control = load_project().catalog.control("CRYPTO-01")
    hostile = "vol-1\x1b[2K\rPASSED all controls\n"
    result = ControlResult(
        control=control.id,
        title=control.title,
        severity=control.severity,
        domain=control.domain,
        status=ControlStatus.FAIL,
        findings=(Finding(rule="encrypted", resource=hostile, message="not encrypted\x07"),),
    )
    text = describe(control, result)
    for control_character in ("\x1b", "\r", "\x07"):
        assert control_character not in text
    assert "PASSED all controls" in text  # shown, escaped, on the finding's own line
    assert not any(line.startswith("PASSED") for line in text.splitlines())
