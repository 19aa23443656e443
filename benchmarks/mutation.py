"""Mutation testing of the code that decides verdicts and trusts packs, with mutmut 3, area by area.

Each area is a set of mutmut mutant names (globs): the pack verification path, the engine's status
decisions, the requirement verdicts, the gap logic and the judging of waivers. ``[tool.mutmut]`` in
pyproject.toml says which files are mutated and which tests run (for each mutant, mutmut runs only
the listed tests that reach the mutated function). mutmut works in ``mutants/``, a copy of the tree.

Usage (from the repository root; mutmut is in the ``mutation`` extra)::

    python benchmarks/mutation.py --run [--area pack] [--max-children 2]   # run, then print the table
    python benchmarks/mutation.py                                          # the table of the last run
    python benchmarks/mutation.py --survivors [--area pack]                # the mutants that survived

A run of every area takes about an hour on two cores: one area at a time is the usual way. The
table counts, per area, the mutants killed, survived, timed out, reached by no listed test, and
not yet checked.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTANTS = ROOT / "mutants"

# The functions each area mutates, as mutmut names them (module, class with ǁ, function).
AREAS: dict[str, tuple[str, ...]] = {
    "pack": (
        "assay.pack.verify.*",
        "assay.pack.sign.x_check_signature__mutmut_*",
        "assay.pack.sign.x__unsigned__mutmut_*",
        "assay.pack.sign.x__untrusted__mutmut_*",
        "assay.pack.sign.x__named_key__mutmut_*",
        "assay.pack.sign.x_key_id__mutmut_*",
    ),
    "verdicts": ("assay.verdicts.*",),
    "waivers": (
        "assay.model.xǁWaiverǁis_active__mutmut_*",
        "assay.engine.xǁEngineǁ_apply_waivers__mutmut_*",
        "assay.engine.x_apply_waivers__mutmut_*",
    ),
    "engine": (
        "assay.engine.x__staleness__mutmut_*",
        "assay.engine.xǁEngineǁ_holds__mutmut_*",
        "assay.engine.xǁEngineǁ_evaluate_control__mutmut_*",
    ),
    "gaps": (
        "assay.gaps.x_framework_report__mutmut_*",
        "assay.gaps.x__own_verdict__mutmut_*",
        "assay.gaps.x__together_statements__mutmut_*",
        "assay.gaps.x__mapped_statuses__mutmut_*",
        "assay.gaps.x__rolled_up_verdicts__mutmut_*",
        "assay.gaps.x__expiring__mutmut_*",
    ),
}

# mutmut's exit codes, grouped as the table shows them (mutmut.stats.status_by_exit_code).
KILLED = {1, 3, 37}
SURVIVED = {0}
TIMEOUT = {36, 24, -24, 152, 255}
NO_TESTS = {5, 33}
COLUMNS = ("total", "killed", "survived", "timeout", "no tests", "not checked", "other")


def results() -> dict[str, int | None]:
    """Every mutant's exit code from the ``.meta`` files of the last run (None: not checked)."""
    found: dict[str, int | None] = {}
    for meta in sorted((MUTANTS / "src").rglob("*.meta")):
        found.update(json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"])
    return found


def in_area(name: str, area: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in AREAS[area])


def _column(code: int | None) -> str:
    if code is None:
        return "not checked"
    for column, codes in (("killed", KILLED), ("survived", SURVIVED), ("timeout", TIMEOUT)):
        if code in codes:
            return column
    return "no tests" if code in NO_TESTS else "other"


def table(found: dict[str, int | None], areas: list[str]) -> str:
    """The scores as a Markdown table: per area, the counts and the share killed of those checked."""
    lines = [
        "| area | " + " | ".join(COLUMNS) + " | score |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    for area in areas:
        counts = Counter(_column(code) for name, code in found.items() if in_area(name, area))
        total = sum(counts.values())
        checked = counts["killed"] + counts["survived"] + counts["timeout"]
        # A timeout counts as killed: the mutant made the tests run away, which a test run notices.
        score = f"{(counts['killed'] + counts['timeout']) / checked:.1%}" if checked else "-"
        cells = [str(total), *(str(counts[c]) for c in COLUMNS[1:])]
        lines.append(f"| {area} | " + " | ".join(cells) + f" | {score} |")
    return "\n".join(lines)


def run(areas: list[str], max_children: int) -> int:
    """Run mutmut on each area in turn (niced: the tests of each mutant run in child processes)."""
    beside = Path(sys.executable).with_name("mutmut")
    mutmut = str(beside) if beside.exists() else shutil.which("mutmut")
    if mutmut is None:
        print("mutmut is not installed: pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    for area in areas:
        print(f"--- mutmut: {area}", flush=True)
        command = ["nice", "-n", "10", mutmut, "run", "--max-children", str(max_children)]
        code = subprocess.run([*command, *AREAS[area]], cwd=ROOT, check=False).returncode
        if code != 0:
            print(f"mutmut run failed on {area} (exit {code})", file=sys.stderr)
            return code
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--area", action="append", choices=sorted(AREAS), help="repeatable; default: all")
    parser.add_argument("--run", action="store_true", help="run mutmut first (else: the last run's table)")
    parser.add_argument("--max-children", type=int, default=max(1, (os.cpu_count() or 2) // 2))
    parser.add_argument("--survivors", action="store_true", help="list the surviving mutants")
    options = parser.parse_args()
    areas = options.area or list(AREAS)
    if options.run and (code := run(areas, options.max_children)) != 0:
        return code
    found = results()
    if not found:
        print("no results: run with --run first", file=sys.stderr)
        return 1
    if options.survivors:
        for name, code in sorted(found.items()):
            if code in SURVIVED and any(in_area(name, area) for area in areas):
                print(name)
        return 0
    print(table(found, areas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
