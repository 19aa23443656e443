"""What the run store gives back: frozen records of runs, results, periods and differences."""

from __future__ import annotations

from dataclasses import field
from datetime import datetime, timedelta

from assay.lean_dataclasses import frozen


@frozen
class RunInfo:
    """One recorded run: when it evaluated, with which assay and catalog, and its control counts."""

    id: str
    evaluated_at: datetime
    recorded_at: datetime
    assay_version: str
    catalog_version: str
    catalog_hash: str
    backend: str
    summary: dict[str, int] = field(default_factory=dict)


@frozen
class StoredFinding:
    rule: str
    resource: str | None
    message: str
    waived_by: str | None = None


@frozen
class StoredControl:
    control: str
    status: str
    severity: str
    findings: tuple[StoredFinding, ...] = ()

    @property
    def failing_resources(self) -> frozenset[str]:
        """The resources (or rules, for a finding about the whole control) with an unwaived finding."""
        return frozenset(f.resource or f"rule {f.rule}" for f in self.findings if f.waived_by is None)


@frozen
class StoredEvidence:
    name: str
    sha256: str | None
    collected_at: datetime | None = None
    as_of: datetime | None = None
    source: str | None = None
    path: str | None = None


@frozen
class StoredRun:
    """A whole recorded run: its controls, requirement statuses (by framework and id) and evidence."""

    info: RunInfo
    controls: dict[str, StoredControl]
    requirements: dict[tuple[str, str], str]
    evidence: dict[str, StoredEvidence]


@frozen
class Expectation:
    """How often a control must run and how long it may fail, for "operated effectively"."""

    frequency: timedelta = timedelta(days=1)
    tolerance: timedelta = timedelta(0)


@frozen
class FailingInterval:
    """Consecutive runs in which a control failed: the first and last of them, and the run that ended it."""

    first_run: str
    first_at: datetime
    last_run: str
    last_at: datetime
    recovered_run: str | None = None
    recovered_at: datetime | None = None
    # From the first failing run to the run that passed again, or to the end of the period.
    duration: timedelta = timedelta(0)


@frozen
class Sample:
    """A run that covered a control in a period, and the control's status in it."""

    run: str
    at: datetime
    status: str


@frozen
class ControlPeriod:
    control: str
    verdict: str  # operated_effectively, not_operated_effectively, not_assessed
    runs: int
    longest_gap: timedelta | None
    failing: tuple[FailingInterval, ...]
    expectation: Expectation
    reasons: tuple[str, ...] = ()
    samples: tuple[Sample, ...] = ()


@frozen
class PeriodReport:
    start: datetime
    end: datetime
    runs: tuple[RunInfo, ...]
    controls: tuple[ControlPeriod, ...]
    evidence: dict[str, dict[str, str | None]] = field(default_factory=dict)  # run id -> name -> sha256


@frozen
class StatusChange:
    key: str  # a control id, or FRAMEWORK:REQUIREMENT
    before: str | None
    after: str | None


@frozen
class RunDiff:
    """What changed from run ``a`` to run ``b``."""

    a: RunInfo
    b: RunInfo
    controls: tuple[StatusChange, ...]
    requirements: tuple[StatusChange, ...]
    started_failing: dict[str, tuple[str, ...]]  # control -> resources
    stopped_failing: dict[str, tuple[str, ...]]
    evidence: tuple[StatusChange, ...]  # key: evidence name; before/after: sha256


@frozen
class ControlPoint:
    """A control in one recorded run: its status and how many resources failed it."""

    run: str
    at: datetime
    status: str
    failing_resources: int
