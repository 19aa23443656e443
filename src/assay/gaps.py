"""Gap reports: a run's control results seen through each framework's requirements.

A requirement is ``out_of_scope`` when scope says so; ``not_covered`` when no control maps to it;
``not_met`` when a mapped control fails or errors; ``not_assessed`` when none fails but one could not
be assessed; ``met`` when every mapped control passes or is waived. Headings are not assessed: their
status is rolled up from their children and they are left out of the counts.

:class:`Report` is everything a renderer needs; renderers read it and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import Field

from assay._version import __version__
from assay.evidence import EvidenceStore
from assay.loading.catalog import Catalog
from assay.model import ControlStatus, Framework, Requirement, RequirementStatus, ScopeEntry, Waiver
from assay.results import ControlResult, Result, RunResult, WaiverRef

REPORT_SCHEMA_VERSION: Literal[1] = 1
EXPIRY_WINDOW = timedelta(days=30)
_FAILING = {ControlStatus.FAIL, ControlStatus.ERROR}
_ROLLUP_ORDER = (
    RequirementStatus.NOT_MET,
    RequirementStatus.NOT_ASSESSED,
    RequirementStatus.NOT_COVERED,
    RequirementStatus.MET_WITH_EXCEPTIONS,
    RequirementStatus.MET,
    RequirementStatus.OUT_OF_SCOPE,
    RequirementStatus.SUPERSEDED,
)
# Statuses of requirements that are not in scope at the evaluation date: not counted in the share met.
NOT_IN_SCOPE = (RequirementStatus.OUT_OF_SCOPE, RequirementStatus.SUPERSEDED)


class MappedControlStatus(Result):
    """A control behind a requirement, with its status in this run."""

    control: str
    status: ControlStatus | None  # None when the control was not part of this run
    rationale: str | None = None
    waiver: WaiverRef | None = None  # for a waived control: the exception an auditor must see


class ScopeNote(Result):
    applicability: Literal["not_applicable", "inherited"]
    provider: str | None = None
    justification: str


class RequirementResult(Result):
    """One requirement's status and what it rests on."""

    id: str
    title: str
    parent: str | None = None
    heading: bool = False
    implementation: str | None = None
    status: RequirementStatus
    controls: tuple[MappedControlStatus, ...] = ()
    scope: ScopeNote | None = None
    successor: str | None = None  # for a superseded requirement: the one that replaces it
    superseded_after: date | None = None

    @property
    def exceptions(self) -> tuple[WaiverRef, ...]:
        """The waivers this requirement's status rests on (``met_with_exceptions`` lists them)."""
        return tuple(c.waiver for c in self.controls if c.waiver is not None)


class FrameworkReport(Result):
    """The gap report of one framework."""

    key: str
    name: str
    version: str
    assessable: int
    counts: dict[str, int]  # keyed by the status words, every status (zeros too)
    share_met: float | None  # met / (assessable - out_of_scope); None when nothing is in scope
    requirements: tuple[RequirementResult, ...]

    def gaps(self) -> list[RequirementResult]:
        """Assessable requirements that are not met, not assessed or not covered."""
        open_statuses = {
            RequirementStatus.NOT_MET,
            RequirementStatus.NOT_ASSESSED,
            RequirementStatus.NOT_COVERED,
        }
        return [r for r in self.requirements if not r.heading and r.status in open_statuses]


class ControlEntry(ControlResult):
    """A control's result with what a reader of the report needs beside it."""

    claim: str
    remediation: str
    file: str | None = None
    line: int | None = None
    mappings: dict[str, tuple[str, ...]] = Field(default_factory=dict)


class EvidenceEntry(Result):
    """A row of the evidence freshness table."""

    name: str
    path: str | None = None
    source: str | None = None
    sha256: str | None = None
    collected_at: datetime | None = None
    as_of: datetime | None = None
    age_days: float | None = None
    used_by: tuple[str, ...] = ()
    problem: str | None = None


class WaiverNotice(Result):
    control: str
    waiver: WaiverRef
    days_left: int


class Report(Result):
    """A whole gap report: the JSON report is exactly this record (``assay schema report``)."""

    schema_version: Literal[1] = REPORT_SCHEMA_VERSION
    assay_version: str
    generated_at: datetime
    backend: str
    summary: dict[str, int]
    frameworks: tuple[FrameworkReport, ...]
    controls: tuple[ControlEntry, ...]
    evidence: tuple[EvidenceEntry, ...]
    waivers_expiring: tuple[WaiverNotice, ...] = ()
    expired_waivers: tuple[WaiverNotice, ...] = ()
    problems: tuple[str, ...] = ()
    # Evidence names in the evidence folder that no loaded control reads: often a collector's output
    # that a control was meant to judge, or a file put in the wrong place.
    unused_evidence: tuple[str, ...] = ()

    def framework(self, key: str) -> FrameworkReport:
        for framework in self.frameworks:
            if framework.key == key:
                return framework
        raise KeyError(key)

    def control(self, control_id: str) -> ControlEntry:
        for control in self.controls:
            if control.control == control_id:
                return control
        raise KeyError(control_id)


def exception_text(control: str, waiver: WaiverRef) -> str:
    """How a report row names an exception: the control, the waiver's ticket, approver and expiry."""
    who = f"approved by {waiver.approver}, until {waiver.expires}"
    return f"exception: {control} waived by {waiver.ticket}, {who}"


def requirement_status(statuses: Sequence[ControlStatus | None]) -> RequirementStatus:
    """The status of a requirement from the statuses of the controls mapped to it.

    The one place a requirement's status is decided: the gap report in every format, the trust page
    and the pack index all read it. A waived control is an exception, never a pass: a requirement
    that rests on one is ``met_with_exceptions``, not ``met``.
    """
    if not statuses:
        return RequirementStatus.NOT_COVERED
    if any(s in _FAILING for s in statuses):
        return RequirementStatus.NOT_MET
    if all(s is ControlStatus.PASS for s in statuses):
        return RequirementStatus.MET
    if all(s in (ControlStatus.PASS, ControlStatus.WAIVED) for s in statuses):
        return RequirementStatus.MET_WITH_EXCEPTIONS
    return RequirementStatus.NOT_ASSESSED


def rolled_up(children: Iterable[RequirementStatus]) -> RequirementStatus:
    """A heading's status: the most urgent of its children's."""
    present = set(children)
    if not present:
        return RequirementStatus.NOT_COVERED
    if present <= set(NOT_IN_SCOPE):  # nothing under the heading is assessed at this date
        return next(status for status in NOT_IN_SCOPE if status in present)
    for status in _ROLLUP_ORDER:
        if status in present:
            return status
    raise AssertionError("unreachable")  # pragma: no cover


def framework_report(
    catalog: Catalog, framework: Framework, run: RunResult, scope: Sequence[ScopeEntry]
) -> FrameworkReport:
    """Every requirement's status in one framework: own statuses, then headings rolled up."""
    scoped = {s.requirement: s for s in scope if s.framework == framework.key}
    mapped = _mapped_statuses(catalog, framework.key, run)
    own: dict[str, RequirementStatus] = {}
    for requirement in framework.requirements:
        if requirement.heading:
            continue
        if requirement.superseded_after is not None and run.now.date() > requirement.superseded_after:
            own[requirement.id] = RequirementStatus.SUPERSEDED
        elif requirement.id in scoped:
            own[requirement.id] = RequirementStatus.OUT_OF_SCOPE
        else:
            own[requirement.id] = requirement_status([c.status for c in mapped[requirement.id]])
    status_of = _rolled_up_statuses(framework, own)
    rows = tuple(
        _requirement_row(
            requirement, status_of(requirement.id), mapped[requirement.id], scoped.get(requirement.id)
        )
        for requirement in framework.requirements
    )
    counts = {status.value: 0 for status in RequirementStatus}
    for status in own.values():
        counts[status.value] += 1
    in_scope = len(own) - sum(counts[status] for status in NOT_IN_SCOPE)
    return FrameworkReport(
        key=framework.key,
        name=framework.name,
        version=framework.version,
        assessable=len(own),
        counts=counts,
        share_met=round(counts[RequirementStatus.MET] / in_scope, 4) if in_scope else None,
        requirements=rows,
    )


def _mapped_statuses(catalog: Catalog, key: str, run: RunResult) -> dict[str, list[MappedControlStatus]]:
    """Per requirement id of framework ``key``: its controls with their statuses in ``run``."""
    results = {r.control: r for r in run.results}
    mapped: dict[str, list[MappedControlStatus]] = defaultdict(list)
    for mapping in catalog.mappings:
        if mapping.framework == key:
            result = results.get(mapping.control)
            waived = result is not None and result.status is ControlStatus.WAIVED
            mapped[mapping.requirement].append(
                MappedControlStatus(
                    control=mapping.control,
                    status=result.status if result is not None else None,
                    rationale=mapping.rationale,
                    waiver=result.waiver if waived and result is not None else None,
                )
            )
    return mapped


def _rolled_up_statuses(
    framework: Framework, own: dict[str, RequirementStatus]
) -> Callable[[str], RequirementStatus]:
    """A requirement's final status: its own, or (for a heading) rolled up from its children."""
    children: dict[str, list[str]] = defaultdict(list)
    for requirement in framework.requirements:
        if requirement.parent is not None:
            children[requirement.parent].append(requirement.id)
    final: dict[str, RequirementStatus] = {}

    def status_of(requirement_id: str) -> RequirementStatus:
        if requirement_id not in final:
            if requirement_id in own:
                final[requirement_id] = own[requirement_id]
            else:
                final[requirement_id] = rolled_up(status_of(child) for child in children[requirement_id])
        return final[requirement_id]

    return status_of


def _requirement_row(
    requirement: Requirement,
    status: RequirementStatus,
    controls: list[MappedControlStatus],
    entry: ScopeEntry | None,
) -> RequirementResult:
    scope = None
    if entry is not None:
        scope = ScopeNote(
            applicability=entry.applicability, provider=entry.provider, justification=entry.justification
        )
    return RequirementResult(
        id=requirement.id,
        title=requirement.title,
        parent=requirement.parent,
        heading=requirement.heading,
        implementation=requirement.implementation,
        status=status,
        controls=tuple(controls),
        scope=scope,
        successor=requirement.successor if status is RequirementStatus.SUPERSEDED else None,
        superseded_after=requirement.superseded_after,
    )


def build_report(
    catalog: Catalog,
    run: RunResult,
    *,
    evidence: EvidenceStore | None = None,
    waivers: Sequence[Waiver] = (),
    frameworks: Sequence[str] | None = None,
) -> Report:
    """Assemble the gap report of ``run`` for the given frameworks.

    By default, every framework the catalog maps a control onto: a company that maps nothing onto
    HIPAA does not get a HIPAA report that is all ``not_covered``.
    """
    keys = list(frameworks) if frameworks is not None else mapped_frameworks(catalog)
    reports = tuple(framework_report(catalog, catalog.frameworks[k], run, run.scope) for k in keys)
    return Report(
        assay_version=__version__,
        generated_at=run.now,
        backend=run.backend,
        summary=run.counts,
        unused_evidence=tuple(unused_evidence(catalog, evidence)),
        frameworks=reports,
        controls=tuple(_control_entry(catalog, result) for result in run.results),
        evidence=tuple(_evidence_table(run, evidence)),
        waivers_expiring=tuple(_expiring(waivers, run.now)),
        expired_waivers=tuple(
            WaiverNotice(control=r.control, waiver=w, days_left=(w.expires - run.now.date()).days)
            for r in run.results
            for w in r.expired_waivers
        ),
        problems=tuple(str(p.diagnostic) for p in (evidence.problems() if evidence is not None else ())),
    )


def unused_evidence(catalog: Catalog, store: EvidenceStore | None) -> list[str]:
    """The evidence names in ``store`` that no control of ``catalog`` declares, sorted."""
    if store is None:
        return []
    read = {requirement.name for control in catalog.controls for requirement in control.evidence}
    return sorted({item.name for item in store.items()} - read)


def mapped_frameworks(catalog: Catalog) -> list[str]:
    """The keys of the frameworks that at least one mapping of the catalog targets, sorted."""
    return sorted({m.framework for m in catalog.mappings})


def _control_entry(catalog: Catalog, result: ControlResult) -> ControlEntry:
    control = catalog.control(result.control)
    source = catalog.control_sources.get(result.control)
    mappings: dict[str, list[str]] = defaultdict(list)
    for mapping in catalog.mappings_of(result.control):
        mappings[mapping.framework].append(mapping.requirement)
    position = source.position("id") if source is not None else None
    return ControlEntry(
        **result.model_dump(),
        claim=control.claim,
        remediation=control.remediation,
        file=source.file if source is not None else None,
        line=position.line if position is not None else None,
        mappings={k: tuple(v) for k, v in sorted(mappings.items())},
    )


def _evidence_table(run: RunResult, store: EvidenceStore | None) -> list[EvidenceEntry]:
    used_by: dict[str, list[str]] = defaultdict(list)
    problems: dict[str, str] = {}
    for result in run.results:
        for use in result.evidence:
            used_by[use.name].append(result.control)
            if use.problem and use.name not in problems:
                problems[use.name] = use.problem
    rows: dict[str, EvidenceEntry] = {}
    if store is not None:
        for item in store.items():
            dated = item.dated
            rows[item.name] = EvidenceEntry(
                name=item.name,
                path=item.path,
                source=item.source,
                sha256=item.sha256,
                collected_at=item.collected_at,
                as_of=item.as_of,
                age_days=round((run.now - dated).total_seconds() / 86400, 1) if dated else None,
                used_by=tuple(used_by.get(item.name, ())),
                problem=problems.get(item.name),
            )
    for name, controls in used_by.items():
        if name not in rows:
            rows[name] = EvidenceEntry(name=name, used_by=tuple(controls), problem=problems.get(name))
    return [rows[name] for name in sorted(rows)]


def _expiring(waivers: Sequence[Waiver], now: datetime) -> list[WaiverNotice]:
    notices = []
    for waiver in waivers:
        if waiver.is_active(now) and waiver.is_active(now + EXPIRY_WINDOW) is False:
            notices.append(
                WaiverNotice(
                    control=waiver.control,
                    waiver=WaiverRef.of(waiver),
                    days_left=(waiver.expires - now.date()).days,
                )
            )
    return sorted(notices, key=lambda n: (n.waiver.expires, n.control))
