"""``assay functions``: the custom CEL functions rules can call."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams

NAME = "functions"
HELP = "list the custom CEL functions rules can call"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """No options."""


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.cel.functions import DEFAULT_FUNCTIONS

    for function in DEFAULT_FUNCTIONS:
        streams.say(function.signature)
        streams.say(f"    {function.doc}")
    return 0
