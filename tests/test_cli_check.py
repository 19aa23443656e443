from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ACME = Path(__file__).resolve().parent / "fixtures" / "acme"
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


def test_check_fails_when_a_control_fails(cli, acme: Path) -> None:
    result = cli("check", *ARGS, "--format", "json")
    assert result.code == 1
    report = json.loads(result.out)
    assert report["summary"] == {"pass": 1, "fail": 1, "error": 1, "not_assessed": 2, "waived": 1}


def test_fail_on_severity_threshold(cli, acme: Path) -> None:
    # CRYPTO-01 (high) fails and IAM-01 (high) errors: critical-only lets the run through.
    assert cli("check", *ARGS, "--format", "json", "--fail-on", "critical").code == 0
    assert cli("check", *ARGS, "--format", "json", "--fail-on", "high").code == 1


def test_output_file_format_from_extension_and_atomic(cli, acme: Path) -> None:
    target = acme / "out" / "report.json"
    target.parent.mkdir()
    target.write_text("previous report", encoding="utf-8")
    result = cli("check", *ARGS, "--output", str(target))
    assert result.code == 1
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 1
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]  # no temporary left


def test_unwritable_output_keeps_the_old_file(cli, acme: Path) -> None:
    target = acme / "missing-dir" / "report.json"
    result = cli("check", *ARGS, "--output", str(target), "--format", "json")
    assert result.code == 2
    assert "No such file or directory" in result.err
    assert not target.exists()


def test_framework_filter(cli, acme: Path) -> None:
    report = json.loads(cli("check", *ARGS, "--format", "json", "--framework", "iso27001").out)
    assert [f["key"] for f in report["frameworks"]] == ["iso27001"]
    unknown = cli("check", *ARGS, "--framework", "nist")
    assert unknown.code == 2
    assert "unknown framework 'nist' (known: gdpr, hipaa, iso27001, pci-dss, soc2)" in unknown.err


def test_broken_evidence_still_gives_a_report(cli, acme: Path) -> None:
    (acme / "evidence" / "aws" / "ec2" / "ebs_encryption_by_default.json").write_text(
        '{"Ebs": tru', encoding="utf-8"
    )
    (acme / "evidence" / "junk.json").write_bytes(b"\xff\xfe")
    result = cli("check", *ARGS, "--format", "json")
    assert result.code == 1
    assert "evidence/aws/ec2/ebs_encryption_by_default.json:1:9: error: invalid JSON" in result.err
    assert "evidence/junk.json:1:1: error: not valid UTF-8" in result.err
    report = json.loads(result.out)
    statuses = {c["control"]: c["status"] for c in report["controls"]}
    assert statuses["CRYPTO-02"] == "error"
    assert statuses["CRYPTO-01"] == "fail"  # everything else is still evaluated
    assert any("junk.json" in p for p in report["problems"])


def test_invalid_catalog_exits_2_with_positions(cli, acme: Path) -> None:
    path = acme / "controls" / "controls.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("severity: high", "severity: huge", 1), encoding="utf-8"
    )
    result = cli("check", *ARGS)
    assert result.code == 2
    assert "controls/controls.yaml:6:15: error: control CRYPTO-01 > severity:" in result.err
    assert result.out == ""


def test_invalid_waivers_exit_2(cli, acme: Path) -> None:
    (acme / "waivers.yaml").write_text("waivers:\n  - control: NET-01\n", encoding="utf-8")
    result = cli("check", *ARGS)
    assert result.code == 2
    assert "waivers.yaml:2:5: error: waiver #1: missing required key 'approver'" in result.err


def test_default_run_uses_the_bundled_example(cli) -> None:
    result = cli("check", "--format", "json", "--now", "2026-11-25T12:00:00Z")
    report = json.loads(result.out)
    assert {f["key"] for f in report["frameworks"]} == {"soc2", "iso27001", "hipaa", "pci-dss", "gdpr"}
    assert report["controls"]
    assert result.code in (0, 1)


def test_explain_shows_mappings_evidence_and_result(cli, acme: Path) -> None:
    result = cli("explain", "CRYPTO-01", *ARGS)
    assert result.code == 0
    assert "CRYPTO-01: EBS volumes are encrypted" in result.out
    assert "soc2      CC6.1" in result.out
    assert "evidence/aws/ec2/volumes.json  collected 2026-11-20T06:00:00+00:00" in result.out
    assert "Result at 2026-11-25T12:00:00+00:00: fail" in result.out
    assert "- vol-002: EBS volume vol-002 is not encrypted" in result.out
    assert cli("explain", "NOPE-01", *ARGS).code == 2


def test_test_command_runs_embedded_cases(cli, tmp_path: Path) -> None:
    result = cli("test")
    assert result.code == 0
    assert result.out.strip().endswith("passed, 0 failed")


def test_backend_option_and_environment_variable(cli, acme: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    native = json.loads(cli("check", *ARGS, "--format", "json").out)
    assert native["backend"] == "native"
    monkeypatch.setenv("ASSAY_CEL_BACKEND", "reference")
    reference = json.loads(cli("check", *ARGS, "--format", "json").out)
    assert reference["backend"] == "reference"
    explicit = json.loads(cli("check", *ARGS, "--format", "json", "--backend", "native").out)
    assert explicit["backend"] == "native"
    # The two backends agree on every control of the fixture.
    assert [c["status"] for c in native["controls"]] == [c["status"] for c in reference["controls"]]
    monkeypatch.setenv("ASSAY_CEL_BACKEND", "fast")
    assert cli("check", *ARGS).code == 2


def test_explain_shows_parameters_and_where_their_values_come_from(cli) -> None:
    result = cli("explain", "IR-04")
    assert result.code == 0
    assert 'production_services = ["Web application", "API", "Data ingestion"] (this company)' in result.out
    builtin = cli("explain", "SDLC-02")
    assert 'sast_checks = ["codeql", "semgrep", "semgrep-cloud-platform/scan"] (default)' in builtin.out
