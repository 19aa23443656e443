"""JSON evidence read fast and strictly: msgspec where it reads it, else the json module.

Both readers refuse what is not JSON text (``NaN``, ``Infinity``, invalid UTF-8, an unpaired surrogate
escape), keep integers exact and the last of duplicate keys. msgspec reads a large export faster; a
document it refuses is read by the json module, whose result, errors and positions are the reference
(:func:`plain_json`). Either way the document may nest at most ``max_depth`` levels.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import msgspec

from assay.errors import Diagnostic, LoadError, Severity
from assay.yamlsource import Position, decode_utf8

__all__ = ["nesting_depth", "plain_json", "read_json", "text_depth"]


def read_json(raw: bytes, shown: str, max_depth: int) -> Any:
    """The JSON document in ``raw``; a :class:`LoadError` at the failing position when it is not one."""
    data = _fast_json(raw)
    depth = None
    if data is _REFUSED:  # msgspec refused it: the json module decides, and words the error
        data = plain_json(raw, shown)
    else:
        depth = text_depth(raw, max_depth)
    if depth is None:
        depth = nesting_depth(data, max_depth)
    if depth > max_depth:
        raise _error(shown, Position(1, 1), f"JSON is nested more than {max_depth} levels deep")
    return data


def plain_json(raw: bytes, shown: str) -> Any:
    """``raw`` read by the json module alone (the reference the fast reader is tested against)."""
    text = decode_utf8(raw, shown)
    data = _parse_json(text, shown)
    _refuse_lone_surrogates(text, data, shown)
    return data


_REFUSED = object()
_BOM = "\ufeff".encode()
_DECODER = msgspec.json.Decoder()


def _fast_json(raw: bytes) -> Any:
    """The document read by msgspec, or ``_REFUSED`` when the json module must read it.

    msgspec reads a large export faster than the json module, and as strictly: it refuses invalid
    UTF-8, unpaired surrogate escapes, ``NaN`` and ``Infinity``, keeps integers of any size exact and
    the last of duplicate keys (at the first one's place), as the json module does. Anything it refuses
    (a broken file, a number beyond a double, which the json module reads as infinity) is read again by
    the json module, which gives the result, or the error and its position, exactly as before.
    """
    body = raw[len(_BOM) :] if raw.startswith(_BOM) else raw
    try:
        return _DECODER.decode(body)
    except (msgspec.DecodeError, RecursionError):
        return _REFUSED


def _parse_json(text: str, shown: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise _error(shown, Position(exc.lineno, exc.colno), f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise _error(shown, Position(1, 1), "JSON is nested too deeply to read") from None
    except ValueError as exc:
        raise _error(shown, Position(1, 1), f"invalid JSON: {exc}") from None


# A \uD800-\uDFFF escape: JSON's grammar allows one alone, but no Unicode text holds it.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _refuse_lone_surrogates(text: str, data: Any, shown: str) -> None:
    """A string holding half a surrogate pair cannot be written as UTF-8 to any report: refuse the file
    here, at the escape's position, rather than fail later while writing. (Only files with such an
    escape are walked; a properly paired one decodes to a single character and passes.)"""
    escape = _SURROGATE_ESCAPE.search(text)
    if escape is None or not any(_has_surrogate(string) for string in _strings(data)):
        return
    before = text[: escape.start()]
    position = Position(before.count("\n") + 1, escape.start() - (before.rfind("\n") + 1) + 1)
    raise _error(shown, position, "invalid JSON: an unpaired surrogate escape is not Unicode text")


def _has_surrogate(string: str) -> bool:
    return any("\ud800" <= character <= "\udfff" for character in string)


def _strings(data: Any) -> Iterator[str]:
    """Every string in ``data``, keys included, without recursion."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def nesting_depth(data: Any, stop_above: int) -> int:
    """How deeply lists and maps nest in ``data`` (a scalar is 0), counted without recursion.

    Counting stops once the depth exceeds ``stop_above``: the answer is then ``stop_above + 1``. The
    walk goes one level at a time and keeps only containers, so a document of millions of values
    costs one pass in comprehensions rather than a step of Python per value.
    """
    level = [data] if isinstance(data, _CONTAINERS) else []
    depth = 0
    while level and depth <= stop_above:
        depth += 1
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, _CONTAINERS)
        ]
    return depth


_CONTAINERS = (dict, list)
_ONLY_MARKS = bytes(range(256)).translate(None, b'[]{}"\\')  # every byte but brackets, quotes, backslash
_SQUARE = bytes.maketrans(b"{}", b"[]")
_QUOTED = re.compile(rb'"[^"]*"')


def text_depth(raw: bytes, stop_above: int) -> int | None:
    """:func:`nesting_depth` of the document ``raw`` holds, counted on its text; ``raw`` must be valid
    JSON. None when the text has a backslash (then count on the document).

    Walking the parsed document of a large export took longer than parsing it; its brackets say the
    same, at the speed of bytes operations. Without backslashes, quotes pair off in order: what lies
    between a pair is string content, dropped; a pair of quotes side by side is an empty string or the
    end of one string and the start of the next, with nothing between them, so dropping it keeps the
    pairing. What remains is the balanced brackets, and each pass that removes every ``[]`` removes
    the innermost containers: the number of passes is the depth. When the quotes side by side,
    counted from the start, are all the quotes, every string is such a pair (the first quote of a
    string with a bracket in it is followed by the bracket, so it is never counted): no string holds
    a bracket, and deleting every quote, faster than pairing them, leaves the same brackets.
    """
    marks = raw.translate(_SQUARE, _ONLY_MARKS)
    if b"\\" in marks:
        return None
    if marks.count(b'""') * 2 == marks.count(b'"'):  # every string's quotes side by side: drop them all
        marks = marks.translate(None, b'"')
    else:
        marks = marks.replace(b'""', b"")
        if b'"' in marks:
            marks = _QUOTED.sub(b"", marks)
    depth = 0
    while marks and depth <= stop_above:
        marks = marks.replace(b"[]", b"")
        depth += 1
    return depth


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _error(path: str, position: Position, message: str) -> LoadError:
    return LoadError([Diagnostic(path, position.line, position.column, Severity.ERROR, message)])
