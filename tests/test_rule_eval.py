"""The engine's inner loop (``assay.rule_eval``): the native backend's direct path gives what the plain one
gives, on hostile random evidence.

The native path runs a program's fast variant itself and hands over to ``NativeProgram.after_fast``
when it raised; the plain path goes through ``run`` and the backend's conversions, as every backend
does. For each rule below (resource ids that are ints, bools, lists or missing; asserts that give
non-bools, raise, or raise in the fast variant only, where CEL's ``||`` absorbs the error; budgeted
ones; messages that fail), both give the same findings, or the same failure: its key, its resource,
its kind and its text.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.native import CelBudgets, NativeBackend
from assay.engine import Engine
from assay.error_text import RuleFailure
from assay.evidence import InMemoryEvidence
from assay.loaded_project import load_project
from assay.model import Rule
from assay.rule_eval import CompiledRule, RuleRunner

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

RULES = [
    # (resource_id, assert, message or None)
    ("item.id", "item.ok == true", None),
    ("item.id", "item.ok", '"bad " + item.note'),
    ("item.id", "item.ok == true || item.n > 2", '"n is " + string(item.n)'),
    ("item.id", "has(item.n) && item.n > 2 || item.ok == true", None),
    ("item.id", "item.n", None),
    ("item.id", "[1, 2, 3].exists(x, x == item.n)", '"no " + string(item.n)'),
    ("item.id", "item.tags.all(t, t.size() < 3)", '"tags " + item.tags.join(",")'),
    ("item.id", "item.n / item.d > 0", None),
    ("string(item.n)", "item.ok == false", "item.note"),
    ("item.tags[0]", "!item.ok", None),
    ("item.?id.orValue('none')", "item.?n.orValue(0) < 2", None),
    ("item.id", "item.note.startsWith('a') || item.note.size() > 3", None),
]

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=4)
)
_VALUES = (
    _SCALARS | st.lists(_SCALARS, max_size=3) | st.dictionaries(st.text(max_size=2), _SCALARS, max_size=2)
)
_ELEMENTS = st.lists(
    st.dictionaries(st.sampled_from(["id", "ok", "n", "d", "note", "tags"]), _VALUES, max_size=6) | _SCALARS,
    max_size=8,
)


def _outcome(call: Any) -> Any:
    try:
        return ("findings", call())
    except RuleFailure as failure:
        return ("failure", failure.key, failure.resource, type(failure.error).__name__, str(failure.error))


def _compiled(backend: NativeBackend, index: int) -> CompiledRule:
    resource_id, holds, message = RULES[index]
    fields = {"id": f"r{index}", "for_each": "items", "resource_id": resource_id, "assert": holds}
    if message is not None:
        fields["message"] = message
    rule = Rule.model_validate(fields)
    programs = {key: backend.compile(text) for key, text in rule.expressions().items()}
    return CompiledRule(rule, programs)


@pytest.mark.parametrize("budgets", [None, CelBudgets(steps=3, memory=6)])
@settings(max_examples=150, deadline=None)
@given(index=st.integers(0, len(RULES) - 1), elements=_ELEMENTS)
def test_the_native_path_gives_what_the_plain_path_gives(
    budgets: CelBudgets | None, index: int, elements: list[Any]
) -> None:
    backend = NativeBackend(qualified_names=False, budgets=budgets)
    runner = RuleRunner(backend)
    compiled = _compiled(backend, index)
    variables = {"items": elements}
    native = _outcome(lambda: runner._failing_native(compiled, variables, elements))
    plain = _outcome(lambda: runner._failing_plain(compiled, variables, elements))
    assert native == plain


def test_the_engine_takes_the_native_path_and_it_absorbs_errors_as_run_does() -> None:
    # On the second element item.ok is missing: the fast variant raises, the exact one absorbs the error
    # (an error || true is true); on the third both halves of || are false.
    backend = NativeBackend(qualified_names=False)
    runner = RuleRunner(backend)
    assert runner._native
    compiled = _compiled(backend, 2)
    elements = [
        {"id": "a", "ok": True},
        {"id": "b", "n": 3},
        {"id": "c", "ok": False, "n": 1},
        {"id": 7, "ok": False, "n": 0},
    ]
    findings = runner.run_rule(compiled, {"items": elements}, {}, ())
    assert [(f.resource, f.message) for f in findings] == [("c", "n is 1"), ("7", "n is 0")]
    with pytest.raises(RuleFailure) as raised:  # an error || false is the error
        runner.run_rule(compiled, {"items": [*elements, {"id": "d", "n": 1}]}, {}, ())
    assert (raised.value.key, raised.value.resource) == ("assert", "d")


def test_a_resource_id_that_is_not_text_fails_on_the_native_path_naming_its_type() -> None:
    backend = NativeBackend(qualified_names=False)
    compiled = _compiled(backend, 0)
    elements = [{"id": "ok-1", "ok": True}, {"id": ["a", "list"], "ok": False}]
    with pytest.raises(RuleFailure) as raised:
        RuleRunner(backend).run_rule(compiled, {"items": elements}, {}, ())
    assert (raised.value.key, raised.value.resource) == ("resource_id", None)
    assert str(raised.value.error) == "resource_id must give a string, not list"


_ODD = [None, True, False, 0, -1, 2**70, 1.5, "", "x", "true", "0.0.0.0/0", [], {}, ["a"], {"k": 1}]


def _shaken(value: Any, rng: random.Random, rate: float) -> Any:
    """``value`` with some leaves replaced by odd values and some fields dropped."""
    if isinstance(value, dict):
        return {k: _shaken(v, rng, rate) for k, v in value.items() if rng.random() >= rate / 3}
    if isinstance(value, list):
        return [_shaken(v, rng, rate) for v in value]
    return rng.choice(_ODD) if rng.random() < rate else value


@functools.cache
def _example() -> Any:
    return load_project()


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 2**32), rate=st.sampled_from([0.02, 0.1, 0.3]))
def test_the_built_in_catalog_gives_the_same_results_on_both_paths(seed: int, rate: float) -> None:
    """Every control of the built-in catalog, on the example's evidence shaken at random: the engine's
    native path and the plain one give the same results, errors included."""
    project = _example()
    rng = random.Random(seed)  # noqa: S311 - a seeded shake of test data
    store = InMemoryEvidence()
    for item in project.require_evidence().items():
        data = _shaken(item.data, rng, rate)
        store.add(item.name, data, collected_at=item.collected_at, as_of=item.as_of, source=item.source)
    native = Engine(project.catalog)
    plain = Engine(project.catalog)
    plain._rules._native = False
    options = {"now": NOW, "waivers": project.waivers, "parameters": project.parameters}
    assert native.evaluate(store, **options) == plain.evaluate(store, **options)
