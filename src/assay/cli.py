"""The ``assay`` command: the only module that prints, reads the clock, or picks exit codes.

Exit codes: 0 clean, 1 problems found (lint diagnostics, failing or erroring controls, failing test
cases), 2 usage or configuration errors (bad arguments, unreadable or invalid inputs).
"""

from __future__ import annotations

import argparse
import json
import os
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
    from assay.catalog import Catalog
    from assay.engine import Engine
    from assay.gaps import Report
    from assay.inputs import Inputs
    from assay.results import RunResult

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
_KEY_NAME = "assay-signing-key"  # assay keygen --out DIR writes DIR/assay-signing-key.{pem,pub}


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
        default=None,
        help="exit 1 only for failing or erroring controls of at least this severity (default: low)",
    )

    explain = commands.add_parser("explain", help="show a control, its mappings, evidence and result")
    explain.add_argument("control", metavar="CONTROL")
    _catalog_options(explain)
    _evidence_options(explain)

    test = commands.add_parser("test", help="run the test cases embedded in controls")
    _catalog_options(test)
    _backend_option(test)

    lint_parser = commands.add_parser("lint", help="check controls, mappings, waivers and scope files")
    _catalog_options(lint_parser)
    lint_parser.add_argument("--waivers", type=Path, metavar="FILE", help="waivers file to check")
    lint_parser.add_argument("--scope", type=Path, metavar="FILE", help="scope file to check")
    lint_parser.add_argument("--parameters", type=Path, metavar="FILE", help="parameters file to check")
    lint_parser.add_argument(
        "--now", type=parse_timestamp, help="the time waivers are judged at (default: the current time)"
    )
    lint_parser.add_argument(
        "--fallbacks",
        action="store_true",
        help="also list, as notes, rules the native CEL backend hands to the reference backend",
    )

    schema_parser = commands.add_parser("schema", help="print the JSON Schema of a file format or the report")
    schema_parser.add_argument("kind", choices=KINDS)

    commands.add_parser("functions", help="list the custom CEL functions rules can call")

    pack = commands.add_parser("pack", help="build an evidence pack for auditors (zip, manifest, signature)")
    _catalog_options(pack)
    _evidence_options(pack)
    pack.add_argument(
        "--framework", action="append", required=True, metavar="KEY", help="framework to pack (repeatable)"
    )
    pack.add_argument("--out", type=Path, required=True, metavar="PACK.zip", help="write the pack here")
    pack.add_argument("--sign-key", type=Path, metavar="KEY.pem", help="sign the manifest (Ed25519, PEM)")

    verify = commands.add_parser("verify", help="check an evidence pack: hashes, files, signature")
    verify.add_argument("pack", type=Path, metavar="PACK.zip")
    verify.add_argument(
        "--public-key", type=Path, metavar="KEY.pub", help="the key the pack must be signed with"
    )

    keygen = commands.add_parser("keygen", help="write an Ed25519 key pair for signing evidence packs")
    keygen.add_argument(
        "--out", type=Path, metavar="DIR", help=f"write {_KEY_NAME}.pem and {_KEY_NAME}.pub here"
    )
    keygen.add_argument("--private", type=Path, metavar="FILE", help="the private key's path (with --public)")
    keygen.add_argument("--public", type=Path, metavar="FILE", help="the public key's path (with --private)")
    _collect_parser(commands)
    _trust_parser(commands)
    return parser


def _trust_parser(commands: Any) -> None:
    trust = commands.add_parser(
        "trust-page", help="write the public trust page from the controls that pass, and security.txt"
    )
    _catalog_options(trust)
    _evidence_options(trust)
    trust.add_argument(
        "--framework",
        action="append",
        metavar="KEY",
        help="compliance section: only this framework (repeatable)",
    )
    trust.add_argument(
        "--output",
        type=Path,
        default=Path("trust-page"),
        metavar="DIR",
        help="write here (default: ./trust-page)",
    )
    trust.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="trust page config (default: ./trust.yaml, else the example's)",
    )


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
        "--parameters", type=Path, metavar="FILE", help="this company's values for the controls' parameters"
    )
    parser.add_argument(
        "--now", type=parse_timestamp, metavar="TIMESTAMP", help="evaluation time (default: the current time)"
    )
    parser.add_argument(
        "--max-evidence-mb",
        type=_positive_int,
        default=None,
        metavar="MB",
        help="refuse evidence files larger than this (default: 32)",
    )
    _backend_option(parser)


def _backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=("native", "reference"),
        default=None,
        help="CEL runtime: native (default) or reference (cel-python); also ASSAY_CEL_BACKEND",
    )


def _engine(args: argparse.Namespace, catalog: Catalog) -> Engine:
    """The engine with the backend chosen by --backend, else $ASSAY_CEL_BACKEND, else native."""
    from assay.cel import make_backend
    from assay.engine import Engine

    name = args.backend or os.environ.get("ASSAY_CEL_BACKEND") or "native"
    return Engine(catalog, backend=make_backend(name))


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
        "pack": _pack,
        "verify": _verify,
        "keygen": _keygen,
        "collect": _collect,
        "trust-page": _trust_page,
    }
    try:
        _apply_settings(args)
        return commands[args.command](args, out, err)
    except LoadError as exc:
        for diagnostic in exc.diagnostics:
            err.write(f"{diagnostic}\n")
        err.write(f"assay {args.command}: the inputs have errors; nothing was evaluated\n")
        return EXIT_USAGE
    except (ConfigError, AssayError) as exc:
        err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE


# --- collect -------------------------------------------------------------------------------------


def _collect_parser(commands: Any) -> None:
    """``assay collect <name>``: one subcommand per registered collector."""
    from assay.collect import collectors

    collect = commands.add_parser("collect", help="collect evidence from AWS, HTTPS endpoints, GitHub ...")
    names = collect.add_subparsers(dest="collector", required=True, parser_class=_Parser)
    for name, collector in sorted(collectors().items()):
        sub = names.add_parser(name, help=collector.description)
        sub.add_argument(
            "--out", type=Path, required=True, metavar="DIR", help="evidence folder to write into"
        )
        collector.add_arguments(sub)


def _collect(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.collect import get, run_collector

    collector = get(args.collector)
    tty = err.isatty()
    started = time.monotonic()

    def progress(message: str) -> None:
        if tty:
            err.write(f"\r\033[K[{time.monotonic() - started:5.1f}s] {args.collector}: {message}")
            err.flush()

    result = run_collector(collector, args, args.out, progress=progress)
    if tty:
        err.write("\r\033[K")
    out.write(
        f"assay collect {result.collector}: {len(result.written)} written, {len(result.failed)} failed"
        f" into {result.out}\n"
    )
    for item in result.written:
        out.write(f"  ok      {item.path}  ({item.source})\n")
    for failed in result.failed:
        out.write(f"  FAILED  {failed.path}: {failed.reason}\n")
    for path in result.removed:
        out.write(f"  removed {path} (written by an earlier run, not by this one)\n")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


# --- check ---------------------------------------------------------------------------------------


def _apply_settings(args: argparse.Namespace) -> None:
    """Fill the options not given on the command line from ./pyproject.toml's [tool.assay], if any."""
    from assay.settings import read_settings

    if args.command not in ("check", "explain", "lint", "test", "trust-page"):
        return
    settings = read_settings(Path("pyproject.toml"))
    if settings is not None:
        for option, value in (
            ("controls", settings.controls and list(settings.controls)),
            ("mappings", settings.mappings and list(settings.mappings)),
            ("evidence", settings.evidence),
            ("waivers", settings.waivers),
            ("scope", settings.scope),
            ("parameters", settings.parameters),
            ("now", settings.now),
            ("framework", settings.frameworks and list(settings.frameworks)),
            ("fail_on", settings.fail_on),
            ("max_evidence_mb", settings.max_evidence_mb),
        ):
            if hasattr(args, option) and getattr(args, option) is None:
                setattr(args, option, value)
    for option, default in (("fail_on", Severity.LOW.value), ("max_evidence_mb", 32)):
        if hasattr(args, option) and getattr(args, option) is None:
            setattr(args, option, default)


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
        parameters=args.parameters,
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
    from assay.fileio import atomic_write
    from assay.render import RenderOptions, format_for_path, render

    output_format = args.format or (format_for_path(str(args.output)) if args.output else None) or "terminal"
    _, run, report = _evaluate(args, err)
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


def _evaluate(args: argparse.Namespace, err: TextIO) -> tuple[Inputs, RunResult, Report]:
    """Load the inputs, evaluate every control and build the gap report (check and pack share this)."""
    from assay.gaps import build_report

    inputs = _inputs(args)
    unknown = [k for k in args.framework or [] if k not in inputs.catalog.frameworks]
    if unknown:
        known = ", ".join(sorted(inputs.catalog.frameworks))
        raise ConfigError(f"unknown framework {', '.join(unknown)} (known: {known})")
    for problem in inputs.evidence.problems():
        err.write(f"{problem.diagnostic}\n")
    engine = _engine(args, inputs.catalog)
    with _Progress(err) as progress:
        run = engine.evaluate(
            inputs.evidence,
            parameters=inputs.parameters,
            now=_now(args, inputs),
            waivers=inputs.waivers,
            scope=inputs.scope,
            progress=progress.update,
        )
    report = build_report(
        inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers, frameworks=args.framework
    )
    return inputs, run, report


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
    from assay.model import format_duration

    inputs = _inputs(args)
    try:
        control = inputs.catalog.control(args.control)
    except KeyError:
        raise ConfigError(f"unknown control {args.control!r}") from None
    source = inputs.catalog.control_sources.get(control.id)
    now = _now(args, inputs)
    run = _engine(args, inputs.catalog).evaluate(
        inputs.evidence, now=now, waivers=inputs.waivers, controls=[control.id], parameters=inputs.parameters
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
    if control.parameters:
        lines += ["", "Parameters:"]
        given = inputs.parameters.get(control.id, {})
        for name, default in control.parameters.items():
            value, origin = (given[name], "this company") if name in given else (default, "default")
            shown = "not set" if value is None else json.dumps(value, ensure_ascii=False)
            lines.append(f"  {name} = {shown} ({origin})")
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

    catalog = load_catalog(args.controls, args.mappings)
    engine = _engine(args, catalog)
    passed = failed = 0
    for control in catalog.controls:
        for case in control.tests:
            outcome = engine.run_test_case(control, case)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            out.write(f"FAIL {control.id} > {case.name}: {'; '.join(outcome.problems)}\n")
    untested = [c.id for c in catalog.controls if not c.tests and c.check == "cel"]
    if untested:
        out.write(f"controls without test cases: {', '.join(untested)}\n")
    out.write(f"{passed} passed, {failed} failed\n")
    return EXIT_PROBLEMS if failed else EXIT_OK


# --- lint, schema, functions ---------------------------------------------------------------------


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.lint import lint

    for option in ("waivers", "scope", "parameters"):
        path = getattr(args, option)
        if path is not None and not path.is_file():
            err.write(f"assay: error: --{option} {path}: no such file\n")
            return EXIT_USAGE
    diagnostics = lint(
        args.controls,
        args.mappings,
        waivers=args.waivers,
        scope=args.scope,
        parameters=args.parameters,
        now=_now(args),
        fallbacks=args.fallbacks,
    )
    for diagnostic in diagnostics:
        out.write(f"{diagnostic}\n")
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    if errors or warnings:
        err.write(f"assay lint: {errors} error(s), {warnings} warning(s)\n")
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


# --- evidence packs: pack, verify, keygen ----------------------------------------------------------


def _pack(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.fileio import atomic_write
    from assay.pack import build_pack, collect, load_private_key

    if args.max_evidence_mb is None:
        args.max_evidence_mb = 32
    key = None
    if args.sign_key is not None:
        key = load_private_key(_read_small(args.sign_key, "--sign-key"), str(args.sign_key))
    inputs, _, report = _evaluate(args, err)
    contents = collect(
        inputs,
        controls=args.controls,
        mappings=args.mappings,
        max_evidence_bytes=args.max_evidence_mb * 1024 * 1024,
    )
    pack = build_pack(report, contents, signing_key=key)
    try:
        atomic_write(args.out, pack.data)
    except OSError as exc:
        raise ConfigError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    manifest = pack.manifest
    redacted = [e for e in manifest.evidence if e.redacted is not None]
    values = sum(len(e.redacted.locations) for e in redacted if e.redacted is not None)
    signed = f"signed with key {manifest.signature.key_id}" if manifest.signature else "not signed"
    secrets = f"{values} secret value(s) redacted in {len(redacted)}" if redacted else "nothing redacted"
    err.write(
        f"assay pack: wrote {args.out}: {len(manifest.files)} files, {len(manifest.evidence)} evidence files "
        f"({secrets}), {signed}\n"
    )
    return EXIT_OK


def _verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.pack import PackLimits, load_public_key, verify_pack

    limits = PackLimits()
    public_key = None
    if args.public_key is not None:
        public_key = load_public_key(_read_small(args.public_key, "--public-key"), str(args.public_key))
    try:
        size = args.pack.stat().st_size
        if size > limits.max_total_bytes:
            out.write(
                f"unsafe archive: the file is {size:,} bytes; the limit is {limits.max_total_bytes:,}\n"
            )
            out.write(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read\n")
            return EXIT_PROBLEMS
        with args.pack.open("rb") as stream:
            data = stream.read(limits.max_total_bytes + 1)
        if len(data) > limits.max_total_bytes:  # it grew since stat(): read no further
            out.write(f"unsafe archive: the file is over {limits.max_total_bytes:,} bytes\n")
            out.write(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read\n")
            return EXIT_PROBLEMS
    except OSError as exc:
        raise ConfigError(f"cannot read {args.pack}: {exc.strerror or exc}") from None
    result = verify_pack(data, public_key=public_key, public_key_name=str(args.public_key), limits=limits)
    for line in (*result.problems, *result.notes):
        out.write(f"{line}\n")
    if result.refused:
        out.write(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read\n")
    elif result.problems:
        out.write(f"assay verify: {args.pack}: FAILED: {len(result.problems)} problem(s)\n")
    else:
        out.write(f"assay verify: {args.pack}: OK: {result.files} files match manifest.json\n")
    return EXIT_OK if result.ok else EXIT_PROBLEMS


def _keygen(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    import os

    from assay.pack import generate_key_pair, key_id, load_public_key

    if args.out is not None and (args.private is not None or args.public is not None):
        raise ConfigError("give either --out DIR, or --private FILE and --public FILE")
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        private, public = args.out / f"{_KEY_NAME}.pem", args.out / f"{_KEY_NAME}.pub"
    elif args.private is not None and args.public is not None:
        private, public = args.private, args.public
    else:
        raise ConfigError("give either --out DIR, or --private FILE and --public FILE")
    for path in (private, public):
        if path.exists() or path.is_symlink():
            raise ConfigError(f"{path} exists; refusing to overwrite it")
    private_pem, public_pem = generate_key_pair()

    def write_new(path: Path, data: bytes, mode: int) -> None:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
        with os.fdopen(handle, "wb") as stream:
            os.fchmod(stream.fileno(), mode)  # whatever the umask
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())

    try:
        write_new(private, private_pem, 0o600)
        try:
            write_new(public, public_pem, 0o644)
        except OSError:
            private.unlink()
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    identity = key_id(load_public_key(public_pem, str(public)))
    err.write(f"assay keygen: wrote {private} (private: keep it secret) and {public} (give it to auditors)\n")
    out.write(f"{identity}\n")
    return EXIT_OK


# --- trust page ------------------------------------------------------------------------------------


def _trust_page(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from assay.catalog import builtin_paths
    from assay.fileio import atomic_write
    from assay.render.trust_page import render_html, render_markdown, render_withheld
    from assay.securitytxt import check_security_txt, render_security_txt
    from assay.trust import build_trust_page, load_trust_config

    config_path = args.config
    if config_path is None:
        local = Path("trust.yaml")
        example = builtin_paths().example / "trust.yaml"
        if local.is_file():
            config_path = local
        elif args.evidence is None and example.is_file():
            config_path = example
        else:
            raise ConfigError("no trust page config: give --config FILE (see example/trust.yaml)")
    elif not config_path.is_file():
        raise ConfigError(f"--config {config_path}: no such file")
    config = load_trust_config(config_path)
    _, run, report = _evaluate(args, err)
    page = build_trust_page(report, config)
    files = {
        "index.html": render_html(page),
        "trust.md": render_markdown(page),
        "withheld.md": render_withheld(page),
    }
    status = EXIT_OK
    if config.security_txt is not None:
        text = render_security_txt(config.security_txt, config.canonical_url)
        problems = check_security_txt(text, run.now)
        for problem in problems:
            err.write(f"{config_path}: security_txt: {problem}\n")
        if any(p.severity == "error" for p in problems):
            err.write("assay trust-page: security.txt is expired or malformed; it was not written\n")
            status = EXIT_PROBLEMS
        else:
            files[".well-known/security.txt"] = text
    else:
        err.write(f"{config_path}: no security_txt section; .well-known/security.txt was not written\n")
    try:
        for name, content in files.items():
            target = args.output / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, content)
    except OSError as exc:
        raise ConfigError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    published = sum(len(s.claims) for s in page.sections) + len(page.attestations)
    err.write(
        f"assay trust-page: wrote {', '.join(files)} to {args.output}: "
        f"{published} claim(s) published, {len(page.withheld)} withheld (see withheld.md)\n"
    )
    return status


def _read_small(path: Path, option: str) -> bytes:
    """A key file: small, read whole."""
    try:
        if path.stat().st_size > 64 * 1024:
            raise ConfigError(f"{option} {path}: too large to be a key")
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{option} {path}: {exc.strerror or exc}") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
