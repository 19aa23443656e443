"""``assay verify PACK``: check an evidence pack's hashes, files and signature."""

from __future__ import annotations

import argparse
from pathlib import Path

from assay.commands._common import Streams
from assay.commands._keys import read_key_file
from assay.errors import ConfigError

NAME = "verify"
HELP = "check an evidence pack: hashes, files, signature"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", type=Path, metavar="PACK.zip")
    parser.add_argument(
        "--public-key", type=Path, metavar="KEY.pub", help="the key the pack must be signed with"
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
    from assay.pack import PackLimits, load_public_key, verify_pack

    limits = PackLimits()
    public_key = None
    if args.public_key is not None:
        public_key = load_public_key(read_key_file(args.public_key, "--public-key"), str(args.public_key))
    data = _read_pack(args.pack, limits.max_total_bytes)
    if data is None:
        streams.say(f"unsafe archive: the file is over {limits.max_total_bytes:,} bytes")
        streams.say(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read")
        return 1
    result = verify_pack(data, public_key=public_key, public_key_name=str(args.public_key), limits=limits)
    # each line of the result is one line here: names from the archive cannot start a line of their own
    for line in (*result.problems, *result.notes):
        streams.say(line)
    if result.refused:
        streams.say(f"assay verify: {args.pack}: REFUSED: the archive is not safe to read")
    elif result.problems:
        streams.say(f"assay verify: {args.pack}: FAILED: {len(result.problems)} problem(s)")
    else:
        streams.say(f"assay verify: {args.pack}: OK: {result.files} files match manifest.json")
    return 0 if result.ok else 1
