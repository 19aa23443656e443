"""``assay.cel.compile(...).evaluate(...)`` on the native backend: plain values go in as they are, and
only a value whose type needs it is converted, with the same result as converting everything."""

from __future__ import annotations

import enum
import math
import re
import sys
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay import cel
from assay.cel.native import BoolKey, NativeBackend, Timestamp, Uint
from assay.cel.native.conversions import is_plain, to_native
from assay.cel.native.tree import qualified_names
from assay.cel.syntax import parse
from assay.errors import CelError


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 3


class Colour(enum.StrEnum):
    RED = "red"


class Tagged(dict):  # type: ignore[type-arg]
    """A dict subclass, as YAML loaders that keep comments return."""


def test_an_int_enum_member_is_an_int() -> None:
    # The runtime compares ints by their exact class: without conversion, Level.LOW == 1 was false.
    assert cel.compile("x == 1 && x + 1 == 2 && type(x) == int").evaluate({"x": Level.LOW}) is True


def test_nested_values_of_other_classes_are_converted() -> None:
    item = Tagged(level=Level.HIGH, colour=Colour.RED, tags=("a", "b"), raw=bytearray(b"\x01"))
    program = cel.compile(
        "item.level > 2 && item.colour == 'red' && item.tags == ['a', 'b'] && item.raw == b'\\x01'"
    )
    assert program.evaluate({"item": item}) is True
    assert program.evaluate({"item": OrderedDict(item)}) is True


def test_a_tuple_comes_back_as_a_list() -> None:
    assert type(cel.compile("v").evaluate({"v": (1, (2,))})) is list
    assert cel.compile("v").evaluate({"v": (1, (2,))}) == [1, [2]]


@pytest.mark.parametrize("value", [{1, 2}, object(), {1.5: "x"}, [frozenset()]])
def test_a_value_without_a_cel_kind_is_an_error_naming_the_variable(value: Any) -> None:
    with pytest.raises(CelError, match="variable 'v'"):
        cel.compile("v == v").evaluate({"v": value})


def test_variables_the_expression_never_reads_are_not_looked_at() -> None:
    assert cel.compile("item.ok").evaluate({"item": {"ok": True}, "unread": {1, 2}}) is True


@pytest.mark.parametrize(
    ("expression", "variables"),
    [
        ("a.b == 1", {"a.b": Level.LOW, "a": {"b": 2}}),  # a qualified name wins; its value converted
        (".a == 1", {"a": Level.LOW}),  # read from the root scope
        ("int == 1", {"int": Level.LOW}),  # a variable named like a type
        ("int == 1000", {"int": 1000}),  # compared by value, not identity
        ("[x, y] == [1, 3]", {"x": Level.LOW, "y": Level.HIGH}),
        ("[x, y, z] == [1, 3, 'red']", {"x": Level.LOW, "y": Level.HIGH, "z": Colour.RED}),
        ("xs.exists(v, v == 3)", {"xs": (Level.LOW, Level.HIGH)}),
    ],
)
def test_every_way_of_reading_a_variable_converts_it(expression: str, variables: dict[str, Any]) -> None:
    assert cel.compile(expression).evaluate(variables) is True


def test_the_same_values_again_give_the_same_answers_and_errors() -> None:
    program = cel.compile("item.a == 1 || item.b")
    item = {"a": 1}
    assert [program.evaluate({"item": item}) for _ in range(3)] == [True, True, True]
    missing: dict[str, Any] = {"b": True}
    assert program.evaluate({"item": missing}) is True  # no_such_field absorbed by ||
    with pytest.raises(CelError):
        program.evaluate({"item": {}})
    with pytest.raises(CelError):
        program.evaluate({})


def test_remembered_values_are_bounded() -> None:
    program = cel.compile("size(item) == 1")
    for count in range(100):
        assert program.evaluate({"item": [count]}) is True
    assert len(program._memo) <= 20  # type: ignore[attr-defined]


# --- the fast path against the full conversion, on generated values ------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.integers(0, 2**64 - 1).map(Uint),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.binary(max_size=5),
    st.just(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)),
    st.just(Timestamp(2026, 1, 2, tzinfo=UTC)),
    st.just(timedelta(seconds=90)),
    st.sampled_from(list(Level) + list(Colour)),
    st.binary(max_size=3).map(bytearray),
)
keys = st.one_of(st.text(max_size=4), st.integers(-3, 3), st.sampled_from([Level.LOW, Colour.RED]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=4).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
        st.dictionaries(keys, inner, max_size=4).map(OrderedDict),
    ),
    max_leaves=12,
)
EXPRESSIONS = ["v", "type(v)", "v == w", "[v, w]", "string(type(v)) + string(type(w))", "v == v"]


def _outcome(run: Any) -> Any:
    try:
        return ("value", run())
    except CelError as exc:
        return ("error", type(exc))


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same classes at every depth (NaN equal to itself)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return (
            list(map(type, a)) == list(map(type, b))
            and a.keys() == b.keys()
            and all(_same(a[k], b[k]) for k in a)
        )
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@settings(max_examples=300)
@given(values, values, st.sampled_from(EXPRESSIONS))
def test_the_public_api_gives_what_full_conversion_gives(v: Any, w: Any, expression: str) -> None:
    backend = NativeBackend()
    program = backend.compile(expression)

    def converted() -> Any:
        return program.run({"v": to_native(v), "w": to_native(w)})

    public = cel.compile(expression)
    expected = _outcome(converted)
    assert _same(_outcome(lambda: public.evaluate({"v": v, "w": w})), expected)
    assert _same(_outcome(lambda: public.evaluate({"v": v, "w": w})), expected)  # remembered now


@given(values)
def test_a_plain_value_is_its_own_conversion(value: Any) -> None:
    try:
        converted = to_native(value)
    except CelError:
        assert not is_plain(value)
        return
    assert _same(converted, to_native(converted))
    if is_plain(value):
        assert _same(converted, value)


def test_bool_keys_of_a_map_literal_stay_apart_through_the_public_api() -> None:
    result = cel.compile("{1: 'x', true: 'y'}").evaluate({})
    assert any(type(key) is BoolKey for key in result)
    assert cel.compile("m").evaluate({"m": result}) == result


# --- the program written for the expression: one call, and qualified names looked for only when bound ----


def _python_calls(run: Any) -> list[str]:
    """The names of the Python functions called while ``run()`` runs (C functions are not counted)."""
    calls: list[str] = []

    def profile(frame: Any, event: str, _arg: Any) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return calls[1:]  # the lambda itself


def test_evaluating_remembered_plain_values_is_one_python_call() -> None:
    program = cel.compile("item.a == 'x' && size(item.tags) > 0 && !(item.b in ['p', 'q'])")
    item = {"a": "x", "tags": [1], "b": "r"}
    assert program.evaluate({"item": item}) is True  # remembered now
    assert _python_calls(lambda: program.evaluate({"item": item, "other": 1})) == ["_evaluate"]
    # assay's own functions are called themselves, not through the wrapper that makes their errors CEL's
    days = cel.compile("days(size(item.tags)) > duration('1h') && lower(item.a) == 'x'")
    assert days.evaluate({"item": item}) is True
    assert _python_calls(lambda: days.evaluate({"item": item})) == ["_evaluate", "_days", "gt"]


def test_a_qualified_name_bound_next_to_a_remembered_value_still_wins() -> None:
    program = cel.compile("a.b.c == 1")
    a = {"b": {"c": 1}}
    assert program.evaluate({"a": a}) is True
    assert program.evaluate({"a": a, "a.b": {"c": 2}}) is False
    assert program.evaluate({"a": a, "a.b.c": Level.HIGH}) is False
    assert program.evaluate({"a.b.c": 1}) is True  # a missing: the qualified name alone
    assert program.evaluate({"a": a}) is True
    # The same with a budget (a loop): a missing name reads as None there, as a null value would.
    looping = cel.compile("[1].exists(x, x == 1) && a.b.c == 2")
    with pytest.raises(CelError):
        looping.evaluate({"a": None})  # null.b
    assert looping.evaluate({"a.b.c": None}) is False  # null == 2, the qualified name read
    assert looping.evaluate({"a.b.c": None}) is False
    assert looping.evaluate({"a": {"b": {"c": 2}}}) is True


def test_many_qualified_names_are_looked_for_as_one_set() -> None:
    program = cel.compile("a.b + a.c + a.d + a.e")
    a = {"b": 1, "c": 2, "d": 3, "e": 4}
    assert program.evaluate({"a": a}) == 10
    assert program.evaluate({"a": a, "a.e": 40}) == 46
    assert program.evaluate({"a": a, "a.x": 40}) == 10


def test_a_budgeted_program_does_not_need_a_variable_it_never_reaches() -> None:
    program = cel.compile("[1, 2].exists(v, v == 2) || y")
    assert program.evaluate({}) is True
    with pytest.raises(CelError):
        cel.compile("[1, 2].exists(v, v == 3) || y").evaluate({})


@settings(max_examples=300)
@given(
    st.dictionaries(st.sampled_from(["a", "a.b", "a.b.c", "b", "a.c"]), values, max_size=4),
    st.sampled_from(["a.b", "a.b.c", "has(a.b)", "a.b == 1 || a", "[1].exists(x, x == 1) && a.b.c == 2"]),
)
def test_qualified_names_give_what_full_conversion_gives(variables: dict[str, Any], expression: str) -> None:
    program = NativeBackend().compile(expression)

    def converted() -> Any:
        return program.run({name: to_native(value) for name, value in variables.items()})

    public = cel.compile(expression)
    expected = _outcome(converted)
    plain_a = {"a": {"b": {"c": 2}}}
    _outcome(lambda: public.evaluate(plain_a))  # a value remembered, with no qualified name bound
    assert _same(_outcome(lambda: public.evaluate(variables)), expected)
    assert _same(_outcome(lambda: public.evaluate(variables)), expected)  # remembered now


def test_alternating_plain_and_converted_values_each_give_their_own_answer() -> None:
    program = cel.compile("x == 1 && type(x) == int")
    plain, enum_member, other = 1, Level.LOW, 2
    answers = [
        program.evaluate({"x": value}) for value in (plain, enum_member, plain, other, enum_member) * 2
    ]
    assert answers == [True, True, True, False, True] * 2


@pytest.mark.parametrize(
    "expression",
    [
        "a.b.c == 1",
        ".a.b",
        "xs.exists(x, x.f.g && a.b)",
        "cel.bind(v, a.b, v.c + a.d.e)",
        "(a.b).c",
        "a.b[0].c.d",
        "has(a.b.c)",
        "a.?b.c.orValue(1)",
        "int.x",
        "[a.b, {'k': c.d.e}]",
        "a.b.exists_one(y, y.z)",
    ],
)
def test_every_qualified_name_a_program_looks_for_is_known_from_the_tree(expression: str) -> None:
    variant = NativeBackend()._generate(expression).fast  # type: ignore[union-attr]
    looked_for = {variant.constants[int(index)] for index in re.findall(r"K\[(\d+)\] in V", variant.source)}
    assert {name for name in looked_for if "." in name} <= qualified_names(parse(expression))
