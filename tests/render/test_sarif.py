from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import format_for_path, formats, render

SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json"
)


def sarif(report: Report) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(render(report, "sarif"))
    return log


def test_sarif_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.sarif", render(sample_report, "sarif"))


def test_sarif_is_registered() -> None:
    assert formats()["sarif"].extension == ".sarif"
    assert format_for_path("assay.sarif") == "sarif"


def test_log_header_and_tool(sample_report: Report) -> None:
    log = sarif(sample_report)
    assert log["$schema"] == SCHEMA
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "assay"
    assert driver["version"] == sample_report.assay_version


def test_a_rule_per_control(sample_report: Report) -> None:
    rules = sarif(sample_report)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [c.control for c in sample_report.controls]
    levels = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
    for rule, control in zip(rules, sample_report.controls, strict=True):
        assert rule["shortDescription"]["text"] == control.title
        assert rule["fullDescription"]["text"] == control.claim
        assert rule["help"]["text"] == control.remediation
        assert rule["defaultConfiguration"]["level"] == levels[control.severity.value]
        assert rule["properties"]["severity"] == control.severity.value
        assert rule["properties"]["domain"] == control.domain
        assert " " not in rule["name"]
    crypto = next(rule for rule in rules if rule["id"] == "CRYPTO-01")
    assert crypto["properties"]["tags"] == ["iso27001:A.8.24", "soc2:CC6.1"]
    assert crypto["name"] == "EBSVolumesAreEncrypted"


def test_a_result_per_failing_finding(sample_report: Report) -> None:
    run = sarif(sample_report)["runs"][0]
    results = run["results"]
    rules = run["tool"]["driver"]["rules"]
    failing = [
        f
        for c in sample_report.controls
        if c.status is ControlStatus.FAIL
        for f in c.findings
        if not f.waived_by
    ]
    errors = [c for c in sample_report.controls if c.status is ControlStatus.ERROR]
    open_results = [r for r in results if "suppressions" not in r]
    assert len(open_results) == len(failing) + len(errors)
    assert sorted(
        r["message"]["text"] for r in open_results if r["properties"]["status"] == "fail"
    ) == sorted(f.message for f in failing)
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    fingerprints = [json.dumps(r["partialFingerprints"]) for r in results]
    assert len(fingerprints) == len(set(fingerprints))


def test_error_result_carries_the_reason(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    control = next(c for c in sample_report.controls if c.status is ControlStatus.ERROR)
    [result] = [r for r in results if r["ruleId"] == control.control]
    assert result["level"] == "error"
    assert result["message"]["text"] == control.reason


def test_waived_finding_is_suppressed(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert len(suppressed) == 1
    [suppression] = suppressed[0]["suppressions"]
    assert suppressed[0]["ruleId"] == "NET-01"
    assert suppressed[0]["properties"]["resource"] == "sg-0bastion"
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert suppression["justification"].startswith(
        "Bastion host, SSH restricted by key and replaced by SSM in January. (waiver SEC-7"
    )


def test_locations_point_at_the_control_definition(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    assert results
    for result in results:
        control = sample_report.control(result["ruleId"])
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "controls/controls.yaml"
        assert physical["region"]["startLine"] == control.line
    crypto = next(r for r in results if r["ruleId"] == "CRYPTO-01")
    assert crypto["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_uris_are_encoded_and_missing_locations_omitted(sample_report: Report) -> None:
    controls = list(sample_report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    controls[index] = controls[index].model_copy(update={"file": "/srv/my controls/a#b.yaml"})
    error = next(i for i, c in enumerate(controls) if c.status is ControlStatus.ERROR)
    controls[error] = controls[error].model_copy(update={"file": None, "line": None})
    results = sarif(sample_report.model_copy(update={"controls": tuple(controls)}))["runs"][0]["results"]
    moved = next(r for r in results if r["ruleId"] == controls[index].control)
    assert moved["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "file:///srv/my%20controls/a%23b.yaml"
    )
    unplaced = next(r for r in results if r["ruleId"] == controls[error].control)
    assert "locations" not in unplaced
