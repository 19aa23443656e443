"""``assay verify PACK``: check an evidence pack's structure, hashes, files and signature.

A pack verifies only when a trusted key signed it: ``--public-key`` (repeatable), else the project's
``trusted_keys``. ``--allow-unsigned`` accepts a pack no trusted key signed, still checking its files;
the result then says ``UNSIGNED``. Exit code 0 when the pack verifies, 1 when it does not, 2 for
usage and configuration errors (a key that cannot be read, say).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.commands._common import Streams
from assay.commands._keys import trusted_keys
from assay.errors import ConfigError

NAME = "verify"
HELP = "check an evidence pack: structure, hashes, files, and a signature by a trusted key"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", type=Path, metavar="PACK.zip")
    parser.add_argument(
        "--public-key",
        type=Path,
        action="append",
        metavar="KEY.pub",
        help="a key whose signature is trusted (repeatable; default: trusted_keys in the project config)",
    )
    parser.add_argument(
        "--allow-unsigned",
        action="store_true",
        help="accept a pack no trusted key signed: its files are still checked, and the result says UNSIGNED",
    )
    parser.add_argument(
        "--project",
        type=Path,
        metavar="PATH",
        help="the project's assay.toml or pyproject.toml (or its folder), for its trusted_keys",
    )


def _read_pack(path: Path, limit: int) -> bytes | None:
    """The archive's bytes, or None when it is over the limit (then nothing more is read)."""
    try:
        if path.stat().st_size > limit:
            return None
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from None
    return data if len(data) <= limit else None  # it may have grown since stat()


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.pack import PackLimits, verify_pack

    limits = PackLimits()
    trusted = trusted_keys(args.public_key, args.project)
    data = _read_pack(args.pack, limits.max_total_bytes)
    if data is None:
        streams.say(f"unsafe archive: the file is over {limits.max_total_bytes:,} bytes")
        streams.say(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read")
        return 1
    result = verify_pack(data, trusted_keys=trusted, allow_unsigned=args.allow_unsigned, limits=limits)
    # each line of the result is one line here: names from the archive cannot start a line of their own
    for line in (*result.problems, *result.notes):
        streams.say(line)
    if result.refused:
        streams.say(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read")
    elif result.problems:
        streams.say(f"assay verify: {args.pack}: FAILED: {len(result.problems)} problem(s)")
    elif result.signer is not None:
        streams.say(
            f"assay verify: {args.pack}: OK: {result.files} files match manifest.json, "
            f"signed with the trusted key {result.signer}"
        )
    else:
        streams.say(
            f"assay verify: {args.pack}: UNSIGNED: {result.files} files match manifest.json, "
            "but no trusted key signed it"
        )
    return 0 if result.ok else 1
