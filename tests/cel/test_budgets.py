"""Every CEL evaluation runs within three budgets (steps, memory built, wall-clock time), each with
its own error, configurable in the project and on the engine, and an exhausted budget is an error on
that control while the other controls are still evaluated (issue 14, point 7)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay import cel
from assay.cel.functions import CelFunction, FunctionRegistry
from assay.cel.native import (
    BudgetExceeded,
    CelBudgets,
    CostLimitExceeded,
    MemoryBudgetExceeded,
    NativeBackend,
    TimeBudgetExceeded,
)
from assay.cel.native.scaling import EvidenceSizes
from assay.engine import Engine
from assay.errors import CelError, ConfigError, LoadError
from assay.evidence import InMemoryEvidence
from assay.model import ControlStatus
from assay.pipeline import backend_for
from assay.project import Project, resolve_project

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)

# A string doubled by each of 40 chained maps: 2**40 characters if nothing stops it.
DOUBLING = "['ab']" + ".map(s, s + s)" * 40
# Three nested macros over 160 elements: 160**3 = 4,096,000 predicate evaluations.
NESTED = "xs.all(a, xs.all(b, xs.all(c, a + b + c >= 0)))"
HUNDRED_SIXTY = list(range(160))


def test_chained_map_doubling_stops_on_the_memory_budget_by_default() -> None:
    program = NativeBackend().compile(DOUBLING)
    with pytest.raises(MemoryBudgetExceeded, match=r"memory budget exceeded.*cel_max_memory"):
        program.run({})


def test_doubling_through_concatenation_alone_stops_too() -> None:
    # No macro: a string concatenated with itself, then the result with itself, through a list.
    expression = "[[s + s + s + s]].map(x, x.map(y, y + y + y + y + y + y + y + y)).map(x, x[0] + x[0])"
    program = NativeBackend(budgets=CelBudgets(memory=1000)).compile(expression)
    with pytest.raises(MemoryBudgetExceeded):
        program.run({"s": "x" * 100})


def test_four_million_step_nested_macros_stop_on_a_budget_by_default() -> None:
    # The step budget (a million) stops it, or the clock (one second) first on a slow machine.
    program = NativeBackend().compile(NESTED)
    with pytest.raises(BudgetExceeded, match=r"(step|time) budget exceeded.*cel_max_(steps|ms)"):
        program.run({"xs": HUNDRED_SIXTY})


def test_the_step_budget_alone_stops_nested_macros() -> None:
    program = NativeBackend(budgets=CelBudgets(steps=100_000, milliseconds=600_000)).compile(NESTED)
    with pytest.raises(CostLimitExceeded, match=r"step budget exceeded.*100,000 elements.*cel_max_steps"):
        program.run({"xs": HUNDRED_SIXTY})


def test_the_wall_clock_budget_stops_what_the_other_budgets_allow() -> None:
    budgets = CelBudgets(steps=10**12, memory=10**12, milliseconds=1)
    program = NativeBackend(budgets=budgets).compile(NESTED)
    with pytest.raises(TimeBudgetExceeded, match=r"time budget exceeded.*cel_max_ms"):
        program.run({"xs": HUNDRED_SIXTY})


@pytest.mark.parametrize(
    "expression",
    [
        f"false || {NESTED}",
        f"{NESTED} || true",
        f"({NESTED}) && false",
        f"[0, 1].exists(i, 1 / i == 1 || {NESTED})",
        f"[0, 1].all(i, {NESTED} && 1 / i == 1)",
        f"true ? {NESTED} : false",
    ],
)
def test_no_budget_error_is_absorbed_by_cel_logic(expression: str) -> None:
    program = NativeBackend(budgets=CelBudgets(steps=10_000)).compile(expression)
    with pytest.raises(CostLimitExceeded):
        program.run({"xs": HUNDRED_SIXTY})


def test_what_custom_functions_build_is_charged() -> None:
    functions = FunctionRegistry(
        [CelFunction("widen", lambda text: text * 1000, "widen(string) -> string", "A thousand copies.")]
    )
    backend = NativeBackend(functions, budgets=CelBudgets(memory=50_000))
    assert backend.compile("size(widen('ab'))").run({}) == 2000
    with pytest.raises(MemoryBudgetExceeded):
        backend.compile("size(widen(widen('ab')))").run({})


class _Text(str):
    """A str subclass a custom function may return."""


class _Opaque:
    """A value of no size a custom function may return."""

    def __len__(self) -> int:
        raise AssertionError("charged() measured a value it does not charge")


@pytest.mark.parametrize("order", [("text", "opaque"), ("opaque", "text")])
def test_charged_knows_a_class_by_what_it_is_not_by_what_came_before(order: tuple[str, ...]) -> None:
    from assay.cel.native.cost import MEMORY, charged, new_budget

    made = {"text": lambda: _Text("x" * 40), "opaque": _Opaque}
    for _ in range(2):  # the second time, from what charged() remembered of each class
        for kind in order:
            budget = new_budget(CelBudgets(memory=100))
            charged(made[kind](), budget)
            assert budget[MEMORY] == (60 if kind == "text" else 100)
    with pytest.raises(MemoryBudgetExceeded):
        charged(_Text("x" * 101), new_budget(CelBudgets(memory=100)))


def test_budgets_are_per_evaluation_and_a_rule_within_them_runs() -> None:
    backend = NativeBackend(budgets=CelBudgets(steps=200, memory=500))
    program = backend.compile("xs.map(x, string(x) + '!').size()")
    for _ in range(3):  # each evaluation starts with the whole budget
        assert program.run({"xs": list(range(100))}) == 100
    with pytest.raises(BudgetExceeded):
        program.run({"xs": list(range(300))})


def test_the_default_budgets_leave_room_for_large_evidence() -> None:
    # A 20 MiB string (evidence files are read up to 32 MiB by default), copied and concatenated once:
    # some 42 million characters built.
    program = NativeBackend().compile("size(lower(s) + '!') == size(s) + 1")
    assert program.run({"s": "a" * (20 * 2**20)}) is True


def test_public_api_takes_budgets() -> None:
    program = cel.compile(DOUBLING, budgets=cel.CelBudgets(memory=10_000))
    with pytest.raises(cel.BudgetExceeded):
        program.evaluate({})


@pytest.mark.parametrize("field", ["steps", "memory", "milliseconds"])
@pytest.mark.parametrize("value", [0, -1, True, 1.5, "10"])
def test_budgets_must_be_positive_whole_numbers(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"CEL {field} budget"):
        CelBudgets(**{field: value})  # type: ignore[arg-type]


# --- in the engine and the project's configuration ---------------------------------------------------

CONTROLS = """
controls:
  - id: RUNAWAY-01
    title: A rule that never ends
    claim: Nothing.
    description: Builds a string of 2**40 characters.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: doubling
        assert: "size(%(doubling)s) > 0"
    remediation: None.
  - id: RUNAWAY-02
    title: A rule that iterates for minutes
    claim: Nothing.
    description: Four million steps.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: nested
        assert: "aws.ec2.volumes.Numbers.all(a, aws.ec2.volumes.Numbers.all(b,
          aws.ec2.volumes.Numbers.all(c, a + b + c >= 0)))"
    remediation: None.
  - id: CRYPTO-01
    title: Volumes encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt.
""" % {"doubling": DOUBLING}  # noqa: UP031 - the YAML holds braces of its own


def evidence() -> InMemoryEvidence:
    store = InMemoryEvidence()
    store.add(
        "aws.ec2.volumes",
        {"Numbers": HUNDRED_SIXTY, "Volumes": [{"VolumeId": "vol-1", "Encrypted": True}]},
        collected_at=NOW,
    )
    return store


def test_an_exhausted_budget_is_an_error_on_its_control_and_the_others_still_run(make_catalog) -> None:
    result = Engine(make_catalog(CONTROLS)).evaluate(evidence(), now=NOW)
    doubling, nested, encrypted = (result.result(c) for c in ("RUNAWAY-01", "RUNAWAY-02", "CRYPTO-01"))
    assert doubling.status is ControlStatus.ERROR
    assert "budget exceeded: the memory budget (the cel_max_memory setting)" in (doubling.reason or "")
    assert nested.status is ControlStatus.ERROR
    assert "budget exceeded" in (nested.reason or "")
    assert encrypted.status is ControlStatus.PASS


def test_the_engine_takes_budgets(make_catalog) -> None:
    store = InMemoryEvidence()
    store.add("aws.ec2.volumes", {"Numbers": list(range(10)), "Volumes": []}, collected_at=NOW)
    ample = Engine(make_catalog(CONTROLS)).evaluate(store, now=NOW).result("RUNAWAY-02")
    assert ample.status is ControlStatus.PASS  # 1,110 steps
    tight = Engine(make_catalog(CONTROLS), budgets=CelBudgets(steps=500)).evaluate(store, now=NOW)
    assert "budget exceeded: the step budget (the cel_max_steps setting)" in (
        tight.result("RUNAWAY-02").reason or ""
    )
    with pytest.raises(ConfigError, match="budgets"):
        Engine(make_catalog(CONTROLS), backend=NativeBackend(), budgets=CelBudgets())


def test_budget_defaults_agree_between_the_project_and_the_runtime() -> None:
    project, budgets = Project(), CelBudgets()
    assert (project.cel_max_steps, project.cel_max_memory, project.cel_max_ms) == (
        budgets.steps,
        budgets.memory,
        budgets.milliseconds,
    )


def test_project_settings_reach_the_backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "assay.toml").write_text("cel_max_steps = 10\ncel_max_memory = 20\n", encoding="utf-8")
    project = resolve_project(tmp_path, environ={"ASSAY_CEL_MAX_MS": "30"})
    assert (project.cel_max_steps, project.cel_max_memory, project.cel_max_ms) == (10, 20, 30)
    backend = backend_for(project)
    with pytest.raises(CostLimitExceeded, match="more than 10 elements"):
        backend.compile("xs.all(x, true)").run({"xs": list(range(11))})


@pytest.mark.parametrize("setting", ["cel_max_steps = 0", 'cel_max_memory = "lots"', "cel_max_ms = -5"])
def test_a_bad_budget_setting_is_an_error_at_its_position(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "assay.toml").write_text(f"fail_on = 'low'\n{setting}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        resolve_project(tmp_path, environ={})
    assert str(caught.value.diagnostics[0]).startswith("assay.toml:2:1: error: config > cel_max_")
    assert "must be a whole number of at least 1" in str(caught.value.diagnostics[0])


def test_a_bad_budget_in_the_environment_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^\$ASSAY_CEL_MAX_STEPS: cel_max_steps must be a whole number"):
        resolve_project(tmp_path, environ={"ASSAY_CEL_MAX_STEPS": "many"})


def test_assays_own_lower_and_upper_need_no_budget_but_a_users_function_of_that_name_does() -> None:
    """lower() and upper() cannot grow a value beyond a small multiple of it: no per-evaluation budget.

    (The budget costs a list copy and a clock read per evaluation: IAM-02 runs once per IAM user.)
    """
    default = NativeBackend().compile("lower(item.mfa_active) == 'true' && upper(item.user) != ''")
    assert default._budgeted is False
    rotated = "lower(item.active) != 'true' || now - timestamp(item.rotated) <= days(90)"  # IAM-03's
    assert NativeBackend().compile(rotated)._budgeted is False
    with pytest.raises(CelError, match="days"):  # a duration too long is an error, not a budget's business
        NativeBackend().compile("days(item) > days(1)").run({"item": 10**12})
    own = FunctionRegistry(
        [CelFunction("lower", lambda text: text * 1000, "lower(string) -> string", "Grows.")]
    )
    assert NativeBackend(own).compile("lower(item.mfa_active) == 'true'")._budgeted is True
    doubling = NativeBackend(own, budgets=CelBudgets(memory=10_000))
    program = doubling.compile("size(lower(lower(item))) > 0")
    with pytest.raises(MemoryBudgetExceeded):
        program.run({"item": "abc"})


# --- budgets grow with the evidence an expression reads (issue 17) -----------------------------------

LARGE = """
controls:
  - id: SCALE-01
    title: Every volume of a large account
    claim: Disks are encrypted.
    description: One for_each over every volume.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes.filter(v, v.Size > 0).map(v, v)
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt.
  - id: SCALE-02
    title: Every pair of volumes
    claim: Nothing.
    description: Nested macros over the same large list.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: pairs
        assert: aws.ec2.volumes.Volumes.all(a, aws.ec2.volumes.Volumes.all(b, a.Size + b.Size > 0))
    remediation: None.
  - id: SCALE-03
    title: A string doubled per volume
    claim: Nothing.
    description: Exponential growth, one evaluation per volume.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: doubling
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: "size(%(doubling)s.map(s, s + item.VolumeId)) > 0"
    remediation: None.
""" % {"doubling": DOUBLING}  # noqa: UP031 - the YAML holds braces of its own

# The base budgets of these tests: 3,000 volumes take more steps and memory than that in one for_each.
SMALL = CelBudgets(steps=2_000, memory=2_000, milliseconds=600_000)


def volumes(count: int) -> InMemoryEvidence:
    store = InMemoryEvidence()
    listed = [{"VolumeId": f"vol-{i}", "Size": 8, "Encrypted": True} for i in range(count)]
    store.add("aws.ec2.volumes", {"Volumes": listed}, collected_at=NOW)
    return store


def test_a_for_each_over_a_large_account_runs_within_budgets_grown_with_its_evidence(make_catalog) -> None:
    result = Engine(make_catalog(LARGE), budgets=SMALL).evaluate(volumes(3000), now=NOW)
    # 6,000 steps and 6,000 elements built, over the base of 2,000 each: the evidence's allowance.
    assert result.result("SCALE-01").status is ControlStatus.PASS
    bare = NativeBackend(budgets=SMALL).compile("aws.ec2.volumes.Volumes.filter(v, v.Size > 0).map(v, v)")
    with pytest.raises(BudgetExceeded):  # the same expression on the base budgets alone
        bare.run({"aws": {"ec2": {"volumes": volumes(3000).get("aws.ec2.volumes").data}}})  # type: ignore[union-attr]


def test_nested_macros_and_doubling_over_a_large_account_still_stop(make_catalog) -> None:
    result = Engine(make_catalog(LARGE), budgets=SMALL).evaluate(volumes(3000), now=NOW)
    pairs, doubling = result.result("SCALE-02"), result.result("SCALE-03")
    assert "budget exceeded: the step budget (the cel_max_steps setting)" in (pairs.reason or "")
    assert "budget exceeded: the memory budget (the cel_max_memory setting)" in (doubling.reason or "")


def test_the_default_budgets_also_grow(make_catalog) -> None:
    # 3,000 volumes: nested macros take 9 million steps, over the default million and the allowance.
    # The default step and memory budgets; the time budget is lifted, so that a loaded machine (where
    # 9 million steps take longer than the default time) cannot decide which budget trips first.
    budgets = CelBudgets(milliseconds=600_000)
    result = Engine(make_catalog(LARGE), budgets=budgets).evaluate(volumes(3000), now=NOW)
    assert result.result("SCALE-01").status is ControlStatus.PASS
    assert "budget exceeded: the step budget" in (result.result("SCALE-02").reason or "")


def test_an_element_read_alone_gets_the_base_budget_and_constants_are_no_evidence() -> None:
    backend = NativeBackend(budgets=SMALL)
    data = volumes(3000).get("aws.ec2.volumes").data  # type: ignore[union-attr]
    size = EvidenceSizes().by_root(["aws.ec2.volumes"], volumes(3000).get)
    per_item = backend.compile("item.Volumes.all(v, v.Size > 0)")
    assert per_item.scaled(size) is per_item  # item is no evidence name: nothing to add
    with pytest.raises(CostLimitExceeded):
        per_item.run({"item": data})
    whole = backend.compile("aws.ec2.volumes.Volumes.all(v, v.Size > 0)").scaled(size)
    assert whole.run({"aws": {"ec2": {"volumes": data}}}) is True
    literal = backend.compile("['aws', 'now'].all(x, x != '')")
    assert literal.scaled(size) is literal  # reads no variable at all


def test_the_evidence_is_measured_only_when_the_settings_run_out() -> None:
    measured: list[str] = []

    def size(root: str) -> int:
        measured.append(root)
        return 10**6

    program = NativeBackend(budgets=SMALL).compile("xs.map(x, x + 1).all(x, x > 0)").scaled(size)
    assert program.run({"xs": list(range(100))}) is True
    assert measured == []
    assert program.run({"xs": list(range(5000))}) is True  # 10,000 steps: over the settings' 2,000
    assert measured == ["xs"]
    with pytest.raises(CostLimitExceeded, match="more than 2,002,000 elements"):  # 2,000 + 2 a byte
        program.run({"xs": list(range(1_100_000))})


def test_when_the_clock_stops_a_rule_the_error_says_the_result_depended_on_time(make_catalog) -> None:
    budgets = CelBudgets(steps=10**12, memory=10**12, milliseconds=1)
    with pytest.raises(
        TimeBudgetExceeded, match="depended on the machine's speed and load, not on the evidence"
    ):
        NativeBackend(budgets=budgets).compile(NESTED).run({"xs": HUNDRED_SIXTY})
    engine = Engine(make_catalog(CONTROLS), budgets=budgets)
    nested = engine.evaluate(evidence(), now=NOW, controls=["RUNAWAY-02"]).result("RUNAWAY-02")
    assert "the time budget (the cel_max_ms setting): the result depended on time, not on the data" in (
        nested.reason or ""
    )
