"""Key files, read small and whole."""

from __future__ import annotations

from pathlib import Path

from assay.errors import ConfigError

MAX_KEY_BYTES = 64 * 1024
KEY_NAME = "assay-signing-key"  # assay keygen --output DIR writes DIR/assay-signing-key.{pem,pub}


def read_key_file(path: Path, option: str) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_BYTES:
            raise ConfigError(f"{option} {path}: too large to be a key")
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{option} {path}: {exc.strerror or exc}") from None
