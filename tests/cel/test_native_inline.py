"""The native compiler writes ``map`` and ``filter`` out in place, and ``x.?f.orValue(d)`` as one call.

Both are shortcuts through the runtime helpers (``control.map_``, ``control.filter_``,
``ext_optionals.opt_select`` then ``opt_or_value``): on hostile random values they give the same
value or the same error as the helpers, and charge the same steps and memory, so a budget stops them
at the same place.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import CelBudgets, NativeBackend
from assay.cel.native.control import filter_, map_
from assay.cel.native.cost import BudgetExceeded, new_budget
from assay.cel.native.ext_optionals import opt_or_value, opt_select
from assay.errors import CelError

_SCALARS = st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3) | st.floats(allow_nan=True)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["f", "g", "x"]), inner, max_size=3)
    ),
    max_leaves=12,
)


def _outcome(call: Any) -> Any:
    try:
        return ("value", repr(call()))
    except BudgetExceeded as exc:
        return ("budget", type(exc).__name__)
    except CelError as exc:
        return ("error", type(exc).__name__, str(exc))
    except Exception as exc:  # what the helpers let through, compared as a kind
        return ("python", type(exc).__name__)


def _run(expression: str, xs: Any, budgets: CelBudgets | None = None) -> Any:
    backend = NativeBackend(qualified_names=False, budgets=budgets)
    return _outcome(lambda: backend.compile(expression).run({"xs": xs}))


def test_map_and_filter_are_written_out_and_a_join_is_not() -> None:
    backend = NativeBackend(qualified_names=False)
    source = backend._generate("xs.map(x, x.f).filter(y, y > 1)").fast.source
    assert "map_(" not in source
    assert "filter_(" not in source
    assert " for v" in source
    # := in the body (a join, a literal comparison) is bound in the enclosing function; in the iterable
    # it is refused by Python, so that loop stays a call of the helper.
    joined = "xs.filter(x, xs.exists(y, y.f == x.g))"
    assert backend.compile(joined).run({"xs": [{"f": 1, "g": 1}, {"f": 2, "g": 3}]}) == [{"f": 1, "g": 1}]
    iterable = "xs.filter(x, x.f > 1 && x.g > 0).map(x, x.f)"
    assert backend.compile(iterable).run({"xs": [{"f": 2, "g": 1}, {"f": 1, "g": 1}, {"f": 3, "g": 0}]}) == [
        2
    ]
    nested = "xs.map(x, xs.filter(y, y.f > x.f).map(z, z.g > 0))"
    assert backend.compile(nested).run({"xs": [{"f": 1, "g": 1}, {"f": 2, "g": -1}]}) == [[False], []]


@settings(max_examples=300, deadline=None)
@given(xs=_VALUES, steps=st.integers(1, 12), memory=st.integers(1, 12))
def test_map_gives_and_charges_what_the_runtime_helper_does(xs: Any, steps: int, memory: int) -> None:
    budgets = CelBudgets(steps=steps, memory=memory)
    inline = _run("xs.map(x, x.f)", xs, budgets)
    helper = _outcome(lambda: map_(xs, lambda x: _select(x, "f"), new_budget(budgets)))
    assert inline == helper


@settings(max_examples=300, deadline=None)
@given(xs=_VALUES, steps=st.integers(1, 12), memory=st.integers(1, 12))
def test_filter_gives_and_charges_what_the_runtime_helper_does(xs: Any, steps: int, memory: int) -> None:
    budgets = CelBudgets(steps=steps, memory=memory)
    inline = _run("xs.filter(x, x.f)", xs, budgets)
    helper = _outcome(lambda: filter_(xs, lambda x: _select(x, "f"), new_budget(budgets)))
    assert inline == helper


@settings(max_examples=300, deadline=None)
@given(xs=_VALUES)
def test_optional_select_or_value_gives_what_the_two_helpers_do(xs: Any) -> None:
    inline = _run("xs.?f.orValue(7)", xs)
    helper = _outcome(lambda: opt_or_value(opt_select(xs, "f"), lambda: 7))
    assert inline == helper
    assert _run("xs.?f.orValue(xs.g)", xs) == _outcome(
        lambda: opt_or_value(opt_select(xs, "f"), lambda: _select(xs, "g"))
    )


@pytest.mark.parametrize(
    ("xs", "expected"),
    [({"f": None}, None), ({}, 7), ({"g": 1}, 7), ({"f": [1]}, [1])],
)
def test_optional_select_or_value_on_maps(xs: Any, expected: Any) -> None:
    assert NativeBackend().compile("xs.?f.orValue(7)").run({"xs": xs}) == expected


def _select(value: Any, field: str) -> Any:
    """``value.field`` as the generated code selects it (so the helpers see the same errors)."""
    return NativeBackend(qualified_names=False).compile(f"v.{field}").run({"v": value})
