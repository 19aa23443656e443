"""``assay period``: whether each control operated effectively over a period, from the run store."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from assay.commands._common import Streams, UsageError, add_output_option, output_path, write_atomically
from assay.commands._options import (
    CATALOG_OPTIONS,
    FRAMEWORK_OPTION,
    STORE_OPTION,
    add_project_options,
    project_from,
)
from assay.project import Project

if TYPE_CHECKING:
    from assay.loading.catalog import Catalog
    from assay.model import Control
    from assay.store import PeriodReport

NAME = "period"
HELP = "report whether each control operated effectively over a period (SOC 2 Type 2), from recorded runs"
DAY = timedelta(days=1)


def moment(text: str) -> datetime:
    """A date (its midnight UTC) or a timestamp."""
    try:
        if len(text) == 10:  # noqa: PLR2004 - YYYY-MM-DD
            return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or ISO 8601 timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def end_moment(text: str) -> datetime:
    """The end of a period: a date means through its end (the next midnight UTC), a timestamp itself."""
    value = moment(text)
    return value + DAY if len(text) == 10 else value  # noqa: PLR2004 - YYYY-MM-DD


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, (FRAMEWORK_OPTION, STORE_OPTION))
    parser.add_argument("--from", dest="start", type=moment, required=True, metavar="DATE", help="first day")
    parser.add_argument(
        "--to",
        dest="end",
        type=end_moment,
        required=True,
        metavar="DATE",
        help="last day (a date: through its end)",
    )
    parser.add_argument("--format", default=None, metavar="NAME", help="terminal, json, csv or html")
    add_output_option(parser, "FILE", "write the sample sheet here (the format follows the extension)")


def expectation_for(control: Control) -> tuple[timedelta, timedelta]:
    """A control's frequency (its own, else its evidence's shortest max_age, else a day) and tolerance."""
    ages = [e.max_age for e in control.evidence if e.max_age is not None]
    return control.frequency or (min(ages) if ages else DAY), control.tolerance or timedelta(0)


def store_of(config: Project) -> str:
    from assay.store import DEFAULT_STORE

    return str(config.store or config.root / DEFAULT_STORE)


def period_report(
    config: Project, start: datetime, end: datetime, *, catalog: Catalog | None = None
) -> tuple[PeriodReport, dict[str, list[str]]]:
    """The period's report for the project's controls (of its frameworks), and what each one reads."""
    from assay import store
    from assay.loaded_project import load_project_catalog
    from assay.pipeline import check_frameworks

    catalog = catalog or load_project_catalog(config)
    keys = check_frameworks(catalog, config.frameworks)
    mapped = {m.control for m in catalog.mappings if keys is None or m.framework in keys}
    controls = [c for c in catalog.controls if keys is None or c.id in mapped]
    expectations = {c.id: store.Expectation(*expectation_for(c)) for c in controls}
    history = store.open(store_of(config))
    try:
        report = history.period(start, end, expectations=expectations, controls=tuple(c.id for c in controls))
    finally:
        history.close()
    return report, {c.id: [e.name for e in c.evidence] for c in controls}


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.store.sheet import FORMATS, render_period

    output = output_path(args, streams)
    fmt = args.format or (output.suffix.lstrip(".") if output is not None else "terminal")
    if fmt not in FORMATS:
        raise UsageError(f"assay period: error: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    report, reads = period_report(project_from(args), args.start, args.end)
    text = render_period(report, fmt, reads)
    if output is not None:
        write_atomically(output, text)
        streams.warn(f"assay period: wrote {fmt} sample sheet to {output}")
    else:
        streams.out.write(text)
    return 0 if all(c.verdict == "operated_effectively" for c in report.controls) else 1
