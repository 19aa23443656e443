"""``assay waivers [--expiring 30d]``: the project's waivers by expiry, for a scheduled CI job.

It lists the waivers that expire within the given window (all of them without ``--expiring``) and
exits 1 when any has already expired: an expired waiver no longer covers its control.
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from assay.commands._common import Streams
from assay.commands._options import EVIDENCE_OPTIONS, add_project_options, project_from
from assay.commands.waive import today
from assay.errors import ConfigError, LoadError, Severity

NAME = "waivers"
HELP = "list the project's waivers by expiry; exit 1 if any has expired"


def window(text: str) -> timedelta:
    from assay.durations import parse_duration  # pydantic, imported when the option is given

    try:
        value = parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not isinstance(value, timedelta):  # pragma: no cover - parse_duration returns one for a str
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expiring",
        type=window,
        metavar="DURATION",
        help="only waivers expiring within this window (e.g. 30d)",
    )
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help="the waivers file (default: the project's)"
    )
    add_project_options(parser, tuple(o for o in EVIDENCE_OPTIONS if o[1] == "now"))


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.durations import format_duration
    from assay.loading.policies import load_waivers

    project = project_from(args)
    path = args.waivers or project.waivers
    if path is None:
        raise ConfigError(
            "no waivers file: set `waivers` in the project's configuration or pass --waivers FILE"
        )
    loaded = load_waivers(path, str(path))
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    start = today(project)
    horizon = start + args.expiring if args.expiring is not None else None
    shown = [w.value for w in loaded.items if horizon is None or w.value.expires <= horizon]
    expired = 0
    for waiver in sorted(shown, key=lambda w: (w.expires, w.control, w.ticket)):
        days = (waiver.expires - start).days
        state = "EXPIRED" if days < 0 else "expires today" if days == 0 else f"expires in {days}d"
        expired += days < 0
        resources = f" [{', '.join(waiver.resources)}]" if waiver.resources else ""
        streams.say(f"{waiver.expires.isoformat()}  {state:<16} {waiver.control}{resources}  {waiver.ticket}")
    within = f" expiring within {format_duration(args.expiring)}" if args.expiring is not None else ""
    streams.say(f"{len(shown)} waiver(s){within}, {expired} expired, in {path}")
    return 1 if expired else 0
