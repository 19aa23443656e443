"""The report as SARIF 2.1.0, shaped for GitHub code scanning and any dashboard that reads SARIF.

Each control is a rule; each failing finding is a result, placed in a file of the user's repository:
its resource's line in the evidence file when the run found it there (:mod:`assay.locate`), else the
control's own definition, else (a built-in control) the evidence it read. Paths are relative to the
directory assay ran in, the repository root (``%SRCROOT%``) when it runs there as in CI; a path
outside it, and any absolute path of the machine, is never written: such a result has no location.
Findings covered by a waiver stay in the log as suppressed results, so the dashboard shows the
exception rather than silently dropping the finding.

What GitHub needs to track an alert across runs is given explicitly: ``partialFingerprints`` depend
on the control, the rule and the resource only (never on a line number), rules carry a
``security-severity`` score from the control's severity and tags with the framework requirements, and
controls that errored or could not be assessed are tool execution notifications, with
``executionSuccessful`` false when any control errored. GitHub's upload limits are kept: at most
25,000 results a run (the most severe are kept, and a notification says how many were left out) and
20 tags a rule.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from assay.gaps import ControlEntry, Report
from assay.model import ControlStatus, Severity
from assay.render import RenderOptions
from assay.render.json_text import compact, indent, orjson_indented
from assay.render.words import CONTROL_COVERAGE
from assay.results import Finding, SourceLocation

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
_LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}
# GitHub reads security-severity as a score over 0.0 up to 10.0 and buckets it: over 9.0 critical,
# 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low. Each severity sits inside its own bucket.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}
MAX_RESULTS = 25_000  # GitHub rejects a run with more results
MAX_TAGS = 20  # and a rule with more tags
MAX_TEXT = 1024  # it cuts descriptions longer than this
MAX_NAME = 255  # and rule names
# GitHub matches alerts across runs by primaryLocationLineHash alone; the readable key beside it says
# what the hash was made of.
_FINGERPRINT = "assayFinding/v1"
_LINE_HASH = "primaryLocationLineHash"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

_SRCROOT_TEXT = (
    "The directory assay ran in: paths are relative to it, so run assay at the repository root "
    "(with --project for a project in a subfolder) for code scanning to open them."
)

Json = dict[str, Any]


def render(report: Report, options: RenderOptions) -> str:
    rule_index = {control.control: index for index, control in enumerate(report.controls)}
    pending = [item for control in report.controls for item in _pending(control)]
    hashes = _numbered_hashes(pending)
    kept, left_out = _within_limit(pending)
    # Only the results kept are made: a run of a million resources has hundreds of thousands.
    results = [_made(pending[i], rule_index[pending[i][0].control], hashes[i]) for i in kept]
    invocation: Json = {
        "executionSuccessful": not any(c.status is ControlStatus.ERROR for c in report.controls),
        "endTimeUtc": _utc(report.generated_at),
    }
    notifications = _notifications(report, rule_index, left_out)
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: Json = {
        "tool": {
            "driver": {
                "name": "assay",
                "version": report.assay_version,
                "rules": [_rule(control) for control in report.controls],
            }
        },
        "originalUriBaseIds": {SRCROOT: {"description": {"text": _SRCROOT_TEXT}}},
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
        "properties": {"backend": report.backend},
    }
    log = {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}
    fast = orjson_indented(log)  # refused when a string holds a surrogate (and for no other value here)
    if fast is not None:
        return fast + "\n"
    # Evidence may hold a lone surrogate ("\\ud800" in JSON): no UTF-8 file can, so it is replaced.
    return indent(_LONE_SURROGATE.sub("\ufffd", compact(log))) + "\n"


def _rule(control: ControlEntry) -> Json:
    requirements = [f"{framework}:{req}" for framework, reqs in control.mappings.items() for req in reqs]
    tags = list(dict.fromkeys(["security", "compliance", control.domain, *requirements]))[:MAX_TAGS]
    return {
        "id": control.control,
        "name": (_pascal(control.title) or control.control)[:MAX_NAME],
        "shortDescription": {"text": _cut(control.title)},
        "fullDescription": {"text": _cut(control.claim)},
        "help": {"text": control.remediation or control.title, "markdown": _help_markdown(control)},
        "defaultConfiguration": {"level": _LEVELS[control.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[control.severity],
            "precision": "high",
            "tags": tags,
            "severity": control.severity.value,
            "domain": control.domain,
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


def _help_markdown(control: ControlEntry) -> str:
    """What code scanning shows beside an alert: the claim, the remedy, the requirements at stake."""
    lines = [control.claim, "", f"**Remediation:** {control.remediation}"]
    if control.requirements:
        lines += [
            "",
            "| Framework | Requirement | This control | Requirement in this run |",
            "|---|---|---|---|",
        ]
    for r in control.requirements:
        status = r.status.value if r.status is not None else "not reported"
        lines.append(f"| {r.framework} | {r.requirement} | {CONTROL_COVERAGE[r.coverage]} | {status} |")
    return "\n".join(lines)


# A result to make: its control, its message and its finding (None: about the control as a whole).
Pending = tuple[ControlEntry, str, Finding | None]


def _pending(control: ControlEntry) -> list[Pending]:
    """A result per finding of a failed, waived or errored control (an error keeps what it found)."""
    if control.status not in (ControlStatus.FAIL, ControlStatus.WAIVED, ControlStatus.ERROR):
        return []
    if not control.findings:
        if control.status is not ControlStatus.FAIL:
            return []
        # A failure without findings still has to surface; it belongs to the control as a whole.
        return [(control, control.reason or "the control failed", None)]
    return [(control, finding.message, finding) for finding in control.findings]


def _numbered_hashes(pending: list[Pending]) -> list[str]:
    """Each result's line hash, numbered ``:1``, ``:2`` among the results of the same hash (a resource
    listed twice): unique and stable, counted over every result, kept or not (in one tight loop)."""
    seen: dict[str, int] = {}
    numbered = []
    sha256 = hashlib.sha256
    for control, _, finding in pending:
        rule, resource = (finding.rule, finding.resource or "") if finding is not None else ("", "")
        key = f"{control.control}:{rule}:{resource}".encode("utf-8", "surrogatepass")
        line_hash = sha256(key).hexdigest()[:16]
        count = seen[line_hash] = seen.get(line_hash, 0) + 1
        numbered.append(f"{line_hash}:{count}")
    return numbered


def _made(pending: Pending, index: int, line_hash: str) -> Json:
    control, _, finding = pending
    result = _result(pending, index, line_hash)
    if finding is not None and finding.waived_by is not None:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": _justification(control, finding.waived_by),
            }
        ]
    return result


def _result(pending: Pending, index: int, line_hash: str) -> Json:
    control, message, finding = pending
    place = finding.location if finding is not None else None
    rule = finding.rule if finding is not None else ""
    resource = finding.resource if finding is not None else None
    key = f"{control.control}:{rule}:{resource or ''}"
    result: Json = {
        "ruleId": control.control,
        "ruleIndex": index,
        "level": _LEVELS[control.severity],
        "message": {"text": message},
    }
    location = _location(place, control.location)
    if location is not None:
        result["locations"] = [location]
    result["partialFingerprints"] = {_LINE_HASH: line_hash, _FINGERPRINT: key}
    result["properties"] = {"status": control.status.value}
    if finding is not None:
        result["properties"]["rule"] = finding.rule
        if resource is not None:
            result["properties"]["resource"] = resource
    return result


def _location(*places: SourceLocation | None) -> Json | None:
    """The first place that is a file of the repository, as a SARIF location; None if there is none."""
    for place in places:
        uri = _relative_uri(place.path) if place is not None else None
        if place is None or uri is None:
            continue
        end = place.end_column if place.end_column is not None else place.column + 1
        region = {
            "startLine": place.line,
            "startColumn": place.column,
            "endLine": place.line,
            "endColumn": end,
        }
        artifact = {"uri": uri, "uriBaseId": SRCROOT}
        return {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    return None


def _within_limit(pending: list[Pending]) -> tuple[list[int], int]:
    """The positions of at most :data:`MAX_RESULTS` results, the most severe first (then those not
    waived) when some must go; and how many were left out."""
    if len(pending) <= MAX_RESULTS:
        return list(range(len(pending))), 0
    ranks = [(_RANK[c.severity], f is not None and f.waived_by is not None) for c, _, f in pending]
    ranked = sorted(range(len(pending)), key=ranks.__getitem__)
    return ranked[:MAX_RESULTS], len(pending) - MAX_RESULTS


def _notifications(report: Report, rule_index: dict[str, int], left_out: int) -> list[Json]:
    """Controls that errored or were not assessed, evidence problems, and results left out."""
    notes: list[Json] = []
    for control in report.controls:
        if control.status is ControlStatus.ERROR:
            text = "; ".join(control.errors) or control.reason or "the control could not be evaluated"
            level = "error"
        elif control.status is ControlStatus.NOT_ASSESSED:
            text, level = control.reason or "the control could not be assessed", "warning"
        else:
            continue
        note: Json = {
            "level": level,
            "message": {"text": f"{control.control} {control.status.value}: {text}"},
            "associatedRule": {"id": control.control, "index": rule_index[control.control]},
        }
        location = _location(control.location)
        if location is not None:
            note["locations"] = [location]
        notes.append(note)
    notes += [{"level": "warning", "message": {"text": problem}} for problem in report.problems]
    if left_out:
        text = f"{left_out} results left out: code scanning accepts at most {MAX_RESULTS} a run"
        notes.append({"level": "warning", "message": {"text": text}})
    return notes


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


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _relative_uri(path: str) -> str | None:
    """A path relative to the repository root as a URI reference; None for any other path.

    An absolute path (``/srv/...``, ``C:\\...``, ``\\\\host\\share``), a URI with a scheme and a path
    that climbs out (``..``) name a place on one machine, not a file of the repository.
    """
    path = path.replace("\\", "/")
    parts = path.split("/")
    if not path or path.startswith("/") or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", path) or ".." in parts:
        return None
    return quote("/".join(part for part in parts if part not in ("", ".")), safe="/")


def _utc(moment: datetime) -> str:
    # SARIF wants UTC times; a naive moment is taken to be UTC already.
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
