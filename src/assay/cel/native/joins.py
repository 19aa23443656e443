"""Hashed joins: ``L.exists(x, x.F == E)`` by a lookup in an index of ``L`` by ``F``, not a loop.

A rule such as VULN-06's ``patch_states.exists(p, p.InstanceId == item.InstanceId)``, evaluated for
every instance, loops over every patch state for every instance: quadratic. Where the compiler can
prove the shape (:mod:`~assay.cel.native.join_shape`: ``exists``, ``exists_one`` or ``filter`` over
``x.F == E``, or ``all`` over ``x.F != E``, with ``L`` a path into the variables and ``E`` a path or
literal that does not mention ``x``), it emits a call to :func:`join` for lists of JOIN_MIN elements
or more, which indexes ``L`` by ``F`` once and looks ``E`` up, and the plain loop where the index
cannot decide (:data:`NOJOIN`). The index is kept for the lists of one *index scope*
(:func:`index_scope`: the engine opens one per run), keyed by the list's identity: inside a scope,
lists are taken not to change. Outside a scope, and for short lists, the plain loop runs.

The result is exactly the plain loop's, errors included:

- equality is CEL's: numbers compare by value across int, uint and double (``1 == 1u``, ``1 == 1.0``),
  bools are not numbers, NaN equals nothing; a key whose equality hashing cannot express exactly (a
  list, a map, a timestamp, a number of magnitude 2**53 or more, which CEL compares as a double) is
  looked up by the loop instead;
- an element for which ``x.F`` is an error (no such field, not a map) makes the loop's answer depend
  on CEL's error rules, so whenever the index cannot decide without it (no match for ``exists``, any
  use by ``exists_one`` and ``filter``), the loop runs and gives its exact result or error; a match
  decides ``exists`` and ``all``, as it does in the loop (``true || error`` is true);
- ``E`` that is an error makes the loop run too, as does an empty ``L``, which the loop never reads
  ``E`` for; the step budget is charged the elements the loop would have visited.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from assay.cel.native.cost import DEADLINE, Budget, BudgetExceeded, charge, iterate
from assay.cel.native.errors import PYTHON_ERRORS
from assay.cel.native.values import Uint
from assay.errors import CelError

JOIN_MIN = 16  # shorter lists are looped over: an index would cost more than it saves
_MEMO_SIZE = 32  # indexes one scope keeps (each for one list and field)
_EXACT_INT = 2**53  # integers below this magnitude convert to double exactly, and no other rounds to them
_SCOPE: contextvars.ContextVar[dict[tuple[int, str], tuple[Any, Index]] | None] = contextvars.ContextVar(
    "assay_cel_index_scope", default=None
)


@contextmanager
def index_scope() -> Iterator[None]:
    """Within this block, programs may index the lists they join over once and reuse the index: the
    lists (and their elements) must not change inside it."""
    token = _SCOPE.set({})
    try:
        yield
    finally:
        _SCOPE.reset(token)


# --- keys: CEL equality as hashing ---------------------------------------------------------------------

_UNSAFE = object()  # a value whose CEL equality hashing cannot express: the loop decides
_TRUE, _FALSE = ("bool", True), ("bool", False)  # bools apart from the numbers 1 and 0


def join_key(value: Any) -> Any:
    """A hashable key such that two values are equal in CEL exactly when their keys are equal, or
    ``_UNSAFE``; NaN gives a key equal to nothing."""
    kind = type(value)
    if kind is str or kind is bytes or value is None:
        return value
    if kind is bool:
        return _TRUE if value else _FALSE
    if kind is int or kind is Uint or kind is float:
        return _number_key(value)
    return _UNSAFE


def _number_key(value: float) -> Any:
    if value != value:  # NaN  # noqa: PLR0124 - the test for NaN that works on ints too
        return object()
    if type(value) is float and not value.is_integer():
        return value  # a fraction or an infinity: equal only to the same double
    return int(value) if -_EXACT_INT < value < _EXACT_INT else _UNSAFE


class Index:
    """The positions of a list's elements by the key of one field, and whether any element has no
    such field (or is not a map)."""

    __slots__ = ("errors", "first", "more")

    def __init__(self, container: list[Any], field: str) -> None:
        self.first: dict[Any, int] = {}
        self.more: dict[Any, list[int]] = {}
        self.errors = False
        first, more = self.first, self.more
        for position, element in enumerate(container):
            if type(element) is not dict or field not in element:
                self.errors = True
                continue
            key = join_key(element[field])
            if key is _UNSAFE:
                continue  # equal to no key that is safe, and an unsafe key is looked up by the loop
            if key in first:
                more.setdefault(key, []).append(position)
            else:
                first[key] = position

    def positions(self, key: Any) -> list[int]:
        found = self.first.get(key)
        if found is None:
            return []
        return [found, *self.more.get(key, ())]


def _index(
    scope: dict[tuple[int, str], tuple[Any, Index]], container: list[Any], field: str
) -> tuple[Index, bool]:
    """The scope's index of the list by the field, and whether it was built just now."""
    entry = scope.get((id(container), field))
    if entry is not None and entry[0] is container:
        return entry[1], False
    if len(scope) >= _MEMO_SIZE:
        scope.clear()
    index = Index(container, field)
    scope[(id(container), field)] = (container, index)  # the list kept alive: its id stays its own
    return index, True


# --- the runtime call ---------------------------------------------------------------------------------

JoinSpec = tuple[str, str]  # the macro and the field
NOJOIN = object()  # join's answer when the index cannot decide: the generated code loops instead


def join(spec: JoinSpec, container: list[Any], probe: Callable[[], Any], cost: Budget) -> Any:
    """The value of ``container.<macro>(x, x.<field> == probe())`` (``!=`` for all) from the index,
    or NOJOIN where the loop must decide. The generated code calls it for lists of JOIN_MIN
    elements or more only, and runs the macro's plain loop on NOJOIN."""
    macro, field = spec
    scope = _SCOPE.get()
    if scope is None or len(container) < JOIN_MIN:
        return NOJOIN
    try:
        key = join_key(probe())
    except BudgetExceeded:
        raise
    except (CelError, *PYTHON_ERRORS):
        return NOJOIN  # the loop reports the error exactly
    if key is _UNSAFE:
        return NOJOIN
    started = time.monotonic()
    index, built = _index(scope, container, field)
    if built and cost is not None:
        # Building the index is the run's work, shared by every evaluation after this one: it does
        # not count against this evaluation's time budget.
        cost[DEADLINE] += time.monotonic() - started
    decided = _decide(macro, index, key, container)
    if decided is None:
        return NOJOIN
    iterate(container, cost)  # the steps the loop would have taken
    if macro == "filter":
        charge(cost, len(decided))
    return decided


def _decide(macro: str, index: Index, key: Any, container: list[Any]) -> Any:
    """The macro's value from the index, or None when an element without the field could change it."""
    if macro in ("exists", "all"):
        if key in index.first:
            return macro == "exists"  # the decisive element: true for exists, false for all
        return None if index.errors else macro == "all"
    if index.errors:
        return None
    positions = index.positions(key)
    if macro == "exists_one":
        return len(positions) == 1
    return [container[position] for position in positions]
