"""Time the report phases in process: ``build_report`` and the JSON (and text) rendering of the example.

For each ``--tree NAME=SRC`` a fresh interpreter (with that tree's ``src`` first on the path) loads
the bundled example project (``assay check``'s own inputs), evaluates it once, then times
``build_report`` and each renderer ``--repeat`` times and prints the best of each. Trees run in
turn, ``--rounds`` times, so a burst of load on a shared machine hits each alike; the table shows
each tree's best over every round and its ratio to the first tree's.

Usage: python benchmarks/report_build.py --tree old=/work/main/src --tree new=src [--repeat 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = """
import json, sys, time
from assay.loaded_project import load_project
from assay.pipeline import evaluate, engine_for, evaluation_time, locate_results
from assay.gaps import build_report, mapped_frameworks
from assay.render import RenderOptions, render

repeat = int(sys.argv[1])
project = load_project(None)
engine = engine_for(project)
run = locate_results(evaluate(project, engine, now=evaluation_time(project, None), jobs=1), project)
evidence = project.require_evidence()

def build():
    return build_report(project.catalog, run, evidence=evidence, waivers=project.waivers)

def best(action):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)

report = build()
options = RenderOptions(color=False, width=100)
print(json.dumps({
    "build_report": best(build),
    "render json": best(lambda: render(report, "json")),
    "render terminal": best(lambda: render(report, "terminal", options)),
    "pydantic imported": "pydantic" in sys.modules,
}))
"""


def measure(src: Path, repeat: int) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(src.resolve())
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(repeat)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", action="append", required=True, help="NAME=SRC (repeatable)")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    trees = dict(value.split("=", 1) for value in args.tree)
    best: dict[str, dict[str, float]] = {}
    for _ in range(args.rounds):
        for name, src in trees.items():
            for key, value in measure(Path(src), args.repeat).items():
                kept = best.setdefault(name, {}).get(key)
                best[name][key] = value if kept is None or isinstance(value, bool) else min(kept, value)
    first = next(iter(trees))
    keys = [key for key in best[first] if key != "pydantic imported"]
    print(f"| tree | {' | '.join(keys)} | pydantic imported |")
    print("|---" * (len(keys) + 2) + "|")
    for name in trees:
        cells = [f"{best[name][k] * 1000:.2f} ms ({best[name][k] / best[first][k]:.2f}x)" for k in keys]
        print(f"| {name} | {' | '.join(cells)} | {best[name]['pydantic imported']} |")


if __name__ == "__main__":
    main()
