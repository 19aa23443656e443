"""``assay config``: the resolved project configuration, and where each value came from."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path
from typing import Any

from assay.commands._common import Streams
from assay.commands._options import (
    CATALOG_OPTIONS,
    EVIDENCE_OPTIONS,
    FAIL_ON_OPTION,
    FRAMEWORK_OPTION,
    add_project_options,
    project_from,
)

NAME = "config"
HELP = "print the resolved project configuration and where each value came from"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, EVIDENCE_OPTIONS, (FRAMEWORK_OPTION, FAIL_ON_OPTION))
    parser.add_argument("--json", action="store_true", help="print JSON: {key: {value, origin}}")


def shown(value: Any) -> Any:
    if isinstance(value, Path):
        return value.as_posix()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return [shown(v) for v in value]
    return value


def run(args: argparse.Namespace, streams: Streams) -> int:
    project = project_from(args)
    rows = project.settings()
    if args.json:
        data = {key: {"value": shown(value), "origin": origin} for key, value, origin in rows}
        streams.out.write(
            json.dumps({"config_file": shown(project.config_file), "settings": data}, indent=2) + "\n"
        )
        return 0
    streams.say(f"# config file: {project.config_file or 'none (defaults)'}")
    width = max(len(key) for key, _, _ in rows)
    for key, value, origin in rows:
        text = "(default)" if value is None else json.dumps(shown(value))
        streams.say(f"{key.ljust(width)} = {text}  # {origin}")
    return 0
