"""Generated expressions over the kinds whose semantics the native backend fixed, compared with cel-cpp
(Google's implementation, through cel-expr-python): 64-bit integer and uint arithmetic at the edges,
comparisons across int, uint and double, conversions between numbers and strings, the formatting of
doubles, timestamps and durations, RFC 3339 parsing with offsets and fractions, the time-zone
accessors, string and bytes escapes, map keys of mixed kinds, and equality with literals of every
kind. Each case is generated so that both implementations are meant to accept it (cel-cpp's known
leniencies, such as white space around numbers, are left out), and each must give the same value or
both an error."""

from __future__ import annotations

import math
import os
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import Uint
from tests.cel.spec_cases import ERROR, cpp, native  # the same outcomes the semantics tests compare

# ASSAY_CEL_EXAMPLES=5000 searches harder (the default keeps the suite quick).
EXAMPLES = settings(max_examples=int(os.environ.get("ASSAY_CEL_EXAMPLES", "200")), deadline=None)

INT_MIN, INT_MAX, UINT_MAX = -(2**63), 2**63 - 1, 2**64 - 1


def same(a: Any, b: Any) -> bool:
    if a is ERROR or b is ERROR:
        return a is b
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b  # cel-cpp's Python values hold microseconds; strings carry the nanoseconds
    if type(a) is not type(b) and not (isinstance(a, timedelta) and isinstance(b, timedelta)):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def agree(expression: str, variables: dict[str, Any] | None = None) -> None:
    mine, theirs = native(expression, variables), cpp(expression, variables)
    assert same(mine, theirs), f"{expression} with {variables}: native {mine!r}, cel-cpp {theirs!r}"


# --- integers ----------------------------------------------------------------------------------------

EDGE_INTS = st.sampled_from([INT_MIN, INT_MIN + 1, -(2**62), -2, -1, 0, 1, 2, 2**62, INT_MAX - 1, INT_MAX])
INTS = st.one_of(EDGE_INTS, st.integers(min_value=INT_MIN, max_value=INT_MAX))
UINTS = st.one_of(
    st.sampled_from([0, 1, 2, 2**63 - 1, 2**63, UINT_MAX - 1, UINT_MAX]),
    st.integers(min_value=0, max_value=UINT_MAX),
)


@EXAMPLES
@given(INTS, st.sampled_from(["+", "-", "*", "/", "%"]), INTS)
def test_int_arithmetic_agrees_with_cel_cpp(a: int, operator: str, b: int) -> None:
    agree(f"({a}) {operator} ({b})")


@EXAMPLES
@given(UINTS, st.sampled_from(["+", "-", "*", "/", "%"]), UINTS)
def test_uint_arithmetic_agrees_with_cel_cpp(a: int, operator: str, b: int) -> None:
    agree(f"{a}u {operator} {b}u")


@EXAMPLES
@given(INTS)
def test_negation_agrees_with_cel_cpp(a: int) -> None:
    agree(f"-({a})")


# --- numbers of mixed kinds ----------------------------------------------------------------------

EDGE_DOUBLES = st.sampled_from(
    [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 2.0**53, 2.0**63, -(2.0**63), 2.0**64, 1e19, -1e19, 9.2e18, 1e300,
     float("inf"), float("-inf"), float("nan"), 5e-324, 18446744073709549568.0, 9223372036854774784.0]
)  # fmt: skip
# NaN only as the sampled one: cel-cpp prints a NaN with its sign bit set as "-nan", a distinction CEL
# does not make (every NaN is "nan" here).
DOUBLES = st.one_of(EDGE_DOUBLES, st.floats(allow_nan=False, allow_infinity=True))


def number_literal(draw_kind: tuple[str, Any]) -> str:
    kind, value = draw_kind
    if kind == "int":
        return f"({value})"
    if kind == "uint":
        return f"{value}u"
    return f"double({value!r})" if not math.isfinite(value) else f"({value!r})"


NUMBERS = st.one_of(
    st.tuples(st.just("int"), INTS), st.tuples(st.just("uint"), UINTS), st.tuples(st.just("double"), DOUBLES)
).map(number_literal)


@EXAMPLES
@given(NUMBERS, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), NUMBERS)
def test_comparisons_across_numeric_kinds_agree_with_cel_cpp(a: str, operator: str, b: str) -> None:
    agree(f"dyn({a}) {operator} dyn({b})")


@EXAMPLES
@given(DOUBLES, st.sampled_from(["int", "uint", "string"]))
def test_conversions_of_doubles_agree_with_cel_cpp(value: float, function: str) -> None:
    agree(f"{function}(v)", {"v": value})


@EXAMPLES
@given(
    st.one_of(st.tuples(st.just("int"), INTS), st.tuples(st.just("uint"), UINTS)),
    st.sampled_from(["int", "uint", "double", "string"]),
)
def test_conversions_of_integers_agree_with_cel_cpp(number: tuple[str, int], function: str) -> None:
    agree(f"{function}({number_literal(number)})")


NUMBER_TEXT = st.one_of(
    st.text(alphabet="0123456789+-.eE", max_size=12),
    st.sampled_from(["inf", "-Infinity", "NaN", "nan", "+inf", "1e400", "-1e-400", "00", "-0", "+0"]),
    INTS.map(str),
    UINTS.map(str),
    DOUBLES.filter(math.isfinite).map(repr),
)


@EXAMPLES
@given(NUMBER_TEXT, st.sampled_from(["int", "uint", "double"]))
def test_conversions_of_strings_agree_with_cel_cpp(text: str, function: str) -> None:
    agree(f"{function}(v)", {"v": text})


# --- timestamps and durations ---------------------------------------------------------------------------

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MIN_SECONDS, MAX_SECONDS = -62135596800, 253402300799
OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59)  # minutes east of UTC


@st.composite
def rfc3339(draw: st.DrawFn) -> str:
    """An RFC 3339 date-time of an instant inside the range, in a random offset and precision."""
    seconds = draw(st.integers(min_value=MIN_SECONDS + 86400, max_value=MAX_SECONDS - 86400))
    offset = draw(OFFSETS)
    local = EPOCH + timedelta(seconds=seconds + offset * 60)
    digits = draw(st.integers(min_value=0, max_value=9))
    fraction = (
        "." + "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=digits, max_size=digits)))
        if digits
        else ""
    )
    zone = (
        draw(st.sampled_from(["Z", "z"]))
        if offset == 0 and draw(st.booleans())
        else (f"{'-' if offset < 0 else '+'}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}")
    )
    separator = draw(st.sampled_from(["T", "t"]))
    return f"{local.year:04d}-{local:%m-%d}{separator}{local:%H:%M:%S}{fraction}{zone}"


ZONES = st.one_of(
    st.sampled_from(
        ["UTC", "Europe/Paris", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]
    ),
    OFFSETS.map(lambda m: f"{'-' if m < 0 else '+'}{abs(m) // 60:02d}:{abs(m) % 60:02d}"),
)
ACCESSORS = st.sampled_from(
    ["getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear", "getHours",
     "getMinutes", "getSeconds", "getMilliseconds"]
)  # fmt: skip


@EXAMPLES
@given(rfc3339())
def test_timestamps_parse_and_print_as_cel_cpp_does(text: str) -> None:
    agree(f"string(timestamp('{text}'))")
    agree(f"int(timestamp('{text}'))")


@EXAMPLES
@given(rfc3339(), ACCESSORS, st.one_of(st.none(), ZONES))
def test_timestamp_accessors_agree_with_cel_cpp(text: str, accessor: str, zone: str | None) -> None:
    argument = "" if zone is None else repr(zone)
    agree(f"timestamp('{text}').{accessor}({argument})")


DURATION_NANOS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from([0, 1, -1, 999, 1000, 1_000_000, 10**9, -(10**9) - 1]),
)


@st.composite
def duration_text(draw: st.DrawFn) -> str:
    """A duration string: units h, m, s, ms, us and ns, some with a fraction, of the same sign."""
    nanos = draw(DURATION_NANOS)
    sign, rest = ("-" if nanos < 0 else draw(st.sampled_from(["", "+"]))), abs(nanos)
    parts = []
    for unit, size in (("h", 3600 * 10**9), ("m", 60 * 10**9), ("s", 10**9), ("ms", 10**6), ("us", 1000)):
        count, rest = divmod(rest, size)
        if count and draw(st.booleans()):
            parts.append(f"{count}{unit}")
        else:
            rest += count * size
    if rest or not parts:
        parts.append(f"{rest / 10**9!r}s" if draw(st.booleans()) and rest < 10**15 else f"{rest}ns")
    return sign + "".join(parts)


@EXAMPLES
@given(duration_text())
def test_durations_parse_and_print_as_cel_cpp_does(text: str) -> None:
    agree(f"string(duration('{text}'))")


@EXAMPLES
@given(duration_text(), st.sampled_from(["getHours", "getMinutes", "getSeconds", "getMilliseconds"]))
def test_duration_accessors_agree_with_cel_cpp(text: str, accessor: str) -> None:
    agree(f"duration('{text}').{accessor}()")


@EXAMPLES
@given(duration_text(), st.sampled_from(["+", "-"]), duration_text())
def test_duration_arithmetic_agrees_with_cel_cpp(a: str, operator: str, b: str) -> None:
    agree(f"string(duration('{a}') {operator} duration('{b}'))")


@EXAMPLES
@given(rfc3339(), st.sampled_from(["+", "-"]), duration_text(), rfc3339())
def test_timestamp_arithmetic_agrees_with_cel_cpp(text: str, operator: str, delta: str, other: str) -> None:
    agree(f"string(timestamp('{text}') {operator} duration('{delta}'))")
    agree(f"string(timestamp('{text}') - timestamp('{other}'))")
    agree(f"timestamp('{text}') < timestamp('{other}')")


# --- literals ----------------------------------------------------------------------------------------

SIMPLE = {"\\": "\\\\", "'": "\\'", '"': '\\"', "?": "\\?", "`": "\\`", "\a": "\\a", "\b": "\\b"}
SIMPLE |= {"\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


@st.composite
def escaped(draw: st.DrawFn, text: str, for_bytes: bool) -> str:
    """``text`` written as the body of a CEL literal, each character escaped one of the legal ways."""
    out = []
    for char in text:
        code = ord(char)
        ways = []
        if char in SIMPLE:
            ways.append(SIMPLE[char])
        elif (
            char not in "\\'"
            and code >= 0x20
            and not (0xD800 <= code < 0xE000)
            and not (for_bytes and code > 0x7F)
        ):
            ways.append(char)  # a character in a bytes literal stands for its UTF-8 bytes
        if code <= 0xFF:
            ways += [f"\\x{code:02x}", f"\\X{code:02X}", f"\\{code:03o}"]
        if not for_bytes and code <= 0xFFFF and not (0xD800 <= code < 0xE000):
            ways.append(f"\\u{code:04x}")
        if not for_bytes and not (0xD800 <= code < 0xE000):
            ways.append(f"\\U{code:08X}")
        out.append(draw(st.sampled_from(ways)))
    return "".join(out)


@EXAMPLES
@given(st.data(), st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12))
def test_string_escapes_decode_as_cel_cpp_does(data: st.DataObject, text: str) -> None:
    body = data.draw(escaped(text, for_bytes=False))
    agree(f"'{body}'")
    assert native(f"'{body}'") == text


@EXAMPLES
@given(st.data(), st.binary(max_size=12))
def test_bytes_escapes_decode_as_cel_cpp_does(data: st.DataObject, raw: bytes) -> None:
    body = data.draw(escaped(raw.decode("latin-1"), for_bytes=True))
    agree(f"b'{body}'")
    assert native(f"b'{body}'") == raw


# --- map keys and literal equality ------------------------------------------------------------------


_LITERALS: dict[type, Any] = {
    type(None): lambda value: "null",
    bool: lambda value: "true" if value else "false",
    Uint: lambda value: f"{int(value)}u",
    int: lambda value: f"({value})",
    float: lambda value: f"({value!r})",
    str: repr,
    bytes: lambda value: "b" + repr(value),
    list: lambda value: "[" + ", ".join(literal(v) for v in value) + "]",
    dict: lambda value: "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}",
}


def literal(value: Any) -> str:
    """A plain value as CEL literal text."""
    return str(_LITERALS[type(value)](value))


KEYS = st.one_of(
    st.booleans(), st.integers(min_value=-3, max_value=3), st.sampled_from(["a", "b", "1", "true"])
)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-3, max_value=3), st.sampled_from([0.0, 1.0, 1.5]),
    st.sampled_from(["a", "b", ""]), st.sampled_from([b"a", b""]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "k"]), inner, max_size=2)
    ),
    max_leaves=6,
)


def distinct_keys(keys: list[Any]) -> list[Any]:
    """Keys that no two compare equal in CEL (1 and 1u would; 1 and true would not)."""
    seen: list[Any] = []
    for key in keys:
        if not any(type(key) is type(k) and key == k for k in seen):
            seen.append(key)
    return seen


@EXAMPLES
@given(st.lists(KEYS, min_size=1, max_size=5).map(distinct_keys), KEYS, st.booleans())
def test_map_keys_of_mixed_kinds_agree_with_cel_cpp(keys: list[Any], probe: Any, as_uint: bool) -> None:
    entries = ", ".join(f"{literal(k)}: {index}" for index, k in enumerate(keys))
    key = f"{probe}u" if as_uint and type(probe) is int and probe >= 0 else literal(probe)
    agree(f"{{{entries}}}[{key}]")
    agree(f"{key} in {{{entries}}}")
    agree(f"size({{{entries}}})")


@EXAMPLES
@given(VALUES, VALUES, st.sampled_from(["v == {}", "{} == v", "v != {}", "v in [{}]", "v in [1, {}]"]))
def test_equality_with_a_literal_of_any_kind_agrees_with_cel_cpp(value: Any, other: Any, form: str) -> None:
    agree(form.format(literal(other)), {"v": value})
    agree(form.format(literal(value)), {"v": value})
