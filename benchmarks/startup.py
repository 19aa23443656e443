"""Time assay's start-up: ``import assay`` and ``assay --version`` as fresh processes.

Every row is a new Python process, timed from the outside, against the baseline measured in the same
invocation: ``python -c pass``, the price of starting the interpreter at all. The rows run in turn
(round-robin, so a burst of load on a shared machine hits every row alike) and the best of --repeat
runs is kept; the figure that matters is a row's time minus the baseline's.

- ``import assay``: the package alone (its public names are imported when first read);
- ``assay --version`` and ``assay --help``: the console script, as the ``assay`` command runs it;
- ``import assay; assay.Engine``: the library a program uses, for scale.

Bytecode is written and reused, as in any installed copy: the children run without
``PYTHONDONTWRITEBYTECODE`` and one untimed round comes first, so no row pays for compiling sources.

``--tree NAME=SRC`` (repeatable) times the same rows with ``PYTHONPATH=SRC``, so two checkouts can be
compared in one run (``--tree before=/path/to/main/src --tree after=src``); the default is this
checkout's ``src``.

Usage: python benchmarks/startup.py [--repeat 15] [--tree NAME=SRC]... [--markdown]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
CONSOLE_SCRIPT = "import sys; from assay.cli import main; sys.exit(main())"  # what pip's `assay` script runs
BASELINE = ("python -c pass (baseline)", ["-c", "pass"])
ROWS = [
    ("import assay", ["-c", "import assay"]),
    ("assay --version", ["-c", CONSOLE_SCRIPT, "--version"]),
    ("assay --help", ["-c", CONSOLE_SCRIPT, "--help"]),
    ("import assay; assay.Engine (the library)", ["-c", "import assay; assay.Engine"]),
]


def once(args: list[str], src: Path) -> float:
    environment = {**os.environ, "PYTHONPATH": str(src)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=environment, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args}: exit {done.returncode}\n{done.stderr.decode(errors='replace')}")
    return seconds


def measure(trees: dict[str, Path], repeat: int) -> dict[tuple[str, str], float]:
    """The best time of each (tree, row), the rows taken in turn ``repeat`` times."""
    jobs = [("", *BASELINE, SRC)] + [(t, label, a, src) for t, src in trees.items() for label, a in ROWS]
    best: dict[tuple[str, str], float] = {}
    for _tree, _label, args, src in jobs:  # writes the bytecode
        once(args, src)
    for _ in range(repeat):
        for tree, label, args, src in jobs:
            seconds = once(args, src)
            best[(tree, label)] = min(best.get((tree, label), float("inf")), seconds)
    return best


def parse_trees(values: list[str]) -> dict[str, Path]:
    trees = {}
    for value in values:
        name, _, path = value.partition("=")
        if not path or not Path(path, "assay").is_dir():
            raise SystemExit(f"--tree {value!r}: give NAME=SRC, SRC a folder holding the assay package")
        trees[name] = Path(path).resolve()
    return trees or {"this checkout": SRC}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs per row; the best is kept (default 15)")
    parser.add_argument("--tree", action="append", default=[], metavar="NAME=SRC", help="a checkout's src")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args()
    trees = parse_trees(options.tree)
    best = measure(trees, options.repeat)
    baseline = best[("", BASELINE[0])]
    rows = [("", BASELINE[0])] + [(tree, label) for tree in trees for label, _ in ROWS]
    if options.markdown:
        print(f"| tree | process | wall ms (best of {options.repeat}) | minus baseline ms | x baseline |")
        print("|---|---|---|---|---|")
    for tree, label in rows:
        seconds = best[(tree, label)]
        extra = (seconds - baseline) * 1000
        if options.markdown:
            print(f"| {tree} | {label} | {seconds * 1000:.0f} | {extra:.0f} | {seconds / baseline:.1f} |")
        else:
            ratio = seconds / baseline
            print(f"{tree:14} {label:42} {seconds * 1000:6.0f} ms  +{extra:5.0f} ms  x{ratio:4.1f}")


if __name__ == "__main__":
    main()
