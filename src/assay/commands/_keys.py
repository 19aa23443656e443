"""Key files, read small and whole; the keys ``assay verify`` trusts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assay.errors import ConfigError

if TYPE_CHECKING:
    from assay.pack import TrustedKey

MAX_KEY_BYTES = 64 * 1024
KEY_NAME = "assay-signing-key"  # assay keygen --output DIR writes DIR/assay-signing-key.{pem,pub}


def read_key_file(path: Path, option: str) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_BYTES:
            raise ConfigError(f"{option} {path}: too large to be a key")
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{option} {path}: {exc.strerror or exc}") from None


def trusted_keys(given: Sequence[Path] | None, project: Path | None) -> list[TrustedKey]:
    """The keys given with ``--public-key``; without any, the project config's ``trusted_keys``.

    A key that cannot be read or is not an Ed25519 public key is a :class:`ConfigError` (exit 2).
    """
    from assay.pack import TrustedKey, load_public_key
    from assay.project import display, resolve_project

    if given:
        return [
            TrustedKey(load_public_key(read_key_file(path, "--public-key"), str(path)), str(path))
            for path in given
        ]
    config = resolve_project(config=project)
    origin = f"trusted_keys ({config.origin('trusted_keys')})"
    keys = []
    for path in config.trusted_keys:
        shown = display(path)
        keys.append(TrustedKey(load_public_key(read_key_file(path, origin), f"{origin}: {shown}"), shown))
    return keys
