"""``jobs``: controls evaluated in forked worker processes give exactly the results of a serial run."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay import pipeline
from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction
from assay.cel.native import NativeBackend
from assay.engine import Engine
from assay.evidence import InMemoryEvidence
from assay.executor import can_fork
from assay.loaded_project import LoadedProject
from assay.project import Project
from tests.conftest import catalog_from_yaml

NOW = datetime(2026, 11, 25, tzinfo=UTC)
needs_fork = pytest.mark.skipif(not can_fork(), reason="parallel evaluation forks workers (Linux only)")

# Four controls over two evidence items, with every status a rule can give: pass, fail (with
# findings), error (a non-bool assert, a missing key) and not_assessed (missing evidence). PID-01 names
# the process that evaluated it in its message.
CONTROLS = """\
controls:
{controls}
"""
CONTROL = """\
  - id: {id}
    title: Control {id}
    claim: A claim.
    description: A description.
    severity: {severity}
    domain: cryptography
    evidence:
      - name: {evidence}
    rules:
      - id: rule
        for_each: {evidence}.Items
        resource_id: item.Id
        assert: {assert_}
        message: {message}
    remediation: Fix it.
"""
SPECS = [
    ("DISK-01", "high", "aws.volumes", "item.Encrypted == true", "'\"volume \" + item.Id'"),
    ("DISK-02", "low", "aws.volumes", "item.Size < 500", "'\"big \" + item.Id'"),
    ("KEYS-01", "medium", "aws.keys", "item.Rotation", "'\"key \" + item.Id'"),
    ("PID-01", "low", "aws.keys", "1 == 2", "'\"pid \" + string(pid())'"),
    ("GONE-01", "low", "aws.missing", "1 == 1", "'\"never\"'"),
]


def _catalog(folder: Path):  # type: ignore[no-untyped-def]
    text = "".join(
        CONTROL.format(id=i, severity=s, evidence=e, assert_=a, message=m) for i, s, e, a, m in SPECS
    )
    return catalog_from_yaml(CONTROLS.format(controls=text.rstrip("\n")), folder)


@pytest.fixture(scope="module")
def engine_and_catalog(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    catalog = _catalog(tmp_path_factory.mktemp("catalog"))
    functions = DEFAULT_FUNCTIONS.copy()
    functions.register(CelFunction("pid", os.getpid, "pid() -> int", "The evaluating process's id."))
    return Engine(catalog, backend=NativeBackend(functions, qualified_names=False)), catalog


def _project(catalog, evidence: dict[str, object]) -> LoadedProject:  # type: ignore[no-untyped-def]
    store = InMemoryEvidence.from_values(evidence, collected_at=NOW, source="a test")
    return LoadedProject(Project(), catalog, store)


def _pids(result) -> set[str]:  # type: ignore[no-untyped-def]
    return {f.message.removeprefix("pid ") for f in result.result("PID-01").findings}


volumes = st.lists(
    st.fixed_dictionaries(
        {"Id": st.text(min_size=1, max_size=6), "Encrypted": st.booleans() | st.none() | st.integers()},
        optional={"Size": st.integers(0, 1000) | st.text(max_size=3)},
    ),
    max_size=6,
)
keys = st.lists(
    st.fixed_dictionaries({"Id": st.text(min_size=1, max_size=6)}, optional={"Rotation": st.booleans()}),
    min_size=1,
    max_size=4,
)


@needs_fork
@settings(max_examples=15)
@given(volumes=volumes, keys=keys)
def test_parallel_results_are_the_serial_ones_on_random_evidence(
    engine_and_catalog, volumes: list[object], keys: list[object]
) -> None:
    engine, catalog = engine_and_catalog
    project = _project(catalog, {"aws.volumes": {"Items": volumes}, "aws.keys": {"Items": keys}})
    serial = pipeline.evaluate(project, engine, now=NOW, invalid={}, jobs=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "PARALLEL_THRESHOLD", 0)  # parallel whatever the size
        parallel = pipeline.evaluate(project, engine, now=NOW, invalid={}, jobs=2)
    assert _pids(serial) == {str(os.getpid())}
    assert str(os.getpid()) not in _pids(parallel)  # really evaluated elsewhere
    without_pids = {"results": {"__all__": {"findings": True}}}
    assert [r.model_dump() for r in parallel.results if r.control != "PID-01"] == [
        r.model_dump() for r in serial.results if r.control != "PID-01"
    ]
    assert parallel.model_dump(exclude=without_pids) == serial.model_dump(exclude=without_pids)


@needs_fork
def test_small_evidence_is_evaluated_in_this_process_whatever_jobs_says(engine_and_catalog) -> None:
    engine, catalog = engine_and_catalog
    project = _project(catalog, {"aws.volumes": {"Items": []}, "aws.keys": {"Items": [{"Id": "k"}]}})
    assert pipeline.workload(project.require_evidence()) < pipeline.PARALLEL_THRESHOLD
    result = pipeline.evaluate(project, engine, now=NOW, invalid={}, jobs=4)
    assert _pids(result) == {str(os.getpid())}


def test_workload_counts_the_entries_of_lists_and_maps_two_levels_deep() -> None:
    store = InMemoryEvidence.from_values(
        {
            "a": {"Volumes": [1, 2, 3], "Next": None, "ByRegion": {"eu": [1], "us": [2]}},
            "b": [{"x": 1}, {"x": 2}],
            "c": "text",
        },
        collected_at=NOW,
        source="a test",
    )
    assert pipeline.workload(store) == 3 + 2 + 2


@needs_fork
def test_shares_balance_the_heaviest_controls_across_workers(engine_and_catalog) -> None:
    _, catalog = engine_and_catalog
    project = _project(
        catalog, {"aws.volumes": {"Items": [{"Id": str(i)} for i in range(1000)]}, "aws.keys": {"Items": []}}
    )
    ids = [c.id for c in catalog.controls]
    shares = pipeline._shares(project, ids, 2)
    assert sorted(c for share in shares for c in share) == sorted(ids)  # each control exactly once
    heavy = [share for share in shares if {"DISK-01", "DISK-02"} & set(share)]
    assert len(heavy) == 2  # the two controls over the big list are never in one share


@needs_fork
def test_a_control_failing_for_many_resources_comes_back_from_its_worker_as_serial_gives_it(
    engine_and_catalog,
) -> None:
    engine, catalog = engine_and_catalog
    # hostile: hundreds of findings (sent back as columns), odd ids, a few passing between them
    items = [
        {"Id": f"vol-{i}\u00e9\ud800" if i % 7 else f"v {i}", "Encrypted": i % 50 == 0, "Size": i}
        for i in range(700)
    ]
    project = _project(catalog, {"aws.volumes": {"Items": items}, "aws.keys": {"Items": [{"Id": "k"}]}})
    serial = pipeline.evaluate(project, engine, now=NOW, invalid={}, jobs=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "PARALLEL_THRESHOLD", 0)
        parallel = pipeline.evaluate(project, engine, now=NOW, invalid={}, jobs=2)
    assert len(serial.result("DISK-01").findings) == 686
    assert str(os.getpid()) not in _pids(parallel)
    others = [r for r in parallel.results if r.control != "PID-01"]
    assert others == [r for r in serial.results if r.control != "PID-01"]


LOOPS = """\
controls:
  - id: FLAT-01
    title: Flat
    claim: A claim.
    description: A description.
    severity: low
    domain: network
    evidence:
      - name: aws.groups
    rules:
      - id: rule
        for_each: aws.groups.Items
        resource_id: item.Id
        assert: item.Open == false
        message: '"open"'
    remediation: Fix it.
  - id: DEEP-01
    title: Deep
    claim: A claim.
    description: A description.
    severity: low
    domain: network
    evidence:
      - name: aws.groups
    rules:
      - id: rule
        for_each: >-
          flatten(aws.groups.Items.map(g, g.Perms.map(p, {"g": g, "p": p})))
          .filter(x, x.p.Ranges.exists(r, r == "0.0.0.0/0"))
        resource_id: item.g.Id
        assert: "false"
        message: '"open"'
    remediation: Fix it.
  - id: NONE-01
    title: None
    claim: A claim.
    description: A description.
    severity: low
    domain: network
    evidence:
      - name: aws.groups
    check: python
    remediation: Fix it.
"""


def test_the_control_that_loops_deepest_over_the_most_evidence_is_weighed_heaviest_and_starts_first(
    tmp_path: Path,
) -> None:
    catalog = catalog_from_yaml(LOOPS, tmp_path)
    sizes = {"aws.groups": 1000}
    flat, deep, python = (catalog.control(c) for c in ("FLAT-01", "DEEP-01", "NONE-01"))
    assert pipeline.work(flat, sizes) == 1000
    assert pipeline.work(deep, sizes) == 1000 * 6  # flatten, map, map, filter, exists
    assert pipeline.work(python, sizes) == 1000  # no rule: the evidence it names
    assert pipeline.work(flat, {}) == 1  # evidence that is not there weighs nothing, yet something
    project = _project(catalog, {"aws.groups": {"Items": [{"Id": str(i)} for i in range(1000)]}})
    assert pipeline._shares(project, ["FLAT-01", "NONE-01", "DEEP-01"], 1)[0] == ["DEEP-01"]
