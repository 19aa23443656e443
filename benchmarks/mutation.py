"""Mutation testing of the code that decides verdicts and trusts packs, with mutmut 3, area by area.

Each area is a set of mutmut mutant names (globs): the pack verification path, the engine's status
decisions, the requirement verdicts, the gap logic and the judging of waivers. ``[tool.mutmut]`` in
pyproject.toml says which files are mutated and how tests run; each area runs in its own copy of the
tree, ``.mutation/<area>/``, with the area's tests only (mutmut then runs, for each mutant, those of
them that reach the mutated function, and works in ``.mutation/<area>/mutants/``).

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
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Area:
    """The functions an area mutates, as mutmut names them (module, class with ǁ, function), the tests
    run against its mutants, the slow tests of those left out (about other things), and the copy of
    the tree it runs in (areas with the same tests share one run)."""

    mutants: tuple[str, ...]
    tests: tuple[str, ...]
    folder: str
    deselect: tuple[str, ...] = ()


# Each folder is a copy of the tree, .mutation/<folder>/, whose pyproject.toml lists its areas' tests:
# otherwise mutmut would run, for an engine mutant, every test whose fixtures call the engine, such as
# the pack tests that build a pack first (a minute a mutant, on two cores).
ENGINE_TESTS = ("tests/test_engine.py", "tests/test_engine_lists.py")
SLOW_ENGINE_TESTS = (  # evaluation errors never quote evidence: tests of error text, not of statuses
    "tests/test_engine.py::test_no_evaluation_error_shows_an_evidence_value",
    "tests/test_engine.py::test_an_evaluation_error_never_shows_evidence",
)
AREAS: dict[str, Area] = {
    "pack": Area(
        (
            "assay.pack.verify.*",
            "assay.pack.sign.x_check_signature__mutmut_*",
            "assay.pack.sign.x__unsigned__mutmut_*",
            "assay.pack.sign.x__untrusted__mutmut_*",
            "assay.pack.sign.x__named_key__mutmut_*",
            "assay.pack.sign.x_key_id__mutmut_*",
        ),
        ("tests/pack", "tests/commands/test_verify.py"),
        "pack",
    ),
    # The strict zip reader every reader of a pack goes through (issue 14, point 2).
    "zipread": Area(
        ("assay.pack.zipread.*",),
        (
            "tests/pack/test_zipread.py",
            "tests/pack/test_zipread_fields.py",
            "tests/pack/test_zipread_properties.py",
        ),
        "zipread",
    ),
    "verdicts": Area(("assay.verdicts.*",), ("tests/test_verdicts.py",), "verdicts"),
    "waivers": Area(
        ("assay.model.xǁWaiverǁis_active__mutmut_*", "assay.engine.xǁEngineǁ_apply_waivers__mutmut_*"),
        ENGINE_TESTS,
        "engine",
        SLOW_ENGINE_TESTS,
    ),
    "engine": Area(
        (
            "assay.engine.x__staleness__mutmut_*",
            "assay.rule_eval.xǁRuleRunnerǁ_holds__mutmut_*",
            "assay.engine.xǁEngineǁ_evaluate_control__mutmut_*",
        ),
        ENGINE_TESTS,
        "engine",
        SLOW_ENGINE_TESTS,
    ),
    "gaps": Area(
        (
            "assay.gaps.x_framework_report__mutmut_*",
            "assay.gaps.x__own_verdict__mutmut_*",
            "assay.gaps.x__together_statements__mutmut_*",
            "assay.gaps.x__mapped_statuses__mutmut_*",
            "assay.gaps.x__rolled_up_verdicts__mutmut_*",
            "assay.gaps.x__expiring__mutmut_*",
        ),
        ("tests/test_gaps.py", "tests/render/test_json_report.py"),
        "gaps",
    ),
}
WORK = ROOT / ".mutation"
COPIED = ("src", "tests", "controls", "frameworks", "mappings", "evidence", "example", "examples")
SELECTION = re.compile(r"^pytest_add_cli_args_test_selection = \[.*?\]", re.MULTILINE | re.DOTALL)
ARGS = re.compile(r"^pytest_add_cli_args = \[", re.MULTILINE)

# mutmut's exit codes, grouped as the table shows them (mutmut.stats.status_by_exit_code).
KILLED = {1, 3, 37}
SURVIVED = {0}
TIMEOUT = {36, 24, -24, 152, 255}
NO_TESTS = {5, 33}
COLUMNS = ("total", "killed", "survived", "timeout", "no tests", "not checked", "other")


def results(area: str) -> dict[str, int | None]:
    """The exit code of each of the area's mutants in its last run (None: not checked)."""
    found: dict[str, int | None] = {}
    for meta in sorted((WORK / AREAS[area].folder / "mutants" / "src").rglob("*.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        found.update((name, code) for name, code in codes.items() if in_area(name, area))
    return found


def in_area(name: str, area: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in AREAS[area].mutants)


def _column(code: int | None) -> str:
    if code is None:
        return "not checked"
    for column, codes in (("killed", KILLED), ("survived", SURVIVED), ("timeout", TIMEOUT)):
        if code in codes:
            return column
    return "no tests" if code in NO_TESTS else "other"


def table(areas: list[str]) -> str:
    """The scores as a Markdown table: per area, the counts and the share killed of those checked."""
    lines = [
        "| area | " + " | ".join(COLUMNS) + " | score |",
        "|---" * (len(COLUMNS) + 2) + "|",
    ]
    for area in areas:
        counts = Counter(_column(code) for code in results(area).values())
        total = sum(counts.values())
        checked = counts["killed"] + counts["survived"] + counts["timeout"]
        # A timeout counts as killed: the mutant made the tests run away, which a test run notices.
        score = f"{(counts['killed'] + counts['timeout']) / checked:.1%}" if checked else "-"
        cells = [str(total), *(str(counts[c]) for c in COLUMNS[1:])]
        lines.append(f"| {area} | " + " | ".join(cells) + f" | {score} |")
    return "\n".join(lines)


def prepare(folder_name: str, areas: list[Area]) -> Path:
    """A fresh copy of the tree, its pyproject.toml running the tests of ``areas`` only."""
    folder = WORK / folder_name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", ".hypothesis", "*.pyc")
    for name in COPIED:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    tests = dict.fromkeys(t for area in areas for t in area.tests if (ROOT / t).exists())
    deselect = dict.fromkeys(d for area in areas for d in area.deselect)
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{test}"' for test in tests)
    config, selections = SELECTION.subn(f"pytest_add_cli_args_test_selection = [{listed}]", config)
    extra = "".join(f'"--deselect", "{test}", ' for test in deselect)
    config, args = ARGS.subn(f"pytest_add_cli_args = [{extra}", config)
    if (selections, args) != (1, 1):
        raise SystemExit("pyproject.toml: [tool.mutmut] needs pytest_add_cli_args(_test_selection)")
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return folder


def run(areas: list[str], max_children: int) -> int:
    """Run mutmut once per folder of ``areas``, niced, each in its own copy of the tree."""
    beside = Path(sys.executable).with_name("mutmut")
    mutmut = str(beside) if beside.exists() else shutil.which("mutmut")
    if mutmut is None:
        print("mutmut is not installed: pip install -e '.[mutation]'", file=sys.stderr)
        return 2
    folders: dict[str, list[Area]] = {}
    for area in areas:
        folders.setdefault(AREAS[area].folder, []).append(AREAS[area])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    for name, members in folders.items():
        print(f"--- mutmut: {name}", flush=True)
        command = ["nice", "-n", "10", mutmut, "run", "--max-children", str(max_children)]
        globs = [glob for area in members for glob in area.mutants]
        code = subprocess.run([*command, *globs], cwd=prepare(name, members), env=env, check=False).returncode
        if code != 0:
            print(f"mutmut run failed in {name} (exit {code})", file=sys.stderr)
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
    if options.survivors:
        for area in areas:
            for name, code in sorted(results(area).items()):
                if code in SURVIVED:
                    print(f"{area}\t{name}")
        return 0
    print(table(areas))
    return 0


if __name__ == "__main__":
    sys.exit(main())
