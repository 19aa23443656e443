"""Time reading the catalog warm: ``import assay.model`` and loading the example's catalog and policies.

Each round is a fresh process per tree (``--tree NAME=SRC``, as benchmarks/startup.py), with a cache
folder of the tree's own, warmed by one untimed round, so every timed round reads its parsed files (and,
where the tree keeps them, its validated records) from the cache. The child times itself:

- ``import assay.model``: the catalog's record types;
- ``catalog + policies``: importing the loaders and reading the built-in catalog with the example's
  waivers, scope and parameters (what ``load_project_catalog`` and the policy loaders do);
- ``load_project_catalog``: the same catalog through :mod:`assay.loaded_project`, whose import and
  first call are timed apart (``import loaded_project`` is reported on its own row), then the best
  of five more calls in the same process (validators already built, where a tree validates).

The trees run in turn (round-robin) and the best of --repeat rounds is kept; a ratio compares a row of
each tree with the first tree's. Bytecode is written and reused (``PYTHONDONTWRITEBYTECODE`` cleared).

Usage: python benchmarks/catalog_load.py [--repeat 9] [--tree old=/work/main/src --tree new=src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
CHILD = """\
import json, sys, time
start = time.perf_counter()
import assay.model
rows = {"import assay.model": time.perf_counter() - start}
start = time.perf_counter()
from assay.loading.builtin import builtin_paths
from assay.loading.catalog import read_catalog
from assay.loading.policies import load_parameters, load_scope, load_waivers
catalog, _ = read_catalog((), [])
example = builtin_paths().example
load_waivers(example / "waivers.yaml", "waivers.yaml")
load_scope(example / "scope.yaml", "scope.yaml")
load_parameters(example / "parameters.yaml", "parameters.yaml")
rows["catalog + policies (fresh process)"] = time.perf_counter() - start
rows["pydantic imported"] = float("pydantic" in sys.modules)
print(json.dumps(rows))
"""
PROJECT = """\
import json, sys, time
start = time.perf_counter()
from assay.loaded_project import load_project_catalog
from assay.project import resolve_project
rows = {"import loaded_project": time.perf_counter() - start}
config = resolve_project()
start = time.perf_counter()
load_project_catalog(config)
rows["load_project_catalog (first call)"] = time.perf_counter() - start
best = float("inf")
for _ in range(5):  # the same process again: parsed files and records from the cache, validators built
    start = time.perf_counter()
    load_project_catalog(config)
    best = min(best, time.perf_counter() - start)
rows["load_project_catalog (best of 5 more calls)"] = best
print(json.dumps(rows))
"""


def once(code: str, src: Path, cache: Path, folder: Path) -> dict[str, float]:
    environment = {**os.environ, "PYTHONPATH": str(src), "ASSAY_CACHE_DIR": str(cache)}
    for name in ("PYTHONDONTWRITEBYTECODE", "ASSAY_NO_CACHE"):
        environment.pop(name, None)
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, cwd=folder, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"{src}: exit {done.returncode}\n{done.stderr}")
    rows: dict[str, float] = json.loads(done.stdout)
    return rows


def measure(trees: dict[str, Path], repeat: int, scratch: Path) -> dict[str, dict[str, float]]:
    """The best time of each row per tree, the trees taken in turn ``repeat`` times."""
    best: dict[str, dict[str, float]] = {name: {} for name in trees}
    for round_ in range(repeat + 1):
        for name, src in trees.items():
            rows = {
                **once(CHILD, src, scratch / name, scratch),
                **once(PROJECT, src, scratch / name, scratch),
            }
            if round_ == 0:
                continue  # the untimed round: bytecode and cache written
            for row, seconds in rows.items():
                best[name][row] = min(best[name].get(row, seconds), seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="rounds; the best is kept (default 9)")
    parser.add_argument("--tree", action="append", default=[], help="NAME=SRC: a src folder to time")
    options = parser.parse_args()
    trees = {n: Path(s).resolve() for n, _, s in (t.partition("=") for t in options.tree)} or {"src": SRC}
    with tempfile.TemporaryDirectory() as scratch:
        best = measure(trees, options.repeat, Path(scratch))
    first = next(iter(trees))
    rows = list(best[first])
    print(f"| row | {' | '.join(trees)} | ratio to {first} |")
    print(f"|---|{'---|' * len(trees)}---|")
    for row in rows:
        values = [best[name][row] for name in trees]
        shown = " | ".join(
            f"{v * 1000:.1f} ms" if row != "pydantic imported" else str(bool(v)) for v in values
        )
        ratios = ", ".join(f"{v / values[0]:.2f}" if values[0] else "-" for v in values[1:])
        print(f"| {row} | {shown} | {ratios} |")


if __name__ == "__main__":
    main()
