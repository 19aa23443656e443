"""The public CEL API and the bare native program against hand-written Python, A/B across checkouts.

The three columns of ``cel_runtimes.py`` that concern assay (``python``, ``assay native``: the bare
program as the engine runs it, ``assay API``: ``assay.cel.compile(expr).evaluate(vars)`` as a user
calls it), on its cases, without the other runtimes. The three are timed in short batches that take
turns (best batch of each), so that a burst of load on a shared machine falls on all three alike:
``cel_runtimes.py`` times each column's batches together, and its ratios swing with the load. Each
``--tree NAME=SRC`` is measured in its own fresh process per round, the trees taking turns
(round-robin), so load on a shared machine hits each alike; each cell is the best over the rounds.
Ratios are to hand-written Python measured in the same process.

Usage: python benchmarks/api_ratio.py [--rounds 3] [--quick] [--tree NAME=SRC ...] [--rule TEXT]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COLUMNS = ("python", "assay native", "assay API")


def interleaved(functions: dict[str, Callable[[], Any]], batches: int) -> dict[str, float]:
    """Best microseconds per call of each function, their short batches taking turns (so that a burst
    of load on a shared machine falls on all of them alike, not on the one timed at that moment)."""
    calls = 1
    first = next(iter(functions.values()))
    while True:  # batches of about 10 ms
        start = time.perf_counter()
        for _ in range(calls):
            first()
        if time.perf_counter() - start > 0.01:
            break
        calls *= 2
    best = dict.fromkeys(functions, float("inf"))
    for _ in range(batches):
        for name, function in functions.items():
            start = time.perf_counter()
            for _ in range(calls):
                function()
            best[name] = min(best[name], (time.perf_counter() - start) / calls)
    return {name: seconds * 1e6 for name, seconds in best.items()}


def measure(quick: bool, rule: str | None) -> dict[str, dict[str, float]]:
    """One round in this process: microseconds per evaluation, by case and column."""
    sys.path.insert(0, str(HERE))
    import cel_runtimes as bench

    import assay.cel
    from assay.cel import make_backend

    rows: dict[str, dict[str, float]] = {}
    for case in [*bench.CASES, *bench.catalog_cases()]:
        if rule is not None and rule not in case.name:
            continue
        # As cel_runtimes.measure_assay and measure_public make them, checked the same way.
        backend = make_backend("native", qualified_names=False)
        program = backend.compile(case.expression)
        public = assay.cel.compile(case.expression)
        expected = case.python(case.variables)
        assert program.run(case.variables) is expected, case.name
        assert public.evaluate(case.variables) is expected, case.name
        functions = {
            "python": lambda c=case: c.python(c.variables),
            "assay native": lambda p=program, c=case: p.run(c.variables),
            "assay API": lambda p=public, c=case: p.evaluate(c.variables),
        }
        rows[case.name] = interleaved(functions, 8 if quick else 30)
    return rows


def geomean(values: list[float]) -> float:
    return math.exp(sum(map(math.log, values)) / len(values)) if values else float("nan")


def report(best: dict[str, dict[str, dict[str, float]]]) -> None:
    trees = list(best)
    cases = list(best[trees[0]])
    header = f"{'rule':34}" + "".join(f"{t + ' native':>16}{t + ' API':>14}" for t in trees)
    print(header)
    for case in cases:
        cells = ""
        for tree in trees:
            row = best[tree][case]
            native, api = row["assay native"] / row["python"], row["assay API"] / row["python"]
            cells += f"{native:>15.2f}x{api:>13.2f}x"
        print(f"{case[:34]:34}{cells}")
    print()
    for tree in trees:
        rows = best[tree].values()
        native = geomean([r["assay native"] / r["python"] for r in rows])
        api = geomean([r["assay API"] / r["python"] for r in rows])
        print(f"{tree}: geometric mean over {len(rows)} rules: native {native:.2f}x, API {api:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="shorter timed batches")
    parser.add_argument("--tree", action="append", default=[], help="NAME=SRC: a src folder to measure")
    parser.add_argument("--rule", help="only the cases whose name contains this text")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        print(json.dumps(measure(options.quick, options.rule)))
        return
    trees: dict[str, str] = {}
    for value in options.tree or [f"this={HERE.parent / 'src'}"]:
        name, _, folder = value.rpartition("=")
        trees[name or folder] = str(Path(folder).resolve())
    best: dict[str, dict[str, dict[str, float]]] = {}
    args = [sys.executable, __file__, "--child", *(["--quick"] if options.quick else [])]
    args += ["--rule", options.rule] if options.rule else []
    for _ in range(options.rounds):
        for name, src in trees.items():
            env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
            env["PYTHONPATH"] = src
            done = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
            rows: dict[str, dict[str, float]] = json.loads(done.stdout)
            mine = best.setdefault(name, {})
            for case, row in rows.items():
                kept: dict[str, Any] = mine.setdefault(case, dict(row))
                for column in COLUMNS:
                    kept[column] = min(kept[column], row[column])
    report(best)


if __name__ == "__main__":
    main()
