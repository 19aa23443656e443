"""``&&``, ``||`` and the comprehension macros at run time, in their fast and exact forms.

The *fast* forms let any error escape (the program then runs its exact variant); the *exact* forms
follow CEL's absorption rule: a deciding value (false for ``&&`` and ``all``, true for ``||`` and
``exists``) wins over an error elsewhere, otherwise the first error stands. ``exists_one``, ``map``
and ``filter`` absorb nothing, so one form serves both variants. Every macro gets its elements from
:func:`assay.cel.native.cost.iterate`, which charges the evaluation's step budget; ``map`` and
``filter`` charge the lists they build to its memory budget.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from assay.cel.native.cost import Budget, BudgetExceeded, iterate
from assay.cel.native.errors import PYTHON_ERRORS, as_cel_error
from assay.cel.native.values import expect_bool
from assay.errors import CelError


def _quantify_exact(container: Any, predicate: Callable[[Any], Any], cost: Budget, decisive: bool) -> bool:
    """all() (decisive False) and exists() (decisive True) with CEL's error rule: a decisive element
    wins over errors elsewhere; otherwise the first error stands; otherwise the other answer."""
    error: CelError | None = None
    for element in iterate(container, cost):
        try:
            if expect_bool(predicate(element)) is decisive:
                return decisive
        except BudgetExceeded:
            raise
        except (CelError, *PYTHON_ERRORS) as exc:
            error = error or as_cel_error(exc)
    if error is not None:
        raise error
    return not decisive


def all_exact(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> bool:
    return _quantify_exact(container, predicate, cost, decisive=False)


def exists_exact(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> bool:
    return _quantify_exact(container, predicate, cost, decisive=True)


def all_fast(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> bool:
    return all(expect_bool(predicate(element)) for element in iterate(container, cost))


def exists_fast(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> bool:
    return any(expect_bool(predicate(element)) for element in iterate(container, cost))


def exists_one(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> bool:
    found = 0
    for element in iterate(container, cost):
        if expect_bool(predicate(element)):
            found += 1
    return found == 1


def map_(container: Any, transform: Callable[[Any], Any], cost: Budget) -> list[Any]:
    result = [transform(element) for element in iterate(container, cost)]
    cost.charge(len(result))
    return result


def filter_(container: Any, predicate: Callable[[Any], Any], cost: Budget) -> list[Any]:
    result = [element for element in iterate(container, cost) if expect_bool(predicate(element))]
    cost.charge(len(result))
    return result


def map_filter(
    container: Any, predicate: Callable[[Any], Any], transform: Callable[[Any], Any], cost: Budget
) -> list[Any]:
    """The three-argument ``map(x, predicate, transform)``: filter, then transform."""
    result = [transform(element) for element in iterate(container, cost) if expect_bool(predicate(element))]
    cost.charge(len(result))
    return result


def _logical_exact(left: Callable[[], Any], right: Callable[[], Any], decisive: bool) -> bool:
    """&& (decisive False) and || (decisive True): either side's decisive value wins over an error
    on the other side, whichever side it is on."""
    try:
        first: bool | None = expect_bool(left())
        first_error = None
    except BudgetExceeded:
        raise
    except (CelError, *PYTHON_ERRORS) as exc:
        first, first_error = None, as_cel_error(exc)
    if first is decisive:
        return decisive
    second = expect_bool(right())  # an error here stands: the left side did not decide
    if second is decisive:
        return decisive
    if first_error is not None:
        raise first_error
    return not decisive


def and_exact(left: Callable[[], Any], right: Callable[[], Any]) -> bool:
    return _logical_exact(left, right, decisive=False)


def or_exact(left: Callable[[], Any], right: Callable[[], Any]) -> bool:
    return _logical_exact(left, right, decisive=True)
