"""``assay collect NAME``: run a registered evidence collector into an evidence folder."""

from __future__ import annotations

import argparse
import time
from typing import Any

from assay.commands._common import Parser, Streams, add_output_option, required_output
from assay.safe_text import terminal_safe

NAME = "collect"
HELP = "collect evidence from AWS, HTTPS endpoints, GitHub ..."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from assay.collect import collectors

    names: Any = parser.add_subparsers(dest="collector", required=True, parser_class=Parser)
    for name, collector in sorted(collectors().items()):
        sub = names.add_parser(name, help=collector.description)
        add_output_option(sub, "DIR", "evidence folder to write into", required=True)
        collector.add_arguments(sub)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.collect import get, run_collector

    folder = required_output(args, streams)
    args.out = folder  # collectors read options.out
    collector = get(args.collector)
    tty = streams.err.isatty()
    started = time.monotonic()

    def progress(message: str) -> None:
        if tty:
            line = terminal_safe(f"[{time.monotonic() - started:5.1f}s] {args.collector}: {message}")
            streams.err.write(f"\r\033[K{line}")  # back to the line's start, erase it, write the news
            streams.err.flush()

    result = run_collector(collector, args, folder, progress=progress)
    if tty:
        streams.err.write("\r\033[K")
    streams.say(
        f"assay collect {result.collector}: {len(result.written)} written, {len(result.failed)} failed"
        f" into {result.out}"
    )
    for item in result.written:
        streams.say(f"  ok      {item.path}  ({item.source})")
    for failed in result.failed:
        streams.say(f"  FAILED  {failed.path}: {failed.reason}")
    for path in result.removed:
        streams.say(f"  removed {path} (written by an earlier run, not by this one)")
    return 0 if result.ok else 1
