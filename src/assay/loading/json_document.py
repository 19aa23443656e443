"""JSON files read like YAML ones: plain values, caps on size, depth and count, and positions for errors.

OSCAL documents are JSON, often megabytes of it, and JSON is not quite YAML (PyYAML refuses the
``\\ud83d\\ude00`` escapes JSON writers emit), so they are parsed by :mod:`json`. A :class:`JsonDocument`
is a :class:`~assay.yamlsource.YamlDocument` whose positions are found only when a diagnostic asks for
one: a valid file costs one parse, and a bad one is named at its line and column.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import field
from pathlib import Path
from typing import Any

from assay.errors import Diagnostic, LoadError, Severity
from assay.lean_dataclasses import dataclass
from assay.yamlsource import Limits, PathKey, Position, YamlDocument, decode_utf8, read_capped

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# The decoder's own string scanner (typeshed does not list it): a key's text and where it ends.
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


@dataclass
class JsonDocument(YamlDocument):
    """A parsed JSON file; the position of a value is looked up in ``text`` the first time it is needed."""

    text: str = ""
    _offsets: dict[tuple[PathKey, bool], int] | None = field(default=None, repr=False)

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        if self._offsets is None:
            self._offsets = {}
            # Nested past the stack: the deepest offsets found so far are the answer.
            with contextlib.suppress(RecursionError):
                _Locator(self.text, self._offsets).value(0, ())
        probe = path
        while probe:
            for want_key in (key, False):
                if (probe, want_key) in self._offsets:
                    return self._at(self._offsets[(probe, want_key)])
            probe = probe[:-1]
        return self._at(self._offsets.get(((), False), 0))

    def _at(self, offset: int) -> Position:
        line = self.text.count("\n", 0, offset) + 1
        return Position(line, offset - (self.text.rfind("\n", 0, offset) + 1) + 1)


def load_json_file(file: Path, shown: str, limits: Limits) -> JsonDocument:
    """Read and parse one JSON file, or raise :class:`LoadError` naming where it went wrong."""
    text = decode_utf8(read_capped(file, limits.max_bytes, shown), shown)
    return parse_json(text, shown, limits)


def parse_json(text: str, shown: str, limits: Limits) -> JsonDocument:
    try:
        data = json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise _error(shown, Position(exc.lineno, exc.colno), f"invalid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise _error(shown, Position(1, 1), f"invalid JSON: {exc}") from None
    except RecursionError:
        raise _error(shown, Position(1, 1), f"nested deeper than {limits.max_depth} levels") from None
    document = JsonDocument(path=shown, data=data, text=text)
    problem = _check_shape(data, limits)
    if problem is not None:
        path, message = problem
        position = document.position(path)
        raise LoadError([Diagnostic(shown, position.line, position.column, Severity.ERROR, message)])
    return document


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        raise ValueError(f"the key {twice!r} appears twice in one object")
    return table


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _error(shown: str, position: Position, message: str) -> LoadError:
    return LoadError([Diagnostic(shown, position.line, position.column, Severity.ERROR, message)])


def _check_shape(data: Any, limits: Limits) -> tuple[PathKey, str] | None:
    """The first value past the caps on depth and count, or a string that is not text."""
    for count, (path, value) in enumerate(_walk(data), start=1):
        if count > limits.max_nodes:
            return path, f"more than {limits.max_nodes:,} values"
        if len(path) > limits.max_depth:
            return path, f"nested deeper than {limits.max_depth} levels"
        if isinstance(value, str) and _SURROGATE.search(value):
            return path, "a lone surrogate escape (\\ud800-\\udfff) is not text"
    return None


def _walk(data: Any) -> Iterator[tuple[PathKey, Any]]:
    stack: list[tuple[PathKey, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        yield path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in value.items())
            yield from (((*path, k), k) for k in value if _SURROGATE.search(k))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in enumerate(value))


class _Locator:
    """Finds the offset of every value (and key) in JSON text already known to be valid."""

    def __init__(self, text: str, offsets: dict[tuple[PathKey, bool], int]) -> None:
        self.text = text
        self.offsets = offsets
        self.decoder = json.JSONDecoder()

    def skip(self, index: int) -> int:
        match = _WHITESPACE.match(self.text, index)
        return match.end() if match else index

    def value(self, index: int, path: PathKey) -> int:
        index = self.skip(index)
        self.offsets[(path, False)] = index
        opening = self.text[index : index + 1]
        if opening == "{":
            return self.members(index + 1, path)
        if opening == "[":
            return self.items(index + 1, path)
        _, end = self.decoder.raw_decode(self.text, index)
        return int(end)

    def members(self, index: int, path: PathKey) -> int:
        index = self.skip(index)
        while self.text[index] != "}":
            if self.text[index] == ",":
                index = self.skip(index + 1)
            key, after = _scanstring(self.text, index + 1)
            self.offsets[((*path, key), True)] = index
            index = self.value(self.skip(after) + 1, (*path, key))
            index = self.skip(index)
        return index + 1

    def items(self, index: int, path: PathKey) -> int:
        index = self.skip(index)
        position = 0
        while self.text[index] != "]":
            if self.text[index] == ",":
                index = self.skip(index + 1)
            index = self.skip(self.value(index, (*path, position)))
            position += 1
        return index + 1
