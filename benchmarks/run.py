"""Run the benchmarks in one command and write their tables into RESULTS.md.

Each benchmark is a script of this folder with a ``--markdown`` option; every figure it prints is a
ratio against a baseline measured in the same invocation (its own docstring says which). This runner
starts each as a fresh process with this Python, in the repository's root, one after the other, and
writes what each printed between the markers below in RESULTS.md (the rest of the file, the history
of earlier runs, is kept as it is). A script that is not there yet is listed as skipped; one that
fails is listed with its exit code and the end of its error output, and the others still run.

    <!-- benchmarks/run.py: begin -->  ...  <!-- benchmarks/run.py: end -->

``--quick`` picks sizes that finish in a few minutes in all; without it the full sizes run (the
issue's figures: tens of minutes). ``--only NAME`` (repeatable) runs some; ``--list`` shows them;
``--output FILE`` writes elsewhere (``-`` for standard output). To add a benchmark, add a
:class:`Script` to SCRIPTS.

Usage: python benchmarks/run.py [--quick] [--only NAME]... [--list] [--output FILE]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BEGIN = "<!-- benchmarks/run.py: begin -->"
END = "<!-- benchmarks/run.py: end -->"
_ERROR_LINES = 15  # of a failing script's error output


@dataclass(frozen=True)
class Script:
    """A benchmark script: its file in this folder, what it measures, and its options in each mode."""

    name: str
    file: str
    title: str
    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()

    def command(self, quick: bool) -> list[str]:
        return [sys.executable, str(HERE / self.file), *(self.quick if quick else self.full), "--markdown"]


SCRIPTS = (
    Script(
        "startup", "startup.py", "`import assay` and `assay --version`", ("--repeat", "15"), ("--repeat", "5")
    ),
    Script(
        "everyday",
        "everyday.py",
        "`assay check` on the bundled example, cold and warm cache",
        (),
        ("--repeat", "3"),
    ),
    Script(
        "pytest_collect",
        "pytest_collect.py",
        "the pytest plugin on the built-in catalog",
        ("--run", "--xdist-baseline"),  # xdist's own cost on an empty folder: the floor under -n 2 and -n 4
        ("--repeat", "1"),
    ),
    Script(
        "cel_runtimes",
        "cel_runtimes.py",
        "one rule on one resource, per CEL runtime, with regorus on the same rules in Rego",
        (),
        ("--quick",),
    ),
    Script(
        "cel_joins",
        "cel_joins.py",
        "VULN-06's join over patch states, hashed against looped",
        ("--sizes", "10000", "100000", "250000"),
        ("--sizes", "2000", "10000", "--verify", "2000", "--sample", "50"),
    ),
    Script(
        "check_scale",
        "check_scale.py",
        "`assay check` on synthetic resources",
        ("--sizes", "10000", "100000", "1000000"),
        (
            "--sizes",
            "10000",
        ),
    ),
    Script(
        "eval_scale",
        "eval_scale.py",
        "where the engine's evaluation goes: per control, and per element of a rule",
        ("--size", "100000"),
        ("--size", "10000", "--repeat", "1", "--top", "4"),
    ),
    Script(
        "history_scale", "history_scale.py", "a year of daily runs in the run store", (), ("--days", "30")
    ),
    Script(
        "org_scale",
        "org_scale.py",
        "`assay check --evidence-root` over an organisation, local processes and Dask",
        (),
        ("--accounts", "4", "--resources", "1000"),
    ),
)


@dataclass(frozen=True)
class Outcome:
    script: Script
    command: list[str]
    code: int | None  # None: not run (the script is not there)
    seconds: float
    out: str
    err: str


def run_script(script: Script, quick: bool) -> Outcome:
    command = script.command(quick)
    if not (HERE / script.file).is_file():
        return Outcome(script, command, None, 0.0, "", "")
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return Outcome(script, command, done.returncode, time.perf_counter() - start, done.stdout, done.stderr)


def section(outcome: Outcome) -> str:
    script = outcome.script
    shown = " ".join(["python", f"benchmarks/{script.file}", *outcome.command[2:]])
    lines = [f"### `{script.file}`: {script.title}", "", f"`{shown}`", ""]
    if outcome.code is None:
        lines.append("Skipped: the script is not in this checkout.")
    elif outcome.code != 0:
        tail = "\n".join(outcome.err.strip().splitlines()[-_ERROR_LINES:])
        lines += [f"Failed (exit {outcome.code}, {outcome.seconds:.0f} s):", "", "```", tail, "```"]
    else:
        lines += [outcome.out.strip(), "", f"({outcome.seconds:.0f} s)"]
    return "\n".join(lines) + "\n"


def report(outcomes: list[Outcome], quick: bool) -> str:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs"
    head = [
        BEGIN,
        "## The latest `benchmarks/run.py`",
        "",
        f"Generated by `python benchmarks/run.py{' --quick' if quick else ''}` on {when} ({machine});"
        " every figure is a ratio against a baseline measured in the same run of its script.",
        "",
        "",
    ]
    return "\n".join(head) + "\n".join(section(o) for o in outcomes) + END + "\n"


def write(text: str, target: Path) -> None:
    """Put ``text`` between the markers of ``target`` (after its first heading when it has none)."""
    old = target.read_text(encoding="utf-8") if target.exists() else "# Benchmark results\n"
    if BEGIN in old and END in old:
        before, rest = old.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        new = before + text + ("\n" + after if after else "")
    else:
        lines = old.splitlines(keepends=True)
        cut = next((i for i, line in enumerate(lines) if i and line.startswith("## ")), len(lines))
        new = "".join(lines[:cut]) + text + "\n" + "".join(lines[cut:])
    temporary = target.with_suffix(".tmp")
    temporary.write_text(new, encoding="utf-8")
    temporary.replace(target)  # never half-written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a few minutes in all")
    parser.add_argument("--only", action="append", choices=[s.name for s in SCRIPTS], help="repeatable")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and their commands")
    parser.add_argument(
        "--output", default=str(HERE / "RESULTS.md"), help="file to write, or - (default: RESULTS.md)"
    )
    args = parser.parse_args(argv)
    chosen = [s for s in SCRIPTS if not args.only or s.name in args.only]
    if args.list:
        for script in chosen:
            present = "" if (HERE / script.file).is_file() else "  (not in this checkout)"
            print(f"{script.name:15} {' '.join(script.command(args.quick)[1:])}{present}")
        return 0
    outcomes = []
    for script in chosen:
        print(f"running {script.name} ...", file=sys.stderr, flush=True)
        outcomes.append(run_script(script, args.quick))
    text = report(outcomes, args.quick)
    if args.output == "-":
        print(text)
    else:
        write(text, Path(args.output))
    return 1 if any(o.code not in (0, None) for o in outcomes) else 0


if __name__ == "__main__":
    raise SystemExit(main())
