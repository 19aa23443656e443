"""The library: load a project, run the engine on it, read counts as plain ``dict[str, int]``."""

from __future__ import annotations

from pathlib import Path

import pytest

import assay
from assay import Engine, RunResult
from assay.gaps import build_report
from assay.loaded_project import LoadedProject, load_project
from assay.model import ControlStatus, RequirementStatus
from assay.project import Project
from tests.commands.conftest import (
    ASSAY_TOML,
    CONTROLS,
    EVIDENCE,
    ISO_MAPPING,
    SOC2_MAPPING,
    write,
    write_evidence,
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The small project of the command tests; the working directory is left alone."""
    root = tmp_path / "project"
    write(root / "assay.toml", ASSAY_TOML)
    write(root / "controls" / "controls.yaml", CONTROLS)
    write(root / "mappings" / "soc2.yaml", SOC2_MAPPING)
    write(root / "mappings" / "iso27001.yaml", ISO_MAPPING)
    write_evidence(root / "evidence", EVIDENCE)
    return root


def plain_counts(counts: object, statuses: type[ControlStatus] | type[RequirementStatus]) -> None:
    """A plain dict of str (not enum members) to int, with every status word as a key, in order."""
    assert type(counts) is dict
    assert [type(k) for k in counts] == [str] * len(statuses)
    assert [type(v) for v in counts.values()] == [int] * len(statuses)
    assert list(counts) == [status.value for status in statuses]


def test_load_project_is_part_of_the_public_api(folder: Path) -> None:
    loaded = assay.load_project(folder)
    assert isinstance(loaded, LoadedProject)
    assert "load_project" in assay.__all__


def test_load_project_returns_the_resolved_config_and_the_loaded_catalog(folder: Path) -> None:
    project = load_project(folder)
    assert isinstance(project.config, Project)
    assert project.config.config_file == folder / "assay.toml"
    assert project.config.controls == (folder.resolve() / "controls",)
    assert project.config.origin("evidence") == f"{folder / 'assay.toml'}:3:1"
    assert [c.id for c in project.catalog.controls] == ["DISK-01", "KEYS-01", "NET-01"]
    assert sorted({m.framework for m in project.catalog.mappings}) == ["iso27001", "soc2"]
    assert project.evidence is not None
    assert sorted(item.name for item in project.evidence.items()) == [
        "aws.ec2.firewall",
        "aws.ec2.volumes",
        "aws.kms.rotation",
    ]


def test_the_engine_runs_a_loaded_project(folder: Path) -> None:
    project = load_project(folder)
    run = Engine(project.catalog).run(project)
    assert isinstance(run, RunResult)
    assert run.now.isoformat() == "2026-11-25T00:00:00+00:00"  # the project's now
    assert [(r.control, r.status) for r in run.results] == [
        ("DISK-01", ControlStatus.PASS),
        ("KEYS-01", ControlStatus.PASS),
        ("NET-01", ControlStatus.PASS),
    ]
    assert Engine(project.catalog).run(project, controls=["NET-01"]).counts["pass"] == 1


def test_counts_are_plain_dicts_keyed_by_status_words(folder: Path) -> None:
    project = load_project(folder)
    run = Engine(project.catalog).run(project)
    plain_counts(run.counts, ControlStatus)
    assert run.counts == {"pass": 3, "fail": 0, "error": 0, "not_assessed": 0, "waived": 0}
    report = build_report(project.catalog, run, evidence=project.evidence)
    plain_counts(report.summary, ControlStatus)
    assert report.summary == run.counts
    for framework in report.frameworks:
        plain_counts(framework.counts, RequirementStatus)
    assert report.framework("soc2").counts["met"] == 2
    dumped = report.model_dump()  # and so is the report's dump, the JSON report's source
    plain_counts(dumped["summary"], ControlStatus)
    plain_counts(dumped["frameworks"][0]["counts"], RequirementStatus)


def test_counts_survive_a_round_trip_through_json(folder: Path) -> None:
    from assay.gaps import Report

    project = load_project(folder)
    report = build_report(project.catalog, Engine(project.catalog).run(project), evidence=project.evidence)
    again = Report.model_validate_json(report.model_dump_json())
    assert again == report
    plain_counts(again.summary, ControlStatus)
