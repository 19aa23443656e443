"""Time the everyday run: ``assay check`` on the bundled example, cold and warm, as fresh processes.

Every row is a fresh process started in the repository's root (best of --repeat runs, user+system CPU
beside the wall time, since the machine may be shared), measured in the same invocation as two
baselines: ``python -c pass`` (the interpreter) and ``python -m assay --version`` (importing assay
and its command line). The rows:

- ``import assay``: the package alone;
- ``assay check``, cold: each run with an empty compiled-rule cache directory (``$ASSAY_CACHE_DIR``),
  so it parses and compiles every rule and writes the cache;
- ``assay check``, warm: every run on the cache the first one wrote;
- ``assay check``, cache off (``ASSAY_NO_CACHE=1``): what a run without the cache costs today.

Python's own bytecode cache is on for every row (``PYTHONDONTWRITEBYTECODE`` is cleared and the
bytecode goes to a temporary ``PYTHONPYCACHEPREFIX``, written by one untimed run first), as in an
installed package.

Rows run in turn (round-robin), so a burst of load on a shared machine hits every row alike.

``--tree NAME=SRC`` (repeatable) times the same rows for each checkout's ``src`` folder, in the same
rounds: ``--tree before=/tmp/before/src --tree after=src`` compares an older commit
(``git archive <commit> | tar -x -C /tmp/before``) with this one. Each tree has its own bytecode and
cache directories. ``--src DIR`` is ``--tree DIR``'s short form for one tree.

Usage: python benchmarks/everyday.py [--repeat 5] [--markdown] [--src DIR | --tree NAME=SRC ...]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECK = ["-m", "assay", "check"]


def run_once(args: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and exit code of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode


Job = tuple[str, str, list[str], Callable[[], dict[str, str]]]  # tree, row, arguments, environment


def jobs_for(tree: str, src: Path, base: Path) -> list[Job]:
    """The rows of one tree: its own bytecode folder, warm cache and cold caches, under ``base``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ASSAY_NO_CACHE")}
    env["PYTHONPYCACHEPREFIX"] = str(base / tree / "pyc")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src.resolve()), env.get("PYTHONPATH")]))
    env["ASSAY_CACHE_DIR"] = str(base / tree / "warm")
    run_once(CHECK, env)  # writes the bytecode and the warm cache; not timed
    cold = iter(range(1_000_000))

    def fixed(extra: dict[str, str] | None = None) -> Callable[[], dict[str, str]]:
        return lambda: {**env, **(extra or {})}

    def empty_cache() -> dict[str, str]:
        return {**env, "ASSAY_CACHE_DIR": str(base / tree / f"cold-{next(cold)}")}

    return [
        (tree, "python -c pass (baseline)", ["-c", "pass"], fixed()),
        (tree, "python -m assay --version (baseline)", ["-m", "assay", "--version"], fixed()),
        (tree, "import assay", ["-c", "import assay"], fixed()),
        (tree, "assay check, cold (empty rule cache)", CHECK, empty_cache),
        (tree, "assay check, warm", CHECK, fixed()),
        (tree, "assay check, cache off (ASSAY_NO_CACHE=1)", CHECK, fixed({"ASSAY_NO_CACHE": "1"})),
    ]


def measure(jobs: list[Job], repeat: int) -> dict[tuple[str, str], tuple[float, float, int]]:
    """The best wall and CPU time of each (tree, row), every row run once per round."""
    times: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    for _ in range(repeat):
        for tree, label, args, environment in jobs:
            times.setdefault((tree, label), []).append(run_once(args, environment()))
    return {
        key: (min(t[0] for t in runs), min(t[1] for t in runs), runs[-1][2]) for key, runs in times.items()
    }


def parse_trees(values: list[str], src: Path | None) -> dict[str, Path]:
    trees: dict[str, Path] = {}
    for value in values:
        name, _, folder = value.rpartition("=")
        trees[name or folder] = Path(folder)
    return trees or {"": src or ROOT / "src"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per row; the best is kept (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--src", type=Path, default=None, help="the src folder to time")
    parser.add_argument("--tree", action="append", default=[], help="NAME=SRC: a src folder to time")
    options = parser.parse_args()
    trees = parse_trees(options.tree, options.src)
    with tempfile.TemporaryDirectory() as tmp:
        jobs = [
            job
            for number, (name, src) in enumerate(trees.items())
            for job in jobs_for(name, src, Path(tmp) / str(number))
        ]
        best = measure(jobs, options.repeat)
    heading = f"run (best of {options.repeat})"
    if options.markdown:
        print(f"| {heading} | wall s | CPU s | x python | x --version | exit |")
        print("|---|---|---|---|---|---|")
    else:
        print(f"{heading:58} {'wall s':>7} {'CPU s':>7} {'x python':>9} {'x --version':>12}")
    for tree, label, _args, _env in jobs:
        wall, cpu, code = best[(tree, label)]
        python = best[(tree, "python -c pass (baseline)")][0]
        version = best[(tree, "python -m assay --version (baseline)")][0]
        shown = f"{tree}: {label}" if tree else label
        if options.markdown:
            print(
                f"| {shown} | {wall:.2f} | {cpu:.2f} | {wall / python:.1f} | {wall / version:.2f} | {code} |"
            )
        else:
            print(
                f"{shown:58} {wall:7.3f} {cpu:7.3f} {wall / python:9.1f} {wall / version:12.2f}  exit {code}"
            )


if __name__ == "__main__":
    main()
