"""The ``assay`` command line: one module per command, and the one place exit codes are decided.

Each command module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args, streams)``;
it parses arguments and calls the library (a project resolved by :mod:`assay.project`, run by
:mod:`assay.pipeline`). :func:`main` maps what they raise to exit codes: 0 clean, 1 problems found
(failing controls, lint diagnostics, failed tests or checks), 2 usage or configuration errors (bad
arguments, invalid inputs, a plug-in that cannot be used), 3 an internal error, reported in one line
(the traceback only with ``ASSAY_DEBUG=1``).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from types import ModuleType
from typing import Any, TextIO

from assay._version import __version__
from assay.commands import (
    check,
    collect,
    completion,
    config,
    explain,
    functions,
    keygen,
    lint,
    pack,
    schema,
    test,
    trust_page,
    verify,
)
from assay.commands._common import Parser, Streams, UsageError
from assay.errors import AssayError, LoadError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
COMMANDS: tuple[ModuleType, ...] = (
    check,
    explain,
    test,
    lint,
    schema,
    functions,
    pack,
    verify,
    keygen,
    collect,
    trust_page,
    config,
    completion,
)


def build_parser() -> Parser:
    parser = Parser(prog="assay", description="Compliance as code: controls, evidence and gap reports.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    subparsers: Any = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS:
        sub = subparsers.add_parser(command.NAME, help=command.HELP, description=command.HELP)
        command.add_arguments(sub)
        sub.set_defaults(handler=command.run)
    return parser


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code."""
    streams = Streams(stdout or sys.stdout, stderr or sys.stderr)
    try:
        args = build_parser().parse_args(argv)
    except UsageError as exc:
        streams.err.write(f"{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    except AssayError as exc:  # a plug-in that cannot be used, found while building the parser
        streams.err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE
    return run_command(args, streams)


def run_command(args: argparse.Namespace, streams: Streams) -> int:
    """Run one parsed command, turning every exception into its exit code and a message."""
    try:
        return int(args.handler(args, streams))
    except UsageError as exc:
        streams.err.write(f"{exc}\n")
        return EXIT_USAGE
    except LoadError as exc:
        for diagnostic in exc.diagnostics:
            streams.err.write(f"{diagnostic}\n")
        hint = getattr(exc, "hint", None)  # controls that fail lint (assay.pipeline.InvalidControls)
        streams.err.write(f"assay {args.command}: the inputs have errors; nothing was evaluated\n")
        if hint:
            streams.err.write(f"assay {args.command}: {hint}\n")
        return EXIT_USAGE
    except AssayError as exc:
        streams.err.write(f"assay: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        streams.err.write("assay: interrupted\n")
        return 130
    except Exception as exc:  # the one place a bug becomes a message instead of a traceback
        if os.environ.get("ASSAY_DEBUG"):
            traceback.print_exc(file=streams.err)
        streams.err.write(
            f"assay: internal error: {type(exc).__name__}: {exc} (set ASSAY_DEBUG=1 for the traceback; "
            "please report it)\n"
        )
        return EXIT_INTERNAL
