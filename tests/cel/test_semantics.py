"""CEL exactly as specified (issue 14, point 8; issue 23, point 2): numbers, conversions, map keys,
literals, names and kinds across the public API. Each case is the expression, the value the
specification gives (or ERROR), and whether cel-cpp, Google's implementation, confirms it (some cases
are refused only by the type checker, which cel-cpp skips here). Timestamps and durations are in
test_time.py."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import assay
from assay import cel
from assay.cel.native import BoolKey, NativeBackend, Timestamp, Uint
from assay.errors import CelSyntaxError
from tests.cel.spec_cases import ERROR, check, cpp, native, same

INT_MIN, INT_MAX = "-9223372036854775808", "9223372036854775807"

OVERFLOW = [
    f"{INT_MAX} + 1",
    f"{INT_MIN} - 1",
    f"{INT_MAX} * 2",
    f"{INT_MIN} / -1",
    f"{INT_MIN} % -1",
    f"-({INT_MIN})",
    "18446744073709551615u + 1u",
    "0u - 1u",
    "9223372036854775808u * 2u",
    "int(18446744073709551615u)",
    "uint(-1)",
    f"int({INT_MIN}.0)",
    "int(9223372036854775807.0)",
    "int(1e19)",
    "int(double('nan'))",
    "uint(-0.5)",
    "uint(18446744073709551616.0)",
    "int('9223372036854775808')",
    "uint('18446744073709551616')",
]


@pytest.mark.parametrize("expression", OVERFLOW)
def test_integer_overflow_is_an_error_on_every_operation(expression: str) -> None:
    check(expression, ERROR)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"{INT_MIN} % 1", 0),
        (f"{INT_MIN} / 1", -(2**63)),
        ("int(-9223372036854774784.0)", -9223372036854774784),
        ("uint(18446744073709549568.0)", Uint(18446744073709549568)),
        ("int(-1.9)", -1),
    ],
)
def test_the_edges_of_the_integer_ranges_are_inside(expression: str, expected: Any) -> None:
    check(expression, expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        (f"dyn({INT_MAX}) < 9223372036854775808.0", False),
        (f"dyn({INT_MAX}) >= 9223372036854775808.0", True),
        (f"dyn({INT_MAX}) == 9223372036854775808.0", True),
        (f"dyn(9223372036854775808.0) <= {INT_MAX}", True),
        (f"dyn(9223372036854775808.0) > {INT_MAX}", False),
        (f"dyn({INT_MIN}) < -9223372036854775809.0", False),
        ("dyn(18446744073709551615u) < 18446744073709551616.0", False),
        ("dyn(1u) == 1.0", True),
        ("dyn(-1) < 0u", True),
        ("dyn(9223372036854775808u) > 9223372036854775807", True),
        ("double('nan') == double('nan')", False),
        ("double('nan') < 1.0", False),
        ("1 < double('nan')", False),
    ],
)
def test_numbers_compare_across_kinds_at_the_64_bit_edges(expression: str, expected: bool) -> None:
    check(expression, expected)


@pytest.mark.parametrize(
    "expression",
    [
        "int('1_000')",
        "int('٣')",  # an Arabic-Indic digit
        "int('\uff11')",  # a full-width digit
        "int(' 1')",
        "int('1 ')",
        "int('0x10')",
        "int('')",
        "uint('-1')",
        "uint('1_0')",
        "double('1_000.5')",
        "double('\uff11.5')",
        "double(' 1.5')",
        "double('1.5 ')",
        "double('1e')",
        "double('')",
        "double('in')",
        "double('0x1p3')",
        "bool('yes')",
        "bool('tRue')",
    ],
)
def test_strings_convert_to_numbers_only_in_ascii_digits(expression: str) -> None:
    check(expression, ERROR, confirmed_by_cpp=False)  # cel-cpp accepts surrounding white space


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("int('-42')", -42),
        ("int('+42')", 42),
        ("uint('42')", Uint(42)),
        ("double('-1.5e3')", -1500.0),
        ("double('.5')", 0.5),
        ("double('5.')", 5.0),
        ("double('Infinity')", math.inf),
        ("double('-inf')", -math.inf),
        ("double('NaN')", math.nan),
        ("bool('TRUE')", True),
        ("bool('f')", False),
    ],
)
def test_strings_convert_to_numbers(expression: str, expected: Any) -> None:
    check(expression, expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string(false)", "false"),
        ("string(1.0)", "1"),
        ("string(-0.0)", "-0"),
        ("string(0.1)", "0.1"),
        ("string(100000.0)", "100000"),
        ("string(1000000.0)", "1e+06"),
        ("string(123456789.0)", "1.23456789e+08"),
        ("string(0.0001)", "0.0001"),
        ("string(0.00001)", "1e-05"),
        ("string(1.7976931348623157e308)", "1.7976931348623157e+308"),
        ("string(5e-324)", "5e-324"),
        ("string(double('nan'))", "nan"),
        ("string(-double('inf'))", "-inf"),
        ("string(18446744073709551615u)", "18446744073709551615"),
        ("string(b'\\xff')", ERROR),
    ],
)
def test_string_conversions_follow_the_spec(expression: str, expected: Any) -> None:
    check(expression, expected)


@pytest.mark.parametrize("backend", ["native", "reference"])
def test_string_of_a_bool_is_the_same_on_both_backends(backend: str) -> None:
    program = cel.compile("string(false) + '/' + string(true)", backend=backend)  # type: ignore[arg-type]
    assert program.evaluate({}) == "false/true"
    assert cel.compile("type('a') == string", backend=backend).evaluate({}) is True  # type: ignore[arg-type]


# --- map keys, literals and names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("{1: 'x', true: 'y'}[1]", "x"),
        ("{1: 'x', true: 'y'}[true]", "y"),
        ("{true: 'y', 1: 'x'}[1]", "x"),
        ("{0: 'x', false: 'y'}[false]", "y"),
        ("size({1: 'x', true: 'y'})", 2),
        ("{1: 'x', true: 'y'}[1u]", "x"),
        ("{1: 'x', true: 'y'}[1.0]", "x"),
        ("true in {1: 'x'}", False),
        ("1 in {true: 'x'}", False),
        ("{true: 'x'}[1]", ERROR),
        ("{1: 'x'}[true]", ERROR),
        ("{1: 'x', true: 'y'} == {true: 'y', 1: 'x'}", True),
        ("{1: 'x', true: 'y'} == {1: 'y', true: 'x'}", False),
        ("{1: 'x', true: 'y'}.all(k, k == 1 || k == true)", True),
        ("{1: 'x', true: 'y'}.exists(k, type(k) == bool)", True),
    ],
)
def test_map_keys_compare_by_cel_type_and_value(expression: str, expected: Any) -> None:
    check(expression, expected)


def test_a_map_with_both_keys_comes_back_with_both() -> None:
    result = cel.compile("{1: 'x', true: 'y'}").evaluate({})
    assert sorted(result.values()) == ["x", "y"]
    assert [key.value for key in result if isinstance(key, BoolKey)] == [True]
    assert {repr(key) for key in result} == {"1", "true"}
    assert cel.compile("{true: 'y', 1: 'x'}.map(k, k)").evaluate({}) == [True, 1]


LIST_LITERAL_CASES = [
    # (expression, value of v, expected): the literal on either side, inside `in`, at any depth.
    ("v == ['a']", ["a"], True),
    ("v == ['a']", "a", False),
    ("['a'] == v", "a", False),
    ("['a'] == v", ["a"], True),
    ("v != ['a']", "a", True),
    ("v in [['a']]", ["a"], True),
    ("v in [['a']]", "a", False),
    ("v == {'a': 1}", {"a": 1}, True),
    ("v == {'a': 1}", 1, False),
    ("v == [true]", True, False),
    ("v == [true]", [True], True),
    ("v == [null]", None, False),
    ("v == [null]", [None], True),
    ("v == [b'a']", b"a", False),
    ("v == [b'a']", [b"a"], True),
    ("v == [[['a']]]", "a", False),
    ("v == [[['a']]]", [[["a"]]], True),
    ("v == [{'k': ['a']}]", [{"k": ["a"]}], True),
    ("v == [{'k': ['a']}]", "a", False),
    ("v == ([('a')])", "a", False),
    ("v == ('a')", "a", True),
]


@pytest.mark.parametrize(("expression", "value", "expected"), LIST_LITERAL_CASES)
def test_comparison_with_a_literal_never_looks_through_brackets(
    expression: str, value: Any, expected: bool
) -> None:
    assert native(expression, {"v": value}) is expected
    assert cpp(expression, {"v": value}) is expected


def test_a_macro_result_compares_with_a_list_literal() -> None:
    check("{'John': 'smart'}.map(k, k) == ['John']", True)
    check("{'John': 'smart', 'Paul': 'cute'}.filter(k, k == 'Paul') == ['Paul']", True)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("' \\\\ \\? \\\" \\' \\` '", " \\ ? \" ' ` "),
        ("'''\\? \\`'''", "? `"),
        ("' \\X00 \\X0A \\X7F '", " \x00 \n \x7f "),
        ("' \\x4a \\x4B \\X4c \\X4D \\u01aB \\U000001aB '", " J K L M ƫ ƫ "),
        ("'\\101\\377'", "Aÿ"),
        ("b' \\X00 \\XFF \\? \\` '", b" \x00 \xff ? ` "),
        ("b'\\377\\x41'", b"\xffA"),
        ("b'ÿ'", "ÿ".encode()),
        ("b'''a\nb'''", b"a\nb"),
        ('b""" \n """', b" \n "),
        ("'''a\nb'''", "a\nb"),
        ("r'\\X41\\?'", "\\X41\\?"),
        ("br'\\x41'", b"\\x41"),
    ],
)
def test_literal_escapes_follow_the_spec(expression: str, expected: Any) -> None:
    check(expression, expected)


def test_a_surrogate_pair_escape_is_one_character() -> None:
    # The specification: "Characters in other Unicode planes can be represented with surrogate
    # pairs." (cel-cpp refuses them.)
    check("'\\uD83D\\uDE00'", "\U0001f600", confirmed_by_cpp=False)


@pytest.mark.parametrize(
    "expression",
    ["'\\q'", "'\\x4'", "'\\400'", "'\\u12'", "b'\\u0041'", "b'\\U00000041'", "'\\uD800'", "'\\U00110000'"],
)
def test_an_invalid_escape_is_a_syntax_error_with_its_position(expression: str) -> None:
    with pytest.raises(CelSyntaxError) as caught:
        NativeBackend().compile(f"1 == 1 &&\n  {expression} == ''")
    assert (caught.value.line, caught.value.column) == (2, 3)
    assert "invalid literal" in caught.value.message


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("m.`content-type`", "application/json"),
        ("m.`content-type` == 'application/json'", True),
        ("has(m.`content-type`)", True),
        ("has(m.`content-length`)", False),
        ("m.`foo.txt`", 32),
        ("m.`/api/v1`", True),
        ("m.`with space`", 1),
        ("m.`content-length`", ERROR),
    ],
)
def test_backquoted_field_names(expression: str, expected: Any) -> None:
    m = {"content-type": "application/json", "foo.txt": 32, "/api/v1": True, "with space": 1}
    assert same(native(expression, {"m": m}), expected)
    assert same(
        cel.compile(expression, backend="reference").evaluate({"m": m}) if expected is not ERROR else ERROR,
        expected,
    )


@pytest.mark.parametrize("expression", ["`a`", "m.`a`()", "m.`a'b`", "m.``", "`a`.b"])
def test_backquotes_are_for_field_names_only(expression: str) -> None:
    with pytest.raises(CelSyntaxError):
        NativeBackend().compile(expression)


@pytest.mark.parametrize(
    ("expression", "variables", "expected"),
    [
        ("a.b.c", {"a.b.c": "yeah"}, "yeah"),
        ("a.b.c", {"a.b": {"c": "yeah"}}, "yeah"),
        ("a.b.c", {"a": {"b": {"c": "yeah"}}}, "yeah"),
        ("a.b.c", {"a.b.c": "yeah", "a.b": {"c": "oops"}, "a": {"b": {"c": "oops"}}}, "yeah"),
        ("a.b.c", {"a.b": {"c": "yeah"}, "a": {"b": {"c": "oops"}}}, "yeah"),
        ("(a.b).c", {"a.b.c": "oops", "a.b": {"c": "yeah"}}, "yeah"),
        ("x.y", {"x.y": True}, True),
        ("has(a.b.c)", {"a.b": {"c": 1}}, True),
        (".a.b", {"a.b": 2}, 2),
        ("[{'b': 1}].map(a, a.b)", {"a.b": 2}, [1]),
        ("a.b.c", {"a.b.d": 1}, ERROR),
        ("a.b", {}, ERROR),
    ],
)
def test_qualified_variable_names_resolve_by_the_longest_prefix(
    expression: str, variables: dict[str, Any], expected: Any
) -> None:
    assert same(native(expression, variables), expected)


def test_the_engines_backend_skips_qualified_names_and_gives_the_same_answers() -> None:
    """The engine never binds a dotted name, so its backend compiles selections without the lookup of
    the longer name; the public API keeps it, as the spec requires."""
    from assay.engine import Engine
    from assay.pipeline import backend_for
    from assay.project import Project

    expression = "a.b.c == 1 && a.b.has_d"
    variables = {"a": {"b": {"c": 1, "has_d": True}}}
    public, engine = NativeBackend(), NativeBackend(qualified_names=False)
    assert public.compile(expression).run(variables) is engine.compile(expression).run(variables) is True
    assert public.compile("a.b").run({"a.b": 2, "a": {"b": 1}}) == 2
    assert engine.compile("a.b").run({"a.b": 2, "a": {"b": 1}}) == 1
    assert getattr(backend_for(Project()), "qualified_names", None) is False
    assert getattr(Engine(assay.builtin_catalog()).backend, "qualified_names", None) is False


@pytest.mark.parametrize(
    ("expression", "expected"),
    [("[1, 2][1.0]", ERROR), ("[1, 2][dyn(1.0)]", 2), ("[1, 2][dyn(1.5)]", ERROR), ("[1, 2][1u]", 2)],
)
def test_a_double_index_into_a_list_literal_is_an_error(expression: str, expected: Any) -> None:
    check(expression, expected, confirmed_by_cpp=expression != "[1, 2][1.0]")  # cel-cpp's checker is off


# --- kinds across the public API ---------------------------------------------------------------------

BINDINGS: list[tuple[str, Any, str]] = [
    # (binding, its CEL type name, an expression over v and its expected value)
    ("uint", Uint(5), "v + 1u"),
    ("uint", Uint(2**64 - 1), "v"),
    ("bytes", b"\xff\x00", "v + b'!'"),
    ("bytes", b"", "v"),
    ("list", [Uint(1), b"x", [Uint(2)]], "v"),
    ("map", {"k": [b"\x01", Uint(3)], Uint(7): {"n": b"y"}}, "v"),
    ("google.protobuf.Timestamp", Timestamp(2024, 1, 1, tzinfo=UTC), "v"),
    ("google.protobuf.Duration", timedelta(seconds=90), "v + duration('1ns') - duration('1ns')"),
]


@pytest.mark.parametrize("backend", ["native", "reference"])
@pytest.mark.parametrize(
    ("kind", "value", "expression"), BINDINGS, ids=[b[0] + str(i) for i, b in enumerate(BINDINGS)]
)
def test_values_keep_their_cel_kind_through_the_public_api(
    backend: str, kind: str, value: Any, expression: str
) -> None:
    if backend == "native" or not kind.startswith("google."):  # cel-python lacks these type names
        assert cel.compile(f"type(v) == {kind}", backend=backend).evaluate({"v": value}) is True  # type: ignore[arg-type]
    result = cel.compile(expression, backend=backend).evaluate({"v": value})  # type: ignore[arg-type]
    expected = {"v + 1u": lambda: Uint(value + 1), "v + b'!'": lambda: value + b"!"}.get(
        expression, lambda: value
    )()
    assert _same_kinds(result, expected), f"{result!r} != {expected!r}"


def _same_kinds(a: Any, b: Any) -> bool:
    if type(a) is not type(b) and not (isinstance(a, datetime) and isinstance(b, datetime)):
        return isinstance(a, timedelta) and isinstance(b, timedelta) and a == b
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_kinds(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return (
            a.keys() == b.keys()
            and all(type(x) is type(y) for x, y in zip(a, b, strict=True))
            and all(_same_kinds(a[k], b[k]) for k in a)
        )
    return bool(a == b)


def test_uint_results_come_back_as_uint_on_both_backends() -> None:
    for backend in ("native", "reference"):
        value = cel.compile("[1u, {'a': 2u}]", backend=backend).evaluate({})  # type: ignore[arg-type]
        assert type(value[0]) is Uint
        assert type(value[1]["a"]) is Uint


def test_timestamps_with_nanoseconds_cross_the_public_api_both_ways() -> None:
    moment = cel.compile("timestamp('9999-12-31T23:59:59.999999999Z')").evaluate({})
    assert isinstance(moment, Timestamp)
    assert isinstance(moment, datetime)
    assert (moment.year, moment.microsecond, moment.nanosecond) == (9999, 999999, 999)
    assert cel.compile("string(t)").evaluate({"t": moment}) == "9999-12-31T23:59:59.999999999Z"
    assert cel.compile("t == timestamp('9999-12-31T23:59:59.999999999Z')").evaluate({"t": moment}) is True
    assert cel.compile("t > timestamp('9999-12-31T23:59:59.999999998Z')").evaluate({"t": moment}) is True
    plain = datetime(2024, 1, 1, 12, tzinfo=UTC)  # a plain datetime is a timestamp too, naive or not
    assert cel.compile("string(t)").evaluate({"t": plain}) == "2024-01-01T12:00:00Z"
    assert cel.compile("string(t)").evaluate({"t": plain.replace(tzinfo=None)}) == "2024-01-01T12:00:00Z"
    assert Timestamp.__reduce__(moment)[1] == (moment.epoch_nanos,)
