"""The strings extension library on the native backend (cases after cel-spec's string_ext tests)."""

# ruff: noqa: RUF001 - Greek and other letters are the point of these cases

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.cel.ext_support import exactly, fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("'tacocat'.charAt(3)", "o"),
        ("'tacocat'.charAt(7)", ""),
        ("'©αT'.charAt(1)", "α"),
        ("'tacocat'.indexOf('')", 0),
        ("'tacocat'.indexOf('ac')", 1),
        ("'tacocat'.indexOf('none')", -1),
        ("'tacocat'.indexOf('', 3)", 3),
        ("'tacocat'.indexOf('a', 3)", 5),
        ("'ta©o©αT'.indexOf('©', 3)", 4),
        ("'ta©o©αT'.indexOf('©α', 5)", -1),
        ("''.lastIndexOf('@@')", -1),
        ("'tacocat'.lastIndexOf('')", 7),
        ("'tacocat'.lastIndexOf('at')", 5),
        ("'tacocat'.lastIndexOf('', 3)", 3),
        ("'tacocat'.lastIndexOf('a', 3)", 1),
        ("'ta©o©αT'.lastIndexOf('©', 3)", 2),
        ("'bananananana'.lastIndexOf('nana', 7)", 6),
        ("'hello wello'.lastIndexOf('ello', 6)", 1),
        ("'TacoCÆt Xii'.lowerAscii()", "tacocÆt xii"),
        ("'tacoCαt'.upperAscii()", "TACOCαT"),
        ("'{0} days {0} hours'.replace('{0}', '2')", "2 days 2 hours"),
        ("'{0} days {0} hours'.replace('{0}', '2', 1).replace('{0}', '23')", "2 days 23 hours"),
        ("'hello hello'.replace('he', 'we', 0)", "hello hello"),
        ("'hello hello'.replace('he', 'we', -1)", "wello wello"),
        ("'ab'.replace('', '-')", "-a-b-"),
        ("'hello world events!'.split(' ', 0)", []),
        ("'hello world events!'.split(' ', 1)", ["hello world events!"]),
        ("'hello world events!'.split(' ', 2)", ["hello", "world events!"]),
        ("'o©o©o©o'.split('©', -1)", ["o", "o", "o", "o"]),
        ("'abc'.split('')", ["a", "b", "c"]),
        ("'abc'.split('', 2)", ["a", "bc"]),
        ("''.split('')", []),
        ("''.split(',')", [""]),
        ("'tacocat'.substring(4)", "cat"),
        ("'tacocat'.substring(7)", ""),
        ("'ta©o©αT'.substring(2, 6)", "©o©α"),
        ("' \\f\\n\\r\\t\\vtext  '.trim()", "text"),
        ("'\\u0085\\u00a0\\u1680text\\u2000\\u3000'.trim()", "text"),
        ("'\\u180etext\\u200b'.trim()", "\u180etext\u200b"),
        ("'\\x1ctext'.trim()", "\x1ctext"),
        ("['x', 'y'].join()", "xy"),
        ("['x', 'y'].join('-')", "x-y"),
        ("[].join('-')", ""),
        ("'Ta©oCαt'.reverse()", "tαCo©aT"),
        ('strings.quote("first\\nsecond")', '"first\\nsecond"'),
        ('strings.quote("bell\\a")', '"bell\\a"'),
        ("strings.quote('single-quote with \"double quote\"')", '"single-quote with \\"double quote\\""'),
        ('strings.quote("ends with \\\\")', '"ends with \\\\"'),
        ('strings.quote("")', '""'),
    ],
)
def test_string_functions(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


def test_split_trim_and_flatten_stay_callable_as_functions() -> None:
    # assay's own split(), trim() and flatten() give way to the extension versions on native.
    assert run("split('a,b', ',')") == ["a", "b"]
    assert run("size(trim(x)) > 0", x="  ok ")
    assert run("flatten([[1], [2, [3]]])") == [1, 2, [3]]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("'tacocat'.charAt(30)", "index out of range: 30"),
        ("'tacocat'.charAt(-1)", "index out of range: -1"),
        ("'tacocat'.indexOf('a', 30)", "index out of range: 30"),
        ("'tacocat'.lastIndexOf('a', -1)", "index out of range: -1"),
        ("'tacocat'.lastIndexOf('a', 30)", "index out of range: 30"),
        ("'tacocat'.substring(40)", "index out of range: 40"),
        ("'tacocat'.substring(-1)", "index out of range: -1"),
        ("'tacocat'.substring(1, 50)", "index out of range: 50"),
        ("'tacocat'.substring(4, 3)", "invalid substring range. start: 4, end: 3"),
        ("['x', 1].join()", "join: invalid input"),
        ("dyn(42).charAt(2)", "no such overload"),
        ("'hello'.charAt(true)", "no such overload"),
        ("'42'.indexOf('4', 0, 1)", "no such overload"),
        ("'42'.indexOf('4', 1u)", "no such overload"),
        ("'42'.replace(2, 1)", "no such overload"),
        ("'42'.replace('2', '1', 1, false)", "no such overload"),
        ("'42'.split(2)", "no such overload"),
        ("'hello'.substring(1, 2, 3)", "no such overload"),
        ("[1].join(1)", "no such overload"),
    ],
)
def test_string_errors_are_cel_errors(expression: str, message: str) -> None:
    fails(expression, message)


def test_a_lone_surrogate_from_evidence_is_quoted_as_the_replacement_character() -> None:
    assert run("strings.quote(s)", s="a\ud800b") == '"a\ufffdb"'


@given(st.text(max_size=40))
@settings(max_examples=200, deadline=None)
def test_quote_gives_a_cel_literal_of_the_same_string(text: str) -> None:
    quoted = run("strings.quote(s)", s=text)
    if not any(0xD800 <= ord(c) < 0xE000 for c in text):
        assert run(quoted) == text


@given(st.text(alphabet="ab,©", max_size=20), st.sampled_from([",", "a", "©", "ab"]))
@settings(max_examples=200, deadline=None)
def test_split_then_join_gives_the_string_back(text: str, separator: str) -> None:
    parts = run("s.split(sep)", s=text, sep=separator)
    assert parts == text.split(separator)
    assert run("s.split(sep).join(sep)", s=text, sep=separator) == text


@given(st.text(alphabet="ab©α", max_size=12), st.text(alphabet="ab©", max_size=3), st.integers(0, 12))
@settings(max_examples=300, deadline=None)
def test_index_of_agrees_with_a_search_by_hand(text: str, part: str, offset: int) -> None:
    if offset > len(text):
        fails("s.indexOf(p, o)", "index out of range", s=text, p=part, o=offset)
        return
    expected = next((i for i in range(offset, len(text) + 1) if text.startswith(part, i)), -1)
    assert run("s.indexOf(p, o)", s=text, p=part, o=offset) == expected
    last = next((i for i in range(min(offset, len(text)), -1, -1) if text.startswith(part, i)), -1)
    assert run("s.lastIndexOf(p, o)", s=text, p=part, o=offset) == last
