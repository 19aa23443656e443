"""Time pytest collection with the assay plugin: the built-in catalog against an empty test folder.

Every row is a fresh ``python -m pytest`` process in a temporary folder (best of --repeat runs),
measured in the same invocation as the baseline, ``pytest --collect-only -q`` on an empty folder:

- without the plugin at all (``-p no:assay``), and with it installed but not enabled: the price every
  pytest run of a project that has assay installed pays;
- ``pytest --assay --collect-only -q``: the built-in catalog collected (import, YAML load, schema
  validation, CEL syntax check of every rule), one item per control and per embedded test case;
- with ``--run``, also ``pytest --assay -q``: every control evaluated against the bundled example.

Usage: python benchmarks/pytest_collect.py [--repeat 3] [--run] [--markdown]
"""

from __future__ import annotations

import argparse
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
RUN_ROW = ("built-in catalog, --assay (evaluate everything)", ["--assay", "-q"])


def measure(args: list[str], folder: Path, repeat: int) -> tuple[float, str]:
    best = float("inf")
    summary = ""
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        summary = lines[-1] if lines else f"exit {done.returncode}"
    return best, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the best is kept (default 3)")
    parser.add_argument("--run", action="store_true", help="also time a full run of the built-in catalog")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    options = parser.parse_args()
    rows = [*ROWS, RUN_ROW] if options.run else ROWS
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "tests").mkdir()
        for label, args in rows:
            seconds, summary = measure(args, folder, options.repeat)
            results.append((label, seconds, re.sub(r" in [0-9.]+s.*", "", summary.strip("= "))))
    baseline = results[0][1]
    if options.markdown:
        print(f"| pytest | wall s (best of {options.repeat}) | x baseline | outcome |")
        print("|---|---|---|---|")
        for label, seconds, summary in results:
            print(f"| {label} | {seconds:.2f} | {seconds / baseline:.1f} | {summary} |")
    else:
        for label, seconds, summary in results:
            print(f"{label:50} {seconds:6.2f} s  x{seconds / baseline:4.1f}  {summary}")


if __name__ == "__main__":
    main()
