"""``assay cache info`` and ``assay cache clear``: the on-disk cache's folder, size and cap."""

from __future__ import annotations

import argparse
import os

from assay.commands._common import Streams

NAME = "cache"
HELP = "show the on-disk cache (folder, entries, size, cap) or clear it"
MIB = 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION", parser_class=type(parser))
    actions.add_parser("info", help="the folder, its entries, their size and the cap")
    actions.add_parser("clear", help="remove every entry (a later run rebuilds what it needs)")


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay import cache
    from assay.errors import AssayError

    directory = cache.cache_directory()
    problem = cache.directory_problem(directory)
    if problem:
        raise AssayError(f"{directory} is not assay's cache folder ({problem}); nothing done")
    if args.action == "clear":
        removed = cache.clear(directory) if directory.exists() else 0
        streams.say(f"removed {removed} file{'' if removed == 1 else 's'} from {directory}")
        return 0
    files = cache.cache_files(directory) if directory.exists() else []
    size = sum(file.size for file in files)
    entries = sum(file.role == "entry" for file in files)
    old = sum(file.role == "old" for file in files)
    cap = cache.max_bytes()
    source = f"${cache.MAX_MB_ENV}" if os.environ.get(cache.MAX_MB_ENV, "").strip() else "default"
    off = os.environ.get(cache.NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no", "off")
    streams.say(f"folder:  {directory}{'' if directory.exists() else ' (not made yet)'}")
    streams.say(
        f"entries: {entries}"
        + (f" (and {old} file{'' if old == 1 else 's'} of an older layout)" if old else "")
    )
    streams.say(f"size:    {size / MIB:.1f} MiB ({size} bytes)")
    streams.say(f"cap:     {cap / MIB:g} MiB ({source})")
    if off:
        streams.say(f"state:   off (${cache.NO_CACHE_ENV})")
    return 0
