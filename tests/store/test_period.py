"""Operating periods: runs, gaps, failing intervals and "operated effectively", in the library and CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assay.store.period import NOT_ASSESSED, NOT_OPERATED, OPERATED, period_report
from assay.store.records import Expectation, RunInfo
from tests.commands.conftest import CONTROLS, write
from tests.store.conftest import record, volumes

START = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def runs_on(*days: int) -> list[RunInfo]:
    return [
        RunInfo(f"run{d:03d}", START + d * DAY, START + d * DAY, "0", "v", "h" * 64, "native") for d in days
    ]


def report(statuses: dict[int, str], *, days: int = 10, expectation: Expectation | None = None):  # type: ignore[no-untyped-def]
    runs = runs_on(*sorted(statuses))
    by_run = {f"run{d:03d}": {"C-01": s} for d, s in statuses.items()}
    return period_report(
        START,
        START + days * DAY,
        runs=runs,
        statuses=by_run,
        evidence={},
        expectations={"C-01": expectation or Expectation()},
        controls=("C-01",),
    ).controls[0]


def test_daily_runs_that_all_pass_operated_effectively() -> None:
    result = report(dict.fromkeys(range(10), "pass"))
    assert (result.verdict, result.runs, result.longest_gap, result.failing) == (OPERATED, 10, DAY, ())


def test_one_failing_run_is_an_interval_with_its_first_last_and_recovering_runs() -> None:
    statuses = dict.fromkeys(range(10), "pass") | {3: "fail", 4: "error"}
    result = report(statuses)
    [interval] = result.failing
    assert (interval.first_run, interval.last_run, interval.recovered_run) == ("run003", "run004", "run005")
    assert interval.duration == 2 * DAY
    assert result.verdict == NOT_OPERATED  # tolerance 0: no failing interval at all


def test_a_failing_interval_within_the_tolerance_is_tolerated_and_one_beyond_it_is_not() -> None:
    statuses = dict.fromkeys(range(10), "pass") | {3: "fail"}
    assert report(statuses, expectation=Expectation(tolerance=DAY)).verdict == OPERATED
    longer = statuses | {4: "fail"}
    assert report(longer, expectation=Expectation(tolerance=DAY)).verdict == NOT_OPERATED


def test_a_control_still_failing_at_the_end_fails_until_the_end_of_the_period() -> None:
    result = report({0: "pass", 8: "fail"}, expectation=Expectation(frequency=9 * DAY, tolerance=DAY))
    [interval] = result.failing
    assert interval.recovered_run is None
    assert interval.duration == 2 * DAY  # day 8 to the end, day 10
    assert result.verdict == NOT_OPERATED


def test_a_gap_longer_than_the_frequency_is_not_operated_effectively() -> None:
    statuses = {d: "pass" for d in range(10) if d != 5}
    result = report(statuses)
    assert result.longest_gap == 2 * DAY
    assert result.verdict == NOT_OPERATED
    assert "a gap of 2d between runs, longer than its frequency of 1d" in result.reasons[0]


def test_the_gap_from_the_start_and_to_the_end_counts() -> None:
    quarterly = Expectation(frequency=91 * DAY)
    assert report({45: "pass", 130: "pass"}, days=181, expectation=quarterly).verdict == OPERATED
    assert report({100: "pass"}, days=181, expectation=quarterly).verdict == NOT_OPERATED  # nothing in Q1


def test_a_period_with_no_runs_is_not_assessed_for_every_control() -> None:
    result = period_report(
        START, START + DAY, runs=[], statuses={}, evidence={}, expectations={}, controls=("A-01", "B-01")
    )
    assert [(c.control, c.verdict, c.runs) for c in result.controls] == [
        ("A-01", NOT_ASSESSED, 0),
        ("B-01", NOT_ASSESSED, 0),
    ]


def test_runs_that_did_not_assess_a_control_do_not_cover_it() -> None:
    assert report(dict.fromkeys(range(10), "not_assessed")).verdict == NOT_ASSESSED


# --- the command --------------------------------------------------------------------------------


def record_days(root: Path, url: str, failing: set[int], days: range) -> None:
    for day in days:
        bad = {"aws/ec2/volumes.json": volumes(True, False)} if day in failing else {}
        record(root, url, f"2026-12-{day:02d}T00:00:00Z", evidence=bad)


def test_period_reports_each_control_and_exits_1_when_one_did_not_operate(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    url = str(small / ".assay" / "history.sqlite")
    record_days(small, url, {3}, range(1, 8))
    result = cli("period", "--from", "2026-12-01", "--to", "2026-12-07", "--format", "json")
    assert result.code == 1
    data = {c["control"]: c for c in json.loads(result.out)["controls"]}
    assert data["NET-01"]["verdict"] == "operated_effectively"
    assert data["NET-01"]["runs"] == 7
    assert data["NET-01"]["longest_gap"] == 24.0
    assert data["DISK-01"]["verdict"] == "not_operated_effectively"
    [interval] = data["DISK-01"]["failing"]
    assert interval["first_at"] == interval["last_at"] == "2026-12-03T00:00:00+00:00"
    assert interval["recovered_at"] == "2026-12-04T00:00:00+00:00"
    only = cli("period", "--from", "2026-12-04", "--to", "2026-12-07")
    assert only.code == 0
    assert "3 operated_effectively" in only.out


def test_period_csv_is_a_sample_sheet_with_each_runs_evidence_hashes(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    url = str(small / ".assay" / "history.sqlite")
    record_days(small, url, set(), range(1, 3))
    result = cli("period", "--from", "2026-12-01", "--to", "2026-12-02", "--output", "sheet.csv")
    assert result.code == 0
    rows = list(csv.DictReader(io.StringIO((small / "sheet.csv").read_text())))
    disk = [r for r in rows if r["control"] == "DISK-01"]
    assert [r["evaluated_at"] for r in disk] == ["2026-12-01T00:00:00+00:00", "2026-12-02T00:00:00+00:00"]
    assert disk[0]["evidence_sha256"].startswith("aws.ec2.volumes=")
    assert "aws.kms.rotation" not in disk[0]["evidence_sha256"]  # only what the control reads
    page = cli("period", "--from", "2026-12-01", "--to", "2026-12-02", "--format", "html")
    assert page.out.startswith("<!DOCTYPE html>")
    assert "DISK-01" in page.out


def test_a_period_with_no_runs_says_not_assessed_never_operated(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    record_days(small, str(small / ".assay" / "history.sqlite"), set(), range(1, 2))
    result = cli("period", "--from", "2026-06-01", "--to", "2026-06-30", "--format", "json")
    assert result.code == 1
    verdicts = {c["verdict"] for c in json.loads(result.out)["controls"]}
    assert verdicts == {"not_assessed"}


def test_a_control_frequency_and_tolerance_come_from_its_definition(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    weekly = CONTROLS.replace(
        "    remediation: Encrypt the volume.",
        "    remediation: Encrypt the volume.\n    frequency: 7d\n    tolerance: 2d",
    )
    write(small / "controls" / "controls.yaml", weekly)
    url = str(small / ".assay" / "history.sqlite")
    record(small, url, "2026-12-01T00:00:00Z")
    record(small, url, "2026-12-05T00:00:00Z", evidence={"aws/ec2/volumes.json": volumes(False)})
    record(small, url, "2026-12-06T00:00:00Z")
    data = json.loads(cli("period", "--from", "2026-12-01", "--to", "2026-12-07", "--format", "json").out)
    verdicts = {c["control"]: c["verdict"] for c in data["controls"]}
    assert verdicts["DISK-01"] == "operated_effectively"  # gaps of 4d and 2d within 7d, failing 1d within 2d
    assert verdicts["NET-01"] == "not_operated_effectively"  # daily by default: a gap of 4 days


def test_period_with_a_framework_reports_only_its_controls_and_no_store_is_an_error(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli("period", "--from", "2026-12-01", "--to", "2026-12-02")
    assert missing.code == 2
    assert "no run history here yet" in missing.err
    record_days(small, str(small / ".assay" / "history.sqlite"), set(), range(1, 2))
    wrong = cli("period", "--from", "2026-12-01", "--to", "2026-12-02", "--framework", "soc3")
    assert wrong.code == 2
    assert "did you mean 'soc2'" in wrong.err
    bad_date = cli("period", "--from", "March", "--to", "2026-12-02")
    assert bad_date.code == 2
