"""Gap reports: a run's control results seen through each framework's requirements.

Each requirement's status is its verdict (:mod:`assay.verdicts`, the one place statuses are decided),
with the controls, coverage, exceptions, scope and dates it rests on. Headings are not assessed: their
status is rolled up from their children and they are left out of the counts.

:class:`Report` is everything a renderer needs; renderers read it and nothing else.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from assay._version import __version__
from assay.attestations import artefact_files, attestation_names
from assay.evidence import EvidenceStore, name_for
from assay.loading.catalog import Catalog
from assay.model import (
    ControlStatus,
    Framework,
    Requirement,
    RequirementStatus,
    ScopeEntry,
    Waiver,
)
from assay.report_records import (
    REPORT_SCHEMA_VERSION as REPORT_SCHEMA_VERSION,
)
from assay.report_records import (
    ComplementaryControl as ComplementaryControl,
)
from assay.report_records import (
    ControlEntry as ControlEntry,
)
from assay.report_records import (
    ControlRequirement as ControlRequirement,
)
from assay.report_records import (
    EvidenceEntry as EvidenceEntry,
)
from assay.report_records import (
    FrameworkReport as FrameworkReport,
)
from assay.report_records import (
    MappedControlStatus as MappedControlStatus,
)
from assay.report_records import (
    Report as Report,
)
from assay.report_records import (
    RequirementResult as RequirementResult,
)
from assay.report_records import (
    ScopeNote as ScopeNote,
)
from assay.report_records import (
    WaiverNotice as WaiverNotice,
)
from assay.results import ControlResult, RunResult, WaiverRef
from assay.verdicts import (
    NOT_IN_SCOPE,
    Support,
    Together,
    Verdict,
    combined,
    controls_verdict,
    dated_verdict,
    heading_verdict,
    scoped_verdict,
)

EXPIRY_WINDOW = timedelta(days=30)
# What a report row carries over from its requirement as it is.
_CARRIED = ("id", "title", "parent", "heading", "implementation", "withdrawn", "parameters", "parts")
_CARRIED_DATES = ("superseded_after", "effective_from")
# What a report's control entry carries over from the control's result.
_RESULT_FIELDS = tuple(field.name for field in dataclasses.fields(ControlResult))


def exception_text(control: str, waiver: WaiverRef) -> str:
    """How a report row names an exception: the control, the waiver's ticket, approver and expiry."""
    who = f"approved by {waiver.approver}, until {waiver.expires}"
    return f"exception: {control} waived by {waiver.ticket}, {who}"


def framework_report(
    catalog: Catalog,
    framework: Framework,
    run: RunResult,
    scope: Sequence[ScopeEntry],
    *,
    require_system_evidence: bool = False,
) -> FrameworkReport:
    """Every requirement's verdict in one framework (see :mod:`assay.verdicts`), hierarchies rolled up."""
    scoped = {s.requirement: s for s in scope if s.framework == framework.key}
    mapped = _mapped_statuses(catalog, framework.key, run)
    together = _together_statements(catalog, framework.key)
    statuses = {r.control: r.status for r in run.results}
    own: dict[str, Verdict] = {}
    for requirement in framework.requirements:
        if not requirement.heading:
            own[requirement.id] = _own_verdict(
                requirement,
                mapped[requirement.id],
                scoped.get(requirement.id),
                statuses,
                run.now.date(),
                together=[members for _, members in together.get(requirement.id, ())],
                require_system_evidence=require_system_evidence,
            )
    verdict_of = _rolled_up_verdicts(framework, own)
    rows = tuple(
        _requirement_row(
            requirement,
            verdict_of(requirement.id),
            mapped[requirement.id],
            _scope_note(scoped.get(requirement.id), statuses),
            "; ".join(rationale for rationale, _ in together.get(requirement.id, ())) or None,
        )
        for requirement in framework.requirements
    )
    counts = {status.value: 0 for status in RequirementStatus}
    for requirement_id in own:
        counts[verdict_of(requirement_id).status.value] += 1
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


def _own_verdict(
    requirement: Requirement,
    controls: list[MappedControlStatus],
    entry: ScopeEntry | None,
    statuses: dict[str, ControlStatus],
    on: date,
    *,
    together: Sequence[Together],
    require_system_evidence: bool,
) -> Verdict:
    """A requirement's verdict before roll-up: its dates, then its scope, then its controls."""
    dated = dated_verdict(requirement, on)
    if dated is not None:
        return dated
    if entry is not None:
        return scoped_verdict(entry, statuses)
    support = [Support(c.control, c.status, c.coverage, c.attestation_only) for c in controls]
    return controls_verdict(support, together=together, require_system_evidence=require_system_evidence)


def _together_statements(catalog: Catalog, key: str) -> dict[str, list[tuple[str, Together]]]:
    """Per requirement of framework ``key``: each "together: full" statement, with the controls it names
    (several when a company's mapping file adds one to the built-in one's: each judged on its own)."""
    statements: dict[str, dict[Together, str]] = defaultdict(dict)
    for mapping in catalog.mappings:
        if mapping.framework == key and mapping.together is not None:
            statements[mapping.requirement][frozenset(mapping.together_with)] = mapping.together
    return {req: [(text, members) for members, text in found.items()] for req, found in statements.items()}


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
                    coverage=mapping.coverage,
                    rationale=mapping.rationale,
                    waiver=result.waiver if waived and result is not None else None,
                    attestation_only=catalog.control(mapping.control).attestation_only,
                )
            )
    return mapped


def _rolled_up_verdicts(framework: Framework, own: dict[str, Verdict]) -> Callable[[str], Verdict]:
    """A requirement's final verdict: a heading's from its children, any other's combined with them."""
    children: dict[str, list[str]] = defaultdict(list)
    for requirement in framework.requirements:
        if requirement.parent is not None:
            children[requirement.parent].append(requirement.id)
    final: dict[str, Verdict] = {}

    def verdict_of(requirement_id: str) -> Verdict:
        if requirement_id not in final:
            below = {child: verdict_of(child).status for child in children[requirement_id]}
            if requirement_id in own:
                final[requirement_id] = combined(own[requirement_id], below)
            else:
                final[requirement_id] = heading_verdict(below)
        return final[requirement_id]

    return verdict_of


def _scope_note(entry: ScopeEntry | None, statuses: dict[str, ControlStatus]) -> ScopeNote | None:
    if entry is None:
        return None
    return ScopeNote(
        applicability=entry.applicability,
        provider=entry.provider,
        proven_by=entry.proven_by,
        proof_status=statuses.get(entry.proven_by) if entry.proven_by else None,
        complementary_controls=tuple(
            ComplementaryControl(control=c, status=statuses.get(c)) for c in entry.complementary_controls
        ),
        justification=entry.justification,
    )


def _requirement_row(
    requirement: Requirement,
    verdict: Verdict,
    controls: list[MappedControlStatus],
    scope: ScopeNote | None,
    together: str | None,
) -> RequirementResult:
    return RequirementResult(
        **{name: getattr(requirement, name) for name in _CARRIED + _CARRIED_DATES},
        status=verdict.status,
        coverage=verdict.coverage,
        reason=verdict.reason,
        attestation_only=verdict.attestation_only,
        together=together,
        controls=tuple(controls),
        scope=scope,
        successor=requirement.successor if verdict.status is RequirementStatus.SUPERSEDED else None,
    )


def build_report(
    catalog: Catalog,
    run: RunResult,
    *,
    evidence: EvidenceStore | None = None,
    waivers: Sequence[Waiver] = (),
    frameworks: Sequence[str] | None = None,
    require_system_evidence: bool = False,
) -> Report:
    """Assemble the gap report of ``run`` for the given frameworks.

    By default, every framework the catalog maps a control onto: a company that maps nothing onto
    HIPAA does not get a HIPAA report that is all ``not_covered``.
    """
    keys = list(frameworks) if frameworks is not None else mapped_frameworks(catalog)
    reports = tuple(
        framework_report(
            catalog, catalog.frameworks[k], run, run.scope, require_system_evidence=require_system_evidence
        )
        for k in keys
    )
    statuses = {(f.key, r.id): r.status for f in reports for r in f.requirements}
    return Report(
        assay_version=__version__,
        generated_at=run.now,
        backend=run.backend,
        summary=run.counts,
        unused_evidence=tuple(unused_evidence(catalog, evidence)),
        frameworks=reports,
        controls=tuple(_control_entry(catalog, result, statuses) for result in run.results),
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
    """The evidence names in ``store`` that no control of ``catalog`` reads, sorted.

    Files an attestation cites as its artefacts are read too: their hashes are verified.
    """
    if store is None:
        return []
    read = {requirement.name for control in catalog.controls for requirement in control.evidence}
    for name in attestation_names(catalog):
        item = store.get(name)
        if item is not None:
            read |= {name_for(file) for file in artefact_files(item.data)}
    return sorted({item.name for item in store.items()} - read)


def mapped_frameworks(catalog: Catalog) -> list[str]:
    """The keys of the frameworks that at least one mapping of the catalog targets, sorted."""
    return sorted({m.framework for m in catalog.mappings})


def _control_entry(
    catalog: Catalog, result: ControlResult, statuses: dict[tuple[str, str], RequirementStatus]
) -> ControlEntry:
    control = catalog.control(result.control)
    source = catalog.control_sources.get(result.control)
    mappings: dict[str, list[str]] = defaultdict(list)
    requirements = []
    for mapping in catalog.mappings_of(result.control):
        mappings[mapping.framework].append(mapping.requirement)
        requirements.append(
            ControlRequirement(
                framework=mapping.framework,
                requirement=mapping.requirement,
                coverage=mapping.coverage,
                status=statuses.get((mapping.framework, mapping.requirement)),
            )
        )
    position = source.position("id") if source is not None else None
    return ControlEntry(
        **{name: getattr(result, name) for name in _RESULT_FIELDS},  # its findings as they are
        claim=control.claim,
        remediation=control.remediation,
        file=source.file if source is not None else None,
        line=position.line if position is not None else None,
        mappings={k: tuple(v) for k, v in sorted(mappings.items())},
        requirements=tuple(requirements),
        attestation_only=control.attestation_only,
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
