"""Time pytest collection with the assay plugin: the built-in catalog against an empty test folder.

Every row is a fresh ``python -m pytest`` process in a temporary folder (best of --repeat runs),
measured in the same invocation as the baseline, ``pytest --collect-only -q`` on an empty folder:

- without the plugin at all (``-p no:assay``), and with it installed but not enabled: the price every
  pytest run of a project that has assay installed pays;
- ``pytest --assay --collect-only -q``: the built-in catalog collected (import, YAML load, schema
  validation, CEL syntax check of every rule), one item per control and per embedded test case;
- with ``--run``, also ``pytest --assay -q``: every control evaluated against the bundled example,
  serially (``-p no:xdist``) and with ``-n 2`` and ``-n 4`` (pytest-xdist);
- with ``--run`` and ``--xdist-baseline``, also the empty folder with ``-n 2`` and ``-n 4``: what
  pytest-xdist's workers cost before assay does anything.

The rows run in turn (round-robin), so a burst of load on a shared machine hits every row alike. As
in any installed copy, bytecode is written and reused (the children run without
``PYTHONDONTWRITEBYTECODE``; an untimed round comes first), and so are pytest's rewritten modules and
assay's rule cache (in a temporary ``ASSAY_CACHE_DIR``, warm after that first round). The cache lies
beside the project folder, as a user's lies in their home: inside it, pytest would walk its hundreds
of entry files on every row.

Usage: python benchmarks/pytest_collect.py [--repeat 3] [--run] [--xdist-baseline] [--markdown]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = [
    ("empty folder, plugin disabled (baseline)", ["--collect-only", "-q"]),
    ("empty folder, without the plugin (-p no:assay)", ["-p", "no:assay", "--collect-only", "-q"]),
    ("built-in catalog, --assay --collect-only", ["--assay", "--collect-only", "-q"]),
]
RUN_ROWS = [
    ("built-in catalog, --assay (evaluate everything), serial", ["--assay", "-q", "-p", "no:xdist"]),
    ("built-in catalog, --assay -n 2", ["--assay", "-q", "-n", "2"]),
    ("built-in catalog, --assay -n 4", ["--assay", "-q", "-n", "4"]),
]
XDIST_ROWS = [  # run, not --collect-only: pytest-xdist starts no worker only to collect
    ("empty folder, -n 2 (xdist's own cost)", ["-q", "-n", "2"]),
    ("empty folder, -n 4 (xdist's own cost)", ["-q", "-n", "4"]),
]


def measure(args: list[str], folder: Path) -> tuple[float, str]:
    environment = {**os.environ, "ASSAY_CACHE_DIR": str(folder.parent / "assay-cache")}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return seconds, lines[-1] if lines else f"exit {done.returncode}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best is kept (default 3)")
    parser.add_argument("--run", action="store_true", help="also time a full run of the built-in catalog")
    parser.add_argument("--xdist-baseline", action="store_true", help="also time xdist on an empty folder")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args()
    rows = [*ROWS, *(RUN_ROWS if options.run else ()), *(XDIST_ROWS if options.xdist_baseline else ())]
    best = dict.fromkeys(range(len(rows)), float("inf"))
    summaries = dict.fromkeys(range(len(rows)), "")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "project"
        (folder / "tests").mkdir(parents=True)
        for _label, args in rows:  # bytecode, rewritten modules and the rule cache, as a user has them
            measure(args, folder)
        for _ in range(options.repeat):
            for index, (_label, args) in enumerate(rows):
                seconds, summary = measure(args, folder)
                best[index] = min(best[index], seconds)
                summaries[index] = re.sub(r" in [0-9.]+s.*", "", summary.strip("= "))
    results = [(label, best[i], summaries[i]) for i, (label, _args) in enumerate(rows)]
    baseline = results[0][1]
    if options.markdown:
        print(f"| pytest | wall s (best of {options.repeat}) | minus baseline s | x baseline | outcome |")
        print("|---|---|---|---|---|")
        for label, seconds, summary in results:
            extra, ratio = seconds - baseline, seconds / baseline
            print(f"| {label} | {seconds:.2f} | {extra:.2f} | {ratio:.1f} | {summary} |")
    else:
        for label, seconds, summary in results:
            extra = seconds - baseline
            print(f"{label:58} {seconds:6.2f} s  +{extra:5.2f} s  x{seconds / baseline:4.1f}  {summary}")


if __name__ == "__main__":
    main()
