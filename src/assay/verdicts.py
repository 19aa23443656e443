"""Requirement verdicts: the one place that decides a framework requirement's status, and why.

A requirement's own verdict comes from, in order:

1. its dates: ``superseded`` after its last day (or at any date, when it is withdrawn without one),
   ``best_practice`` before its first mandatory day;
2. the company's scope: ``out_of_scope`` when not applicable; when inherited from a provider, only
   while the control proving the provider's assurance report was reviewed passes (else
   ``not_assessed``); the complementary controls the company runs itself are named beside it;
3. its mapped controls: ``not_covered`` with none; ``not_met`` when one fails or errors;
   ``not_assessed`` when one could not be assessed; otherwise the coverage decides: ``met`` (or
   ``met_with_exceptions`` when a control is only waived) when the passing controls cover it fully,
   ``partially_met`` when they do not.

Then hierarchies roll up (:func:`rolled_up`, :func:`combined`): a heading takes the most urgent
status of its children, and a requirement with children (a HIPAA standard and its implementation
specifications, PCI DSS 8.3 and 8.3.1...) is never met while a child is not.

Every renderer, the trust page and the pack index read the statuses decided here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from assay.lean_dataclasses import frozen
from assay.model import ControlStatus, Requirement, RequirementStatus, ScopeEntry

RequirementCoverage = Literal["full", "partial", "none"]
_FAILING = frozenset({ControlStatus.FAIL, ControlStatus.ERROR})
_SATISFIED = frozenset({ControlStatus.PASS, ControlStatus.WAIVED})
# The most urgent first: a heading shows the first of these that any child has.
ROLLUP_ORDER = (
    RequirementStatus.NOT_MET,
    RequirementStatus.NOT_ASSESSED,
    RequirementStatus.NOT_COVERED,
    RequirementStatus.PARTIALLY_MET,
    RequirementStatus.MET_WITH_EXCEPTIONS,
    RequirementStatus.MET,
    RequirementStatus.BEST_PRACTICE,
    RequirementStatus.OUT_OF_SCOPE,
    RequirementStatus.SUPERSEDED,
)
# Statuses of requirements not mandatory for this company at the evaluation date: left out of the
# share met and of a parent's roll-up.
NOT_IN_SCOPE = (
    RequirementStatus.OUT_OF_SCOPE,
    RequirementStatus.SUPERSEDED,
    RequirementStatus.BEST_PRACTICE,
)
# A reason names this many children at most: a heading over forty unmapped ones stays readable.
_NAMED = 5
# The statuses a requirement in scope can have once its controls are judged, best first.
_MET_LIKE = (RequirementStatus.MET, RequirementStatus.MET_WITH_EXCEPTIONS)


@frozen
class Support:
    """One control behind a requirement, as a verdict sees it."""

    control: str
    status: ControlStatus | None  # None: the control was not part of the run
    coverage: Literal["full", "partial", "supporting"]
    attestation_only: bool = False  # every evidence item the control reads is a person's statement


@frozen
class Verdict:
    """A requirement's status, how much of it the passing controls cover, and the reason in words."""

    status: RequirementStatus
    coverage: RequirementCoverage | None = None  # None where coverage is not judged (out of scope, ...)
    reason: str | None = None
    attestation_only: bool = False  # the verdict rests on attestations alone


Together = frozenset[str]  # the partial controls a "together: full" statement names


def coverage_of(
    controls: Sequence[Support], *, together: Sequence[Together] = (), counts: frozenset[str] | None = None
) -> RequirementCoverage:
    """How much of a requirement its satisfied controls cover.

    ``full`` when a satisfied ``full`` control exists, or when a mapping states that its partial
    controls together satisfy it and every one it names is satisfied (a control left out of the run
    is not); ``partial`` when a satisfied control covers part of it; ``none`` otherwise (only
    supporting controls, or nothing satisfied). ``counts`` limits the controls that may count
    (``--require-system-evidence`` leaves attestations out).
    """
    usable = [c for c in controls if counts is None or c.control in counts]
    satisfied = [c for c in usable if c.status in _SATISFIED]
    if any(c.coverage == "full" for c in satisfied):
        return "full"
    satisfied_ids = {c.control for c in satisfied}
    if any(group and group <= satisfied_ids for group in together):
        return "full"
    if any(c.coverage == "partial" for c in satisfied):
        return "partial"
    return "none"


def controls_verdict(
    controls: Sequence[Support], *, together: Sequence[Together] = (), require_system_evidence: bool = False
) -> Verdict:
    """A requirement's verdict from its mapped controls alone (no dates, no scope, no children)."""
    if not controls:
        return Verdict(RequirementStatus.NOT_COVERED, None, "no control is mapped to it")
    coverage = coverage_of(controls, together=together)
    failing = [c.control for c in controls if c.status in _FAILING]
    if failing:
        return Verdict(RequirementStatus.NOT_MET, coverage, f"{', '.join(failing)} did not pass")
    unassessed = [c.control for c in controls if c.status not in _SATISFIED]
    if unassessed:
        reason = f"{', '.join(unassessed)} could not be assessed"
        return Verdict(RequirementStatus.NOT_ASSESSED, coverage, reason)
    return _satisfied_verdict(
        controls, coverage, together=together, require_system_evidence=require_system_evidence
    )


def _satisfied_verdict(
    controls: Sequence[Support],
    coverage: RequirementCoverage,
    *,
    together: Sequence[Together],
    require_system_evidence: bool,
) -> Verdict:
    """Every mapped control passes or is waived: the coverage, and the evidence kind, decide."""
    attested = all(c.attestation_only for c in controls)
    if coverage != "full":
        return Verdict(RequirementStatus.PARTIALLY_MET, coverage, _short_reason(controls, coverage), attested)
    if require_system_evidence:
        system = frozenset(c.control for c in controls if not c.attestation_only)
        if coverage_of(controls, together=together, counts=system) != "full":
            reason = "its full coverage rests on attestations, and system evidence is required"
            return Verdict(RequirementStatus.PARTIALLY_MET, coverage, reason, attested)
    waived = [c.control for c in controls if c.status is ControlStatus.WAIVED]
    if waived:
        reason = f"{', '.join(waived)} {'is' if len(waived) == 1 else 'are'} waived"
        return Verdict(RequirementStatus.MET_WITH_EXCEPTIONS, coverage, reason, attested)
    return Verdict(RequirementStatus.MET, coverage, None, attested)


def _short_reason(controls: Sequence[Support], coverage: RequirementCoverage) -> str:
    if coverage == "partial":
        return "the controls that pass (or are waived) cover only part of it"
    if all(c.coverage == "supporting" for c in controls):
        return "only supporting controls are mapped to it"
    return "the controls that would cover it are not all satisfied"


def dated_verdict(requirement: Requirement, on: date) -> Verdict | None:
    """``superseded`` or ``best_practice`` when the requirement is not mandatory on ``on``, else None.

    A requirement withdrawn from its framework with no last day is ``superseded`` at any date.
    """
    if requirement.superseded_after is not None and on > requirement.superseded_after:
        reason = f"superseded by {requirement.successor} after {requirement.superseded_after.isoformat()}"
        return Verdict(RequirementStatus.SUPERSEDED, None, reason)
    if requirement.withdrawn and requirement.superseded_after is None:
        replaced = f", replaced by {requirement.successor}" if requirement.successor else " with no successor"
        return Verdict(RequirementStatus.SUPERSEDED, None, f"withdrawn from the framework{replaced}")
    if requirement.effective_from is not None and on < requirement.effective_from:
        reason = f"a best practice until {requirement.effective_from.isoformat()}, mandatory from then"
        return Verdict(RequirementStatus.BEST_PRACTICE, None, reason)
    return None


def scoped_verdict(entry: ScopeEntry, statuses: dict[str, ControlStatus]) -> Verdict:
    """The verdict of a requirement the scope file names: not applicable, or inherited and proven."""
    if entry.applicability == "not_applicable":
        return Verdict(RequirementStatus.OUT_OF_SCOPE, None, f"not applicable: {entry.justification}")
    proof = entry.proven_by or ""
    proof_status = statuses.get(proof)
    if proof_status is not ControlStatus.PASS:
        shown = proof_status.value if proof_status is not None else "not part of this run"
        reason = (
            f"inherited from {entry.provider}, but {proof} (which proves {entry.provider}'s assurance "
            f"report was reviewed) is {shown}"
        )
        return Verdict(RequirementStatus.NOT_ASSESSED, None, reason)
    reason = f"inherited from {entry.provider}, proven by {proof}"
    failing = [c for c in entry.complementary_controls if statuses.get(c) in _FAILING]
    if failing:
        # Complementary controls are judged under the requirements they map to; here they are named
        # so a reader sees the provider's carve-out leaning on a control that does not pass.
        reason += f"; complementary control {', '.join(failing)} did not pass"
    return Verdict(RequirementStatus.OUT_OF_SCOPE, None, reason)


def rolled_up(children: Iterable[RequirementStatus]) -> RequirementStatus:
    """A heading's status: the most urgent of its children's."""
    present = set(children)
    if not present:
        return RequirementStatus.NOT_COVERED
    for status in ROLLUP_ORDER:
        if status in present:
            return status
    raise AssertionError("unreachable")  # pragma: no cover


def combined(own: Verdict, children: dict[str, RequirementStatus]) -> Verdict:
    """A requirement with children: its own verdict, never better than what its children allow.

    Children that are not mandatory (out of scope, superseded, best practice) do not count. With no
    control of its own, the requirement takes its children's status. A child that is not met or not
    assessed carries over; one not covered or partially met makes a met parent partially met; a
    child met only with exceptions makes a met parent met with exceptions.
    """
    counted = {cid: s for cid, s in children.items() if s not in NOT_IN_SCOPE}
    if own.status in NOT_IN_SCOPE or not counted:
        return own
    worst = rolled_up(counted.values())
    because = _because(counted, worst)
    if own.status is RequirementStatus.NOT_COVERED:
        return Verdict(worst, None, None if worst in _MET_LIKE else f"from its parts: {because}")
    status = _capped(own.status, worst)
    if status is own.status:
        return own
    return Verdict(status, own.coverage, because, own.attestation_only)


def heading_verdict(children: dict[str, RequirementStatus]) -> Verdict:
    """A heading's verdict: the most urgent status of its children, naming the children that have it."""
    worst = rolled_up(children.values())
    if not children or worst in _MET_LIKE:
        return Verdict(worst)
    return Verdict(worst, None, f"from its parts: {_because(children, worst)}")


def _because(children: dict[str, RequirementStatus], status: RequirementStatus) -> str:
    culprits = sorted(cid for cid, s in children.items() if s is status)
    shown = ", ".join(culprits[:_NAMED])
    if len(culprits) > _NAMED:
        shown += f" and {len(culprits) - _NAMED} more"
    return f"{shown} {'is' if len(culprits) == 1 else 'are'} {status.value}"


def _capped(own: RequirementStatus, worst_child: RequirementStatus) -> RequirementStatus:
    """The parent's status given its own and its most urgent child's."""
    urgent = (RequirementStatus.NOT_MET, RequirementStatus.NOT_ASSESSED)
    if worst_child in urgent:
        return worst_child if ROLLUP_ORDER.index(worst_child) < ROLLUP_ORDER.index(own) else own
    if own in _MET_LIKE and worst_child in (RequirementStatus.NOT_COVERED, RequirementStatus.PARTIALLY_MET):
        return RequirementStatus.PARTIALLY_MET
    if own is RequirementStatus.MET and worst_child is RequirementStatus.MET_WITH_EXCEPTIONS:
        return RequirementStatus.MET_WITH_EXCEPTIONS
    return own
