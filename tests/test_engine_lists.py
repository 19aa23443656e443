"""A for_each list is computed once per run when several rules walk the same one: same verdicts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.functions import CelFunction, FunctionRegistry
from assay.engine import Engine
from assay.evidence import InMemoryEvidence

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def control(ident: str, for_each: str, assertion: str, parameters: str = "") -> str:
    return f"""
  - id: {ident}
    title: Volumes {ident}
    claim: Disks are fine.
    description: Every volume is fine.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    {parameters}
    rules:
      - id: checked
        for_each: {for_each}
        resource_id: item.VolumeId
        assert: {assertion}
        message: '"volume " + item.VolumeId'
    remediation: Fix it.
"""


SHARED = "counted(aws.ec2.volumes.Volumes).filter(v, v.Size > 10)"
CONTROLS = "controls:" + "".join(
    [
        control("ACME-01", SHARED, "item.Encrypted == true"),
        control("ACME-02", SHARED, "item.Size < 1000"),
        control(
            "ACME-03",
            f"{SHARED}.filter(v, v.Size > params.least)",
            "item.Encrypted",
            "parameters: {least: 50}",
        ),
    ]
)


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value: Any) -> Any:
        self.calls += 1
        return value


@pytest.fixture(scope="module")
def engine_and_counter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Engine, Counter]:
    from tests.conftest import catalog_from_yaml

    counter = Counter()
    counting = CelFunction("counted", counter, "counted(list) -> list", "Counts its calls.")
    functions = FunctionRegistry([counting])
    catalog = catalog_from_yaml(CONTROLS, tmp_path_factory.mktemp("lists"))
    return Engine(catalog, functions=functions), counter


def evidence(volumes: list[dict[str, Any]]) -> InMemoryEvidence:
    return InMemoryEvidence.from_values({"aws.ec2.volumes": {"Volumes": volumes}}, collected_at=NOW)


def test_the_shared_list_is_computed_once_and_a_list_reading_params_each_time(
    engine_and_counter: tuple[Engine, Counter],
) -> None:
    engine, counter = engine_and_counter
    before = counter.calls
    result = engine.evaluate(evidence([{"VolumeId": "v-1", "Size": 100, "Encrypted": False}]), now=NOW)
    assert [r.status.value for r in result.results] == ["fail", "pass", "fail"]
    assert counter.calls - before == 2  # once for ACME-01 and ACME-02, once more for ACME-03 (params)


def test_a_failing_list_fails_every_rule_that_walks_it(engine_and_counter: tuple[Engine, Counter]) -> None:
    engine, _ = engine_and_counter
    result = engine.evaluate(evidence([{"VolumeId": "v-1"}]), now=NOW)  # no Size: the filter fails
    assert [r.status.value for r in result.results] == ["error", "error", "error"]
    assert all("for_each" in (r.reason or "") for r in result.results)


volume = st.fixed_dictionaries(
    {"VolumeId": st.text(min_size=1, max_size=5)},
    optional={"Size": st.integers(0, 2000) | st.text(max_size=2), "Encrypted": st.booleans() | st.none()},
)


@settings(max_examples=60, deadline=None)
@given(st.lists(volume, max_size=8))
def test_one_run_gives_the_verdicts_of_a_run_per_control(
    engine_and_counter: tuple[Engine, Counter], volumes: list[dict[str, Any]]
) -> None:
    engine, _ = engine_and_counter
    together = engine.evaluate(evidence(volumes), now=NOW).results
    alone = [engine.evaluate(evidence(volumes), now=NOW, controls=[r.control]).results[0] for r in together]
    assert together == tuple(alone)


def test_a_list_is_shared_only_between_controls_that_bind_the_same_evidence(tmp_path: Path) -> None:
    # ACME-05 walks ACME-04's expression without declaring the evidence it reads (lint refuses that,
    # but the library's Engine may be handed such a catalog): it must error on its own, never reuse the
    # list ACME-04 computed with that evidence bound.
    from tests.conftest import catalog_from_yaml

    shared = "aws.ec2.volumes.Volumes"
    undeclared = control("ACME-05", shared, "item.Encrypted").replace(
        "      - name: aws.ec2.volumes", "      - name: aws.ec2.snapshots"
    )
    catalog = catalog_from_yaml(
        "controls:" + control("ACME-04", shared, "item.Encrypted") + undeclared, tmp_path
    )
    store = evidence([{"VolumeId": "v-1", "Encrypted": True}])
    store.add("aws.ec2.snapshots", {"Snapshots": []}, collected_at=NOW)
    statuses = [r.status.value for r in Engine(catalog).evaluate(store, now=NOW).results]
    assert statuses == ["pass", "error"]


# --- the key is what the expression reads, not the words in its text --------------------------------

WORDY = 'counted(aws.ec2.volumes.Volumes).filter(v, v.VolumeId != "params" && !has(v.nowhere))'
BY_PARAMS = "counted(aws.ec2.volumes.Volumes).filter(v, v.Size > params.least)"
BY_NOW = "counted(aws.ec2.volumes.Volumes).filter(v, now > timestamp('2020-01-01T00:00:00Z'))"


def counted_engine(tmp_path: Path, *controls: str) -> tuple[Engine, Counter]:
    from tests.conftest import catalog_from_yaml

    counter = Counter()
    functions = FunctionRegistry([CelFunction("counted", counter, "counted(list) -> list", "Counts calls.")])
    return Engine(catalog_from_yaml("controls:" + "".join(controls), tmp_path), functions=functions), counter


def test_a_string_params_or_a_field_nowhere_does_not_stop_the_list_being_shared(tmp_path: Path) -> None:
    engine, counter = counted_engine(
        tmp_path, control("ACME-11", WORDY, "item.Encrypted"), control("ACME-12", WORDY, "item.Size < 9")
    )
    volumes = [{"VolumeId": "v-1", "Size": 100, "Encrypted": True}, {"VolumeId": "params", "Size": 1}]
    result = engine.evaluate(evidence(volumes), now=NOW)
    assert [r.status.value for r in result.results] == ["pass", "fail"]
    assert counter.calls == 1


def test_a_list_reading_now_is_shared_within_the_run(tmp_path: Path) -> None:
    engine, counter = counted_engine(
        tmp_path, control("ACME-13", BY_NOW, "item.Encrypted"), control("ACME-14", BY_NOW, "item.Size < 9")
    )
    result = engine.evaluate(evidence([{"VolumeId": "v-1", "Size": 100, "Encrypted": True}]), now=NOW)
    assert [r.status.value for r in result.results] == ["pass", "fail"]
    assert counter.calls == 1


@pytest.mark.parametrize(
    ("first", "second", "calls", "statuses"),
    [
        ("{least: 50}", "{least: 50}", 1, ["fail", "fail"]),  # the same values: one list
        ("{least: 50}", "{least: 500}", 2, ["fail", "pass"]),  # other values: its own list
        ("{least: 1}", "{least: 1.0}", 2, ["fail", "fail"]),  # equal in Python, of another CEL type
    ],
)
def test_a_list_reading_params_is_shared_only_with_the_same_values(
    tmp_path: Path, first: str, second: str, calls: int, statuses: list[str]
) -> None:
    engine, counter = counted_engine(
        tmp_path,
        control("ACME-15", BY_PARAMS, "item.Encrypted", f"parameters: {first}"),
        control("ACME-16", BY_PARAMS, "item.Encrypted", f"parameters: {second}"),
    )
    result = engine.evaluate(evidence([{"VolumeId": "v-1", "Size": 100, "Encrypted": False}]), now=NOW)
    assert [r.status.value for r in result.results] == statuses
    assert counter.calls == calls
