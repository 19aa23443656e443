"""``assay pack``: the evidence pack for auditors (zip, manifest, optional signature)."""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.commands._common import Streams, add_output_option, required_output, write_atomically
from assay.commands._keys import read_key_file
from assay.commands._options import (
    CATALOG_OPTIONS,
    EVIDENCE_OPTIONS,
    FRAMEWORK_OPTION,
    add_project_options,
    project_from,
)

NAME = "pack"
HELP = "build an evidence pack for auditors (zip, manifest, signature)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, EVIDENCE_OPTIONS, (FRAMEWORK_OPTION,))
    add_output_option(parser, "PACK.zip", "write the pack here (atomically)", required=True)
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
    pack = build_pack(outcome.report, collect(outcome.project), signing_key=key)
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
