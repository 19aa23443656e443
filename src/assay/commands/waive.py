"""``assay waive CONTROL``: add a waiver to the project's waivers file, every field checked.

The waiver is appended to the file with its comments, order and styles kept (see
:mod:`assay.roundtrip`); a control the catalog does not know, an expiry in the past or further ahead
than the project's ``max_waiver_days``, or an empty field is refused before anything is written.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.commands._authoring import inside_project, open_for_edit, save, shown_path
from assay.commands._common import Streams
from assay.commands._options import CATALOG_OPTIONS, EVIDENCE_OPTIONS, add_project_options, project_from
from assay.errors import ConfigError
from assay.fileio import atomic_write
from assay.project import Project
from assay.suggest import did_you_mean

if TYPE_CHECKING:  # pydantic and ruamel.yaml are imported when the command runs
    from ruamel.yaml.comments import CommentedMap

    from assay.model import Waiver

NAME = "waive"
HELP = "add a waiver to the project's waivers file"
SCHEMA_LINE = (
    "# yaml-language-server: $schema=waiver.schema.json\n"  # assay schema waiver > waiver.schema.json
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("control", metavar="CONTROL", help="the control waived")
    parser.add_argument(
        "--resource",
        action="append",
        dest="resources",
        metavar="ID",
        help="a resource the waiver covers (repeatable; none: the whole control)",
    )
    parser.add_argument("--justification", required=True, help="why the risk is accepted")
    parser.add_argument("--approver", required=True, help="who accepted it")
    parser.add_argument("--ticket", required=True, help="the ticket that records the decision")
    parser.add_argument(
        "--expires", required=True, metavar="DATE", help="the last day it applies: YYYY-MM-DD, or 30d, 12w"
    )
    parser.add_argument(
        "--waivers", type=Path, metavar="FILE", help="the waivers file (default: the project's)"
    )
    add_project_options(parser, CATALOG_OPTIONS, tuple(o for o in EVIDENCE_OPTIONS if o[1] == "now"))


def today(project: Project) -> date:
    moment = project.now or datetime.now(UTC)
    return moment.astimezone(UTC).date() if moment.tzinfo else moment.date()


def expiry(text: str, start: date, max_days: int) -> date:
    """The expiry date ``text`` names (a date, or a duration from ``start``), within the allowed window."""
    from assay.durations import parse_duration

    try:
        day = date.fromisoformat(text) if "-" in text else start + parse_duration(text)
    except ValueError as exc:
        raise ConfigError(
            f"--expires {text!r}: {exc}; write a date (YYYY-MM-DD) or a duration (30d)"
        ) from None
    if isinstance(day, datetime):  # start + a duration of hours
        day = day.date()
    if day < start:
        raise ConfigError(f"--expires {day.isoformat()} is in the past (today is {start.isoformat()})")
    if day > start + timedelta(days=max_days):
        raise ConfigError(
            f"--expires {day.isoformat()} is more than {max_days} days ahead (max_waiver_days); "
            f"the latest allowed is {(start + timedelta(days=max_days)).isoformat()}"
        )
    return day


def build_waiver(args: argparse.Namespace, project: Project) -> Waiver:
    """The waiver the arguments describe, checked by the waiver model and against the catalog."""
    from pydantic import ValidationError

    from assay.loaded_project import load_project_catalog
    from assay.model import Waiver

    known = [c.id for c in load_project_catalog(project).controls]
    if args.control not in known:
        raise ConfigError(f"unknown control {args.control!r}{did_you_mean(args.control, known)}")
    fields: dict[str, Any] = {
        "control": args.control,
        "justification": args.justification,
        "approver": args.approver,
        "ticket": args.ticket,
        "expires": expiry(args.expires, today(project), project.max_waiver_days),
    }
    if args.resources:
        fields["resources"] = tuple(args.resources)
    try:
        return Waiver.model_validate(fields)
    except ValidationError as exc:
        problems = "; ".join(f"--{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"the waiver is not valid: {problems}") from None


def entry(waiver: Waiver) -> CommentedMap:
    """The waiver as the file writes it: resources in flow style, the expiry as a date."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    data = CommentedMap()
    data["control"] = waiver.control
    if waiver.resources:
        resources = CommentedSeq(waiver.resources)
        resources.fa.set_flow_style()
        data["resources"] = resources
    for key in ("justification", "approver", "ticket"):
        data[key] = getattr(waiver, key)
    data["expires"] = waiver.expires
    return data


def run(args: argparse.Namespace, streams: Streams) -> int:
    from ruamel.yaml.comments import CommentedSeq

    project = project_from(args)
    path = args.waivers or project.waivers
    if path is None:
        raise ConfigError(
            "no waivers file: set `waivers` in the project's configuration or pass --waivers FILE"
        )
    waiver = build_waiver(args, project)
    target = inside_project(path, project)
    if not target.exists():
        atomic_write(target, SCHEMA_LINE + "waivers: []\n")
        streams.say(f"created {shown_path(target, project)}")
    document = open_for_edit(target, project)
    data = document.data
    if not isinstance(data, dict) or set(data) - {"waivers", "schema_version"}:
        raise ConfigError(f"{document.shown}: not a waivers file (its top level must be `waivers:`)")
    waivers = data.get("waivers")
    if not waivers:  # absent, null or an empty flow list: a block list from now on
        waivers = data["waivers"] = CommentedSeq()
    elif not isinstance(waivers, list):
        raise ConfigError(f"{document.shown}: `waivers` must be a list")
    waivers.append(entry(waiver))
    save(document)
    streams.say(
        f"{document.shown}: waived {waiver.control} until {waiver.expires.isoformat()} ({waiver.ticket})"
    )
    return 0
