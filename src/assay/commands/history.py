"""``assay history CONTROL``: one control's status in every recorded run."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams
from assay.commands._options import STORE_OPTION, add_project_options, project_from

NAME = "history"
HELP = "show one control's status in every recorded run (HTML: a timeline)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("control", metavar="CONTROL", help="a control id")
    add_project_options(parser, (STORE_OPTION,))
    parser.add_argument(
        "--format", default="terminal", choices=("terminal", "json", "html"), help="default: terminal"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay import store
    from assay.commands.period import store_of
    from assay.store.drift import history_html, history_json, history_text

    history = store.open(store_of(project_from(args)))
    try:
        points = history.history(args.control)
    finally:
        history.close()
    render = {"json": history_json, "html": history_html}.get(args.format, history_text)
    text = render(args.control, points)
    if args.format == "terminal":
        for line in text.splitlines():
            streams.say(line)
    else:
        streams.out.write(text)
    return 0
