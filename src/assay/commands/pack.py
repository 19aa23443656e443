"""``assay pack``: the evidence pack for auditors (zip, manifest, optional signature)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from assay.commands._common import Streams, UsageError, add_output_option, required_output, write_atomically
from assay.commands._keys import read_key_file
from assay.commands._options import (
    CATALOG_OPTIONS,
    EVIDENCE_OPTIONS,
    FRAMEWORK_OPTION,
    STORE_OPTION,
    add_project_options,
    project_from,
)

if TYPE_CHECKING:
    from assay.loaded_project import LoadedProject

NAME = "pack"
HELP = "build an evidence pack for auditors (zip, manifest, signature)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, EVIDENCE_OPTIONS, (FRAMEWORK_OPTION, STORE_OPTION))
    add_output_option(parser, "PACK.zip", "write the pack here (atomically)", required=True)
    parser.add_argument(
        "--period",
        metavar="FROM..TO",
        help="add the operating period's sample sheet from the run store (period/: CSV, JSON, HTML)",
    )
    parser.add_argument("--sign-key", type=Path, metavar="KEY.pem", help="sign the manifest (Ed25519, PEM)")


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.pack import build_pack, collect, load_private_key
    from assay.pipeline import run as run_project

    output = required_output(args, streams)
    project = project_from(args)
    key = None
    if args.sign_key is not None:
        key = load_private_key(read_key_file(args.sign_key, "--sign-key"), str(args.sign_key))
    outcome = run_project(project)
    for notice in outcome.notices:
        streams.warn(notice)
    extra = period_files(args.period, outcome.project) if args.period else None
    pack = build_pack(outcome.report, collect(outcome.project), signing_key=key, extra=extra)
    write_atomically(output, pack.data)
    manifest = pack.manifest
    redacted = [e for e in manifest.evidence if e.redacted is not None]
    values = sum(len(e.redacted.locations) for e in redacted if e.redacted is not None)
    signed = (
        f"signed by the key with fingerprint {manifest.signature.key_id}"
        if manifest.signature
        # verify passes only signed packs by default: say so where the pack is made.
        else "not signed (assay verify passes it only with --allow-unsigned; sign with --sign-key)"
    )
    secrets = f"{values} secret value(s) redacted in {len(redacted)}" if redacted else "nothing redacted"
    streams.warn(
        f"assay pack: wrote {output}: {len(manifest.files)} files, {len(manifest.evidence)} evidence files "
        f"({secrets}), {signed}"
    )
    return 0


def period_files(text: str, project: LoadedProject) -> dict[str, bytes]:
    """The sample sheet of the period ``FROM..TO`` (dates or timestamps), in each of its formats."""
    from assay.commands.period import end_moment, moment, period_report
    from assay.store.sheet import render_period

    start, separator, end = text.partition("..")
    if not separator:
        raise UsageError(f"assay pack: error: --period is FROM..TO (2026-01-01..2026-06-30), not {text!r}")
    try:
        first, last = moment(start), end_moment(end)
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"assay pack: error: --period: {exc}") from None
    report, reads = period_report(project.config, first, last, catalog=project.catalog)
    return {
        f"period/sample-sheet.{fmt}": render_period(report, fmt, reads).encode("utf-8")
        for fmt in ("csv", "json", "html")
    }
