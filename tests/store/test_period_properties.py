"""Properties of the operating-period computation over arbitrary run histories."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from assay.store.period import FAILING, NOT_ASSESSED, OPERATED, period_report
from assay.store.records import Expectation, RunInfo

START = datetime(2026, 1, 1, tzinfo=UTC)
STATUSES = st.sampled_from(["pass", "fail", "error", "waived", "not_assessed"])
histories = st.lists(st.tuples(st.integers(0, 100 * 24), STATUSES), max_size=40, unique_by=lambda r: r[0])


@given(histories, st.integers(1, 72), st.integers(0, 72))
def test_failing_intervals_partition_the_failing_runs_and_the_verdict_follows(
    history: list[tuple[int, str]], frequency_hours: int, tolerance_hours: int
) -> None:
    history.sort()
    runs = [
        RunInfo(f"r{h:05d}", START + timedelta(hours=h), START, "0", "v", "h", "native") for h, _ in history
    ]
    statuses = {f"r{h:05d}": {"C-01": s} for h, s in history}
    expectation = Expectation(timedelta(hours=frequency_hours), timedelta(hours=tolerance_hours))
    end = START + timedelta(hours=100 * 24)
    [result] = period_report(
        START,
        end,
        runs=runs,
        statuses=statuses,
        evidence={},
        expectations={"C-01": expectation},
        controls=("C-01",),
    ).controls
    covering = [(f"r{h:05d}", s) for h, s in history if s != "not_assessed"]
    assert result.runs == len(covering)
    failing_runs = [r for r, s in covering if s in FAILING]
    in_intervals = []
    for interval in result.failing:
        ids = [r for r, _ in covering]
        span = ids[ids.index(interval.first_run) : ids.index(interval.last_run) + 1]
        assert all(dict(covering)[r] in FAILING for r in span)
        in_intervals += span
        assert interval.duration >= timedelta(0)
    assert in_intervals == failing_runs
    if not covering:
        assert result.verdict == NOT_ASSESSED
    elif result.verdict == OPERATED:
        assert result.longest_gap is not None
        assert result.longest_gap <= expectation.frequency
        assert tolerance_hours > 0 or not result.failing  # tolerance 0 tolerates no failing interval
        assert all(interval.duration <= expectation.tolerance for interval in result.failing)
    else:
        assert result.reasons
