"""The command-line options that set project settings, and the project they resolve to."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from assay.project import DEFAULT_MAX_EVIDENCE_MB, Project, parse_timestamp, resolve_project


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
            "help": "a framework catalog of your own: assay YAML, or an OSCAL catalog in JSON (repeatable)",
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
            "help": f"refuse evidence files larger than this (default: {DEFAULT_MAX_EVIDENCE_MB})",
        },
    ),
    (
        "--require-system-evidence",
        "require_system_evidence",
        {
            "action": "store_true",
            "help": "a requirement met on attestations alone is only partially met (also in the config)",
        },
    ),
    (
        "--backend",
        "backend",
        {"metavar": "native|reference", "help": "CEL runtime (default: native; also $ASSAY_CEL_BACKEND)"},
    ),
    (
        "--skip-invalid",
        "skip_invalid",
        {
            "action": "store_true",
            "help": "report controls that fail lint as errors and evaluate the rest (default: refuse to run)",
        },
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


FAIL_ON_OPTION = (
    "--fail-on",
    "fail_on",
    {"metavar": "SEVERITY", "help": "exit 1 only for failing or erroring controls of at least this severity"},
)
JOBS_OPTION = (
    "--jobs",
    "jobs",
    {
        "type": positive_int,
        "metavar": "N",
        "help": "evaluate in N processes (default: the machine's cores; 1: in this process)",
    },
)
STORE_OPTION = (
    "--store",
    "store",
    {"metavar": "URL|FILE", "help": "the run store (default: .assay/history.sqlite; also $ASSAY_STORE)"},
)
RECORD_OPTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("--record", "record", {"action": "store_true", "help": "record this run in the run store"}),
    (
        "--record-evidence",
        "record_evidence",
        {"action": "store_true", "help": "record the run with its evidence content, redacted"},
    ),
    STORE_OPTION,
)
FLAGS = {
    key: flag
    for group in (
        CATALOG_OPTIONS,
        EVIDENCE_OPTIONS,
        (FRAMEWORK_OPTION, FAIL_ON_OPTION, JOBS_OPTION),
        RECORD_OPTIONS,
    )
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
