"""``<string>.format(<list>)`` on the native backend (cases after cel-spec's string_ext tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cel.ext_support import fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ('"no substitution".format([])', "no substitution"),
        ('"%% and also %%".format([])', "% and also %"),
        ('"%%%s%%".format(["text"])', "%text%"),
        ('"%d %s, %d".format([1, "A", 2u])', "1 A, 2"),
        ('"%.3f".format([1.2345])', "1.234"),
        ('"%.0f %.0f %.0f".format([2.5, 1.5, 3.5001])', "2 2 4"),
        ('"%.5f".format([-1.2])', "-1.20000"),
        ('"%f %f".format([2, 3u])', "2.000000 3.000000"),
        ('"%.6e".format([1052.032911275])', "1.052033e+03"),
        ('"%e".format([2])', "2.000000e+00"),
        ('"%b %b %b".format([5, uint(64), true])', "101 1000000 1"),
        ('"%o %o".format([11, uint(65535)])', "13 177777"),
        ('"%x %X".format([30, 30])', "1e 1E"),
        ('"%x".format([-255])', "-ff"),
        ('"%x".format(["Hello world!"])', "48656c6c6f20776f726c6421"),
        ('"%X".format([b"byte string"])', "6279746520737472696E67"),
        (
            '"%e %d %f".format([double("NaN"), double("Infinity"), double("-Infinity")])',
            "NaN Infinity -Infinity",
        ),
        ('"%s".format([null])', "null"),
        ('"%s".format([b"xyz"])', "xyz"),
        ('"%s".format([type("test string")])', "string"),
        ('"%s".format([timestamp("2023-02-03T23:31:20+00:00")])', "2023-02-03T23:31:20Z"),
        ('"%s".format([duration("1h45m47s")])', "6347s"),
        ('"%s".format([duration("1.5s")])', "1.5s"),
        ('"%s".format([["abc", 3.14, null, [9, 8], true]])', "[abc, 3.14, null, [9, 8], true]"),
        ('"%s".format([{"b": 2.0, "a": b"x", "c": duration("2h")}])', "{a: x, b: 2, c: 7200s}"),
        ('"%s, %s".format([dyn(32), dyn(56.8)])', "32, 56.8"),
        ('"%s %d".format([1e20, 1e-7])', "100000000000000000000 0.0000001"),
        ('"%s".format([-0.0])', "-0"),
    ],
)
def test_format(expression: str, expected: str) -> None:
    assert run(expression) == expected


def test_format_on_a_string_variable() -> None:
    assert run("s.format([1, 'x'])", s="%d-%s") == "1-x"


def test_timestamps_print_in_utc_with_their_fraction() -> None:
    moment = datetime(2024, 5, 6, 7, 8, 9, 120000, tzinfo=UTC)
    assert run('"%s".format([t])', t=moment) == "2024-05-06T07:08:09.12Z"
    assert run('"%s".format([d])', d=timedelta(seconds=-1, microseconds=-500000)) == "-1.5s"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ('"%a".format([1])', 'unrecognized formatting clause "a"'),
        ('"%E".format([0.5])', 'unrecognized formatting clause "E"'),
        ('"%d %d %d".format([0, 1])', "index 2 out of range"),
        ('"%s".format([])', "index 0 out of range"),
        ('"%b".format(["abc"])', "can be formatted as binary, was given string"),
        ('"%d".format([duration("30m2s")])', "was given google.protobuf.Duration"),
        ('"%o".format(["a string"])', "octal clause can only be used on integers"),
        ('"%x".format([0.5])', "was given double"),
        ('"%d".format([null])', "was given null_type"),
        ('"%e".format([null])', "scientific clause"),
        ('"%f".format([null])', "fixed-point clause"),
        ('"%s".format([[1, optional.none()]])', "was given optional_type"),
        ('"%s".format([ip("10.0.0.1")])', "was given net.IP"),
        ('"%.3".format([1.0])', "could not find end of precision"),
        ('"%.999999999f".format([1.0])', "exceeds the maximum"),
        ('"50%".format([1])', "unexpected end of string"),
        ("'x'.format('y')", "no such overload"),
    ],
)
def test_format_errors_name_the_problem(expression: str, message: str) -> None:
    fails(expression, message)


@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=6))
@settings(max_examples=100, deadline=None)
def test_percent_d_of_ints_joins_their_decimal_forms(numbers: list[int]) -> None:
    template = " ".join("%d" for _ in numbers)
    assert run("t.format(xs)", t=template, xs=numbers) == " ".join(str(n) for n in numbers)


@given(st.floats(allow_nan=False, allow_infinity=False))
@settings(max_examples=200, deadline=None)
def test_percent_s_of_a_double_reads_back_as_the_same_double(value: float) -> None:
    text = run('"%s".format([x])', x=value)
    assert "e" not in text
    assert float(text) == value
