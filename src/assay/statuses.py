"""The status words of the contract in DESIGN.md: severities, control statuses, requirement statuses."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How much a failing control matters."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)


class ControlStatus(StrEnum):
    """The outcome of one control."""

    PASS = "pass"  # noqa: S105 - the status "pass", not a password
    FAIL = "fail"
    ERROR = "error"
    NOT_ASSESSED = "not_assessed"
    WAIVED = "waived"


class RequirementStatus(StrEnum):
    """The outcome of one framework requirement in a gap report."""

    MET = "met"
    MET_WITH_EXCEPTIONS = "met_with_exceptions"  # would be met, but a mapped control is only waived
    PARTIALLY_MET = "partially_met"  # every mapped control passes, but together they do not cover it all
    NOT_MET = "not_met"
    NOT_ASSESSED = "not_assessed"
    NOT_COVERED = "not_covered"
    OUT_OF_SCOPE = "out_of_scope"
    SUPERSEDED = "superseded"  # replaced by a later requirement at the evaluation date, or withdrawn
    BEST_PRACTICE = "best_practice"  # not yet mandatory at the evaluation date (future-dated)
