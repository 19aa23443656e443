"""Google's CEL conformance suite through assay's public API: the per-file table, on both backends.

Reads cel-spec's ``testdata/*.textproto`` from ``../shared/reference/cel-spec`` (beside the
repository), runs every test with ``assay.cel.compile(expr, backend=...).evaluate(bindings)`` and
prints, per file, its tests and how many passed, failed and were skipped on each backend, with totals
for the core language and for the extension libraries. The runner is the one the test suite uses
(tests/cel/conformance/suite.py).

``--update`` also rewrites tests/cel/conformance/expected_failures.yaml from the current results:
reasons of entries that still fail are kept, entries that pass are dropped, and each new entry gets a
"REASON NEEDED" placeholder. The entries without a real reason are printed, and the exit status is 1
while there are any: write each one's reason into the file.

Usage: python benchmarks/cel_conformance.py [--update] [--failures]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.cel.conformance import expected, suite  # noqa: E402 - after the path above

COLUMNS = ("passed", "failed", "skipped")


def table(results: dict[str, list[suite.Result]]) -> str:
    """The per-file markdown table, then one row per group (core, extension) and the total."""
    counts: dict[tuple[str, str], Counter[str]] = {}
    for backend, found in results.items():
        for result in found:
            counts.setdefault((result.case.file, backend), Counter())[result.status] += 1
    header = "| file | kind | tests | " + " | ".join(f"{b} {c}" for b in suite.BACKENDS for c in COLUMNS)
    lines = [header + " |", "|---|---|---:|" + "---:|" * (len(suite.BACKENDS) * len(COLUMNS))]
    groups: dict[str, Counter[str]] = {}
    for file in suite.suite_files():
        kind = "extension" if file in suite.EXTENSION_FILES else "core"
        row = [len(suite.cases(file))]
        for backend in suite.BACKENDS:
            row += [counts.get((file, backend), Counter())[c] for c in COLUMNS]
        for name in (kind, "all"):
            group = groups.setdefault(name, Counter())
            for index, value in enumerate(row):
                group[str(index)] += value
        lines.append(f"| {file} | {kind} | " + " | ".join(str(v) for v in row) + " |")
    for name in ("core", "extension", "all"):
        group = groups.get(name, Counter())
        values = [group[str(i)] for i in range(1 + len(suite.BACKENDS) * len(COLUMNS))]
        lines.append(f"| **{name}** | | " + " | ".join(f"**{v}**" for v in values) + " |")
    return "\n".join(lines)


def skip_reasons() -> str:
    """How many tests were skipped for each reason (the same on both backends)."""
    reasons = Counter(c.skip for file in suite.suite_files() for c in suite.cases(file) if c.skip)
    return "\n".join(f"- {count} {reason}" for reason, count in reasons.most_common())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="rewrite the expected-failures file")
    parser.add_argument("--failures", action="store_true", help="also list every failure with its detail")
    options = parser.parse_args(argv)
    if not suite.available():
        print(suite.absent_reason(), file=sys.stderr)
        return 2
    results = {backend: list(suite.run_all(backend)) for backend in suite.BACKENDS}
    print(table(results))
    print(f"\nSkipped, by reason:\n{skip_reasons()}")
    if options.failures:
        for backend, found in results.items():
            for result in found:
                if result.status == "failed":
                    print(f"{backend}: {result.case.id}: `{result.case.expression}`: {result.detail}")
    if not options.update:
        return 0
    new = expected.updated(expected.load(suite.EXPECTED_FAILURES), results)
    expected.write(suite.EXPECTED_FAILURES, new)
    print(f"\nwrote {suite.EXPECTED_FAILURES.relative_to(ROOT)}")
    missing = expected.missing_reasons(new)
    if missing:
        print(f"{len(missing)} entries need a reason (replace {expected.PLACEHOLDER!r} in the file):")
        for entry in missing:
            print(f"  {entry}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
