"""``assay lint``: check the project's controls, mappings, waivers, scope and parameters files."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from assay.commands._common import Streams
from assay.commands._options import CATALOG_OPTIONS, add_project_options, project_from, timestamp

NAME = "lint"
HELP = "check controls, mappings, waivers and scope files"
POLICY_OPTIONS = (
    ("--waivers", "waivers", {"metavar": "FILE", "help": "waivers file to check"}),
    ("--scope", "scope", {"metavar": "FILE", "help": "scope file to check"}),
    ("--parameters", "parameters", {"metavar": "FILE", "help": "parameters file to check"}),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, POLICY_OPTIONS)
    parser.add_argument(
        "--now", type=timestamp, help="the time waivers are judged at (default: the current time)"
    )
    parser.add_argument(
        "--fallbacks",
        action="store_true",
        help="also list, as notes, rules the native CEL backend hands to the reference backend",
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.lint import lint
    from assay.loaded_project import read_project_catalog
    from assay.trust import check_domains

    project = project_from(args)
    for option in ("waivers", "scope", "parameters"):
        path = getattr(project, option)
        if path is not None and not path.is_file():
            streams.warn(f"assay: error: --{option} {path}: no such file")
            return 2
    diagnostics = lint(
        project.controls,
        [*project.catalogs, *project.mappings],
        waivers=project.waivers,
        scope=project.scope,
        parameters=project.parameters,
        now=args.now or project.now or datetime.now(UTC),
        fallbacks=args.fallbacks,
        builtin_controls=project.builtin_controls,  # type: ignore[arg-type]
    )
    catalog, _ = read_project_catalog(project)  # what could be loaded: its domains are checked too
    diagnostics += check_domains(project, catalog)
    for diagnostic in diagnostics:
        streams.say(str(diagnostic))
    errors = sum(1 for d in diagnostics if d.severity == "error")
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    if errors or warnings:
        streams.warn(f"assay lint: {errors} error(s), {warnings} warning(s)")
        return 1
    return 0
