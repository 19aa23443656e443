"""What the commands share: the argument parser, the project options, output writing, streams.

Commands print through :meth:`Streams.say` and :meth:`Streams.warn`, which make each line terminal-safe:
messages carry file names, evidence values and pack entries, and none of them may steer the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from assay.errors import ConfigError
from assay.lean_dataclasses import frozen
from assay.safe_text import terminal_safe

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_WIDTH = 100
HELP_WIDTH_FALLBACK = 80  # argparse's width without $COLUMNS nor a terminal (shutil.get_terminal_size's)


class UsageError(Exception):
    """Bad arguments: exit code 2, with argparse's message."""


def terminal_columns() -> int:
    """The width argparse lays help out to, found as :func:`shutil.get_terminal_size` finds it:
    ``$COLUMNS`` when it is a positive number, else stdout's terminal's, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or HELP_WIDTH_FALLBACK  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return HELP_WIDTH_FALLBACK


class HelpFormatter(argparse.HelpFormatter):
    """argparse's own, given its width: argparse would import shutil to find it (with bz2 and lzma,
    about 3 ms), and builds a formatter for every argument added, so every run paid for it."""

    def __init__(
        self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None
    ) -> None:
        width = terminal_columns() - 2 if width is None else width  # argparse keeps two columns free
        super().__init__(prog, indent_increment, max_help_position, width)


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the command line always returns its code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}")


@frozen
class Streams:
    out: TextIO
    err: TextIO

    def width(self) -> int:
        """The terminal's width when printing to one, else ``$COLUMNS``, else 100."""
        if self.out.isatty():
            import shutil  # here: only a terminal is asked its size (shutil imports bz2, lzma, fnmatch)

            return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH

    def say(self, text: str = "") -> None:
        """One line on stdout, terminal-safe: control characters in it, line breaks too, show as escapes."""
        self.out.write(terminal_safe(text) + "\n")

    def warn(self, text: str) -> None:
        """One line on stderr, terminal-safe like :meth:`say`."""
        self.err.write(terminal_safe(text) + "\n")


def add_output_option(
    parser: argparse.ArgumentParser, metavar: str, help_text: str, *, required: bool = False
) -> None:
    """``--output``, and ``--out``: its deprecated alias."""
    from pathlib import Path  # here: a command's options are built only when it runs (not for --version)

    parser.add_argument("--output", type=Path, metavar=metavar, help=help_text, required=False)
    parser.add_argument("--out", dest="deprecated_out", type=Path, metavar=metavar, help=argparse.SUPPRESS)
    parser.set_defaults(output_required=required)


def output_path(args: argparse.Namespace, streams: Streams, default: Path | None = None) -> Path | None:
    """``--output``, or ``--out`` with a deprecation warning; a usage error when required and absent."""
    if args.deprecated_out is not None:
        streams.warn(f"assay {args.command}: warning: --out is deprecated; use --output")
        if args.output is None:
            args.output = args.deprecated_out
    if args.output is None and args.output_required and default is None:
        raise UsageError(f"assay {args.command}: error: the following arguments are required: --output")
    return args.output if args.output is not None else default


def required_output(args: argparse.Namespace, streams: Streams) -> Path:
    """``--output`` of a command that cannot run without it."""
    path = output_path(args, streams)
    if path is None:
        raise UsageError(f"assay {args.command}: error: the following arguments are required: --output")
    return path


def write_atomically(path: Path, data: str | bytes) -> None:
    from assay.fileio import atomic_write

    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
