from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.gaps import ControlEntry, Report
from assay.model import ControlStatus, Severity
from assay.pipeline import run
from assay.render import format_for_path, formats, render
from assay.render.sarif import SECURITY_SEVERITY
from assay.results import Finding, SourceLocation
from tests.render.conftest import ACME, make_sample_report
from tests.render.sarif_checks import SARIF_SUBSET, github_problems

Json = dict[str, Any]
VALIDATOR = jsonschema.Draft202012Validator(
    SARIF_SUBSET, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def sarif(report: Report) -> Json:
    log: Json = json.loads(render(report, "sarif"))
    return log


def schema_errors(log: Json) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(log)]


def replace(report: Report, control_id: str, **update: object) -> Report:
    controls = tuple(c.model_copy(update=update) if c.control == control_id else c for c in report.controls)
    return report.model_copy(update={"controls": controls})


def status_of(report: Report, status: ControlStatus) -> ControlEntry:
    return next(c for c in report.controls if c.status is status)


def test_sarif_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.sarif", render(sample_report, "sarif"))


def test_sarif_is_registered() -> None:
    assert formats()["sarif"].extension == ".sarif"
    assert format_for_path("assay.sarif") == "sarif"


def test_valid_sarif_that_github_accepts(sample_report: Report) -> None:
    log = sarif(sample_report)
    assert schema_errors(log) == []
    assert github_problems(log) == []
    assert log["version"] == "2.1.0"
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("assay", sample_report.assay_version)


def test_the_checks_catch_what_github_would_refuse(sample_report: Report) -> None:
    # The two checks are tests too: each breakage below must be caught.
    good = sarif(sample_report)
    broken = copy.deepcopy(good)
    run = broken["runs"][0]
    first, second = run["results"][0], run["results"][1]
    del first["ruleId"]
    second["ruleIndex"] = second["ruleIndex"] + 1
    second["partialFingerprints"] = {}
    second["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "file:///home/me/evidence.json"
    del second["locations"][0]["physicalLocation"]["region"]["startColumn"]
    run["results"][2]["locations"] = run["results"][2]["locations"] * 11
    run["tool"]["driver"]["rules"][0]["properties"]["tags"] = [f"t{n}" for n in range(21)]
    run["tool"]["driver"]["rules"][1]["properties"]["security-severity"] = 8.0
    run["results"][2]["levle"] = "error"
    problems = github_problems(broken)
    for expected in (
        "result 0: needs a ruleId",
        "does not point at rule",
        "result 1: needs partialFingerprints.primaryLocationLineHash",
        "is not relative to the repository root",
        "region needs startColumn",
        "has 11 locations",
        "more than 20 tags",
        "security-severity 8.0 is not a number as a string",
    ):
        assert any(expected in p for p in problems), expected
    assert any("levle" in e for e in schema_errors(broken))
    many = copy.deepcopy(good)
    many["runs"][0]["results"] = many["runs"][0]["results"] * 8334
    assert any("more than 25000" in p for p in github_problems(many))


# --- rules ---------------------------------------------------------------------------------------


def test_a_rule_per_control_with_security_severity_and_requirement_tags(sample_report: Report) -> None:
    rules = sarif(sample_report)["runs"][0]["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == [c.control for c in sample_report.controls]
    levels = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
    scores = {"critical": 9.5, "high": 8.0, "medium": 5.5, "low": 3.0}
    for rule, control in zip(rules, sample_report.controls, strict=True):
        assert rule["shortDescription"]["text"] == control.title
        assert rule["fullDescription"]["text"] == control.claim
        assert rule["help"]["text"] == control.remediation
        assert rule["help"]["markdown"].startswith(
            f"{control.claim}\n\n**Remediation:** {control.remediation}"
        )
        for r in control.requirements:
            assert f"| {r.framework} | {r.requirement} | " in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] == levels[control.severity.value]
        assert float(rule["properties"]["security-severity"]) == scores[control.severity.value]
        assert rule["properties"]["security-severity"] == SECURITY_SEVERITY[control.severity]
        mapped = [f"{k}:{r}" for k, reqs in control.mappings.items() for r in reqs]
        assert rule["properties"]["tags"] == ["security", "compliance", control.domain, *mapped]
        assert " " not in rule["name"]
    crypto = next(rule for rule in rules if rule["id"] == "CRYPTO-01")
    assert crypto["properties"]["tags"][3:] == ["iso27001:A.8.24", "soc2:CC6.1"]
    assert crypto["name"] == "EBSVolumesAreEncrypted"


def test_security_severity_falls_in_githubs_bucket_for_each_severity() -> None:
    # GitHub: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low.
    buckets = {
        Severity.CRITICAL: (9.0, 10.0),
        Severity.HIGH: (7.0, 8.9),
        Severity.MEDIUM: (4.0, 6.9),
        Severity.LOW: (0.1, 3.9),
    }
    for severity, (low, high) in buckets.items():
        assert low <= float(SECURITY_SEVERITY[severity]) <= high


def test_long_texts_and_many_requirements_stay_within_githubs_limits(sample_report: Report) -> None:
    control = sample_report.controls[0]
    mappings = {"soc2": tuple(f"CC{n}.1" for n in range(40))}
    report = replace(sample_report, control.control, title="T" * 2000, claim="c " * 1000, mappings=mappings)
    log = sarif(report)
    assert github_problems(log) == []
    rule = log["runs"][0]["tool"]["driver"]["rules"][0]
    assert len(rule["properties"]["tags"]) == 20
    assert len(rule["shortDescription"]["text"]) == 1024
    assert len(rule["name"]) == 255


# --- results and where they point -------------------------------------------------------------------


def test_a_result_per_failing_finding_each_in_the_evidence_at_its_resource(sample_report: Report) -> None:
    results = sarif(sample_report)["runs"][0]["results"]
    findings = [f for c in sample_report.controls for f in c.findings]
    assert [r["message"]["text"] for r in results] == [f.message for f in findings]
    for result, finding in zip(results, findings, strict=True):
        assert finding.resource is not None
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        path = physical["artifactLocation"]["uri"]
        assert path.startswith("evidence/aws/ec2/")
        region = physical["region"]
        line = (ACME / path).read_text(encoding="utf-8").splitlines()[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 : region["endColumn"] - 1] == f'"{finding.resource}"'
        assert result["properties"]["resource"] == finding.resource


def test_a_finding_not_found_in_its_evidence_points_at_the_control(sample_report: Report) -> None:
    control = status_of(sample_report, ControlStatus.FAIL)
    unplaced = tuple(f.located(None) for f in control.findings)
    results = sarif(replace(sample_report, control.control, findings=unplaced))["runs"][0]["results"]
    for result in (r for r in results if r["ruleId"] == control.control):
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"] == "controls/controls.yaml"
        assert physical["region"] == {"startLine": 2, "startColumn": 9, "endLine": 2, "endColumn": 18}


def test_no_location_is_a_path_of_the_machine(sample_report: Report) -> None:
    control = status_of(sample_report, ControlStatus.FAIL)
    outside = [
        "/usr/lib/python3.12/site-packages/assay/_builtin/controls/cryptography.yaml",
        "C:\\Users\\me\\evidence\\volumes.json",
        "\\\\server\\share\\volumes.json",
        "file:///etc/volumes.json",
        "../elsewhere/volumes.json",
        "evidence/../../volumes.json",
    ]
    findings = tuple(
        f.located(SourceLocation(path=path, line=3, column=1))
        for f, path in zip(control.findings, outside, strict=False)
    )
    home = SourceLocation(path="/home/me/acme/controls/controls.yaml", line=2, column=9)
    report = replace(sample_report, control.control, findings=findings, location=home)
    log = sarif(report)
    text = json.dumps(log)
    for path in [*outside, home.path]:
        assert json.dumps(path)[1:-1] not in text
    assert "site-packages" not in text
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == control.control]
    assert results
    assert all("locations" not in r for r in results)


def test_a_relative_path_is_encoded_as_a_uri(sample_report: Report) -> None:
    control = status_of(sample_report, ControlStatus.FAIL)
    odd = SourceLocation(path="./my evidence//a#b?.json", line=1, column=1)
    findings = tuple(f.located(odd) for f in control.findings)
    results = sarif(replace(sample_report, control.control, findings=findings))["runs"][0]["results"]
    uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20evidence/a%23b%3F.json"


def test_fingerprints_are_stable_across_runs_and_unique(sample_report: Report) -> None:
    first = sarif(sample_report)["runs"][0]["results"]
    second = sarif(make_sample_report())["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]
    hashes = [r["partialFingerprints"]["primaryLocationLineHash"] for r in first]
    assert len(set(hashes)) == len(hashes)
    # The same control, rule and resource keep their fingerprint when the resource moves in its file.
    control = status_of(sample_report, ControlStatus.FAIL)
    moved = tuple(
        f.located(SourceLocation(path="evidence/x.json", line=99, column=7)) for f in control.findings
    )
    third = sarif(replace(sample_report, control.control, findings=moved))["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in third] == [r["partialFingerprints"] for r in first]


def test_a_resource_listed_twice_keeps_unique_fingerprints(sample_report: Report) -> None:
    control = status_of(sample_report, ControlStatus.FAIL)
    twice = (control.findings[0], control.findings[0])
    results = sarif(replace(sample_report, control.control, findings=twice))["runs"][0]["results"]
    hashes = [
        r["partialFingerprints"]["primaryLocationLineHash"] for r in results if r["ruleId"] == control.control
    ]
    assert len(hashes) == 2
    assert hashes[0].endswith(":1")
    assert hashes[1].endswith(":2")
    assert hashes[0][:-2] == hashes[1][:-2]


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


def test_at_most_25000_results_the_most_severe_kept(sample_report: Report) -> None:
    low = status_of(sample_report, ControlStatus.FAIL)
    flood = tuple(Finding(rule="r", resource=f"vol-{n}", message=f"volume {n}") for n in range(25_010))
    report = replace(sample_report, low.control, findings=flood, severity=Severity.LOW)
    critical = next(c for c in report.controls if c.control == "NET-01")
    report = replace(
        report,
        "NET-01",
        status=ControlStatus.FAIL,
        findings=tuple(f.model_copy(update={"waived_by": None}) for f in critical.findings),
    )
    log = sarif(report)
    results = log["runs"][0]["results"]
    assert len(results) == 25_000
    assert results[0]["ruleId"] == "NET-01"
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any("11 results left out" in n["message"]["text"] for n in notes)
    assert github_problems(log) == []


# --- errored and not assessed controls ------------------------------------------------------------


def test_errored_and_not_assessed_controls_are_notifications(sample_report: Report) -> None:
    log = sarif(sample_report)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = {
        n["associatedRule"]["id"]: n
        for n in invocation["toolExecutionNotifications"]
        if "associatedRule" in n
    }
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    expected = {
        c.control: c
        for c in sample_report.controls
        if c.status in (ControlStatus.ERROR, ControlStatus.NOT_ASSESSED)
    }
    assert set(notes) == set(expected)
    assert expected
    for control_id, note in notes.items():
        control = expected[control_id]
        assert note["level"] == ("error" if control.status is ControlStatus.ERROR else "warning")
        assert note["message"]["text"].startswith(f"{control_id} {control.status.value}: ")
        assert control.reason is not None
        assert control.reason in note["message"]["text"]
        assert rules[note["associatedRule"]["index"]]["id"] == control_id
        assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "controls/controls.yaml"


def test_the_findings_of_an_errored_control_are_kept(sample_report: Report) -> None:
    errored = status_of(sample_report, ControlStatus.ERROR)
    found = Finding(rule="mfa", resource="bob", message="bob has no MFA")
    results = sarif(replace(sample_report, errored.control, findings=(found,)))["runs"][0]["results"]
    [result] = [r for r in results if r["ruleId"] == errored.control]
    assert result["message"]["text"] == "bob has no MFA"
    assert result["properties"]["status"] == "error"


def test_execution_is_successful_when_no_control_errored(sample_report: Report) -> None:
    errored = status_of(sample_report, ControlStatus.ERROR)
    report = replace(sample_report, errored.control, status=ControlStatus.PASS, reason=None, errors=())
    log = sarif(report)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    assert all(n["level"] != "error" for n in invocation["toolExecutionNotifications"])
    assert schema_errors(log) == []


# --- a real project: built-in controls point at the evidence ----------------------------------------


def test_a_builtin_control_points_at_the_evidence_never_at_the_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence = tmp_path / "evidence" / "aws" / "ec2"
    evidence.mkdir(parents=True)
    (evidence / "volumes.json").write_text(
        '{\n  "Volumes": [\n    {"VolumeId": "vol-aaa", "Encrypted": true},\n'
        '    {"Encrypted": false, "VolumeId": "vol-bbb"}\n  ]\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "evidence" / "assay-manifest.yaml").write_text(
        "evidence:\n  aws/ec2/volumes.json:\n    collected_at: 2026-11-25T06:00:00Z\n", encoding="utf-8"
    )
    (tmp_path / "assay.toml").write_text(
        'builtin_controls = ["CRYPTO-01"]\nevidence = "evidence"\nnow = 2026-11-25T12:00:00Z\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    log = sarif(run(tmp_path / "assay.toml").report)
    text = json.dumps(log)
    assert str(tmp_path) not in text
    assert "site-packages" not in text
    assert "_builtin" not in text
    assert "cryptography.yaml" not in text
    results = log["runs"][0]["results"]
    assert [r["properties"]["resource"] for r in results] == ["vol-bbb"]
    physical = results[0]["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "evidence/aws/ec2/volumes.json"
    assert physical["region"] == {"startLine": 4, "startColumn": 38, "endLine": 4, "endColumn": 47}
    assert github_problems(log) == []
    assert schema_errors(log) == []


def test_text_no_utf8_file_can_hold_is_replaced(sample_report: Report) -> None:
    # A JSON export may escape a lone surrogate ("\ud800"); the log must still be a UTF-8 file.
    control = status_of(sample_report, ControlStatus.FAIL)
    lone = Finding(rule="r", resource="vol-\ud800", message="volume vol-\udfff\x00 is \u202e not encrypted")
    other = Finding(rule="r", resource="vol-\udc00", message="another")
    text = render(replace(sample_report, control.control, findings=(lone, other)), "sarif")
    assert isinstance(text, str)
    log = json.loads(text.encode("utf-8"))
    results = [r for r in log["runs"][0]["results"] if r["ruleId"] == control.control]
    assert [r["properties"]["resource"] for r in results] == ["vol-\ufffd", "vol-\ufffd"]
    assert results[0]["message"]["text"] == "volume vol-\ufffd\x00 is \u202e not encrypted"
    hashes = {r["partialFingerprints"]["primaryLocationLineHash"] for r in results}
    assert len(hashes) == 2  # distinct resources keep distinct fingerprints
    assert schema_errors(log) == []
    assert github_problems(log) == []


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=()), max_size=10), min_size=3, max_size=3))
def test_the_log_is_the_json_modules_text_for_any_text(sample_report: Report, texts: list[str]) -> None:
    """orjson writes the log (surrogates aside, which the json module's path replaces): the text is
    the one ``json.dumps(indent=2, ensure_ascii=False)`` writes of the same log."""
    control = status_of(sample_report, ControlStatus.FAIL)
    finding = Finding(rule=texts[0] or "r", resource=texts[1], message=texts[2])
    text = render(replace(sample_report, control.control, findings=(finding, *control.findings)), "sarif")
    assert isinstance(text, str)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_over_the_limit_the_results_kept_are_those_of_every_result_made_then_ranked(
    sample_report: Report,
) -> None:
    """Only the 25,000 results kept are made, yet each is the one of making every result, numbering
    their fingerprints in order, and keeping the most severe (then those not waived) in a stable sort:
    a flood of low findings with a resource listed twice, waived ones, and a critical control."""
    low = status_of(sample_report, ControlStatus.FAIL)
    flood = [Finding(rule="r", resource=f"vol-{n % 24_990}", message=f"volume {n}") for n in range(25_010)]
    flood[3] = flood[3].model_copy(update={"waived_by": "T-1"})
    report = replace(sample_report, low.control, findings=tuple(flood), severity=Severity.LOW)
    log = sarif(report)
    results = log["runs"][0]["results"]
    # The plain way: every result, in the order of the controls and their findings.
    every = [
        (c, f)
        for c in report.controls
        if c.status in (ControlStatus.FAIL, ControlStatus.WAIVED, ControlStatus.ERROR)
        for f in (c.findings or ((None,) if c.status is ControlStatus.FAIL else ()))
    ]
    seen: dict[str, int] = {}
    numbered = []
    for control, finding in every:
        rule, resource = (finding.rule, finding.resource or "") if finding else ("", "")
        key = f"{control.control}:{rule}:{resource}"
        line_hash = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        seen[line_hash] = seen.get(line_hash, 0) + 1
        numbered.append((control, finding, f"{line_hash}:{seen[line_hash]}"))
    rank = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
    kept = sorted(numbered, key=lambda e: (rank[e[0].severity], bool(e[1] and e[1].waived_by)))[:25_000]
    assert len(numbered) > 25_000
    assert [r["partialFingerprints"]["primaryLocationLineHash"] for r in results] == [h for _, _, h in kept]
    assert [r["ruleId"] for r in results] == [c.control for c, _, _ in kept]
    assert [("suppressions" in r) for r in results] == [bool(f and f.waived_by) for _, f, _ in kept]
