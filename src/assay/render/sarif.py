"""The report as SARIF 2.1.0, for code scanning dashboards that already triage static-analysis results.

Each control is a rule; each failing finding is a result that points at the control's definition,
since that is the file a dashboard can open. Findings covered by a waiver stay in the log as
suppressed results, so the dashboard shows the exception rather than silently dropping the finding.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from assay.gaps import ControlEntry, Report
from assay.model import ControlStatus, Severity
from assay.render import RenderOptions
from assay.render.words import CONTROL_COVERAGE
from assay.results import Finding

SARIF_SCHEMA = (
    "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/main/sarif-2.1/schema/sarif-schema-2.1.0.json"
)
SARIF_VERSION = "2.1.0"
_LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# Consumers deduplicate results across runs by fingerprint; without one, every finding of a control
# shares a location and would collapse into a single alert.
_FINGERPRINT = "assayFinding/v1"

Json = dict[str, Any]


def render(report: Report, options: RenderOptions) -> str:
    rule_index = {control.control: index for index, control in enumerate(report.controls)}
    results: list[Json] = []
    for control in report.controls:
        results += _results(control, rule_index[control.control])
    invocation: Json = {"executionSuccessful": True, "endTimeUtc": _utc(report.generated_at)}
    if report.problems:
        invocation["toolExecutionNotifications"] = [
            {"level": "warning", "message": {"text": problem}} for problem in report.problems
        ]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "assay",
                        "version": report.assay_version,
                        "rules": [_rule(control) for control in report.controls],
                    }
                },
                "invocations": [invocation],
                "results": results,
                "properties": {"backend": report.backend},
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(control: ControlEntry) -> Json:
    tags = [
        f"{framework}:{requirement}" for framework, reqs in control.mappings.items() for requirement in reqs
    ]
    return {
        "id": control.control,
        "name": _pascal(control.title) or control.control,
        "shortDescription": {"text": control.title},
        "fullDescription": {"text": control.claim},
        "help": {"text": control.remediation},
        "defaultConfiguration": {"level": _LEVELS[control.severity]},
        "properties": {
            "severity": control.severity.value,
            "domain": control.domain,
            "tags": tags,
            # Per mapped requirement: how much of it this control covers, in words, and the
            # requirement's status in this run (the gap report's, decided in one place).
            "requirements": [
                {
                    "framework": r.framework,
                    "requirement": r.requirement,
                    "coverage": r.coverage,
                    "coverageText": CONTROL_COVERAGE[r.coverage],
                    "status": r.status.value if r.status is not None else None,
                }
                for r in control.requirements
            ],
        },
    }


def _results(control: ControlEntry, index: int) -> list[Json]:
    if control.status is ControlStatus.ERROR:
        reason = control.reason or "; ".join(control.errors) or "the control could not be evaluated"
        result = _result(control, index, reason, fingerprint=f"{control.control}:error")
        result["level"] = "error"
        return [result]
    if control.status not in (ControlStatus.FAIL, ControlStatus.WAIVED):
        return []
    if not control.findings:
        # A failure without findings still has to surface; it belongs to the control as a whole.
        reason = control.reason or "the control failed"
        return [_result(control, index, reason, fingerprint=f"{control.control}:fail")]
    return [_finding_result(control, index, finding) for finding in control.findings]


def _finding_result(control: ControlEntry, index: int, finding: Finding) -> Json:
    result = _result(
        control,
        index,
        finding.message,
        fingerprint=f"{control.control}:{finding.rule}:{finding.resource or ''}",
    )
    result["properties"]["rule"] = finding.rule
    if finding.resource is not None:
        result["properties"]["resource"] = finding.resource
    if finding.waived_by is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": _justification(control, finding.waived_by),
            }
        ]
    return result


def _result(control: ControlEntry, index: int, message: str, *, fingerprint: str) -> Json:
    result: Json = {
        "ruleId": control.control,
        "ruleIndex": index,
        "level": _LEVELS[control.severity],
        "message": {"text": message},
    }
    if control.file:
        physical: Json = {"artifactLocation": {"uri": _uri(control.file)}}
        if control.line is not None:
            physical["region"] = {"startLine": control.line}
        result["locations"] = [{"physicalLocation": physical}]
    result["partialFingerprints"] = {_FINGERPRINT: fingerprint}
    result["properties"] = {"status": control.status.value}
    return result


def _justification(control: ControlEntry, ticket: str) -> str:
    waiver = control.waiver
    if waiver is None or waiver.ticket != ticket:
        return f"waived by {ticket}"
    return (
        f"{waiver.justification} (waiver {waiver.ticket}, approved by {waiver.approver}, "
        f"expires {waiver.expires.isoformat()})"
    )


def _pascal(title: str) -> str:
    # SARIF rule names are identifiers meant for people, conventionally one Pascal-cased word.
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[A-Za-z0-9]+", title))


def _uri(path: str) -> str:
    """A URI reference for a file path: relative paths stay relative, absolute ones become file URIs."""
    path = path.replace("\\", "/")
    if re.match(r"^[A-Za-z]:/", path):
        return "file:///" + quote(path, safe="/:")
    if path.startswith("/"):
        return "file://" + quote(path, safe="/")
    return quote(path, safe="/")


def _utc(moment: datetime) -> str:
    # SARIF wants UTC times; a naive moment is taken to be UTC already.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
