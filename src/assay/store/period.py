"""Operating periods: whether each control operated effectively over a period, for a SOC 2 Type 2 sample.

A run *covers* a control when the control was evaluated in it (``pass``, ``fail``, ``error`` or
``waived``; ``not_assessed`` covers nothing). Over a period, per control:

- the runs that covered it, and the longest gap: between the period's start and the first covering
  run, between two covering runs, and between the last one and the period's end;
- its failing intervals: consecutive covering runs with ``fail`` or ``error``, from the first of them
  to the run that passed again (or to the end of the period);
- **operated effectively** when at least one run covered it, the longest gap is no longer than its
  ``frequency``, and every failing interval is tolerated: with ``tolerance`` 0 (the default) none is,
  otherwise one lasting at most ``tolerance`` is. No covering run at all: ``not_assessed``, never
  "operated effectively".
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from assay.store.records import ControlPeriod, Expectation, FailingInterval, PeriodReport, RunInfo, Sample

OPERATED = "operated_effectively"
NOT_OPERATED = "not_operated_effectively"
NOT_ASSESSED = "not_assessed"
COVERING = frozenset({"pass", "fail", "error", "waived"})
FAILING = frozenset({"fail", "error"})


def period_report(
    start: datetime,
    end: datetime,
    *,
    runs: Sequence[RunInfo],
    statuses: Mapping[str, Mapping[str, str]],
    evidence: Mapping[str, Mapping[str, str | None]],
    expectations: Mapping[str, Expectation],
    controls: Sequence[str] | None = None,
) -> PeriodReport:
    """The period's report from its runs (in time order) and each run's control statuses by control id."""
    names = list(controls) if controls is not None else sorted({c for s in statuses.values() for c in s})
    results = tuple(
        control_period(
            name,
            start=start,
            end=end,
            runs=runs,
            statuses=statuses,
            expectation=expectations.get(name, Expectation()),
        )
        for name in names
    )
    return PeriodReport(start, end, tuple(runs), results, {k: dict(v) for k, v in evidence.items()})


def control_period(
    control: str,
    *,
    start: datetime,
    end: datetime,
    runs: Sequence[RunInfo],
    statuses: Mapping[str, Mapping[str, str]],
    expectation: Expectation,
) -> ControlPeriod:
    covering = [
        (run, statuses[run.id][control]) for run in runs if statuses.get(run.id, {}).get(control) in COVERING
    ]
    if not covering:
        return ControlPeriod(
            control, NOT_ASSESSED, 0, end - start, (), expectation, ("no run in the period evaluated it",)
        )
    moments = [start, *(run.evaluated_at for run, _ in covering), end]
    gap = max(later - earlier for earlier, later in itertools.pairwise(moments))
    failing = failing_intervals(covering, end)
    reasons = []
    if gap > expectation.frequency:
        reasons.append(
            f"a gap of {_days(gap)} between runs, longer than its frequency of {_days(expectation.frequency)}"
        )
    for interval in failing:
        if expectation.tolerance == timedelta(0) or interval.duration > expectation.tolerance:
            reasons.append(
                f"failing from run {interval.first_run} ({interval.first_at.isoformat()}) for "
                f"{_days(interval.duration)}, beyond its tolerance of {_days(expectation.tolerance)}"
            )
    verdict = NOT_OPERATED if reasons else OPERATED
    sampled = tuple(Sample(run.id, run.evaluated_at, status) for run, status in covering)
    return ControlPeriod(control, verdict, len(covering), gap, failing, expectation, tuple(reasons), sampled)


def failing_intervals(covering: Sequence[tuple[RunInfo, str]], end: datetime) -> tuple[FailingInterval, ...]:
    """Each run of consecutive failing results: its first and last run and the run that ended it."""
    found: list[FailingInterval] = []
    first: RunInfo | None = None
    last: RunInfo | None = None
    for run, status in covering:
        if status in FAILING:
            first = first or run
            last = run
            continue
        if first is not None and last is not None:
            found.append(_interval(first, last, run, run.evaluated_at))
            first = last = None
    if first is not None and last is not None:
        found.append(_interval(first, last, None, end))
    return tuple(found)


def _interval(first: RunInfo, last: RunInfo, recovered: RunInfo | None, until: datetime) -> FailingInterval:
    return FailingInterval(
        first_run=first.id,
        first_at=first.evaluated_at,
        last_run=last.id,
        last_at=last.evaluated_at,
        recovered_run=recovered.id if recovered else None,
        recovered_at=recovered.evaluated_at if recovered else None,
        duration=max(until - first.evaluated_at, timedelta(0)),
    )


def _days(value: timedelta) -> str:
    hours = value.total_seconds() / 3600
    return f"{hours / 24:g}d" if hours >= 24 and hours % 24 == 0 else f"{hours:.4g}h"  # noqa: PLR2004
