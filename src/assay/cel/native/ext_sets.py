"""CEL's sets extension library: ``sets.contains``, ``sets.equivalent`` and ``sets.intersects``.

Lists are compared as sets of values by CEL's equality: ``sets.contains([1, 2.0, 3u], [1.0, 2u, 3])``
is true. Each comparison of an element pair is charged to the evaluation's cost.
"""

from __future__ import annotations

from typing import Any

from assay.cel.native.ext_support import LIST, Budget, Extension, overloads, work
from assay.cel.native.operators import eq


def _holds_all(cost: Budget, container: list[Any], elements: list[Any]) -> bool:
    work(cost, len(container) * len(elements))
    return all(any(eq(element, held) for held in container) for element in elements)


def _contains(cost: Budget, container: list[Any], elements: list[Any]) -> bool:
    return _holds_all(cost, container, elements)


def _equivalent(cost: Budget, first: list[Any], second: list[Any]) -> bool:
    return _holds_all(cost, first, second) and _holds_all(cost, second, first)


def _intersects(cost: Budget, first: list[Any], second: list[Any]) -> bool:
    work(cost, len(first) * len(second))
    return any(any(eq(element, other) for other in second) for element in first)


FUNCTIONS = (
    Extension(
        "sets.contains",
        "sets",
        overloads("sets.contains", ((LIST, LIST), _contains), costed=True),
        ("sets.contains(<list>, <list>) -> <bool>",),
        "Whether the first list holds every element of the second.",
        costed=True,
    ),
    Extension(
        "sets.equivalent",
        "sets",
        overloads("sets.equivalent", ((LIST, LIST), _equivalent), costed=True),
        ("sets.equivalent(<list>, <list>) -> <bool>",),
        "Whether each list holds every element of the other.",
        costed=True,
    ),
    Extension(
        "sets.intersects",
        "sets",
        overloads("sets.intersects", ((LIST, LIST), _intersects), costed=True),
        ("sets.intersects(<list>, <list>) -> <bool>",),
        "Whether the lists have an element in common.",
        costed=True,
    ),
)
