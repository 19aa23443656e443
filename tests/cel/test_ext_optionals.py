"""Optional values and the optional syntax on the native backend (after cel-spec's optionals tests)."""

from __future__ import annotations

import pytest

from assay.cel.native.ext_optionals import NONE, Optional, is_zero
from tests.cel.ext_support import exactly, fails, run


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("optional.of(null).hasValue()", True),
        ("optional.ofNonZeroValue(null).hasValue()", False),
        ("optional.none().or(optional.none()).orValue(42)", 42),
        ("optional.none().optMap(y, y + 1).hasValue()", False),
        ("optional.of(42).optMap(y, y + 1).value()", 43),
        ("{}.?key.optFlatMap(k, k.?subkey).hasValue()", False),
        ("{'key': {'subkey': 'subvalue'}}.?key.optFlatMap(k, k.?subkey).value()", "subvalue"),
        ("{'key': {'subkey': ''}}.?key.optFlatMap(k, optional.ofNonZeroValue(k.subkey)).hasValue()", False),
        ("{'null_key': dyn(null)}.?null_key.hasValue()", True),
        ("{true: dyn(0)}[?false].absent.hasValue()", False),
        ("{}.?null_key.invalid.hasValue()", False),
        ("optional.ofNonZeroValue(42).or(optional.of(20)).value() == 42", True),
        ("(has({}.x) ? optional.of({}.x) : optional.none()).hasValue()", False),
        ("has({}.?x.y)", False),
        ("has({'x': {'y': 'z'}}.?x.y)", True),
        ("type(optional.none()) == optional_type", True),
        ("{'c': {'dashed-index': 'goodbye'}}.c[?'dashed-index'].orValue('default value')", "goodbye"),
        ("{'c': {}}.c[?'missing-index'].orValue('default value')", "default value"),
        ("optional.of({'c': {'index': 'goodbye'}}).c.index.orValue('default value')", "goodbye"),
        ("optional.of({'c': {}}).c.missing.or(optional.none()[0]).orValue('default value')", "default value"),
        ("optional.of({'c': {}}).c.missing.or(optional.of(['list-value'])[0]).orValue('x')", "list-value"),
        ("optional.of({'c': {}}).c['missing'].orValue('default value')", "default value"),
        ("has(optional.of({'c': {'e': 'h'}}).c) && !has(optional.of({'c': {'e': 'h'}}).c.missing)", True),
        (
            "{?'nested': optional.ofNonZeroValue({?'map': {'c': {'d': 'g'}}.?c})}",
            {"nested": {"map": {"d": "g"}}},
        ),
        ("{?'nested_map': optional.ofNonZeroValue({?'map': {}.?c}), 'singleton': true}", {"singleton": True}),
        ("[?{}.?c, ?optional.of(42), ?optional.none()]", [42]),
        ("[?optional.ofNonZeroValue({'c': []}.?c.orValue(dyn({})))]", []),
        ("optional.of({}).?c.hasValue()", False),
        ("optional.none().?repeated_string.hasValue()", False),
        ("[][?0].hasValue()", False),
        ("optional.of([])[?0].hasValue()", False),
        ("['foo'][?0].value()", "foo"),
        ("['foo'][?0.0].value()", "foo"),
        ("optional.of(['foo'])[?0].value()", "foo"),
        ("{true: 1, 2: 2, 5u: 3}[?true].value()", 1),
        ("{1u: 1.0, 2: 2.0, 3u: 3.0}[?3.0].value()", 3.0),
        ("{1u: 1.0, 2: 2.0, 3u: 3.0}[?2u].value()", 2.0),
        ("optional.none() == optional.none()", True),
        ("optional.of(1) == optional.of(1.0)", True),
        ("optional.of(1) != optional.none()", True),
        ("optional.of(1) == 1", False),
        ("has({'foo': optional.none()}.foo)", True),
        ("has({'foo': optional.none()}.foo.bar)", False),
        ("has({?'foo': optional.none()}.foo)", False),
        ("optional.unwrap([optional.of(42), optional.none()])", [42]),
        ("[optional.of(42), optional.none()].unwrapOpt()", [42]),
        ("[optional.none(), optional.of(1)].exists(o, o.hasValue())", True),
    ],
)
def test_optionals(expression: str, expected: object) -> None:
    assert exactly(run(expression), expected)


def test_fields_that_exports_sometimes_omit() -> None:
    groups = [{"GroupId": "sg-1", "Tags": {"env": "prod"}}, {"GroupId": "sg-2"}]
    expression = "groups.map(g, g.?Tags.env.orValue('untagged'))"
    assert run(expression, groups=groups) == ["prod", "untagged"]
    assert run("g.?Tags.?env.hasValue()", g=groups[1]) is False


def test_or_and_or_value_evaluate_their_argument_only_when_needed() -> None:
    assert run("optional.of(1).or(optional.of(1 / 0)).value()") == 1
    assert run("optional.of(1).orValue(1 / 0)") == 1
    assert run("optional.none().optMap(x, 1 / 0).hasValue()") is False
    fails("optional.none().orValue(1 / 0)", "divide by zero")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("optional.none().value()", "optional.none() dereference"),
        (
            "{'null_key': dyn(null)}.?null_key.invalid.hasValue()",
            "cannot select field 'invalid' from null_type",
        ),
        ("{true: dyn(0)}[?true].absent.hasValue()", "cannot select field 'absent' from int"),
        ("optional.ofNonZeroValue({'c': 1}.a.z).orValue(1)", "no such key"),
        ("[?1]", "needs an optional value, not int"),
        ("{?'k': 1}", "needs an optional value, not int"),
        ("size(?x)", "allowed only as an element of a list literal"),
        ("1.value()", "syntax error"),
        ("dyn(1).value()", "no such overload"),
        ("dyn(1).hasValue()", "no such overload"),
        ("dyn(1).or(optional.none())", "no such overload"),
        ("dyn(1).orValue(2)", "no such overload"),
        ("dyn('x').optMap(y, y)", "no such overload"),
        ("optional.of(1).optFlatMap(y, y)", "must give an optional"),
        ("optional.unwrap([1])", "no such overload"),
        ("'abc'.?x", "cannot select field"),
        ("[1][?'a']", "no such overload"),
        ("1.5.?x", "cannot select field 'x' from double"),
        ("optional.of(1).optMap(1, 2)", "takes a variable name"),
    ],
)
def test_optional_errors(expression: str, message: str) -> None:
    fails(expression, message)


def test_zero_values() -> None:
    assert all(is_zero(v) for v in (None, False, 0, 0.0, "", b"", [], {}))
    assert not any(is_zero(v) for v in (True, 1, -0.5, " ", [0], {"": 0}, NONE))
    assert repr(Optional(1)) == "optional.of(1)"
    assert repr(NONE) == "optional.none()"
