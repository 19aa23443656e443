"""The gap report's records: what :func:`assay.gaps.build_report` makes and every renderer reads.

The JSON report is :class:`Report` written out (``assay schema report`` gives its schema), so the field
names and their order are stable. The records are plain frozen dataclasses: building a report of a
million findings makes no validator, and pydantic checks one only when a report is read from a file.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Literal

from assay.model import Coverage, RequirementStatus
from assay.records import record
from assay.requirement_text import RequirementParameter, RequirementPart
from assay.results import ControlResult, Result, WaiverRef
from assay.statuses import ControlStatus
from assay.verdicts import RequirementCoverage

REPORT_SCHEMA_VERSION: Literal[1] = 1


@record
class MappedControlStatus(Result):
    """A control behind a requirement, with its status in this run."""

    control: str
    status: ControlStatus | None  # None when the control was not part of this run
    coverage: Coverage
    rationale: str
    waiver: WaiverRef | None = None  # for a waived control: the exception an auditor must see
    attestation_only: bool = False  # its evidence is people's statements only


@record
class ComplementaryControl(Result):
    """A control the company itself runs beside an inherited requirement (a CUEC)."""

    control: str
    status: ControlStatus | None


@record
class ScopeNote(Result):
    applicability: Literal["not_applicable", "inherited"]
    provider: str | None = None
    proven_by: str | None = None
    proof_status: ControlStatus | None = None
    complementary_controls: tuple[ComplementaryControl, ...] = ()
    justification: str


@record
class RequirementResult(Result):
    """One requirement's status and what it rests on."""

    id: str
    title: str
    parent: str | None = None
    heading: bool = False
    implementation: str | None = None
    status: RequirementStatus
    coverage: RequirementCoverage | None = None  # how much of it the satisfied controls cover
    reason: str | None = None  # why the status is what it is, in words
    attestation_only: bool = False  # the verdict rests on people's statements alone
    together: str | None = None  # the mapping's rationale for its partial controls together covering it
    controls: tuple[MappedControlStatus, ...] = ()
    scope: ScopeNote | None = None
    successor: str | None = None  # for a superseded requirement: the one that replaces it
    superseded_after: date | None = None
    effective_from: date | None = None
    withdrawn: bool = False  # withdrawn from its framework (superseded, with or without a successor)
    parameters: tuple[RequirementParameter, ...] = ()  # its text: for display, as the framework gives it
    parts: tuple[RequirementPart, ...] = ()

    @property
    def exceptions(self) -> tuple[WaiverRef, ...]:
        """The waivers this requirement's status rests on (``met_with_exceptions`` lists them)."""
        return tuple(c.waiver for c in self.controls if c.waiver is not None)


@record
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
        """Assessable requirements that are not met, not assessed, not covered or only partially met."""
        open_statuses = {
            RequirementStatus.NOT_MET,
            RequirementStatus.NOT_ASSESSED,
            RequirementStatus.NOT_COVERED,
            RequirementStatus.PARTIALLY_MET,
        }
        return [r for r in self.requirements if not r.heading and r.status in open_statuses]


@record
class ControlRequirement(Result):
    """A requirement a control is mapped to: how much of it the control covers, and its status."""

    framework: str
    requirement: str
    coverage: Coverage
    status: RequirementStatus | None = None  # None when the framework is not in the report


@record
class ControlEntry(ControlResult):
    """A control's result with what a reader of the report needs beside it."""

    claim: str
    remediation: str
    file: str | None = None
    line: int | None = None
    mappings: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    requirements: tuple[ControlRequirement, ...] = ()
    attestation_only: bool = False  # every evidence item it reads is a person's statement (OSCAL EXAMINE)


@record
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


@record
class WaiverNotice(Result):
    control: str
    waiver: WaiverRef
    days_left: int


@record
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
