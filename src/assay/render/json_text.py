"""JSON text indented as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, faster.

With ``indent``, the json module runs its pure-Python encoder: a SARIF log or OSCAL results of a
hundred thousand findings took seconds, and even its C encoder's compact text took a second and a
half for a report of a million resources. orjson writes the same characters several times faster
(insertion order, ``": "`` and two spaces, non-ASCII as it is, the same escapes), except where it
refuses a value (a key that is not a string, an integer beyond 64 bits, a lone surrogate) and where
it formats a float differently: ``1.5e-7`` and ``0.00001`` for Python's ``1.5e-07`` and ``1e-05``.
Those texts are made the plain way: the C encoder's compact text, indented by msgspec (indenting
changes only the whitespace between tokens).

The values given hold finite floats only: JSON has no NaN or infinity (orjson writes ``null`` for
them, the json module ``NaN``), and no renderer writes one (``tests/render/test_json_text.py``).
"""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import orjson

# A float orjson writes otherwise than Python: an exponent of one digit, or four zeros after the
# point (both, too, as text inside strings: such a document is merely made the plain way).
_SHORT_EXPONENT = re.compile(rb"e-\d(?!\d)")
# Types orjson writes that the json module refuses: left to the json module, which raises.
_PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def compact(value: Any) -> str:
    """``value`` as JSON text without whitespace (non-ASCII characters as they are)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``: the same text."""
    fast = orjson_indented(value)
    return fast if fast is not None else indent(compact(value))


def orjson_indented(value: Any) -> str | None:
    """:func:`indented` written by orjson, or None where orjson's text would differ (see above)."""
    try:
        raw = orjson.dumps(value, option=orjson.OPT_INDENT_2 | _PASSTHROUGH)
    except TypeError:  # orjson.JSONEncodeError: a value orjson does not write as the json module does
        return None
    exponents = (raw[m.start() - 1 : m.start()] for m in _SHORT_EXPONENT.finditer(raw))
    if b"0.0000" in raw or any(before.isdigit() for before in exponents):
        return None
    return raw.decode()


def indent(text: str) -> str:
    """The :func:`compact` JSON ``text`` as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it."""
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 bytes to indent, so the slow way
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    return msgspec.json.format(raw, indent=2).decode()
