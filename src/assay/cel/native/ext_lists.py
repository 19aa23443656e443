"""CEL's lists extension library: ``slice``, ``flatten``, ``sort``, ``sortBy``, ``reverse``,
``distinct``, ``lists.range``, ``first`` and ``last``.

Work proportional to a list's length is charged to the evaluation's cost, so ``lists.range(n)`` with
a huge ``n`` stops at the budget instead of filling memory. ``reverse`` also reverses a string (the
strings library's function of the same name). ``distinct`` keeps the first of the elements that are
equal by CEL's equality (``1``, ``1u`` and ``1.0`` are one element).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from assay.cel.native.cost import iterate
from assay.cel.native.ext_optionals import NONE, Optional
from assay.cel.native.ext_support import (
    INT,
    LIST,
    STRING,
    Budget,
    Extension,
    ExtensionMacro,
    overloads,
    work,
)
from assay.cel.native.operators import eq
from assay.cel.native.values import Uint, type_name
from assay.errors import CelError

# The element types sort() orders: CEL's comparable types.
_SORTABLE = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes"}
    | {"google.protobuf.Timestamp", "google.protobuf.Duration"}
)


def _slice(values: list[Any], start: int, end: int) -> list[Any]:
    if start < 0 or end < 0:
        raise CelError(f"cannot slice({start}, {end}), negative indexes not supported")
    if start > end:
        raise CelError(f"cannot slice({start}, {end}), start index must be less than or equal to end index")
    if end > len(values):
        raise CelError(f"cannot slice({start}, {end}), list is length {len(values)}")
    return list(values[start:end])


def _flatten(cost: Budget, values: list[Any] | tuple[Any, ...], depth: int = 1) -> list[Any]:
    if depth < 0:
        raise CelError("flatten: level must be non-negative")
    flat: list[Any] = []
    for value in iterate(values, cost):
        kind = type(value)
        if depth and (kind is list or kind is tuple):
            flat.extend(value if depth == 1 else _flatten(cost, value, depth - 1))
        else:
            flat.append(value)
    work(cost, len(flat) - len(values))  # the elements taken out of the nested lists
    return flat


def _sorted(cost: Budget, values: list[Any], keys: list[Any]) -> list[Any]:
    if not values:
        return []
    kind = type_name(keys[0])
    if kind not in _SORTABLE:
        raise CelError(f"sort: list elements must be comparable, not {kind}")
    if any(type_name(key) != kind for key in keys):
        raise CelError("sort: list elements must have the same type")
    work(cost, len(values) * max(1, math.ceil(math.log2(len(values) + 1))))
    order = sorted(range(len(values)), key=keys.__getitem__)
    return [values[index] for index in order]


def _sort(cost: Budget, values: list[Any]) -> list[Any]:
    return _sorted(cost, list(values), list(values))


def sort_by(values: Any, key: Callable[[Any], Any], cost: Budget) -> list[Any]:
    """``list.sortBy(e, key)``: the list ordered by each element's key (a stable sort)."""
    if not isinstance(values, list | tuple):
        raise CelError(f"sortBy() needs a list, not {type_name(values)}")
    elements = list(values)
    return _sorted(cost, elements, [key(element) for element in iterate(elements, cost)])


def _reverse(value: Any) -> Any:
    return value[::-1] if type(value) is str else list(reversed(value))


def _identity(value: Any) -> Any:
    """A key under which CEL-equal elements meet: numbers by value, other scalars by type and value."""
    kind = type(value)
    if kind is int or kind is Uint or (kind is float and not math.isnan(value)):
        return ("number", value)
    if kind in (str, bytes, bool) or value is None:
        return (kind, value)
    return None  # compared with CEL equality instead


def _distinct(cost: Budget, values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    others: list[Any] = []  # the kept elements that have no key, compared one by one
    kept: list[Any] = []
    for value in iterate(values, cost):
        key = _identity(value)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        else:
            work(cost, len(others))
            if any(eq(value, other) for other in others):
                continue
            others.append(value)
        kept.append(value)
    return kept


def _range(cost: Budget, count: int) -> list[int]:
    work(cost, max(count, 0))  # one step per element, before building them
    return list(range(count))


def _first(values: list[Any]) -> Optional:
    return Optional(values[0]) if values else NONE


def _last(values: list[Any]) -> Optional:
    return Optional(values[-1]) if values else NONE


RUNTIME = {"sort_by": sort_by}

FUNCTIONS = (
    Extension(
        "slice",
        "lists",
        overloads("slice", ((LIST, INT, INT), _slice)),
        ("<list>.slice(<int>, <int>) -> <list>",),
        "The elements from a start index up to an end index.",
    ),
    Extension(
        "flatten",
        "lists",
        overloads("flatten", ((LIST,), _flatten), ((LIST, INT), _flatten), costed=True),
        ("<list>.flatten() -> <list>", "<list>.flatten(<int>) -> <list>", "flatten(<list>) -> <list>"),
        "Remove one level of nesting, or as many as given.",
        costed=True,
    ),
    Extension(
        "sort",
        "lists",
        overloads("sort", ((LIST,), _sort), costed=True),
        ("<list<T>>.sort() -> <list<T>>",),
        "The elements in order; they must be of one comparable type.",
        costed=True,
    ),
    Extension(
        "reverse",
        "lists",
        overloads("reverse", ((LIST,), _reverse), ((STRING,), _reverse)),
        ("<list<T>>.reverse() -> <list<T>>", "<string>.reverse() -> <string>"),
        "The elements, or the characters of a string, in reverse order.",
    ),
    Extension(
        "distinct",
        "lists",
        overloads("distinct", ((LIST,), _distinct), costed=True),
        ("<list<T>>.distinct() -> <list<T>>",),
        "The first of each group of equal elements, in order.",
        costed=True,
    ),
    Extension(
        "lists.range",
        "lists",
        overloads("lists.range", ((INT,), _range), costed=True),
        ("lists.range(<int>) -> <list<int>>",),
        "The ints from 0 up to n (exclusive).",
        costed=True,
    ),
    Extension(
        "first",
        "lists",
        overloads("first", ((LIST,), _first)),
        ("<list<T>>.first() -> <optional<T>>",),
        "The first element as an optional, none when empty.",
    ),
    Extension(
        "last",
        "lists",
        overloads("last", ((LIST,), _last)),
        ("<list<T>>.last() -> <optional<T>>",),
        "The last element as an optional, none when empty.",
    ),
)

MACROS = (
    ExtensionMacro(
        "sortBy",
        "lists",
        ("<list<T>>.sortBy(<var>, <key>) -> <list<T>>",),
        "The elements ordered by the key computed for each.",
    ),
)
