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

# A float orjson writes otherwise than Python: an exponent of one digit (1.5e-7), or four zeros after
# the point (0.00001). Text inside a string that looks so is taken for one: made the plain way.
_SHORT_EXPONENT = re.compile(rb"e-\d(?=[,\]}\s]|\Z)")
_SMALL = b"0.0000"
# Types orjson writes that the json module refuses: left to the json module, which raises.
PASSTHROUGH = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def compact(value: Any) -> str:
    """``value`` as JSON text without whitespace (non-ASCII characters as they are)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def indented(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``: the same text."""
    fast = orjson_indented(value)
    return fast if fast is not None else indent(compact(value))


def orjson_indented(value: Any, *, floats_checked: bool = False) -> str | None:
    """:func:`indented` written by orjson, or None where orjson's text would differ (see above).

    ``floats_checked``: the caller knows every float of ``value`` is one orjson writes as Python does
    (:func:`same_float`), so the text is not searched for floats written otherwise.
    """
    try:
        raw = orjson.dumps(value, option=orjson.OPT_INDENT_2 | PASSTHROUGH)
    except TypeError:  # orjson.JSONEncodeError: a value orjson does not write as the json module does
        return None
    return raw.decode() if floats_checked or plain_floats(raw) else None


def same_float(number: float) -> bool:
    """Whether orjson writes ``number`` as the json module does (a finite float, not 1.5e-07)."""
    return json.dumps(number) == orjson.dumps(number).decode()


def plain_floats(raw: bytes) -> bool:
    """Whether orjson's JSON ``raw`` holds no float that Python writes otherwise (see above)."""
    if any(_in_number(raw, match.start()) for match in _SHORT_EXPONENT.finditer(raw)):
        return False
    at = raw.find(_SMALL)
    while at >= 0:
        if _in_number(raw, at):
            return False
        at = raw.find(_SMALL, at + 1)
    return True


def _in_number(raw: bytes, offset: int) -> bool:
    """Whether ``offset`` may be inside a number: after digits, points and signs that follow the
    start, a colon, a bracket or a comma (white space aside). UUIDs and most text are not."""
    start = offset
    while start > 0 and raw[start - 1] in b"0123456789.+-":
        start -= 1
    if start == offset and raw[offset : offset + 1] == b"e":
        return False  # an exponent needs digits before it
    while start > 0 and raw[start - 1] in b" \t\r\n":
        start -= 1
    return start == 0 or raw[start - 1] in b":[,"


def indent(text: str) -> str:
    """The :func:`compact` JSON ``text`` as ``json.dumps(..., indent=2, ensure_ascii=False)`` writes it."""
    try:
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: no UTF-8 bytes to indent, so the slow way
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    return msgspec.json.format(raw, indent=2).decode()
