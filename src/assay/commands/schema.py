"""``assay schema KIND``: the JSON Schema of a file format or of the JSON report."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams

NAME = "schema"
HELP = "print the JSON Schema of a file format or the report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from assay.schemas import KINDS

    parser.add_argument("kind", choices=KINDS)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.schemas import render

    streams.out.write(render(args.kind))
    return 0
