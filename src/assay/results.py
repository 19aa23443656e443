"""What an evaluation produces: a result per control, and the run that holds them.

These records are the contract between the engine, the gap report and every renderer; the JSON
report is their serialisation, so their field names are stable.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from assay.model import ControlStatus, ScopeEntry, Severity, Waiver


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(Result):
    """One failing check: a resource (or the control as a whole) and why."""

    rule: str
    resource: str | None = None
    message: str
    waived_by: str | None = None  # the ticket of the waiver that covers this finding


class EvidenceUse(Result):
    """A piece of evidence a control read (or wanted to read), with what makes it trustworthy."""

    name: str
    sha256: str | None = None
    collected_at: datetime | None = None
    as_of: datetime | None = None
    source: str | None = None
    path: str | None = None
    problem: str | None = None  # why it could not be used (missing, stale, unreadable, wrong shape)


class WaiverRef(Result):
    """The waiver that applied to a control, or that would have and expired."""

    ticket: str
    approver: str
    justification: str
    expires: date
    resources: tuple[str, ...] | None = None

    @classmethod
    def of(cls, waiver: Waiver) -> WaiverRef:
        return cls(
            ticket=waiver.ticket,
            approver=waiver.approver,
            justification=waiver.justification,
            expires=waiver.expires,
            resources=waiver.resources,
        )


class ControlResult(Result):
    """The outcome of one control."""

    control: str
    title: str
    severity: Severity
    domain: str
    status: ControlStatus
    reason: str | None = None  # for error, not_assessed and waived: the sentence that explains it
    findings: tuple[Finding, ...] = ()
    errors: tuple[str, ...] = ()
    evidence: tuple[EvidenceUse, ...] = ()
    waiver: WaiverRef | None = None
    expired_waivers: tuple[WaiverRef, ...] = ()


class RunResult(Result):
    """Every control's result for one evaluation at one moment."""

    now: datetime
    backend: str
    results: tuple[ControlResult, ...]
    scope: tuple[ScopeEntry, ...] = ()

    def result(self, control_id: str) -> ControlResult:
        for result in self.results:
            if result.control == control_id:
                return result
        raise KeyError(control_id)

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in ControlStatus}
        for result in self.results:
            counts[result.status.value] += 1
        return counts
