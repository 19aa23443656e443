"""Time ``assay check --evidence-root`` over an organisation: serial, local processes and a Dask cluster.

Each account is a copy of the bundled example evidence whose resource lists are scaled to N synthetic
resources by ``benchmarks/check_scale.py``'s generators (imported, not copied). Every configuration is
a fresh ``assay check`` process, timed from the outside, with the peak RSS of its whole process tree
(the command and every worker it starts, sampled every 50 ms with psutil), and compared with the
``--jobs 1`` run of the same invocation:

- ``--jobs 1``: every account in the command's own process (the baseline);
- ``local``: ``--jobs J`` forked worker processes;
- ``dask``: ``--executor dask --jobs J``, a Dask ``LocalCluster`` of J worker processes that the
  command starts on this machine.

The three reports must be identical (the script checks it). ``--single`` also measures ``--jobs`` on
one evidence folder, in one process: the engine's evaluation with J forked workers against serial,
forced parallel below ``assay.pipeline.PARALLEL_THRESHOLD`` too, which is how that threshold was set.

Usage: python benchmarks/org_scale.py [--accounts 100] [--resources 10000] [--jobs J] [--repeat 1]
                                      [--single 200 20000 100000] [--markdown]
Needs ``pip install -e '.[dask]'`` (psutil comes with it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_scale import make_evidence  # noqa: E402 - the generators of the single-folder benchmark

NOW = "2026-11-25T12:00:00Z"


def make_org(root: Path, accounts: int, resources: int) -> None:
    """``accounts`` evidence folders of about ``resources`` resources each, every one a little different."""
    for number in range(accounts):
        make_evidence(root / f"{100000000000 + number:012d}", resources + number)


def tree_memory(process: Any) -> int:
    """The memory of a process and all its descendants, in bytes: the sum of their proportional set sizes.

    PSS counts a page shared by n processes (a forked worker's copy-on-write inheritance) as 1/n in
    each, so the sum is what the tree really holds; RSS would count the shared pages once per process.
    """
    import psutil

    total = 0
    for each in [process, *process.children(recursive=True)]:
        try:
            info = each.memory_full_info()
        except psutil.Error:
            continue
        total += getattr(info, "pss", info.rss)
    return total


def measure(root: Path, report: Path, options: list[str]) -> tuple[int, float, float, int]:
    """(exit code, wall s, CPU s, peak memory of the process tree in bytes) of one organisation run."""
    import resource

    import psutil

    command = [
        sys.executable, "-m", "assay.cli", "check", "--evidence-root", str(root), "--format", "json",
        "--output", str(report), "--now", NOW, "--max-evidence-mb", "512", *options,
    ]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    # A CEL evaluation's time budget is wall time: on a loaded machine it would make verdicts differ
    # between runs, so it is lifted here (the step and memory budgets, which are deterministic, stay).
    environment = {**os.environ, "ASSAY_CEL_MAX_MS": "3600000"}
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=environment
    )
    watched = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, tree_memory(watched))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return child.returncode, wall, cpu, peak


def best(root: Path, report: Path, options: list[str], repeat: int) -> tuple[int, float, float, int]:
    runs = [measure(root, report, options) for _ in range(repeat)]
    return min(runs, key=lambda run: run[1])


def organisation(args: argparse.Namespace, scratch: Path) -> list[tuple[str, int, float, float, int]]:
    root = scratch / "org"
    started = time.perf_counter()
    make_org(root, args.accounts, args.resources)
    took = time.perf_counter() - started
    print(f"made {args.accounts} accounts of {args.resources:,} resources in {took:.0f} s", file=sys.stderr)
    configurations = [
        ("--jobs 1 (baseline)", ["--jobs", "1"]),
        (f"local processes, --jobs {args.jobs}", ["--jobs", str(args.jobs)]),
        (f"Dask LocalCluster, {args.jobs} workers", ["--executor", "dask", "--jobs", str(args.jobs)]),
    ]
    rows = []
    reports = []
    for label, options in configurations:
        report = scratch / f"report-{len(rows)}.json"
        rows.append((label, *best(root, report, options, args.repeat)))
        reports.append(json.loads(report.read_text(encoding="utf-8")) if report.is_file() else None)
    for (label, *_), report in zip(rows[1:], reports[1:], strict=True):
        for difference in differences(reports[0], report):
            print(f"WARNING: {label} differs from --jobs 1: {difference}", file=sys.stderr)
    return rows


def differences(first: dict[str, Any] | None, second: dict[str, Any] | None) -> list[str]:
    """Where two organisation reports differ, control by control (at most ten)."""
    if first is None or second is None:
        return ["a report is missing"] if first is not second else []
    found = [key for key in first if key != "accounts" and first[key] != second.get(key)]
    for one, other in zip(first["accounts"], second["accounts"], strict=True):
        for a, b in zip(one["controls"], other["controls"], strict=True):
            if a != b:
                found.append(f"{one['account']} {a['control']}: {a['status']} / {b['status']}: {b['reason']}")
    return found[:10]


def single(sizes: list[int], jobs: int, repeat: int, scratch: Path) -> list[tuple[str, float, float]]:
    """(label, serial seconds, parallel seconds) of the engine's evaluation on one evidence folder."""
    from datetime import UTC, datetime

    from assay import pipeline
    from assay.loaded_project import load_project
    from assay.project import resolve_project

    pipeline.PARALLEL_THRESHOLD = 0  # forced parallel: the measurement the threshold rests on
    rows = []
    for size in sizes:
        folder = scratch / f"single-{size}"
        options: dict[str, tuple[Any, str]] = {"max_evidence_mb": (512, "benchmark")}
        if size:
            make_evidence(folder, size)
            options["evidence"] = (folder, "benchmark")
        project = load_project(project=resolve_project(start=ROOT, options=options))
        engine = pipeline.engine_for(project)
        invalid = pipeline.lint_errors(project.catalog)
        now = datetime(2026, 11, 25, 12, tzinfo=UTC)
        timings = {}
        for count in (1, jobs):
            runs = []
            for _ in range(repeat):
                start = time.perf_counter()
                pipeline.evaluate(project, engine, now=now, invalid=invalid, jobs=count)
                runs.append(time.perf_counter() - start)
            timings[count] = min(runs)
        label = f"{pipeline.workload(project.require_evidence()):,} resources"
        rows.append((label, timings[1], timings[jobs]))
    return rows


def print_organisation(args: argparse.Namespace, rows: list[tuple[str, int, float, float, int]]) -> None:
    _, _, wall_0, _, memory_0 = rows[0]
    print(
        f"{args.accounts} accounts x {args.resources:,} resources, best of {args.repeat}, "
        f"{os.cpu_count()} cores; memory: peak PSS of the process tree"
    )
    if args.markdown:
        print("\n| executor | exit | wall s | x --jobs 1 | CPU s | peak MiB | x --jobs 1 |")
        print("|---|---|---|---|---|---|---|")
    for label, code, wall, cpu, memory in rows:
        mib, ratio_t, ratio_m = memory / 2**20, wall / wall_0, memory / memory_0
        if args.markdown:
            print(
                f"| {label} | {code} | {wall:.1f} | {ratio_t:.2f} | {cpu:.1f} | {mib:.0f} | {ratio_m:.2f} |"
            )
        else:
            print(f"{label:36} exit {code} {wall:7.1f} s ({ratio_t:4.2f}x) CPU {cpu:7.1f} s", end="")
            print(f" {mib:6.0f} MiB ({ratio_m:4.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--resources", type=int, default=10_000, help="resources per account")
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--single", type=int, nargs="*", default=[], help="also --jobs on one folder of N")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables for RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        rows = organisation(args, scratch) if args.accounts else []
        single_rows = single(args.single, args.jobs, args.repeat, scratch) if args.single else []
    if rows:
        print_organisation(args, rows)
    if single_rows:
        print(f"\n--jobs on one evidence folder: the engine's evaluation, best of {args.repeat}")
        if args.markdown:
            print(f"\n| evidence | --jobs 1 s | --jobs {args.jobs} s | ratio |\n|---|---|---|---|")
        for label, serial, parallel in single_rows:
            if args.markdown:
                print(f"| {label} | {serial:.2f} | {parallel:.2f} | {parallel / serial:.2f} |")
            else:
                print(f"{label:24} {serial:7.2f} s  {parallel:7.2f} s  ({parallel / serial:4.2f}x)")


if __name__ == "__main__":
    main()
