"""Where the engine's evaluation goes on large evidence: per control, and per element of a rule.

The evidence is ``benchmarks/check_scale.py``'s synthetic copy of the example at N resources (or a
folder given with ``--evidence``), loaded once, pruned as ``assay check`` prunes it. Then, in this
process:

- **controls**: one whole run of the engine (``Engine.evaluate``), each control timed from the
  progress callback's calls, best of ``--repeat`` runs; the slowest ``--top`` are listed with their
  share of the run;
- **rules**: for each ``for_each`` rule of those controls, the cost per element of each part of the
  engine's inner loop (``assay.rule_eval``): the ``for_each`` list (once per run), the ``resource_id``
  program, the ``assert`` program, the ``message`` of the failing elements and the whole rule with its
  findings, each as microseconds per element and as a multiple of the baseline: a plain Python
  function called once per element with the element bound (the cost of one Python frame).

Every figure of the second table is a ratio against that baseline, measured in the same process.

Usage: python benchmarks/eval_scale.py [--size 100000 | --evidence DIR] [--repeat 3] [--top 12]
       [--profile FILE] [--markdown]
``--profile FILE`` writes a cProfile of one run of the engine to FILE (``python -m pstats FILE``).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from check_scale import make_evidence  # noqa: E402 - the generators of the single-folder benchmark

NOW = "2026-11-25T12:00:00Z"


def load(evidence: Path) -> Any:
    """The example project over ``evidence``, loaded (and pruned) as ``assay check`` loads it."""
    from assay.cel.readpaths import evidence_read_paths
    from assay.loaded_project import load_project
    from assay.project import resolve_project

    options: dict[str, tuple[Any, str]] = {
        "evidence": (str(evidence), "--evidence"),
        "max_evidence_mb": (4096, "--max-evidence-mb"),
    }
    for kind in ("parameters", "waivers", "scope"):
        options[kind] = (str(ROOT / "example" / f"{kind}.yaml"), f"--{kind}")
    return load_project(project=resolve_project(config=None, options=options), read_paths=evidence_read_paths)


def best(repeat: int, function: Callable[..., Any], *arguments: Any) -> float:
    """The best wall time of ``repeat`` calls of ``function(*arguments)``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*arguments)
        times.append(time.perf_counter() - start)
    return min(times)


def time_controls(
    engine: Any, project: Any, now: datetime, repeat: int
) -> tuple[float, float, dict[str, float]]:
    """The best whole run's wall and CPU seconds, and each control's best seconds over ``repeat`` runs."""
    per: dict[str, float] = {}
    totals, cpus = [], []
    ids = [c.id for c in project.catalog.controls]
    for _ in range(repeat):
        marks = [time.perf_counter()]
        cpu = time.process_time()
        engine.run(
            project, now=now, progress=lambda _done, _total, marks=marks: marks.append(time.perf_counter())
        )
        cpus.append(time.process_time() - cpu)
        totals.append(marks[-1] - marks[0])
        for control, start, end in zip(ids, marks, marks[1:], strict=False):
            per[control] = min(per.get(control, float("inf")), end - start)
    return min(totals), min(cpus), per


def _frame(variables: dict[str, Any]) -> Any:
    return variables["item"]


def _each(program: Any, scoped: dict[str, Any], elements: list[Any]) -> None:
    """``program`` over every element bound as ``item`` (an element whose evaluation fails is timed too)."""
    from assay.errors import CelError

    for element in elements:
        scoped["item"] = element
        with contextlib.suppress(CelError):
            program.run(scoped)


def _frames(scoped: dict[str, Any], elements: list[Any]) -> None:
    """The baseline: one plain Python function called per element with the element bound."""
    for element in elements:
        scoped["item"] = element
        _frame(scoped)


def _whole(runner: Any, compiled: Any, variables: dict[str, Any], bound: tuple[str, ...]) -> None:
    with contextlib.suppress(Exception):  # an erroring rule is timed too
        runner.run_rule(compiled, variables, {}, bound)


def _variables(engine: Any, project: Any, now: datetime, control: Any) -> tuple[dict[str, Any], Any]:
    """The variables the engine binds for ``control``, and its per-run state."""
    from assay.engine import _Run

    run = _Run(now, project.require_evidence(), now, parameters=project.parameters)
    variables = engine._variables(control, run)
    values = {**control.parameters, **run.parameters.get(control.id, {})}
    if values:
        variables["params"] = dict(values)
    return variables, run


def rule_parts(
    engine: Any, project: Any, now: datetime, control_id: str, repeat: int
) -> list[dict[str, Any]]:
    """Microseconds per element of each part of the inner loop, for each for_each rule of a control."""
    from assay.errors import CelError

    control = next(c for c in project.catalog.controls if c.id == control_id)
    variables, run = _variables(engine, project, now, control)
    bound = tuple(sorted(r.name for r in control.evidence))
    rows = []
    for plain in engine._compiled[control_id]:
        if "for_each" not in plain.programs:
            continue
        compiled = type(plain)(plain.rule, run.sizes.grow(plain.programs, bound, run.store.get), plain.error)
        programs = compiled.programs
        try:
            elements = programs["for_each"].run(variables)
        except CelError:
            continue
        count = max(1, len(elements))
        scoped = dict(variables)
        parts = {
            "baseline": best(repeat, _frames, scoped, elements),
            "for_each": best(repeat, programs["for_each"].run, variables),
            "resource_id": best(repeat, _each, programs["resource_id"], scoped, elements),
            "assert": best(repeat, _each, programs["assert"], scoped, elements),
            "whole rule": best(repeat, _whole, engine._rules, compiled, variables, bound),
        }
        if "message" in programs:
            parts["message (all)"] = best(repeat, _each, programs["message"], scoped, elements)
        row = {key: seconds / count * 1e6 for key, seconds in parts.items()}
        rows.append({"rule": f"{control_id} {compiled.rule.id}", "elements": len(elements), **row})
    return rows


def table(header: list[str], rows: list[list[str]], *, markdown: bool) -> None:
    """Print a table: Markdown, or columns separated by two spaces."""
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--evidence", type=Path, help="an evidence folder instead of a synthetic one")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--profile", type=Path, help="write a cProfile of one engine run to this file")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    from assay.commands._options import parse_timestamp
    from assay.pipeline import engine_for

    with tempfile.TemporaryDirectory() as scratch:
        evidence = args.evidence
        if evidence is None:
            evidence = Path(scratch) / "evidence"
            make_evidence(evidence, args.size)
        project = load(evidence)
    now = parse_timestamp(NOW)
    engine = engine_for(project)
    engine.run(project, now=now)  # warm: compiled programs, the exact variants built on first use
    total, cpu, per = time_controls(engine, project, now, args.repeat)
    if args.profile is not None:
        import cProfile

        cProfile.runctx("engine.run(project, now=now)", globals(), locals(), str(args.profile))
    top = sorted(per, key=lambda c: -per[c])[: args.top]
    table(
        [f"evaluation, best of {args.repeat}", "wall s", "CPU s", "share of the run"],
        [["every control", f"{total:.3f}", f"{cpu:.3f}", "100%"]]
        + [[control, f"{per[control]:.3f}", "", f"{per[control] / total:.0%}"] for control in top],
        markdown=args.markdown,
    )
    print()
    keys = ["for_each", "resource_id", "assert", "message (all)", "whole rule"]
    rows = []
    for control in top:
        for row in rule_parts(engine, project, now, control, args.repeat):
            cells = [f"{row[k]:.2f} ({row[k] / row['baseline']:.1f})" if k in row else "-" for k in keys]
            rows.append([row["rule"], str(row["elements"]), f"{row['baseline']:.3f}", *cells])
    header = ["rule", "elements", "baseline us/element", *(f"{k} us/element (x baseline)" for k in keys)]
    table(header, rows, markdown=args.markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
