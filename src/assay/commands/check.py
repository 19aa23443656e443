"""``assay check``: evaluate the project's controls and write the gap report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assay.commands._common import Streams, UsageError, add_output_option, output_path, write_atomically
from assay.commands._options import (
    CATALOG_OPTIONS,
    EVIDENCE_OPTIONS,
    FAIL_ON_OPTION,
    FRAMEWORK_OPTION,
    JOBS_OPTION,
    RECORD_OPTIONS,
    add_project_options,
    project_from,
)
from assay.commands._progress import Progress
from assay.errors import ConfigError
from assay.safe_text import terminal_safe
from assay.statuses import ControlStatus, Severity
from assay.suggest import did_you_mean

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported only by runs that use it
    from assay.gaps import Report
    from assay.project import Project
    from assay.store import StoredRun

NAME = "check"
HELP = "evaluate controls against evidence and write a gap report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(
        parser,
        CATALOG_OPTIONS,
        EVIDENCE_OPTIONS,
        (FRAMEWORK_OPTION, FAIL_ON_OPTION, JOBS_OPTION),
        RECORD_OPTIONS,
    )
    add_selection_option(parser)
    add_organisation_options(parser)
    parser.add_argument(
        "--baseline",
        metavar="last|RUN_ID|FILE",
        help="exit 1 only when less compliant than this recorded run or JSON report (known failures pass)",
    )
    parser.add_argument(
        "--format", metavar="NAME", help="output format (default: from --output, else terminal)"
    )
    add_output_option(parser, "FILE", "write the report here (atomically; the format follows the extension)")


def add_selection_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-k",
        "--control",
        action="append",
        dest="selectors",
        metavar="ID",
        help="only this control, or the controls mapped to this requirement id (CC6.1, A.8.24, Art.32)",
    )


def add_organisation_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--evidence-root",
        type=Path,
        metavar="DIR",
        help="evaluate every evidence folder in DIR (one per account) and write one organisation report",
    )
    parser.add_argument(
        "--executor",
        choices=("local", "dask"),
        default=None,
        help="where an organisation's accounts are evaluated: local processes (default) or Dask",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="the Dask scheduler (tcp://host:8786); without it --executor dask starts one on this machine",
    )


def choose_format(name: str | None, output: str | None) -> str:
    """The output format: ``--format``, else the one ``--output``'s extension names, else terminal."""
    from assay.render import format_for_path, formats

    available = formats()
    if name is not None:
        if name not in available:
            raise UsageError(f"assay check: error: unknown format {name!r}{did_you_mean(name, available)}")
        return name
    if output is None:
        return "terminal"
    found = format_for_path(output)
    if found is None:
        known = ", ".join(sorted(f.extension for f in available.values()))
        raise UsageError(
            f"assay check: error: no renderer writes {output!r}: give --format, or an extension of {known}"
        )
    return found


def run(args: argparse.Namespace, streams: Streams) -> int:
    if args.evidence_root is not None:
        from assay.commands.check_org import run_organisation

        return run_organisation(args, streams)
    if args.executor is not None or args.scheduler is not None:
        raise UsageError("assay check: error: --executor and --scheduler go with --evidence-root")
    from assay.cel.readpaths import evidence_read_paths
    from assay.executor import default_jobs
    from assay.loaded_project import load_project
    from assay.pipeline import run as run_project
    from assay.render import RenderOptions, render

    output = output_path(args, streams)
    output_format = choose_format(args.format, str(output) if output is not None else None)
    # check only evaluates (a recorded run re-reads the files it stores): large evidence is pruned
    project = load_project(project=project_from(args), read_paths=evidence_read_paths)
    baseline = load_baseline(args.baseline, project.config) if args.baseline else None
    controls = project.catalog.select(args.selectors) if args.selectors else None
    jobs = project.config.jobs or default_jobs()
    with Progress(streams.err) as progress:
        outcome = run_project(project, controls=controls, progress=progress.update, jobs=jobs)
    for notice in outcome.notices:
        streams.warn(notice)
    if outcome.run_id is not None:
        streams.warn(f"assay check: recorded run {outcome.run_id}")
    color = output_format == "terminal" and output is None and streams.out.isatty()
    text = render(outcome.report, output_format, RenderOptions(color=color, width=streams.width()))
    if output is not None:
        write_atomically(output, text)
        streams.warn(f"assay check: wrote {output_format} report to {output}")
    elif isinstance(text, bytes):
        raise ConfigError(f"the {output_format} format writes bytes: give --output FILE")
    elif output_format != "terminal" and streams.out.isatty():
        # the terminal format is made safe as it is laid out; the others are files shown on a terminal
        streams.out.write(terminal_safe(text, multiline=True))
    else:
        streams.out.write(text)
    if baseline is not None:
        return ratchet(baseline, outcome.report, streams)
    threshold = Severity(project.config.fail_on).rank
    bad = (ControlStatus.FAIL, ControlStatus.ERROR)
    failing = [r for r in outcome.run.results if r.status in bad and r.severity.rank >= threshold]
    return 1 if failing else 0


def load_baseline(name: str, config: Project) -> StoredRun:
    """The baseline: a JSON report file when ``name`` is one, else a run of the store (or ``last``)."""
    from assay import store
    from assay.commands.period import store_of

    path = Path(name)
    if path.suffix == ".json" or path.is_file():
        return store.read_report(path)
    history = store.open(store_of(config))
    try:
        return history.get(name)
    finally:
        history.close()


def ratchet(baseline: StoredRun, report: Report, streams: Streams) -> int:
    """1 when the run is less compliant than the baseline, saying how; 0 when only known failures remain."""
    from assay.store import regressions, snapshot

    found = regressions(baseline, snapshot(report))
    for line in found:
        streams.warn(f"assay check: less compliant than the baseline: {line}")
    if not found:
        streams.warn(f"assay check: no worse than the baseline {baseline.info.id}")
    return 1 if found else 0
