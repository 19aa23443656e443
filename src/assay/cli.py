"""The ``assay`` command: the only module that prints, reads the clock, or picks exit codes.

Exit codes: 0 clean, 1 problems found (lint diagnostics, failing or erroring controls, failing test
cases), 2 usage or configuration errors (bad arguments, unreadable or invalid inputs).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from assay._version import __version__
from assay.errors import AssayError, ConfigError, LoadError
from assay.model import ControlStatus, Severity

if TYPE_CHECKING:
    from assay.inputs import Inputs

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so :func:`main` always returns its code."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 timestamp; a date alone means its midnight UTC; naive means UTC."""
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _build_parser() -> _Parser:
    from assay.render import formats
    from assay.schemas import KINDS

    parser = _Parser(prog="assay", description="Compliance as code: controls, evidence and gap reports.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = commands.add_parser("check", help="evaluate controls against evidence and write a gap report")
    _catalog_options(check)
    _evidence_options(check)
    check.add_argument(
        "--framework", action="append", metavar="KEY", help="report only this framework (repeatable)"
    )
    check.add_argument(
        "--format", choices=sorted(formats()), help="output format (default: from --output, else terminal)"
    )
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report here (atomically)")
    check.add_argument(
        "--fail-on",
        choices=[s.value for s in Severity],
        default=Severity.LOW.value,
        help="exit 1 only for failing or erroring controls of at least this severity (default: low)",
    )

    explain = commands.add_parser("explain", help="show a control, its mappings, evidence and result")
    explain.add_argument("control", metavar="CONTROL")
    _catalog_options(explain)
    _evidence_options(explain)

    test = commands.add_parser("test", help="run the test cases embedded in controls")
    _catalog_options(test)

    lint_parser = commands.add_parser("lint", help="check controls, mappings, waivers and scope files")
    _catalog_options(lint_parser)
    lint_parser.add_argument("--waivers", type=Path, metavar="FILE", help="waivers file to check")
    lint_parser.add_argument("--scope", type=Path, metavar="FILE", help="scope file to check")
    lint_parser.add_argument(
        "--now", type=parse_timestamp, help="the time waivers are judged at (default: the current time)"
    )

    schema_parser = commands.add_parser("schema", help="print the JSON Schema of a file format or the report")
    schema_parser.add_argument("kind", choices=KINDS)

    commands.add_parser("functions", help="list the custom CEL functions rules can call")
    return parser


def _catalog_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--controls",
        type=Path,
        action="append",
        metavar="DIR",
        help="controls directory or file (repeatable; default: the built-in catalog)",
    )
    parser.add_argument(
        "--mappings",
        type=Path,
        action="append",
        metavar="DIR",
        help="mappings directory or file (repeatable; default: the built-in mappings)",
    )


def _evidence_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--evidence", type=Path, metavar="DIR", help="evidence directory (default: the bundled example)"
    )
    parser.add_argument("--waivers", type=Path, metavar="FILE", help="waivers file")
    parser.add_argument("--scope", type=Path, metavar="FILE", help="scope file")
    parser.add_argument(
        "--now", type=parse_timestamp, metavar="TIMESTAMP", help="evaluation time (default: the current time)"
    )
    parser.add_argument(
        "--max-evidence-mb",
        type=_positive_int,
        default=32,
        metavar="MB",
        help="refuse evidence files larger than this (default: 32)",
    )


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        args = _build_parser().parse_args(argv)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    commands: dict[str, Callable[[argparse.Namespace, TextIO, TextIO], int]] = {
        "check": _check,
        "explain": _explain,
        "test": _test,
        "lint": _lint,
        "schema": _schema,
        "functions": _functions,
    }
    try:
        return commands[args.command](args, out, err)
    except LoadError as exc:
        for diagnostic in exc.diagnostics:
            err.write(f"{diagnostic}\n")
        err.write(f"assay {args.command}: the inputs have errors; nothing was evaluated\n")
        return EXIT_USAGE
    except (ConfigError, AssayError) as exc:
        err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE


# --- check ---------------------------------------------------------------------------------------


def _now(args: argparse.Namespace, inputs: Inputs | None = None) -> datetime:
    """--now, else the evidence set's own snapshot time (a frozen example), else the clock."""
    if args.now is not None:
        return args.now  # type: ignore[no-any-return]
    if inputs is not None and inputs.evidence.snapshot_at is not None:
        snapshot = inputs.evidence.snapshot_at
        return snapshot if snapshot.tzinfo else snapshot.replace(tzinfo=UTC)
    return datetime.now(UTC)


def _inputs(args: argparse.Namespace) -> Inputs:
    from assay.inputs import load_inputs

    return load_inputs(
        controls=args.controls,
        mappings=args.mappings,
        evidence=args.evidence,
        waivers=args.waivers,
        scope=args.scope,
        max_evidence_bytes=args.max_evidence_mb * 1024 * 1024,
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.engine import Engine
    from assay.fileio import atomic_write
    from assay.gaps import build_report
    from assay.render import RenderOptions, format_for_path, render

    output_format = args.format or (format_for_path(str(args.output)) if args.output else None) or "terminal"
    inputs = _inputs(args)
    unknown = [k for k in args.framework or [] if k not in inputs.catalog.frameworks]
    if unknown:
        known = ", ".join(sorted(inputs.catalog.frameworks))
        raise ConfigError(f"unknown framework {', '.join(unknown)} (known: {known})")
    for problem in inputs.evidence.problems():
        err.write(f"{problem.diagnostic}\n")
    engine = Engine(inputs.catalog)
    with _Progress(err) as progress:
        run = engine.evaluate(
            inputs.evidence,
            now=_now(args, inputs),
            waivers=inputs.waivers,
            scope=inputs.scope,
            progress=progress.update,
        )
    report = build_report(
        inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers, frameworks=args.framework
    )
    color = output_format == "terminal" and args.output is None and out.isatty()
    text = render(report, output_format, RenderOptions(color=color))
    if args.output is not None:
        try:
            atomic_write(args.output, text)
        except OSError as exc:
            raise ConfigError(f"cannot write {args.output}: {exc.strerror or exc}") from None
        err.write(f"assay check: wrote {output_format} report to {args.output}\n")
    else:
        out.write(text)
    threshold = Severity(args.fail_on).rank
    failing = [
        r
        for r in run.results
        if r.status in (ControlStatus.FAIL, ControlStatus.ERROR) and r.severity.rank >= threshold
    ]
    return EXIT_PROBLEMS if failing else EXIT_OK


class _Progress:
    """A progress bar on a terminal, shown only once a run has taken more than a second."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        return self

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            if not self._stream.isatty() or time.monotonic() - self._started < 1.0:
                return
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(console=Console(file=self._stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("evaluating controls", total=total)
        self._bar.update(self._task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


# --- explain, test -------------------------------------------------------------------------------


def _explain(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.engine import Engine
    from assay.model import format_duration

    inputs = _inputs(args)
    try:
        control = inputs.catalog.control(args.control)
    except KeyError:
        raise ConfigError(f"unknown control {args.control!r}") from None
    source = inputs.catalog.control_sources.get(control.id)
    now = _now(args, inputs)
    run = Engine(inputs.catalog).evaluate(
        inputs.evidence, now=now, waivers=inputs.waivers, controls=[control.id]
    )
    result = run.results[0]
    lines = [f"{control.id}: {control.title}"]
    if source is not None:
        position = source.position("id")
        lines.append(f"  defined at {source.file}:{position.line}:{position.column}")
    lines += [
        f"  claim:       {control.claim}",
        f"  severity:    {control.severity.value}",
        f"  domain:      {control.domain}",
        "",
        f"  {control.description}",
        "",
        "Mapped to:",
    ]
    mappings = inputs.catalog.mappings_of(control.id)
    for mapping in mappings:
        framework = inputs.catalog.frameworks[mapping.framework]
        title = next((r.title for r in framework.requirements if r.id == mapping.requirement), "")
        why = f" ({mapping.rationale})" if mapping.rationale else ""
        lines.append(f"  {mapping.framework:9} {mapping.requirement:22} {title}{why}")
    if not mappings:
        lines.append("  nothing")
    lines += ["", "Evidence:"]
    uses = {use.name: use for use in result.evidence}
    for requirement in control.evidence:
        use = uses.get(requirement.name)
        age = f", at most {format_duration(requirement.max_age)} old" if requirement.max_age else ""
        lines.append(f"  {requirement.name}{age}")
        if use is not None and use.path:
            collected = use.collected_at.isoformat() if use.collected_at else "undated"
            lines.append(f"    {use.path}  collected {collected}  sha256 {use.sha256 or '-'}")
        if use is not None and use.problem:
            lines.append(f"    problem: {use.problem}")
    lines += ["", "Rules:"]
    for rule in control.rules:
        loop = f" for each {rule.for_each}" if rule.for_each else ""
        lines.append(f"  {rule.id}:{loop} assert {rule.assert_}")
    lines += ["", f"Result at {now.isoformat()}: {result.status.value}"]
    if result.reason:
        lines.append(f"  {result.reason}")
    for finding in result.findings:
        waived = f" (waived by {finding.waived_by})" if finding.waived_by else ""
        lines.append(f"  - {finding.resource or control.id}: {finding.message}{waived}")
    lines += ["", f"Remediation: {control.remediation}"]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.catalog import load_catalog
    from assay.engine import Engine

    catalog = load_catalog(args.controls, args.mappings)
    engine = Engine(catalog)
    passed = failed = 0
    for control in catalog.controls:
        for case in control.tests:
            outcome = engine.run_test_case(control, case)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            out.write(f"FAIL {control.id} > {case.name}: {'; '.join(outcome.problems)}\n")
    untested = [c.id for c in catalog.controls if not c.tests]
    if untested:
        out.write(f"controls without test cases: {', '.join(untested)}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return EXIT_PROBLEMS if failed else EXIT_OK


# --- lint, schema, functions ---------------------------------------------------------------------


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.lint import lint

    for option in ("waivers", "scope"):
        path = getattr(args, option)
        if path is not None and not path.is_file():
            err.write(f"assay: error: --{option} {path}: no such file\n")
            return EXIT_USAGE
    diagnostics = lint(args.controls, args.mappings, waivers=args.waivers, scope=args.scope, now=_now(args))
    for diagnostic in diagnostics:
        out.write(f"{diagnostic}\n")
    if diagnostics:
        errors = sum(1 for d in diagnostics if d.severity == "error")
        err.write(f"assay lint: {errors} error(s), {len(diagnostics) - errors} warning(s)\n")
        return EXIT_PROBLEMS
    return EXIT_OK


def _schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.schemas import render as render_schema

    out.write(render_schema(args.kind))
    return EXIT_OK


def _functions(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.cel.functions import DEFAULT_FUNCTIONS

    for function in DEFAULT_FUNCTIONS:
        out.write(f"{function.signature}\n    {function.doc}\n")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
