"""``assay keygen``: an Ed25519 key pair for signing evidence packs."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from assay.commands._common import Streams, add_output_option, output_path
from assay.commands._keys import KEY_NAME
from assay.errors import ConfigError

NAME = "keygen"
HELP = "write an Ed25519 key pair for signing evidence packs"
PRIVATE_MODE = 0o600
PUBLIC_MODE = 0o644


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_option(parser, "DIR", f"write {KEY_NAME}.pem and {KEY_NAME}.pub here")
    parser.add_argument("--private", type=Path, metavar="FILE", help="the private key's path (with --public)")
    parser.add_argument("--public", type=Path, metavar="FILE", help="the public key's path (with --private)")


def _paths(args: argparse.Namespace, streams: Streams) -> tuple[Path, Path]:
    folder = output_path(args, streams)
    named = args.private is not None or args.public is not None
    if folder is not None and not named:
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"{KEY_NAME}.pem", folder / f"{KEY_NAME}.pub"
    if folder is None and args.private is not None and args.public is not None:
        return args.private, args.public
    raise ConfigError("give either --output DIR, or --private FILE and --public FILE")


def _write_new(path: Path, data: bytes, mode: int) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with os.fdopen(handle, "wb") as stream:
        os.fchmod(stream.fileno(), mode)  # whatever the umask
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.pack import generate_key_pair, key_id, load_public_key

    private, public = _paths(args, streams)
    for path in (private, public):
        if path.exists() or path.is_symlink():
            raise ConfigError(f"{path} exists; refusing to overwrite it")
    private_pem, public_pem = generate_key_pair()
    try:
        _write_new(private, private_pem, PRIVATE_MODE)
        try:
            _write_new(public, public_pem, PUBLIC_MODE)
        except OSError:
            private.unlink()
            raise
    except OSError as exc:
        raise ConfigError(f"cannot write {exc.filename}: {exc.strerror or exc}") from None
    identity = key_id(load_public_key(public_pem, str(public)))
    streams.warn(
        f"assay keygen: wrote {private} (private: keep it secret) and {public} (give it to auditors)"
    )
    streams.say(identity)
    return 0
