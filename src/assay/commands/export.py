"""``assay export component-definition``: the loaded controls in a format other tools plan from."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from assay.commands._common import Streams, add_output_option, output_path, write_atomically
from assay.commands._options import CATALOG_OPTIONS, FRAMEWORK_OPTION, add_project_options, project_from
from assay.commands._options import timestamp as parse_time
from assay.errors import ConfigError
from assay.suggest import did_you_mean

NAME = "export"
HELP = "write the loaded controls and mappings as an OSCAL component definition"
KINDS = ("component-definition",)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS, help="what to export: component-definition (OSCAL 1.1.2)")
    add_project_options(parser, CATALOG_OPTIONS, (FRAMEWORK_OPTION,))
    parser.add_argument(
        "--title",
        default=None,
        metavar="TEXT",
        help="the system's name (default: 'The system assay assesses')",
    )
    parser.add_argument(
        "--now", type=parse_time, default=None, metavar="TIMESTAMP", help="the document's time (default: now)"
    )
    add_output_option(parser, "FILE", "write the document here (atomically), not to stdout")


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.loaded_project import load_project_catalog
    from assay.render.oscal_component import DEFAULT_TITLE, component_definition
    from assay.render.oscal_text import dump

    output = output_path(args, streams)
    project = project_from(args)
    catalog = load_project_catalog(project)
    keys = list(project.frameworks) if project.frameworks else None
    for key in keys or ():
        if key not in catalog.frameworks:
            raise ConfigError(f"unknown framework {key!r}{did_you_mean(key, catalog.frameworks)}")
    document = component_definition(
        catalog, now=args.now or datetime.now(UTC), frameworks=keys, title=args.title or DEFAULT_TITLE
    )
    text = dump(document)
    if output is None:
        streams.out.write(text)
        return 0
    write_atomically(output, text)
    streams.warn(f"assay export: wrote the component definition to {output}")
    return 0
