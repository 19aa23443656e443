"""``assay diff RUN_A RUN_B``: what changed between two recorded runs."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams
from assay.commands._options import STORE_OPTION, add_project_options, project_from

NAME = "diff"
HELP = "show what changed between two recorded runs (statuses, failing resources, evidence hashes)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_a", metavar="RUN_A", help="a recorded run's id (or a unique prefix, or last)")
    parser.add_argument("run_b", metavar="RUN_B", help="another run's id (or a unique prefix, or last)")
    add_project_options(parser, (STORE_OPTION,))
    parser.add_argument(
        "--format", default="terminal", choices=("terminal", "json", "html"), help="default: terminal"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay import store
    from assay.commands.period import store_of
    from assay.store.drift import diff_html, diff_json, diff_text

    history = store.open(store_of(project_from(args)))
    try:
        found = history.diff(args.run_a, args.run_b)
    finally:
        history.close()
    text = {"json": diff_json, "html": diff_html}.get(args.format, diff_text)(found)
    for line in text.splitlines():
        streams.say(line)
    return 0
