"""CONTRIBUTING.md's examples work as written: its files make a project that lints, tests and runs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

CONTRIBUTING = Path(__file__).resolve().parents[1] / "CONTRIBUTING.md"


def example_files() -> dict[str, str]:
    """Every block marked ``<!-- file: PATH -->`` by its path."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- file: (\S+) -->\n```\w+\n(.*?)```", text, flags=re.DOTALL)
    return dict(blocks)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in example_files().items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_kind_of_addition_has_an_example() -> None:
    assert set(example_files()) == {
        "controls/backups.yaml",
        "mappings/soc2.yaml",
        "mappings/tiny.yaml",
        "frameworks/tiny.yaml",
        "assay.toml",
        "acme_plugins.py",
    }


def test_the_control_and_framework_examples_lint_and_test_clean(cli, project: Path) -> None:  # type: ignore[no-untyped-def]
    lint = cli("lint")
    assert (lint.code, lint.out) == (0, "")
    tested = cli("test")
    assert (tested.code, tested.out) == (0, "2 passed, 0 failed\n")


def test_the_plugin_example_collects_renders_and_adds_a_function(project: Path) -> None:
    (project / "rds.json").write_text(
        json.dumps({"DBSnapshots": [{"DBSnapshotIdentifier": "s-1", "Encrypted": True}]}), encoding="utf-8"
    )

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "acme_plugins.py", *args]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)

    collected = run("collect", "snapshots", "--export", "rds.json", "--output", "evidence")
    assert collected.returncode == 0, collected.stderr
    checked = run("check", "--evidence", "evidence", "--format", "statuses")
    assert (checked.returncode, checked.stdout) == (0, "ACME-01 pass\n"), checked.stderr
    listed = run("functions")
    assert "days_between(timestamp, timestamp) -> int\n    Whole days." in listed.stdout
    report = json.loads(run("check", "--evidence", "evidence", "--format", "json").stdout)
    assert [f["key"] for f in report["frameworks"]] == ["soc2", "tiny"]
    tiny = report["frameworks"][1]["requirements"]
    assert [(r["id"], r["status"]) for r in tiny] == [("T", "met"), ("T-1", "met")]
