"""Hashed joins (assay.cel.native.joins): inside an index scope, ``L.exists(x, x.f == e)`` and its kin
look ``e`` up in an index of ``L``, with exactly the plain loop's value or error."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import assay
from assay.cel import index_scope
from assay.cel.native import NativeBackend, Uint, joins
from assay.engine import Engine
from assay.errors import CelError
from assay.evidence import InMemoryEvidence

SHAPES = [
    "L.exists(x, x.f == e)",
    "L.exists(x, e == x.f)",
    "L.all(x, x.f != e)",
    "L.exists_one(x, x.f == e)",
    "L.filter(x, x.f == e)",
    "L.exists(x, x.f == e.k)",
    "!L.exists(x, x.f == e) || L.all(x, e != x.f)",
]

# Values whose CEL equality differs from Python's, or which hashing cannot express.
tricky = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.integers(-3, 3).map(Uint),
    st.sampled_from([0.0, -0.0, 1.0, 1.5, float("nan"), float("inf"), 2.0**53, 2.0**63]),
    st.sampled_from([2**53, 2**53 + 1, 2**63 - 1, -(2**63)]),
    st.sampled_from(["a", "b", "1", ""]),
    st.sampled_from([b"a", b""]),
    st.sampled_from([[1], [1.0], {"a": 1}, datetime(2026, 1, 1, tzinfo=UTC)]),
)
elements = st.one_of(
    st.fixed_dictionaries({"f": tricky}),
    st.fixed_dictionaries({"g": tricky}),  # no field f: x.f is an error
    tricky,  # not a map at all
)
lists = st.one_of(
    st.lists(elements, min_size=joins.JOIN_MIN, max_size=joins.JOIN_MIN + 8),
    st.lists(st.fixed_dictionaries({"f": tricky}), min_size=joins.JOIN_MIN, max_size=joins.JOIN_MIN + 8),
)


def _outcome(program: Any, variables: dict[str, Any]) -> Any:
    try:
        return ("value", repr(program.run(variables)))
    except CelError as exc:
        return ("error", type(exc).__name__, exc.message)


@settings(max_examples=400)
@given(lists, tricky, st.sampled_from(SHAPES))
def test_a_join_gives_the_loops_value_or_error(listed: list[Any], probe: Any, expression: str) -> None:
    variables = {"L": listed, "e": {"k": probe} if "e.k" in expression else probe}
    program = NativeBackend().compile(expression)
    plain = _outcome(program, variables)  # outside a scope: the loop
    with index_scope():
        assert _outcome(program, variables) == plain
        assert _outcome(program, variables) == plain  # from the index built by the first


@given(st.lists(st.fixed_dictionaries({"f": st.integers(0, 40)}), min_size=joins.JOIN_MIN, max_size=60))
def test_duplicates_count_and_filter_in_list_order(listed: list[dict[str, int]]) -> None:
    backend = NativeBackend()
    for expression in ("L.exists_one(x, x.f == e)", "L.filter(x, x.f == e)", "L.all(x, x.f != e)"):
        program = backend.compile(expression)
        for probe in range(0, 41, 5):
            plain = program.run({"L": listed, "e": probe})
            with index_scope():
                assert program.run({"L": listed, "e": probe}) == plain


def test_the_index_is_built_once_per_list_and_reused_across_items() -> None:
    states = [{"InstanceId": f"i-{n}"} for n in range(100)]
    program = NativeBackend().compile("states.exists(p, p.InstanceId == item.InstanceId)")
    with index_scope():
        answers = [program.run({"states": states, "item": {"InstanceId": f"i-{n}"}}) for n in range(95, 105)]
        scope = joins._SCOPE.get()
        assert scope is not None
        assert [entry[0] for entry in scope.values()] == [states]  # one index, for this list
    assert answers == [True] * 5 + [False] * 5
    assert joins._SCOPE.get() is None  # the scope ends with its block


@pytest.mark.parametrize(
    "expression",
    [
        "L.exists(x, x.f == x.g)",  # e reads the loop variable
        "L.exists(x, x.f == size(e))",  # e calls a function
        "L.map(y, y).exists(x, x.f == e)",  # L is built, not read from the variables
        "L.exists(x, x.f.g == e)",  # a chain, not one field
        "L.exists(x, x.f == e && true)",
        "L.exists(x, x.f < e)",
        "L.all(x, x.f == e)",
    ],
)
def test_shapes_that_are_not_joined_still_run_the_loop(expression: str) -> None:
    listed = [{"f": n, "g": n} for n in range(40)]
    program = NativeBackend().compile(expression)
    with index_scope():
        assert _outcome(program, {"L": listed, "e": 3}) == _outcome(program, {"L": listed, "e": 3})
        assert joins._SCOPE.get() == {}


def test_short_lists_are_looped_over() -> None:
    program = NativeBackend().compile("L.exists(x, x.f == 1)")
    with index_scope():
        assert program.run({"L": [{"f": 1}] * (joins.JOIN_MIN - 1)}) is True
        assert joins._SCOPE.get() == {}


def test_a_join_charges_the_steps_of_the_loop() -> None:
    from assay.cel.native import CelBudgets, StepBudgetExceeded

    program = NativeBackend(budgets=CelBudgets(steps=100)).compile("L.exists(x, x.f == 1)")
    listed = [{"f": n} for n in range(200)]
    with pytest.raises(StepBudgetExceeded):
        program.run({"L": listed})
    with index_scope(), pytest.raises(StepBudgetExceeded):
        program.run({"L": listed})


# --- the engine: joined against plain verdicts on VULN-06 and the whole catalog --------------------------

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
ids = st.sampled_from([f"i-{n:02d}" for n in range(30)])
instance = st.fixed_dictionaries(
    {"InstanceId": ids, "State": st.fixed_dictionaries({"Name": st.sampled_from(["running", "stopped"])})}
)
patch_state = st.one_of(
    st.fixed_dictionaries(
        {
            "InstanceId": st.one_of(ids, st.integers(0, 3)),
            "FailedCount": st.integers(0, 1),
            "OperationEndTime": st.just("2026-11-20T00:00:00Z"),
        }
    ),
    st.fixed_dictionaries({"FailedCount": st.just(0)}),  # no InstanceId: the loop's error rules decide
)


def _verdicts(engine: Engine, evidence: Any, joined: bool, controls: list[str] | None = None) -> Any:
    saved = joins.JOIN_MIN
    if not joined:
        joins.JOIN_MIN = 10**12  # every list is looped over
    try:
        result = engine.evaluate(evidence, now=NOW, controls=controls)
    finally:
        joins.JOIN_MIN = saved
    return [(r.control, r.status, r.reason, r.findings, r.errors) for r in result.results]


@pytest.fixture(scope="module")
def catalog_engine() -> Engine:
    return Engine(assay.builtin_catalog())


@settings(max_examples=40)
@given(st.lists(instance, max_size=40), st.lists(patch_state, max_size=40))
def test_vuln_06_joined_gives_the_plain_verdicts(
    catalog_engine: Engine, instances: list[Any], states: list[Any]
) -> None:
    evidence = InMemoryEvidence.from_values(
        {
            "aws.ec2.instances": {"Reservations": [{"Instances": instances}]},
            "aws.ssm.patch_states": {"InstancePatchStates": states},
        },
        collected_at=NOW,
    )
    joined = _verdicts(catalog_engine, evidence, True, ["VULN-06"])
    assert joined == _verdicts(catalog_engine, evidence, False, ["VULN-06"])


def test_the_catalog_on_the_example_gives_the_same_verdicts_joined(catalog_engine: Engine) -> None:
    from assay.loaded_project import load_project

    evidence = load_project(catalog=catalog_engine.catalog).require_evidence()
    assert _verdicts(catalog_engine, evidence, True) == _verdicts(catalog_engine, evidence, False)
