"""Time the everyday run: ``assay check`` on the bundled example, cold and warm, as fresh processes.

Every row is a fresh process started in the repository's root (best of --repeat runs, user+system CPU
beside the wall time, since the machine may be shared), measured in the same invocation as two
baselines: ``python -c pass`` (the interpreter) and ``python -m assay --version`` (importing assay
and its command line). The rows:

- ``assay check``, cold: each run with an empty compiled-rule cache directory (``$ASSAY_CACHE_DIR``),
  so it parses and compiles every rule and writes the cache;
- ``assay check``, warm: every run on the cache the first one wrote;
- ``assay check``, cache off (``ASSAY_NO_CACHE=1``): what a run without the cache costs today.

Python's own bytecode cache is on for every row (``PYTHONDONTWRITEBYTECODE`` is cleared and the
bytecode goes to a temporary ``PYTHONPYCACHEPREFIX``, written by one untimed run first), as in an
installed package.

``--src DIR`` times another checkout's ``src`` folder instead (an older commit, for a before-and-after
comparison: ``git worktree add /tmp/before <commit>``); one without the cache times the same in
every ``assay check`` row.

Usage: python benchmarks/everyday.py [--repeat 5] [--markdown] [--src DIR]
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


def best_of(
    repeat: int, args: list[str], env: dict[str, str], before_each: Callable[[], dict[str, str]] | None = None
) -> tuple[float, float, int]:
    walls, cpus, code = [], [], 0
    for _ in range(repeat):
        wall, cpu, code = run_once(args, {**env, **(before_each() if before_each else {})})
        walls.append(wall)
        cpus.append(cpu)
    return min(walls), min(cpus), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per row; the best is kept (default 5)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the src folder to time")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "ASSAY_NO_CACHE")}
        env["PYTHONPYCACHEPREFIX"] = str(base / "pyc")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(options.src.resolve()), env.get("PYTHONPATH")]))
        warm_cache = base / "warm"
        env["ASSAY_CACHE_DIR"] = str(warm_cache)
        run_once(CHECK, env)  # writes the bytecode and the warm cache; not timed
        counter = iter(range(1_000_000))

        def empty_cache() -> dict[str, str]:
            return {"ASSAY_CACHE_DIR": str(base / f"cold-{next(counter)}")}

        rows = [
            ("python -c pass (baseline)", best_of(options.repeat, ["-c", "pass"], env)),
            (
                "python -m assay --version (baseline)",
                best_of(options.repeat, ["-m", "assay", "--version"], env),
            ),
            ("assay check, cold (empty rule cache)", best_of(options.repeat, CHECK, env, empty_cache)),
            ("assay check, warm", best_of(options.repeat, CHECK, env)),
            (
                "assay check, cache off (ASSAY_NO_CACHE=1)",
                best_of(options.repeat, CHECK, {**env, "ASSAY_NO_CACHE": "1"}),
            ),
        ]
    python, version = rows[0][1][0], rows[1][1][0]
    if options.markdown:
        print(f"| run (best of {options.repeat}) | wall s | CPU s | x python | x --version | exit |")
        print("|---|---|---|---|---|---|")
        for label, (wall, cpu, code) in rows:
            print(
                f"| {label} | {wall:.2f} | {cpu:.2f} | {wall / python:.1f} | {wall / version:.2f} | {code} |"
            )
    else:
        heading = f"run (best of {options.repeat})"
        print(f"{heading:45} {'wall s':>7} {'CPU s':>7} {'x python':>9} {'x --version':>12}")
        for label, (wall, cpu, code) in rows:
            print(
                f"{label:45} {wall:7.2f} {cpu:7.2f} {wall / python:9.1f} {wall / version:12.2f}  exit {code}"
            )


if __name__ == "__main__":
    main()
