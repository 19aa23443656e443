"""The fast variant's shortcuts for ``!``, ``size``, registered functions and pure calls on literals.

``!x`` where x can only give a bool is Python's ``not``; ``size(x)`` of a list is ``len`` without a call,
and compared with an int literal without a type check; a registered function is called itself (its
errors make the exact variant run, which reports them as CEL errors); ``days(14)`` and its kin are
called once, when compiling. On hostile values (wrong types, missing fields, huge ints, unicode) each
gives what the exact variant alone (the runtime's general helpers) gives, and where both give a value,
cel-python's (the reference backend's) of the same kind.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction, FunctionRegistry
from assay.cel.native import NativeBackend, Uint
from assay.cel.native.cost import new_budget
from assay.cel.reference import ReferenceBackend
from assay.errors import CelError

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([0, 1, 14, -1, 2**62, 2**63 - 1, -(2**63)]),
    st.integers(0, 2**64 - 1).map(Uint),
    st.floats(allow_nan=True),
    st.text(max_size=6),
    st.sampled_from(["true", "TRUE", "İ", "ß", "ǅ", "2026-11-20T08:00:00Z", "2026-13-01T00:00:00Z", "x"]),
    st.binary(max_size=4),
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(["f", "g"]), inner, max_size=2)
    ),
    max_leaves=8,
)
# Fields that are there for cel-python's has() too (a null, empty or zero field is absent there).
_FIELDS = (
    st.integers(1, 9) | st.text(min_size=1, max_size=3) | st.lists(st.integers(-9, 9), min_size=1, max_size=2)
)
_MAPS = st.dictionaries(st.sampled_from(["f", "g"]), _FIELDS, max_size=2)
EXPRESSIONS = [
    "!(x in ['a', 'true'])",
    "!has(m.f)",  # m a map: has() on anything else is an error here and false in cel-python
    "!!has(m.g)",
    "!(x.f > 1 || x.g)",
    "size(x) > 0",
    "x.size() >= 2",
    "size(x) == 1",
    "size(x.f) < 3 && x.g",
    "lower(x) == 'true'",
    "upper(x.f)",
    "lookup_ci(m, x)",
    "size(lower(x))",
    "days(x)",
    "now - timestamp(x) <= days(14)",
    "days(14) > duration('1h') && x",
]


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        value = run()
    except CelError:
        return ("error", None)
    return ("value", (type(value), "nan" if isinstance(value, float) and math.isnan(value) else value))


NATIVE = NativeBackend()
REFERENCE = ReferenceBackend()


@settings(max_examples=400, deadline=None)
@given(x=_VALUES, m=_MAPS, expression=st.sampled_from(EXPRESSIONS))
def test_the_shortcuts_give_what_the_reference_backend_gives(x: Any, m: Any, expression: str) -> None:
    variables = {"x": x, "m": m, "now": NOW}
    program = NATIVE.compile(expression)
    native = _outcome(lambda: program.run(variables))
    converted = {name: REFERENCE.native(value) for name, value in variables.items()}
    reference = _outcome(lambda: REFERENCE.python(REFERENCE.compile(expression).run(converted)))
    # Where both give a value it is the same. cel-python departs from the spec both ways on wrong types
    # (size(null) is 0 there, [] in ['a'] an error): the exact variant alone, below, checks the errors.
    assert native == reference or "error" in (native[0], reference[0]), expression
    # and what the exact variant alone (the runtime's general helpers) gives
    assert native == _outcome(lambda: program._exact(variables, new_budget(NATIVE.budgets))), expression


def _source(expression: str, functions: FunctionRegistry = DEFAULT_FUNCTIONS) -> str:
    return NativeBackend(functions, qualified_names=False)._generate(expression).fast.source  # type: ignore[union-attr]


def test_the_fast_variant_writes_the_shortcuts() -> None:
    assert "not_(" not in _source("!(x in ['a']) && !has(x.f)")
    assert "not_(" in _source("!x")  # x may be anything: the operator checks it is a bool
    sized = _source("size(x) > 0")
    assert "_len(" in sized
    assert "gt(" not in sized
    assert "__class__ is _int" not in sized
    assert ".lower() if" in _source("lower(x) == 'a'")  # the str method on a string
    assert "P[" in _source("lookup_ci(x, 'a')")
    assert "F[" not in _source("days(14) > duration('1h')")


def test_a_registered_function_error_is_a_cel_error_naming_it() -> None:
    def explode(value: Any) -> Any:
        raise ValueError(f"cannot take {value!r}")

    functions = FunctionRegistry(
        [*DEFAULT_FUNCTIONS, CelFunction("explode", explode, "explode(dyn) -> dyn", "")]
    )
    program = NativeBackend(functions).compile("explode(x) == 1")
    with pytest.raises(CelError, match="explode: cannot take 3"):
        program.run({"x": 3})
    # A pure default's error on a literal is raised when the rule runs, not when it compiles.
    with pytest.raises(CelError, match="days: "):
        NativeBackend().compile("days(10000000000) > duration('1s')").run({})


def test_a_users_function_of_a_pure_defaults_name_is_called_each_time() -> None:
    calls: list[int] = []

    def days(count: int) -> timedelta:
        calls.append(count)
        return timedelta(days=count)

    functions = FunctionRegistry([CelFunction("days", days, "days(int) -> duration", "")])
    program = NativeBackend(functions).compile("days(2) > duration('1h')")
    assert [program.run({}), program.run({})] == [True, True]
    assert calls == [2, 2]
