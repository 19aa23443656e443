"""The lists and sets extension libraries on the native backend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import BudgetExceeded, NativeBackend
from tests.cel.ext_support import exactly, fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[1, 2, 3, 4].slice(1, 3)", [2, 3]),
        ("[1, 2, 3, 4].slice(4, 4)", []),
        ("[1, [2, 3], [4]].flatten()", [1, 2, 3, 4]),
        ("[1, [2, [3, 4]]].flatten()", [1, 2, [3, 4]]),
        ("[1, 2, [], [], [3, 4]].flatten()", [1, 2, 3, 4]),
        ("[1, [2, [3, [4]]]].flatten(2)", [1, 2, 3, [4]]),
        ("[1, [2]].flatten(0)", [1, [2]]),
        ("[3, 2, 1].sort()", [1, 2, 3]),
        ("['b', 'c', 'a'].sort()", ["a", "b", "c"]),
        ("[2.5, 1.0].sort()", [1.0, 2.5]),
        ("[duration('2s'), duration('1s')].sort()", [timedelta(seconds=1), timedelta(seconds=2)]),
        ("[].sort()", []),
        ("[{'n': 'b', 's': 2}, {'n': 'a', 's': 1}].sortBy(e, e.s).map(e, e.n)", ["a", "b"]),
        ("['bb', 'a', 'ccc'].sortBy(s, -size(s))", ["ccc", "bb", "a"]),
        ("[[1, 'x'], [1, 'y'], [0, 'z']].sortBy(p, p[0])", [[0, "z"], [1, "x"], [1, "y"]]),
        ("[5, 3, 1, 2].reverse()", [2, 1, 3, 5]),
        ("[1, 2, 2, 3, 3, 3].distinct()", [1, 2, 3]),
        ("['b', 'b', 'c', 'a', 'c'].distinct()", ["b", "c", "a"]),
        ("[1, 'b', 2, 'b'].distinct()", [1, "b", 2]),
        ("[1, 1.0, 1u, true, [1], [1.0]].distinct()", [1, True, [1]]),
        ("lists.range(5)", [0, 1, 2, 3, 4]),
        ("lists.range(0)", []),
        ("lists.range(-3)", []),
        ("[1, 2, 3].first().value()", 1),
        ("[1, 2, 3].last().value()", 3),
        ("[].first().orValue('test')", "test"),
        ("[].last().hasValue()", False),
        ("sets.contains([], [])", True),
        ("sets.contains([], [1])", False),
        ("sets.contains([1, 2, 3, 4], [2, 3])", True),
        ("sets.contains([1, 2.0, 3u], [1.0, 2u, 3])", True),
        ("sets.equivalent([1], [1, 1])", True),
        ("sets.equivalent([1], [1u, 1.0])", True),
        ("sets.equivalent([1, 2], [1])", False),
        ("sets.intersects([1], [])", False),
        ("sets.intersects([[1], [2, 3]], [[1, 2], [2, 3.0]])", True),
        ("base64.encode(b'hello')", "aGVsbG8="),
        ("base64.decode('aGVsbG8=')", b"hello"),
        ("base64.decode('aGVsbG8')", b"hello"),
    ],
)
def test_list_set_and_encoder_functions(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[1, 2].slice(-1, 1)", "negative indexes not supported"),
        ("[1, 2].slice(2, 1)", "start index must be less than or equal to end index"),
        ("[1, 2].slice(0, 3)", "list is length 2"),
        ("[1, [2]].flatten(-1)", "level must be non-negative"),
        ("[1, 'b'].sort()", "must have the same type"),
        ("[1, 1u].sort()", "must have the same type"),
        ("[[1, 2, 3]].sort()", "must be comparable"),
        ("[{'a': 1}].sortBy(e, e.a.b)", "cannot select"),
        ("'abc'.sortBy(e, e)", "sortBy() needs a list"),
        ("dyn(1).flatten()", "no such overload"),
        ("sets.contains([1], 1)", "no such overload"),
        ("base64.decode('a')", "not base64"),
        ("base64.decode('a$b=')", "not base64"),
        ("base64.encode('text')", "no such overload"),
        ("[1].first(1)", "no such overload"),
    ],
)
def test_list_set_and_encoder_errors(expression: str, message: str) -> None:
    fails(expression, message)


@pytest.mark.parametrize(
    "expression",
    [
        "lists.range(1000000000)",
        "lists.range(3000).map(i, lists.range(3000)).size()",
        "sets.contains(lists.range(3000), lists.range(3000))",
        "'x'.replace('', 'yyyyyyyyyy').replace('', 'yyyyyyyyyy').replace('', 'yyyyyyyyyy').replace('', 'y')"
        ".replace('', 'yyyyyyyyyy').replace('', 'yyyyyyyyyy').replace('', 'yyyyyyyyyy').replace('', 'y')"
        ".replace('', 'yyyyyyyyyy')",
    ],
)
def test_work_that_grows_with_its_input_is_charged_to_a_budget(expression: str) -> None:
    program = NativeBackend(cost_limit=2_000_000).compile(expression)
    with pytest.raises(BudgetExceeded):
        program.run({})


def _cel_equal(a: object, b: object) -> bool:
    """CEL equality on ints, doubles and strings: numbers by value, strings only with strings."""
    if isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    return a == b


@given(st.lists(st.integers(-5, 5) | st.floats(-5, 5) | st.sampled_from(["a", "b"]), max_size=12))
@settings(max_examples=200, deadline=None)
def test_distinct_keeps_the_first_of_each_group_of_equal_values(values: list[object]) -> None:
    kept: list[object] = []
    for value in values:
        if not any(_cel_equal(value, k) for k in kept):
            kept.append(value)
    assert exactly(run("xs.distinct()", xs=values), kept)


@given(st.binary(max_size=64))
@settings(max_examples=200, deadline=None)
def test_base64_round_trips(data: bytes) -> None:
    assert run("base64.decode(base64.encode(b))", b=data) == data


@given(st.lists(st.integers(-100, 100), max_size=20))
@settings(max_examples=200, deadline=None)
def test_sort_sorts_and_reverse_reverses(values: list[int]) -> None:
    assert run("xs.sort()", xs=values) == sorted(values)
    assert run("xs.sort().reverse()", xs=values) == sorted(values, reverse=True)
    assert run("xs.sortBy(x, -x)", xs=values) == sorted(values, key=lambda x: -x)
