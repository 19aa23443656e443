"""What an evaluation produces: a result per control, and the run that holds them.

These records are the contract between the engine, the gap report and every renderer; the JSON
report is their serialisation, so their field names are stable.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Annotated, Any, SupportsIndex

from assay.model import ScopeEntry, Waiver
from assay.records import Record, Spec, record
from assay.statuses import ControlStatus, Severity


class Result(Record):
    """Base of every result record: frozen, unknown keys are errors, validated only when read from a file."""

    __slots__ = ()


@record
class SourceLocation(Result):
    """A place in a file of the user's project: the path as reports show it, 1-based line and column.

    Columns count Unicode code points; ``end_column`` is the column just after the located text.
    """

    path: str
    line: Annotated[int, Spec(ge=1)]
    column: Annotated[int, Spec(ge=1)] = 1
    end_column: Annotated[int, Spec(ge=1)] | None = None

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        if type(self) is not SourceLocation:  # a subclass pickles as a dataclass does
            return object.__reduce_ex__(self, protocol)
        return checked_location, (self.path, self.line, self.column, self.end_column)


def checked_location(path: str, line: int, column: int, end_column: int | None) -> SourceLocation:
    """A :class:`SourceLocation` of values that already have its shape (positions counted from 1 in a
    file's text): a report of a million findings places each of them."""
    return SourceLocation(path=path, line=line, column=column, end_column=end_column)


@record
class Finding(Result):
    """One failing check: a resource (or the control as a whole) and why."""

    rule: str
    resource: str | None = None
    message: str
    waived_by: str | None = None  # the ticket of the waiver that covers this finding
    # Where the resource is written in its evidence file, when it could be found there.
    location: SourceLocation | None = None

    def waived(self, ticket: str) -> Finding:
        """This finding, covered by the waiver with ``ticket``."""
        return Finding(
            rule=self.rule,
            resource=self.resource,
            message=self.message,
            waived_by=str(ticket),
            location=self.location,
        )

    def located(self, location: SourceLocation | None) -> Finding:
        if location is not None and not isinstance(location, SourceLocation):
            raise TypeError(f"a finding's location is a SourceLocation, not {type(location).__name__}")
        return Finding(
            rule=self.rule,
            resource=self.resource,
            message=self.message,
            waived_by=self.waived_by,
            location=location,
        )

    @property
    def row(self) -> FindingRow:
        """The finding as a plain tuple: rule, resource, message, waived_by, location."""
        return self.rule, self.resource, self.message, self.waived_by, self.location

    def __reduce_ex__(self, protocol: SupportsIndex) -> str | tuple[Any, ...]:
        # A process pool or Dask sends results back pickled: as the function that makes it and a plain
        # tuple, smaller than a dataclass's pickle (its class and a list of values, then its state).
        if type(self) is not Finding:  # a subclass pickles as a dataclass does
            return object.__reduce_ex__(self, protocol)
        return checked_finding, self.row


# rule, resource, message, waived_by, location: a finding before (or without) its record.
FindingRow = tuple[str, str | None, str, str | None, SourceLocation | None]


def checked_finding(
    rule: str,
    resource: str | None,
    message: str,
    waived_by: str | None = None,
    location: SourceLocation | None = None,
) -> Finding:
    """A :class:`Finding` of values that already have its shape: the engine makes one per failing
    resource, from strings it has checked (a rule's id, the string a ``resource_id`` gave, the string
    a ``message`` gave), and locate and waivers copy them the same way."""
    return Finding(rule=rule, resource=resource, message=message, waived_by=waived_by, location=location)


_FINDING_FIELDS = frozenset(field.name for field in dataclasses.fields(Finding))


@record
class EvidenceUse(Result):
    """A piece of evidence a control read (or wanted to read), with what makes it trustworthy."""

    name: str
    sha256: str | None = None
    collected_at: datetime | None = None
    as_of: datetime | None = None
    source: str | None = None
    path: str | None = None
    problem: str | None = None  # why it could not be used (missing, stale, unreadable, wrong shape)


@record
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


@record
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
    # Where a result about the control as a whole points: the control's definition when it is the
    # project's own, else the evidence it read (a built-in control's file is not in the project).
    location: SourceLocation | None = None

    # Results are frozen; these named updates are the only ways to derive one from another.

    def with_status(
        self,
        status: ControlStatus,
        *,
        reason: str | None = None,
        findings: tuple[Finding, ...] | None = None,
        errors: tuple[str, ...] | None = None,
    ) -> ControlResult:
        """This result with another status and its reason (``None`` clears it), findings and errors."""
        return self._replace(
            status=status,
            reason=reason,
            findings=self.findings if findings is None else findings,
            errors=self.errors if errors is None else errors,
        )

    def with_reason(self, reason: str | None) -> ControlResult:
        return self._replace(reason=reason)

    def with_findings(self, findings: tuple[Finding, ...]) -> ControlResult:
        return self._replace(findings=findings)

    def with_waiver(
        self, waiver: WaiverRef, *, status: ControlStatus | None = None, reason: str | None = None
    ) -> ControlResult:
        """This result with the waiver that applied to it (and, when it covers everything, ``waived``)."""
        if status is None:
            return self._replace(waiver=waiver)
        return self._replace(waiver=waiver, status=status, reason=reason)

    def with_location(self, location: SourceLocation | None, findings: tuple[Finding, ...]) -> ControlResult:
        """This result pointing at ``location``, with ``findings`` (the same ones, located)."""
        return self._replace(location=location, findings=findings)

    def with_expired_waivers(self, waivers: tuple[WaiverRef, ...]) -> ControlResult:
        return self._replace(expired_waivers=waivers)

    def _replace(self, **changes: object) -> ControlResult:
        _check_changes(changes)
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@record
class RunResult(Result):
    """Every control's result for one evaluation at one moment."""

    now: datetime
    backend: str
    results: tuple[ControlResult, ...]
    scope: tuple[ScopeEntry, ...] = ()

    def with_results(self, results: tuple[ControlResult, ...]) -> RunResult:
        """The same run with other results (the pytest plugin's, gathered from its items)."""
        return RunResult(now=self.now, backend=self.backend, results=results, scope=self.scope)

    def result(self, control_id: str) -> ControlResult:
        for result in self.results:
            if result.control == control_id:
                return result
        raise KeyError(control_id)

    @property
    def counts(self) -> dict[str, int]:
        """How many controls have each status, keyed by the status words (every status, zeros too)."""
        counts = {status.value: 0 for status in ControlStatus}
        for result in self.results:
            counts[result.status.value] += 1
        return counts


# What a named update may put in a result's field: a mistake fails here, not in a renderer.
_CHANGE_TYPES: dict[str, type | tuple[type, ...]] = {
    "status": ControlStatus,
    "reason": (str, type(None)),
    "findings": tuple,
    "errors": tuple,
    "waiver": (WaiverRef, type(None)),
    "location": (SourceLocation, type(None)),
    "expired_waivers": tuple,
}


def _check_changes(changes: dict[str, object]) -> None:
    for name, value in changes.items():
        if not isinstance(value, _CHANGE_TYPES[name]):
            raise TypeError(f"a result's {name} cannot be a {type(value).__name__}")
    for name, kind in (("findings", Finding), ("expired_waivers", WaiverRef)):
        items = changes.get(name, ())
        if not all(isinstance(item, kind) for item in items):  # type: ignore[attr-defined]
            raise TypeError(f"a result's {name} are {kind.__name__} records")
