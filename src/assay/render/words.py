"""The words every renderer uses for a requirement's status, coverage and the facts behind them.

One vocabulary, so the Markdown, HTML, CSV, JUnit, SARIF and terminal reports, the trust page and the
pack index say the same thing about the same requirement.
"""

from __future__ import annotations

from assay.gaps import MappedControlStatus, RequirementResult, exception_text
from assay.model import RequirementStatus

STATUS_MEANINGS: dict[RequirementStatus, str] = {
    RequirementStatus.MET: "every mapped control passes and together they cover the requirement fully",
    RequirementStatus.MET_WITH_EXCEPTIONS: "would be met, but a mapped control is accepted by a waiver",
    RequirementStatus.PARTIALLY_MET: "every mapped control passes, but they cover only part of it",
    RequirementStatus.NOT_MET: "a mapped control fails or errors (or a part of it is not met)",
    RequirementStatus.NOT_ASSESSED: "a mapped control could not be assessed, or an inheritance is unproven",
    RequirementStatus.NOT_COVERED: "no control is mapped to it",
    RequirementStatus.OUT_OF_SCOPE: "not applicable, or inherited from a provider whose report was reviewed",
    RequirementStatus.SUPERSEDED: "replaced by a later requirement at the evaluation date, or withdrawn",
    RequirementStatus.BEST_PRACTICE: "not yet mandatory at the evaluation date",
}
# How much of a requirement its passing controls cover.
REQUIREMENT_COVERAGE = {
    "full": "fully covered",
    "partial": "partly covered",
    "none": "not covered by a passing control",
}
# How much of a requirement one mapped control covers.
CONTROL_COVERAGE = {
    "full": "covers it fully",
    "partial": "covers part of it",
    "supporting": "supports it",
}


def coverage_words(requirement: RequirementResult) -> str:
    """``fully covered``, ``partly covered``, ... or empty where coverage is not judged."""
    return REQUIREMENT_COVERAGE[requirement.coverage] if requirement.coverage is not None else ""


def mapped_words(mapped: MappedControlStatus) -> str:
    """A control behind a requirement: ``IAM-01 (pass, covers part of it)``."""
    status = mapped.status.value if mapped.status is not None else "not run"
    return f"{mapped.control} ({status}, {CONTROL_COVERAGE[mapped.coverage]})"


def requirement_notes(requirement: RequirementResult) -> list[str]:
    """Everything a reader needs beside a requirement's status, as plain sentences."""
    notes = []
    # An out-of-scope row's reason repeats its scope note; any other status's reason says more.
    if requirement.reason and (
        requirement.scope is None or requirement.status is not RequirementStatus.OUT_OF_SCOPE
    ):
        notes.append(f"{requirement.status.value}: {requirement.reason}")
    if requirement.coverage is not None and not requirement.heading:
        notes.append(f"coverage: {coverage_words(requirement)}")
    if requirement.attestation_only:
        notes.append("rests on attestations only (no system evidence)")
    notes += _scope_notes(requirement)
    if requirement.implementation:
        notes.append(f"implementation: {requirement.implementation}")
    if requirement.together:
        notes.append(f"together the partial controls cover it fully: {requirement.together}")
    notes += [f"{m.control} {CONTROL_COVERAGE[m.coverage]}: {m.rationale}" for m in requirement.controls]
    notes += [exception_text(m.control, m.waiver) for m in requirement.controls if m.waiver is not None]
    if requirement.successor is not None and requirement.superseded_after is not None:
        notes.append(f"superseded after {requirement.superseded_after} by {requirement.successor}")
    if requirement.status is RequirementStatus.BEST_PRACTICE and requirement.effective_from is not None:
        notes.append(f"mandatory from {requirement.effective_from}")
    return notes


def _scope_notes(requirement: RequirementResult) -> list[str]:
    scope = requirement.scope
    if scope is None:
        return []
    if scope.applicability == "not_applicable":
        return [f"not applicable: {scope.justification}"]
    proof = scope.proof_status.value if scope.proof_status is not None else "not run"
    notes = [f"inherited from {scope.provider}, proven by {scope.proven_by} ({proof}): {scope.justification}"]
    if scope.complementary_controls:
        cuecs = ", ".join(
            f"{c.control} ({c.status.value if c.status is not None else 'not run'})"
            for c in scope.complementary_controls
        )
        notes.append(f"complementary controls the company runs: {cuecs}")
    return notes
