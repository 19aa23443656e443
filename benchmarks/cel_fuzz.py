"""Differential fuzzing of assay's native CEL against Google's cel-cpp, on many generated expressions.

Generates ``--count`` well-typed expressions from seeds ``--seed`` onwards (tests/cel/conformance/
differential.py: literals, lists, maps, comparisons, arithmetic, ``in``, conversions, macros),
evaluates each on both runtimes and counts the disagreements: a different value or kind, a value
against an error, or a native crash. Both giving an error is an agreement. Disagreements are grouped
by what each side gave, and the shortest expression of each group is printed, with the known cause
where tests/cel/conformance/differential.py's KNOWN names one.

``--avoid-known`` leaves out the constructs of the known disagreements, as the CI test does.

Usage: python benchmarks/cel_fuzz.py [--count 100000] [--seed 0] [--jobs N] [--avoid-known]
Needs cel-expr-python (in the test extra).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.cel.conformance import differential  # noqa: E402 - after the path above

Finding = tuple[str, str, str]  # expression, native, cel-cpp


def _describe(outcome: differential.Outcome) -> str:
    if outcome.value is differential.ERROR:
        return f"error ({outcome.detail[:90]})"
    return f"{outcome.value!r:.90} ({type(outcome.value).__name__})"


def run_range(start: int, stop: int, avoid: frozenset[str]) -> tuple[int, list[Finding]]:
    """Seeds ``start`` to ``stop``: how many were run, and the disagreements."""
    from cel_expr_python import cel

    environment = cel.NewEnv(variables={})
    found = []
    for seed in range(start, stop):
        expression = differential.generate(differential.RandomDraw(seed), avoid=avoid)
        agree, native, cpp = differential.compare(expression, environment)
        if not agree:
            found.append((expression, _describe(native), _describe(cpp)))
    return stop - start, found


def signature(finding: Finding) -> str:
    """A group for a disagreement: the kinds of what each side gave, with error messages' first words."""
    _, native, cpp = finding

    def shape(text: str) -> str:
        if text.startswith("error"):
            return "error " + " ".join(re.sub(r"[\d'\"]\S*", "_", text[7:]).split()[:4])
        return "value " + text.rsplit("(", 1)[-1].rstrip(")")

    return f"native {shape(native)} / cel-cpp {shape(cpp)}"


_FLOAT_TEXT = re.compile(r"cannot convert '-?(\d+\.\d+|\d+e[+-]?\d+|nan|inf)'")


_EDGE = re.compile(r"9223372036854775807|18446744073709551615u|18446744073709551616\.0")


def cause(finding: Finding) -> str:
    """The known disagreement this one probably is, by what each side gave; to be confirmed by hand."""
    expression, native, cpp = finding
    native_error, cpp_error = native.startswith("error"), cpp.startswith("error")
    rules = [
        ("duplicate key" in cpp and not native_error, "cel-cpp: a repeated map key aborts evaluation"),
        ("double out of int64 range" in cpp and not native_error, "double_int_edge"),
        ("double out of uint64 range" in cpp and not native_error, "uint_of_negative_double"),
        ("integer overflow" in cpp and "%" in expression and not native_error, "int_min_mod"),
        (bool(_FLOAT_TEXT.search(native)) and not cpp_error, "string_of_double"),
        ("cannot convert" in native and not cpp_error, "cpp_string_whitespace"),
        (
            _EDGE.search(expression) is not None and not native_error and not cpp_error,
            "int_double_edge_compare",
        ),
        ("string(" in expression and not native_error and not cpp_error, "string_of_double"),
    ]
    for matches, name in rules:
        if matches:
            return name
    return "unclassified"


def report(findings: list[Finding]) -> None:
    """The disagreements by probable cause, then by what each side gave, with the shortest of each."""
    causes: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        causes[cause(finding)].append(finding)
    for name, members in sorted(causes.items(), key=lambda item: -len(item[1])):
        known = differential.KNOWN.get(name)
        print(f"- {len(members)}x {name}: {known.reason if known else 'minimise it and report it'}")
        if known:
            print(f"  minimal: `{known.expression}`")
        groups: dict[str, list[Finding]] = defaultdict(list)
        for finding in members:
            groups[signature(finding)].append(finding)
        for group, found in sorted(groups.items(), key=lambda item: -len(item[1])):
            expression, native, cpp = min(found, key=lambda f: len(f[0]))
            print(f"  - {len(found)}x {group}: `{expression}`\n    native {native}; cel-cpp {cpp}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--avoid-known", action="store_true", help="leave out the known disagreements")
    options = parser.parse_args(argv)
    avoid = frozenset(differential.KNOWN) if options.avoid_known else frozenset()
    chunk = max(1, min(2_000, options.count // max(1, options.jobs * 4)))
    ranges = [
        (s, min(s + chunk, options.seed + options.count))
        for s in range(options.seed, options.seed + options.count, chunk)
    ]
    started = time.perf_counter()
    total, findings = 0, []
    with ProcessPoolExecutor(max_workers=options.jobs) as pool:
        for ran, found in pool.map(run_range, *zip(*ranges, strict=True), [avoid] * len(ranges)):
            total += ran
            findings.extend(found)
    elapsed = time.perf_counter() - started
    print(f"{total} expressions, seeds {options.seed} to {options.seed + total - 1}, {elapsed:.0f} s")
    print(f"{len(findings)} disagreements{' (known ones avoided)' if avoid else ''}\n")
    report(findings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
