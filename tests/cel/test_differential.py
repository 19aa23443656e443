"""Differential fuzzing: the native backend against Google's cel-cpp on generated expressions.

A fixed-seed sample of 2,000 well-typed expressions (tests/cel/conformance/differential.py) must
evaluate to the same value with the same CEL kind on both, or to an error on both. The disagreements
known today are left out of the sample, and each is kept here as a minimal expression: a plain test
where cel-cpp departs from the specification and native is right (the native departures found so far
are fixed; a new one would be a strict xfail here, so its fix shows).
benchmarks/cel_fuzz.py runs 100,000 with nothing left out.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import assay.cel
from assay.cel.native import Uint
from tests.cel.conformance import differential

cel = pytest.importorskip("cel_expr_python.cel", reason="cel-expr-python (cel-cpp) is not installed")
ENVIRONMENT = cel.NewEnv(variables={})
AVOID = frozenset(differential.KNOWN)


@settings(
    max_examples=2000,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(differential.expressions(avoid=AVOID))
def test_native_agrees_with_cel_cpp_on_generated_expressions(expression: str) -> None:
    agree, native, cpp = differential.compare(expression, ENVIRONMENT)
    assert agree, f"{expression}\n  native:  {native}\n  cel-cpp: {cpp}"


CPP_DEPARTURES = [name for name, known in differential.KNOWN.items() if known.side == "cel-cpp"]


@pytest.mark.parametrize("name", CPP_DEPARTURES)
def test_where_cel_cpp_departs_native_follows_the_spec(name: str) -> None:
    agree, native, _ = differential.compare(differential.KNOWN[name].expression, ENVIRONMENT)
    assert not agree
    assert native.value is differential.ERROR
    assert native.detail.startswith("cannot convert")


# --- the comparison itself, on values made here ----------------------------------------------------------


@pytest.mark.parametrize(
    ("native", "cpp", "agree"),
    [
        (1, 1, True),
        (1, Uint(1), False),
        (1, 1.0, False),
        (True, 1, False),
        (b"a", "a", False),
        ([Uint(1), b"x"], [Uint(1), b"x"], True),
        ([Uint(1)], [1], False),
        ({Uint(2): [None]}, {2: [None]}, True),  # cel-cpp's keys carry no uint kind
        ({True: 1}, {1: 1}, False),
        ({"a": 1.0}, {"a": 1}, False),
        (float("nan"), float("nan"), True),
    ],
)
def test_values_agree_only_with_the_same_kind(native: Any, cpp: Any, agree: bool) -> None:
    assert differential.agree(differential.Outcome(native), differential.Outcome(cpp)) is agree


def test_errors_agree_but_a_crash_never_does() -> None:
    error = differential.Outcome(differential.ERROR, "division by zero")
    crash = differential.Outcome(differential.ERROR, "crash: ValueError: boom")
    assert differential.agree(error, differential.Outcome(differential.ERROR, "divide by zero"))
    assert not differential.agree(crash, error)
    assert not differential.agree(error, differential.Outcome(1))
    assert not differential.agree(differential.Outcome("error"), error)


def test_cel_cpp_values_keep_their_kind() -> None:
    outcome = differential.cpp_outcome("[1u, b'a', {'k': 2.0}, null]", ENVIRONMENT)
    assert outcome.value == [Uint(1), b"a", {"k": 2.0}, None]
    assert type(outcome.value[0]) is Uint
    assert type(outcome.value[1]) is bytes


def test_the_generator_is_deterministic_and_reaches_the_int64_edge() -> None:
    first = [differential.generate(differential.RandomDraw(seed)) for seed in range(200)]
    assert first == [differential.generate(differential.RandomDraw(seed)) for seed in range(200)]
    assert any("string(" in e for e in first)
    assert any("-9223372036854775808" in e for e in first)  # the int64 edge is generated
    assert any(re.search(r"\bu?int\(", e) for e in first)


def test_generated_expressions_parse_and_mostly_give_values() -> None:
    """A generator that wrote invalid CEL, or mostly errors, would make agreement trivial."""
    values = 0
    for seed in range(300):
        expression = differential.generate(differential.RandomDraw(seed), avoid=AVOID)
        assay.cel.parse(expression)  # raises CelSyntaxError on invalid CEL
        outcome = differential.cpp_outcome(expression, ENVIRONMENT)
        assert "Syntax error" not in outcome.detail, expression
        values += outcome.value is not differential.ERROR
    assert values > 150
