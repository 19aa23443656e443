"""The ``assay`` command: the only module that prints, reads the clock, or picks exit codes.

Exit codes: 0 clean, 1 problems found (lint diagnostics, failing controls), 2 usage or configuration
errors (bad arguments, unreadable inputs).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn, TextIO

from assay._version import __version__
from assay.errors import AssayError, ConfigError
from assay.lint import lint
from assay.schemas import KINDS, render

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so :func:`main` always returns its code."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.prog}: error: {message}")


class _UsageError(Exception):
    pass


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 timestamp; a date alone means its midnight UTC; naive means UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _build_parser() -> _Parser:
    parser = _Parser(prog="assay", description="Compliance as code: controls, evidence and gap reports.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    lint_parser = commands.add_parser("lint", help="check controls, mappings, waivers and scope files")
    _catalog_options(lint_parser)
    lint_parser.add_argument("--waivers", type=Path, help="waivers file to check")
    lint_parser.add_argument("--scope", type=Path, help="scope file to check")
    lint_parser.add_argument(
        "--now",
        type=parse_timestamp,
        help="the time waivers are judged at (default: the current time)",
    )

    schema_parser = commands.add_parser("schema", help="print the JSON Schema of a file format")
    schema_parser.add_argument("kind", choices=KINDS)
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


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        err.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    try:
        if args.command == "schema":
            out.write(render(args.kind))
            return EXIT_OK
        if args.command == "lint":
            return _lint(args, out, err)
    except ConfigError as exc:
        err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE
    except AssayError as exc:
        err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE
    raise AssertionError(f"unhandled command {args.command}")  # pragma: no cover


def _lint(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for option in ("waivers", "scope"):
        path = getattr(args, option)
        if path is not None and not path.is_file():
            err.write(f"assay: error: --{option} {path}: no such file\n")
            return EXIT_USAGE
    now = args.now or datetime.now(UTC)
    diagnostics = lint(args.controls, args.mappings, waivers=args.waivers, scope=args.scope, now=now)
    for diagnostic in diagnostics:
        out.write(f"{diagnostic}\n")
    if diagnostics:
        errors = sum(1 for d in diagnostics if d.severity == "error")
        warnings = len(diagnostics) - errors
        err.write(f"assay lint: {errors} error(s), {warnings} warning(s)\n")
        return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
