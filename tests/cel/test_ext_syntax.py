"""The optional syntax in assay's CEL grammar, and the static analysis of extension calls."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel import syntax
from assay.cel.syntax import function_calls, parse, references
from assay.errors import CelError, CelSyntaxError
from tests.cel.ext_support import run


@pytest.mark.parametrize(
    "expression",
    ["a.?b", "a[?0]", "[?a, b]", "{?'k': a, 'j': 1}", "a.?b.c[?d].orValue(1)", "a ? b : c", "[a ? b : c]"],
)
def test_the_optional_syntax_parses(expression: str) -> None:
    parse(expression)


@pytest.mark.parametrize(
    ("expression", "line", "column"),
    [("a.?", 1, 3), ("a[?]", 1, 4), ("[??a]", 1, 3), ("{?: 1}", 1, 3), ("a.\n  ?1", 2, 4), ("a?.b", 1, 4)],
)
def test_broken_optional_syntax_is_a_syntax_error_with_its_position(
    expression: str, line: int, column: int
) -> None:
    with pytest.raises(CelSyntaxError) as caught:
        parse(expression)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_a_changed_cel_python_grammar_is_reported_not_silently_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(syntax, "_OPTIONAL_SYNTAX", (("no such grammar line", "x"),))
    with pytest.raises(RuntimeError, match="cel-python's grammar changed"):
        syntax.grammar()


@pytest.mark.parametrize(
    ("expression", "read"),
    [
        ("math.greatest(a.b, 1)", ["a.b"]),
        ("strings.quote(s) == optional.of(t).value()", ["s", "t"]),
        ("cel.bind(x, y.z, x + w)", ["y.z", "w"]),
        ("cel.bind(x, x, x)", ["x"]),  # the value is read outside the binding
        ("xs.all(i, v, v > lim)", ["xs", "lim"]),
        ("m.transformMap(k, v, k != v, v + z)", ["m", "z"]),
        ("m.transformMapEntry(k, v, {v: k})", ["m"]),
        ("m.existsOne(k, v, k == v)", ["m"]),
        ("xs.map(x, y, x + y)", ["xs", "y", "y"]),  # map's three arguments bind one variable
        ("o.optMap(x, x + n)", ["o", "n"]),
        ("xs.sortBy(e, e.k)", ["xs"]),
        ("e.?config.timeout", ["e"]),
        ("[1].map(math, math.x)", []),  # a macro variable named like a namespace is a variable
    ],
)
def test_references_see_through_extension_calls(expression: str, read: list[str]) -> None:
    assert [r.dotted for r in references(parse(expression))] == read


def test_function_calls_name_namespaced_functions_in_full() -> None:
    calls = function_calls(
        parse("math.greatest(1) + x.size() + strings.quote('a').size() + cel.bind(a, 1, a)")
    )
    assert [name for name, _, _ in calls] == ["math.greatest", "size", "strings.quote", "size", "cel.bind"]


def _nested(depth: int) -> st.SearchStrategy[Any]:
    leaf = st.integers(0, 9) | st.none()
    return st.recursive(
        leaf, lambda inner: st.dictionaries(st.sampled_from("ab"), inner, max_size=2), max_leaves=8
    )


@given(_nested(3), st.lists(st.sampled_from("ab"), min_size=1, max_size=4))
@settings(max_examples=300, deadline=None)
def test_an_optional_chain_reads_present_fields_and_gives_none_for_absent_ones(
    value: Any, path: list[str]
) -> None:
    expected: Any = value
    for field in path:
        if isinstance(expected, dict) and field in expected:
            expected = expected[field]
        elif isinstance(expected, dict):
            expected = "absent"
            break
        else:
            expected = "error"
            break
    expression = "m" + "".join(f".?{field}" for field in path) + ".orValue('absent')"
    try:
        got = run(expression, m=value)
    except CelError:
        got = "error"
    assert got == expected
