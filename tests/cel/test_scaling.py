"""What an expression reads, read from its generated code, and the size of the evidence it reads: the
two facts budgets grow with (assay.cel.native.scaling, issue 17)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assay
from assay.cel.native import CelBudgets, NativeBackend
from assay.cel.native.scaling import evidence_bytes, frozen
from assay.cel.syntax import parse, references
from assay.errors import CelError


def parsed_roots(expression: str) -> frozenset[str]:
    return frozenset(reference.names[0] for reference in references(parse(expression)))


EXPRESSIONS = [
    'aws.ec2.x.filter(g, g.nowhere == "params" && params.least > 1)',
    "has(item.a) && int(item.b) > 0 && .now == now",
    "cel.bind(x, aws.a, x.map(y, y + string(now)))",
    "item.x.exists(p, p == item.id)",
    "int == type(1) && [1, 2].all(params, params > 0)",
    "'now' + 'params' == item.name",
    "m.all(k, v, v > limit)",
    "aws.a.exists(i, aws.b.exists(j, j.id == i.id))",
]


@pytest.mark.parametrize("qualified", [True, False])
@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_the_roots_read_from_generated_code_are_the_parse_trees(expression: str, qualified: bool) -> None:
    program = NativeBackend(qualified_names=qualified).compile(expression)
    assert program.roots == parsed_roots(expression)  # a type's name too: a variable may take it


def test_every_builtin_rule_reads_the_roots_its_parse_tree_names() -> None:
    backend = NativeBackend(qualified_names=False)
    expressions = {
        text for control in assay.builtin_catalog().controls for rule in control.rules
        for text in rule.expressions().values()
    }  # fmt: skip
    assert len(expressions) > 100
    for expression in expressions:
        assert backend.compile(expression).roots == parsed_roots(expression), expression


def test_the_size_of_evidence_is_its_compact_json_whatever_the_layout() -> None:
    data = {"Volumes": [{"VolumeId": "vol-1", "Size": 100, "Tags": []}] * 3}
    compact = json.dumps(data, separators=(",", ":"))
    assert evidence_bytes(data) == len(compact) == evidence_bytes(json.loads(json.dumps(data, indent=4)))
    # In-memory evidence of values JSON does not hold is measured too (through their text).
    odd = {"when": datetime(2026, 1, 1, tzinfo=UTC), "for": timedelta(days=1), 1: {2, 3}}
    assert evidence_bytes(odd) > 0


@pytest.mark.parametrize(
    ("one", "other"),
    [(1, True), (1, 1.0), (0.0, -0.0), ([1], [True]), ({"a": 1}, {"a": 1.0}), ("1", 1), (None, 0)],
)
def test_frozen_tells_apart_what_cel_tells_apart(one: object, other: object) -> None:
    assert frozen(one) != frozen(other)
    assert frozen(one) == frozen(one)


def test_scaled_budgets_add_the_per_byte_allowance() -> None:
    base = CelBudgets(steps=10, memory=20, milliseconds=30)
    assert base.scaled(0) is base
    assert base.scaled(1500) == CelBudgets(steps=10 + 3000, memory=20 + 6000, milliseconds=30 + 3)


@settings(max_examples=50, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda inner: st.lists(inner)))
def test_every_json_value_has_its_size(value: object) -> None:
    assert evidence_bytes(value) == len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


# --- granted when the settings run out, the allowance gives what granting it up front gives ----------

LAZY = [
    "xs.map(x, x + 1).filter(x, x % 3 == 0).size()",
    "xs.all(a, xs.exists(b, a == b))",
    "xs.map(x, string(x) + '-' + string(x)).size() > 0",
    "[1, 2] + xs.map(x, [x, x]).map(p, p[0]).filter(x, x > 5)",
    "xs.exists(x, x > 10) || 1 / 0 == 1",
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(LAZY),
    st.lists(st.integers(0, 20), max_size=400),
    st.integers(1, 300),
    st.integers(1, 2000),
    st.integers(0, 400),
)
def test_an_allowance_granted_when_needed_gives_the_up_front_result(
    expression: str, xs: list[int], steps: int, memory: int, evidence: int
) -> None:
    base = CelBudgets(steps=steps, memory=memory, milliseconds=600_000)

    def outcome(program: object) -> object:
        try:
            return program.run({"xs": xs})  # type: ignore[attr-defined]
        except CelError as exc:  # budgets, and CEL's own errors: the kind is the outcome compared
            return type(exc)

    lazy = NativeBackend(budgets=base).compile(expression).scaled(lambda root: evidence)
    up_front = NativeBackend(budgets=base.scaled(evidence)).compile(expression)
    assert outcome(lazy) == outcome(up_front)
