"""The words of the pytest plugin: a control that did not pass, explained; Python check outcomes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

import pytest

from assay.errors import Diagnostic
from assay.lean_dataclasses import frozen
from assay.results import ControlResult, Finding
from assay.safe_text import terminal_safe
from assay.statuses import ControlStatus

if TYPE_CHECKING:  # the engine (CEL, JSON Schema) is imported when something is evaluated
    from assay.model import Control, Waiver


@frozen
class CheckOutcome:
    """How one Python check test went, in the words of the gap report."""

    control: str
    test: str
    outcome: str  # pass, fail, error or skip
    message: str = ""

    RANK: ClassVar[dict[str, int]] = {"pass": 0, "skip": 1, "fail": 2, "error": 3}

    def worse(self, other: CheckOutcome) -> CheckOutcome:
        return other if self.RANK[other.outcome] > self.RANK[self.outcome] else self


def lines_of(diagnostics: Iterable[Diagnostic]) -> str:
    """Diagnostics one per line, each terminal-safe (they may quote file names and evidence)."""
    return "\n".join(terminal_safe(str(d)) for d in diagnostics)


def merge_python_checks(
    result: ControlResult, outcomes: list[CheckOutcome], waivers: Iterable[Waiver], now: datetime
) -> ControlResult:
    """A ``check: python`` control's result from the outcomes of its Python tests.

    Missing, stale or broken evidence decides first, exactly as for CEL controls (the engine's result
    is kept); otherwise any erroring test gives ``error``, any failing one ``fail`` (each assertion
    message a finding, waivers applied), any skipped one ``not_assessed``, and all passing ``pass``.
    """
    from assay.engine import PYTHON_CHECK_REASON, apply_waivers

    if result.status is not ControlStatus.NOT_ASSESSED or result.reason != PYTHON_CHECK_REASON:
        return result
    if not outcomes:
        return result
    ordered = sorted(outcomes, key=lambda o: o.test)
    errors = [o for o in ordered if o.outcome == "error"]
    failed = [o for o in ordered if o.outcome == "fail"]
    skipped = [o for o in ordered if o.outcome == "skip"]
    findings = tuple(Finding(rule=o.test, message=o.message) for o in failed)
    if errors:
        texts = tuple(f"{o.test}: {o.message}" for o in errors)
        return result.with_status(ControlStatus.ERROR, reason=texts[0], errors=texts, findings=findings)
    if failed:
        failing = result.with_status(ControlStatus.FAIL, findings=findings)
        return apply_waivers(failing, list(waivers), now)
    if skipped:
        return result.with_reason("; ".join(f"{o.test} was skipped: {o.message}" for o in skipped))
    return result.with_status(ControlStatus.PASS)


def describe(control: Control, result: ControlResult, *, strict: bool = False) -> str:
    """The readable explanation of a control that did not pass: rule, findings, evidence, fix."""
    strict_note = " (failing under --assay-strict)" if strict and _unassessed(result) else ""
    label = result.status.value + strict_note
    lines = [
        f"{control.id} {control.title}: {label}",
        f"  severity: {control.severity.value}",
        f"  claim: {control.claim}",
    ]
    if result.status is ControlStatus.ERROR:
        lines.append("  errors:")
        lines += [f"    {error}" for error in result.errors or (result.reason or "",)]
    elif result.reason:
        lines.append(f"  reason: {result.reason}")
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_rule[finding.rule].append(finding)
    for rule, findings in by_rule.items():
        lines.append(f"  rule {rule}:")
        lines += [f"    {finding_text(f)}" for f in findings]
    if result.evidence:
        lines.append("  evidence:")
        for use in result.evidence:
            parts = [use.name, use.path or "(in memory)"]
            if use.collected_at is not None:
                parts.append(f"collected {use.collected_at.isoformat()}")
            elif use.sha256 is not None:
                parts.append("undated")
            if use.sha256:
                parts.append(f"sha256 {use.sha256[:12]}")
            if use.problem:
                parts.append(f"problem: {use.problem}")
            lines.append("    " + "  ".join(parts))
    for waiver in result.expired_waivers:
        lines.append(f"  expired waiver: {waiver.ticket} (expired {waiver.expires.isoformat()})")
    lines.append(f"  remediation: {control.remediation}")
    # Resource ids, messages and reasons come from evidence: pytest prints them to the terminal as is.
    return "\n".join(terminal_safe(line) for line in lines)


def _unassessed(result: ControlResult) -> bool:
    return result.status is ControlStatus.NOT_ASSESSED


def finding_text(finding: Finding) -> str:
    where = f"{finding.resource}: " if finding.resource is not None else ""
    waived = f" (waived by {finding.waived_by})" if finding.waived_by else ""
    return f"{where}{finding.message}{waived}"


def waived_reason(result: ControlResult) -> str:
    waiver = result.waiver
    if waiver is None:  # pragma: no cover - the engine always records the waiver it applied
        return f"waived: {result.reason}"
    covers = f" for {', '.join(waiver.resources)}" if waiver.resources else ""
    return terminal_safe(
        f"waived by {waiver.ticket}{covers}, approved by {waiver.approver}, "
        f"expires {waiver.expires.isoformat()}: {waiver.justification}"
    )


def check_outcome(control_id: str, report: pytest.TestReport, call: pytest.CallInfo[None]) -> CheckOutcome:
    test = report.nodeid.rsplit("::", 1)[-1]
    if report.passed and not hasattr(report, "wasxfail"):
        return CheckOutcome(control_id, test, "pass")
    if hasattr(report, "wasxfail"):  # xfail: the check is known to fail; xpass: it passes
        outcome = "pass" if report.passed else "fail"
        return CheckOutcome(
            control_id, test, outcome, f"xfail: {report.wasxfail}" if not report.passed else ""
        )
    excinfo = call.excinfo
    if report.skipped:
        message = str(getattr(excinfo.value, "msg", "")) if excinfo is not None else ""
        return CheckOutcome(control_id, test, "skip", message or "skipped")
    if excinfo is None:  # pragma: no cover - a failed report always has its exception
        return CheckOutcome(control_id, test, "error", f"failed in {report.when}")
    value = excinfo.value
    if report.when == "call" and isinstance(value, AssertionError | pytest.fail.Exception):
        text = str(getattr(value, "msg", None) or value).strip()
        return CheckOutcome(control_id, test, "fail", text.splitlines()[0] if text else "assertion failed")
    detail = excinfo.exconly().strip().splitlines()
    return CheckOutcome(control_id, test, "error", f"{report.when}: {detail[0] if detail else 'error'}")
