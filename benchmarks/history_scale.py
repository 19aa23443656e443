"""Time the run store at the scale of issue 20: a year of daily runs of the built-in catalog over 10,000
resources (365 runs) in SQLite, then ``period`` over the year.

One real ``assay check`` run is made on the example evidence scaled to N resources (as
``check_scale.py`` scales it); it is recorded 365 times, one evaluation time per day, and every
seventh day one failing control is made to pass, so the period has failing intervals to find. Each
record is a whole :meth:`Store.record` (one transaction). Then ``Store.period`` over the year is timed
(the library call: the store's part of ``assay period``), and ``assay period`` as a whole process,
which also loads the catalog. The store's size on disk is reported.

Usage: python benchmarks/history_scale.py [--resources 10000] [--days 365] [--markdown]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from check_scale import make_evidence

from assay import store
from assay.model import ControlStatus
from assay.pipeline import run as run_project
from assay.project import resolve_project

START = datetime(2026, 11, 25, 12, tzinfo=UTC)  # the example evidence's snapshot time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        evidence = folder / "evidence"
        make_evidence(evidence, args.resources)
        (folder / "assay.toml").write_text(
            f'evidence = "evidence"\nmax_evidence_mb = 512\nnow = "{START.isoformat()}"\n', encoding="utf-8"
        )
        outcome = run_project(resolve_project(folder))
        path = folder / "history.sqlite"
        history = store.open(path, create=True)
        failing = [r for r in outcome.run.results if r.status is ControlStatus.FAIL]
        findings = sum(len(r.findings) for r in outcome.run.results)
        began = time.perf_counter()
        for day in range(args.days):
            result = outcome.run.model_copy(update={"now": START + timedelta(days=day)})
            if failing and day % 7 == 0:
                flipped = failing[0].with_status(ControlStatus.PASS, findings=())
                result = result.with_results(
                    tuple(flipped if r.control == flipped.control else r for r in result.results)
                )
            history.record(outcome.project, result, outcome.report)
        recording = time.perf_counter() - began
        controls = tuple(c.id for c in outcome.project.catalog.controls)
        end = START + timedelta(days=args.days)
        began = time.perf_counter()
        report = history.period(START, end, controls=controls)
        period_s = time.perf_counter() - began
        history.close()
        began = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "assay",
                "period",
                "--store",
                str(path),
                "--from",
                "2026-01-01",
                "--to",
                f"{end:%Y-%m-%d}",
                "--format",
                "json",
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        command_s = time.perf_counter() - began
        size = path.stat().st_size + sum(p.stat().st_size for p in folder.glob("history.sqlite-*"))
        rows = [
            ("runs recorded", f"{args.days} (of {len(controls)} controls, {findings:,} findings each)"),
            ("recording, per run", f"{recording / args.days:.3f} s"),
            ("store size on disk", f"{size / 2**20:.1f} MiB"),
            ("Store.period over the whole period", f"{period_s:.2f} s"),
            ("assay period as a process (loads the catalog too)", f"{command_s:.2f} s"),
            ("controls with a failing interval", str(sum(1 for c in report.controls if c.failing))),
        ]
        if args.markdown:
            print("| measure | value |\n|---|---|")
        for label, value in rows:
            print(f"| {label} | {value} |" if args.markdown else f"{label:52} {value}")


if __name__ == "__main__":
    main()
