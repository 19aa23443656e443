"""``assay check --jobs N``: the same report as ``--jobs 1``; ``jobs`` is a project setting too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay import pipeline
from assay.executor import can_fork
from tests.commands.conftest import write


@pytest.mark.skipif(not can_fork(), reason="parallel evaluation forks workers (Linux only)")
def test_the_example_report_is_the_same_in_parallel(
    cli, nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = cli("check", "--format", "json", "--jobs", "1")
    monkeypatch.setattr(pipeline, "PARALLEL_THRESHOLD", 0)  # the example is small: parallel all the same
    parallel = cli("check", "--format", "json", "--jobs", "2")
    assert parallel.code == serial.code == 1
    assert parallel.out == serial.out
    assert json.loads(parallel.out)["summary"]["fail"] > 0


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_at_least_one(cli, project: Path, value: str) -> None:
    result = cli("check", "--jobs", value)
    assert result.code == 2
    assert "--jobs" in result.err
    assert result.out == ""


def test_jobs_is_a_setting_of_the_config_file_and_the_environment(
    cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(project / "assay.toml", (project / "assay.toml").read_text(encoding="utf-8") + "jobs = 3\n")
    shown = json.loads(cli("config", "--json").out)["settings"]["jobs"]
    assert shown == {"value": 3, "origin": "assay.toml:5:1"}
    monkeypatch.setenv("ASSAY_JOBS", "2")
    assert json.loads(cli("config", "--json").out)["settings"]["jobs"]["origin"] == "$ASSAY_JOBS"
    assert cli("check").code == 0
    monkeypatch.setenv("ASSAY_JOBS", "many")
    result = cli("check")
    assert result.code == 2
    assert "jobs must be a whole number of at least 1" in result.err


def test_a_bad_jobs_in_the_config_file_is_an_error_at_its_position(cli, project: Path) -> None:
    write(project / "assay.toml", (project / "assay.toml").read_text(encoding="utf-8") + "jobs = 0\n")
    result = cli("check")
    assert result.code == 2
    assert "assay.toml:5:" in result.err
    assert "at least 1" in result.err
