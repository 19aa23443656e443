"""What the commands share: the argument parser, the project options, output writing, streams."""

from __future__ import annotations

import argparse
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn, TextIO

from assay.errors import ConfigError
from assay.project import Project, parse_timestamp, resolve_project

DEFAULT_WIDTH = 100


class UsageError(Exception):
    """Bad arguments: exit code 2, with argparse's message."""


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the command line always returns its code."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}")


@dataclass(frozen=True)
class Streams:
    out: TextIO
    err: TextIO

    def width(self) -> int:
        """The terminal's width when printing to one, else ``$COLUMNS``, else 100."""
        if self.out.isatty():
            return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        columns = os.environ.get("COLUMNS", "")
        return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def timestamp(text: str) -> datetime:
    try:
        return parse_timestamp(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def builtin_selection(text: str) -> str | tuple[str, ...]:
    """``all``, ``none``, or the ids and domains in a comma-separated list (one alone too)."""
    if text in ("all", "none"):
        return text
    names = tuple(name.strip() for name in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"an empty id or domain in {text!r}")
    return names


def positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1: {text!r}")
    return int(text)


# Command-line options that set project settings: (flag, key, argparse keywords).
CATALOG_OPTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "--controls",
        "controls",
        {"type": Path, "action": "append", "metavar": "DIR", "help": "controls folder or file (repeatable)"},
    ),
    (
        "--mappings",
        "mappings",
        {"type": Path, "action": "append", "metavar": "DIR", "help": "mapping files or folder (repeatable)"},
    ),
    (
        "--catalog",
        "catalogs",
        {
            "type": Path,
            "action": "append",
            "metavar": "FILE",
            "help": "a framework catalog of your own (repeatable)",
        },
    ),
    (
        "--builtin-controls",
        "builtin_controls",
        {
            "type": builtin_selection,
            "metavar": "all|none|IDS",
            "help": "built-in controls to use: all, none, or ids/domains separated by commas",
        },
    ),
)
EVIDENCE_OPTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    (
        "--evidence",
        "evidence",
        {"type": Path, "metavar": "DIR", "help": "evidence folder (default: the bundled example)"},
    ),
    ("--waivers", "waivers", {"type": Path, "metavar": "FILE", "help": "waivers file"}),
    ("--scope", "scope", {"type": Path, "metavar": "FILE", "help": "scope file"}),
    (
        "--parameters",
        "parameters",
        {"type": Path, "metavar": "FILE", "help": "this company's values for the controls' parameters"},
    ),
    (
        "--now",
        "now",
        {
            "type": timestamp,
            "metavar": "TIMESTAMP",
            "help": "evaluation time (default: the evidence's snapshot, else now)",
        },
    ),
    (
        "--max-evidence-mb",
        "max_evidence_mb",
        {
            "type": positive_int,
            "metavar": "MB",
            "help": "refuse evidence files larger than this (default: 32)",
        },
    ),
    (
        "--backend",
        "backend",
        {"metavar": "native|reference", "help": "CEL runtime (default: native; also $ASSAY_CEL_BACKEND)"},
    ),
)
FRAMEWORK_OPTION = (
    "--framework",
    "frameworks",
    {"action": "append", "metavar": "KEY", "help": "only this framework (repeatable)"},
)


def add_project_options(
    parser: argparse.ArgumentParser, *groups: tuple[tuple[str, str, dict[str, Any]], ...]
) -> None:
    """``--project`` and the given groups of options that override project settings."""
    parser.add_argument(
        "--project",
        type=Path,
        metavar="PATH",
        help="the project's assay.toml or pyproject.toml (or its folder)",
    )
    for group in groups:
        for flag, key, keywords in group:
            parser.add_argument(flag, dest=f"setting_{key}", default=None, **keywords)


def add_output_option(
    parser: argparse.ArgumentParser, metavar: str, help_text: str, *, required: bool = False
) -> None:
    """``--output``, and ``--out``: its deprecated alias."""
    parser.add_argument("--output", type=Path, metavar=metavar, help=help_text, required=False)
    parser.add_argument("--out", dest="deprecated_out", type=Path, metavar=metavar, help=argparse.SUPPRESS)
    parser.set_defaults(output_required=required)


def output_path(args: argparse.Namespace, streams: Streams, default: Path | None = None) -> Path | None:
    """``--output``, or ``--out`` with a deprecation warning; a usage error when required and absent."""
    if args.deprecated_out is not None:
        streams.err.write(f"assay {args.command}: warning: --out is deprecated; use --output\n")
        if args.output is None:
            args.output = args.deprecated_out
    if args.output is None and args.output_required and default is None:
        raise UsageError(f"assay {args.command}: error: the following arguments are required: --output")
    return args.output if args.output is not None else default


FAIL_ON_OPTION = (
    "--fail-on",
    "fail_on",
    {"metavar": "SEVERITY", "help": "exit 1 only for failing or erroring controls of at least this severity"},
)
FLAGS = {
    key: flag
    for group in (CATALOG_OPTIONS, EVIDENCE_OPTIONS, (FRAMEWORK_OPTION, FAIL_ON_OPTION))
    for flag, key, _ in group
}


def project_from(args: argparse.Namespace) -> Project:
    """The project: its config file, the environment, and this command line's options over both."""
    options: dict[str, tuple[Any, str]] = {}
    for name, value in vars(args).items():
        if name.startswith("setting_") and value is not None:
            key = name.removeprefix("setting_")
            options[key] = (tuple(value) if isinstance(value, list) else value, FLAGS.get(key, key))
    return resolve_project(config=getattr(args, "project", None), options=options)


def write_atomically(path: Path, data: str | bytes) -> None:
    from assay.fileio import atomic_write

    try:
        atomic_write(path, data)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
