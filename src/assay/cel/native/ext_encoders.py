"""CEL's encoders extension library: ``base64.encode`` and ``base64.decode``.

Decoding accepts the standard alphabet with or without its ``=`` padding, as cel-go does; any other
character, or a length no base64 text can have, is an error.
"""

from __future__ import annotations

import base64
import binascii

from assay.cel.native.ext_support import BYTES, STRING, Budget, Extension, built, overloads
from assay.errors import CelError

_BLOCK = 4


def _encode(cost: Budget, data: bytes) -> str:
    built(cost, 2 * len(data))
    return base64.b64encode(data).decode("ascii")


def _decode(cost: Budget, text: str) -> bytes:
    built(cost, len(text))
    padded = text + "=" * (-len(text) % _BLOCK) if "=" not in text else text
    try:
        return base64.b64decode(padded.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise CelError(f"base64.decode: not base64 text: {exc}") from None


FUNCTIONS = (
    Extension(
        "base64.encode",
        "encoders",
        overloads("base64.encode", ((BYTES,), _encode), costed=True),
        ("base64.encode(<bytes>) -> <string>",),
        "The bytes in standard base64, padded.",
        costed=True,
    ),
    Extension(
        "base64.decode",
        "encoders",
        overloads("base64.decode", ((STRING,), _decode), costed=True),
        ("base64.decode(<string>) -> <bytes>",),
        "The bytes of standard base64 text, padded or not.",
        costed=True,
    ),
)
