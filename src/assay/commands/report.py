"""``assay report --from FILE``: a gap report read from OSCAL assessment results, in any output format."""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.commands._common import Streams, add_output_option, output_path, write_atomically
from assay.commands.check import choose_format
from assay.errors import ConfigError
from assay.safe_text import terminal_safe

NAME = "report"
HELP = "show OSCAL assessment results (assay's or a GRC tool's) as a gap report"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="source",
        type=Path,
        required=True,
        metavar="FILE",
        help="an OSCAL assessment-results document in JSON (assay check --format oscal writes one)",
    )
    parser.add_argument(
        "--format", metavar="NAME", help="output format (default: from --output, else terminal)"
    )
    add_output_option(parser, "FILE", "write the report here (atomically; the format follows the extension)")


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.importing.oscal_results import read_assessment_results
    from assay.loading.documents import display_path
    from assay.render import RenderOptions, render

    output = output_path(args, streams)
    output_format = choose_format(args.format, str(output) if output is not None else None)
    report = read_assessment_results(args.source, display_path(args.source))
    color = output_format == "terminal" and output is None and streams.out.isatty()
    text = render(report, output_format, RenderOptions(color=color, width=streams.width()))
    if output is not None:
        write_atomically(output, text)
        streams.warn(f"assay report: wrote {output_format} report to {output}")
    elif isinstance(text, bytes):
        raise ConfigError(f"the {output_format} format writes bytes: give --output FILE")
    elif output_format != "terminal" and streams.out.isatty():
        # the terminal format is made safe as it is laid out; the others are files shown on a terminal
        streams.out.write(terminal_safe(text, multiline=True))
    else:
        streams.out.write(text)
    return 0
