"""The math extension library on the native backend (cases after cel-spec's math_ext tests)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import Uint
from tests.cel.ext_support import exactly, fails, run

INT64 = st.integers(-(2**63), 2**63 - 1)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("math.greatest(-5)", -5),
        ("math.greatest(1, 1.0)", 1),
        ("math.greatest(-7, 5)", 5),
        ("math.greatest(-9223372036854775808, 1)", 1),
        ("math.greatest(5.4, 10, 3u, -5.0, 9223372036854775807)", 2**63 - 1),
        ("math.greatest([5.4, 10.5, 3u, -5.0, 3.5])", 10.5),
        ("math.greatest([dyn(5.4), dyn(10u), dyn(3u)])", Uint(10)),
        ("math.greatest(5u, -7)", Uint(5)),
        ("math.greatest(18446744073709551615u, 1u)", Uint(2**64 - 1)),
        ("math.least(-3, 3)", -3),
        ("math.least(1.5, -1.797693e308)", -1.797693e308),
        ("math.least(1u, 1.0)", Uint(1)),
        ("math.least([5.4, 10, 3u, -5.0, 3.5])", -5.0),
        ("math.ceil(-1.2)", -1.0),
        ("math.ceil(1.2)", 2.0),
        ("math.floor(-1.2)", -2.0),
        ("math.round(-1.5)", -2.0),
        ("math.round(1.5)", 2.0),
        ("math.round(0.49999999999999994)", 0.0),
        ("math.round(-1.4)", -1.0),
        ("math.trunc(-1.2)", -1.0),
        ("math.abs(1u)", Uint(1)),
        ("math.abs(-11)", 11),
        ("math.abs(-11.5)", 11.5),
        ("math.sign(100u)", Uint(1)),
        ("math.sign(0u)", Uint(0)),
        ("math.sign(-11)", -1),
        ("math.sign(-32.0)", -1.0),
        ("math.sign(0.0)", 0.0),
        ("math.isNaN(0.0/0.0)", True),
        ("math.isInf(1.0/0.0)", True),
        ("math.isFinite(1.0/1.5)", True),
        ("math.isFinite(-1.0/0.0)", False),
        ("math.sqrt(81)", 9.0),
        ("math.sqrt(2u) * math.sqrt(2u) > 1.99", True),
        ("math.bitAnd(1, -1)", 1),
        ("math.bitAnd(3u, 2u)", Uint(2)),
        ("math.bitOr(4, -2)", -2),
        ("math.bitXor(4, -2)", -6),
        ("math.bitXor(1u, 3u)", Uint(2)),
        ("math.bitNot(1)", -2),
        ("math.bitNot(0u)", Uint(2**64 - 1)),
        ("math.bitShiftLeft(1, 2)", 4),
        ("math.bitShiftLeft(-1, 200)", 0),
        ("math.bitShiftLeft(1, 63)", -(2**63)),
        ("math.bitShiftLeft(1u, 200)", Uint(0)),
        ("math.bitShiftRight(-1024, 3)", 2305843009213693824),
        ("math.bitShiftRight(-1024, 64)", 0),
        ("math.bitShiftRight(1024u, 2)", Uint(256)),
    ],
)
def test_math_functions(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


def test_not_finite_doubles_pass_through_rounding() -> None:
    assert math.isnan(run("math.round(0.0/0.0)"))
    assert run("math.floor(-1.0/0.0)") == -math.inf
    assert math.isnan(run("math.sqrt(-15)"))
    assert math.copysign(1.0, run("math.ceil(-0.5)")) == -1.0


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("math.ceil(dyn(1))", "no such overload"),
        ("math.round(dyn(1))", "no such overload"),
        ("math.sign(dyn(true))", "no such overload"),
        ("math.isNaN(dyn(true))", "no such overload"),
        ("math.abs(-9223372036854775808)", "overflow"),
        ("math.bitAnd(2u, dyn(''))", "no such overload"),
        ("math.bitOr(1, 1u)", "no such overload"),
        ("math.bitXor(dyn([]), dyn([1]))", "no such overload"),
        ("math.bitShiftLeft(1u, -1)", "negative offset"),
        ("math.bitShiftRight(dyn(b'123'), 1)", "no such overload"),
        ("math.greatest('a', 1)", "no such overload"),
        ("math.greatest([])", "at least one number"),
        ("math.least(dyn('string'))", "no such overload"),
    ],
)
def test_math_errors(expression: str, message: str) -> None:
    fails(expression, message)


@given(INT64, st.integers(0, 70))
@settings(max_examples=300, deadline=None)
def test_shifts_work_on_the_64_bit_pattern(value: int, offset: int) -> None:
    pattern = value & (2**64 - 1)
    left = (pattern << offset) & (2**64 - 1) if offset < 64 else 0
    right = pattern >> offset if offset < 64 else 0
    signed = [v - 2**64 if v >= 2**63 else v for v in (left, right)]
    assert run("math.bitShiftLeft(x, n)", x=value, n=offset) == signed[0]
    assert run("math.bitShiftRight(x, n)", x=value, n=offset) == signed[1]


@given(st.lists(st.one_of(INT64, st.floats(allow_nan=False)), min_size=1, max_size=8))
@settings(max_examples=200, deadline=None)
def test_greatest_and_least_agree_with_max_and_min(values: list[float]) -> None:
    assert run("math.greatest(xs)", xs=values) == max(values)
    assert run("math.least(xs)", xs=values) == min(values)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
@settings(max_examples=300, deadline=None)
def test_round_is_half_away_from_zero(value: float) -> None:
    whole = math.floor(abs(value))
    expected = math.copysign(whole + (1 if abs(value) - whole >= 0.5 else 0), value)
    assert run("math.round(x)", x=value) == expected
