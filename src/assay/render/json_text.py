"""JSON text indented as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, faster.

With ``indent``, the json module runs its pure-Python encoder: a SARIF log or OSCAL results of a
hundred thousand findings took seconds. Its C encoder writes the compact text, and msgspec indents
it: the same characters, since indenting changes only the whitespace between tokens.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec


def compact(value: Any) -> str:
    """``value`` as JSON text without whitespace (non-ASCII characters as they are)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``: the same text."""
    return indent(compact(value))


def indent(text: str) -> str:
    """The :func:`compact` JSON ``text`` as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it."""
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 bytes to indent, so the slow way
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    return msgspec.json.format(raw, indent=2).decode()
