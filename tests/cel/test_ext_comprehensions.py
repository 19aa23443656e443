"""Two-variable comprehensions, ``cel.bind`` and ``cel.block`` on the native backend."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import NativeBackend
from tests.cel.ext_support import exactly, fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[1, 2, 3].all(i, v, i < v)", True),
        ("{'hello': 'world', 'taco': 'taco'}.all(k, v, k != v)", False),
        ("{'h': ['hello', 'hi'], 'j': ['joke', 'jog']}.all(k, vals, vals.all(v, v.startsWith(k)))", True),
        ("[1, 'foo', 3].exists(i, v, i == 1 && v != '1')", True),
        ("[1, 'foo', 3].exists(i, v, i == 3 || v == '10')", False),
        ("[1, 'foo', 3].all(i, v, i == 0 || v == 1)", False),
        ("[1, 2, 3].all(i, v, 6 / (2 - v) == i)", False),
        ("{'key':1, 1:21}.exists(k, v, k != 2 && v != 22)", True),
        ("[].all(i, v, i > -1 || v > 0)", True),
        ("[1, 2, 1, 3, 1, 4].existsOne(i, v, i == 1 || v == 1)", False),
        ("[1, 1, 2, 2, 3, 3].existsOne(i, v, i == 2 && v == 2)", True),
        ("{'i': 0, 'j': 1, 'k': 2}.existsOne(i, v, i == 'l' || v == 1)", True),
        ("[5, 7, 8].exists_one(i, v, v % 5 == i)", True),
        ("[1, 2, 3].existsOne(v, v == 2)", True),
        ("[1, 2, 3].transformList(i, v, i * v + v)", [1, 4, 9]),
        ("[1, 2, 3].transformList(i, v, i % 2 == 0, i * v + v)", [1, 9]),
        ("{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, _, k)", ["greeting", "farewell"]),
        ("[1, 2, 3].transformMap(i, v, i * v + v)", {0: 1, 1: 4, 2: 9}),
        ("[1, 2, 3].transformMap(i, v, i % 2 == 0, i * v + v)", {0: 1, 2: 9}),
        ("{'foo': 'bar', 'baz': 'bux'}.transformMap(k, v, k != 'baz', k + v)", {"foo": "foobar"}),
        ("{'greeting': 'hello'}.transformMapEntry(k, v, {v: k})", {"hello": "greeting"}),
        ("[1, 2, 3].transformMapEntry(i, v, i > 0, {v: i})", {2: 1, 3: 2}),
        ("cel.bind(t, true, t)", True),
        ("cel.bind(msg, 'hello', msg + msg + msg)", "hellohellohello"),
        ("cel.bind(t1, true, cel.bind(t2, true, t1 && t2))", True),
        ("cel.bind(valid, [1, 2, 3], [3, 4, 5].exists(e, e in valid))", True),
        ("cel.bind(x, {'y': 0}, x.y == 0)", True),
        ("cel.bind(a, 'hello', cel.bind(b, 'world', a + b + b + a))", "helloworldworldhello"),
        ("[1, 2].map(x, cel.bind(y, x * 10, y + x))", [11, 22]),
        ("cel.block([1, cel.index(0) + 1, cel.index(1) + 1], cel.index(2))", 3),
        ("cel.block([[1, 2], size(cel.index(0))], cel.index(1) + cel.index(1))", 4),
        ("cel.block([[1, 2, 3]], cel.index(0).map(cel.iterVar(0, 0), cel.iterVar(0, 0) + 1))", [2, 3, 4]),
        ("cel.block([1 / 0, 5], cel.index(1))", 5),
        ("cel.block([{'a': 1}, has(cel.index(0).b), cel.index(0).b], cel.index(1) ? cel.index(2) : 0)", 0),
    ],
)
def test_comprehensions_and_bindings(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


def test_a_bound_variable_shadows_a_variable_of_the_same_name() -> None:
    assert run("cel.bind(x, 0, x == 0)", x=1) is True
    assert run("cel.bind(x, 0, x) + x", x=1) == 1


def test_two_variable_forms_over_evidence() -> None:
    tags = {"env": "prod", "owner": ""}
    assert run("tags.all(k, v, size(v) > 0)", tags=tags) is False
    assert run("tags.transformList(k, v, size(v) == 0, k)", tags=tags) == ["owner"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[0, 'foo', 5].all(i, v, v % 3 == i)", "no such overload"),
        ("[1, 2, 3].all(i, v, v / i != 17)", "divide by zero"),
        ("[1, 2, 3].exists(i, v, v / i == 17)", "divide by zero"),
        ("[3, 2, 1, 0].existsOne(i, v, v / i > 1)", "divide by zero"),
        ("[2, 1, 0].transformList(i, v, v / i)", "divide by zero"),
        ("{'foo': 2, 'baz': 0}.transformMap(k, v, k == 'baz' && 4 / v == 0, v)", "divide by zero"),
        ("{'a': 'x', 'b': 'x'}.transformMapEntry(k, v, {v: k})", "duplicate map key 'x'"),
        ("[1].transformMapEntry(i, v, v)", "must give a map, not int"),
        ("[1].transformList(i, v, i, v, v)", "takes two variable names and 1 or 2 expression(s)"),
        ("[1].transformList(i, v)", "takes two variable names"),
        ("[1].all(i, i, true)", "two different variable names"),
        ("[1].all(i, 1, true)", "takes two variable names"),
        ("1.all(i, v, true)", "syntax error"),
        ("dyn(1).all(i, v, true)", "cannot iterate over int"),
        ("[1].transformList(i, v, v > 0 ? 'x' : 1, v)", "expected a bool"),
        ("cel.bind(1, 2, 3)", "cel.bind() takes a variable name"),
        ("cel.bind(x, 2)", "cel.bind() takes a variable name"),
        ("cel.block([1], cel.index(1))", "cel.index(1) is not bound here"),
        ("cel.block([cel.index(0)], 1)", "cel.index(0) is not bound here"),
        ("cel.block(x, 1)", "takes a list literal"),
        ("cel.index(0)", "is not bound here"),
        ("cel.index('a')", "int literal"),
        ("[1].map(cel.iterVar(0), 1)", "int literal"),
        ("cel.bind(x, 1 / 0, true)", "divide by zero"),
    ],
)
def test_comprehension_and_binding_errors(expression: str, message: str) -> None:
    fails(expression, message)


def test_two_variable_comprehensions_are_charged_to_the_cost_budget() -> None:
    from assay.cel.native import CostLimitExceeded

    program = NativeBackend(cost_limit=1000).compile("xs.exists(i, v, xs.exists(j, w, i + j < 0))")
    with pytest.raises(CostLimitExceeded):
        program.run({"xs": list(range(100))})


@given(st.lists(st.integers(-50, 50), max_size=12))
@settings(max_examples=200, deadline=None)
def test_two_variable_forms_see_each_index_with_its_value(values: list[int]) -> None:
    assert run("xs.transformList(i, v, [i, v])", xs=values) == [[i, v] for i, v in enumerate(values)]
    assert run("xs.all(i, v, xs[i] == v)", xs=values) is True
    expected = {i: v for i, v in enumerate(values) if v > 0}
    assert run("xs.transformMap(i, v, v > 0, v)", xs=values) == expected
    assert run("xs.existsOne(i, v, i == 0)", xs=values) is (len(values) > 0)
