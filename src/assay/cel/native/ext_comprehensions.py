"""Two-variable comprehensions and ``cel.block`` at run time.

``list.all(i, v, p)``, ``exists``, ``existsOne``, ``transformList``, ``transformMap`` and
``transformMapEntry`` see a list as (index, value) pairs and a map as (key, value) pairs:
:func:`pairs` makes them, and the generated code passes each pair to its lambdas. ``all``,
``exists`` and ``existsOne`` reuse the one-variable runtime of :mod:`assay.cel.native.control`, so
they absorb errors exactly as their one-variable forms do. Every loop is charged through
:func:`~assay.cel.native.cost.iterate`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assay.cel.native.cost import iterate
from assay.cel.native.ext_support import Budget, entries
from assay.cel.native.operators import make_map
from assay.cel.native.values import expect_bool, type_name
from assay.errors import CelError

Pair = tuple[Any, Any]


def pairs(container: Any) -> list[Pair]:
    """A list's (index, value) or a map's (key, value) pairs."""
    if isinstance(container, list | tuple):
        return list(enumerate(container))
    if type(container) is dict:
        return entries(container)
    raise CelError(f"cannot iterate over {type_name(container)}")


def transform_list(container: list[Pair], transform: Callable[[Pair], Any], cost: Budget) -> list[Any]:
    return [transform(pair) for pair in iterate(container, cost)]


def transform_list_filtered(
    container: list[Pair], predicate: Callable[[Pair], Any], transform: Callable[[Pair], Any], cost: Budget
) -> list[Any]:
    return [transform(pair) for pair in iterate(container, cost) if expect_bool(predicate(pair))]


def transform_map(container: list[Pair], transform: Callable[[Pair], Any], cost: Budget) -> dict[Any, Any]:
    return make_map([(pair[0], transform(pair)) for pair in iterate(container, cost)])


def transform_map_filtered(
    container: list[Pair], predicate: Callable[[Pair], Any], transform: Callable[[Pair], Any], cost: Budget
) -> dict[Any, Any]:
    chosen = [pair for pair in iterate(container, cost) if expect_bool(predicate(pair))]
    return make_map([(pair[0], transform(pair)) for pair in chosen])


def _merge_entries(maps: list[Any]) -> dict[Any, Any]:
    """One map of the entries of the maps each pair gave; a key given twice is an error."""
    merged: list[tuple[Any, Any]] = []
    for entry in maps:
        if type(entry) is not dict:
            raise CelError(f"transformMapEntry() must give a map, not {type_name(entry)}")
        merged.extend(entries(entry))
    return make_map(merged)


def transform_map_entry(pairs_: list[Pair], transform: Callable[[Pair], Any], cost: Budget) -> dict[Any, Any]:
    return _merge_entries([transform(pair) for pair in iterate(pairs_, cost)])


def transform_map_entry_filtered(
    container: list[Pair], predicate: Callable[[Pair], Any], transform: Callable[[Pair], Any], cost: Budget
) -> dict[Any, Any]:
    chosen = [pair for pair in iterate(container, cost) if expect_bool(predicate(pair))]
    return _merge_entries([transform(pair) for pair in chosen])


class Slots:
    """The slots of a ``cel.block``: each evaluated when first read (``cel.index(n)``), then kept."""

    __slots__ = ("_thunks", "_values")

    def __init__(self, *thunks: Callable[[Slots], Any]) -> None:
        self._thunks = thunks
        self._values: dict[int, Any] = {}

    def get(self, index: int) -> Any:
        if index not in self._values:
            self._values[index] = self._thunks[index](self)
        return self._values[index]


RUNTIME = {
    "pairs": pairs,
    "transform_list": transform_list,
    "transform_list_filtered": transform_list_filtered,
    "transform_map": transform_map,
    "transform_map_filtered": transform_map_filtered,
    "transform_map_entry": transform_map_entry,
    "transform_map_entry_filtered": transform_map_entry_filtered,
    "Slots": Slots,
}
