"""``[tool.assay]`` in pyproject.toml: read by assay.settings, used as defaults by the CLI."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.errors import ConfigError
from assay.settings import Settings, read_settings
from tests.conftest import TESTS

ACME = TESTS / "fixtures" / "acme"

ACME_SETTINGS = """
[project]
name = "acme-compliance"

[tool.assay]
controls = "controls"
mappings = ["mappings"]
evidence = "evidence"
waivers = "waivers.yaml"
scope = "scope.yaml"
now = 2026-11-25T00:00:00Z
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_are_relative_to_the_pyproject_folder(tmp_path: Path) -> None:
    settings = read_settings(write(tmp_path, ACME_SETTINGS))
    assert settings == Settings(
        controls=(tmp_path / "controls",),
        mappings=(tmp_path / "mappings",),
        evidence=tmp_path / "evidence",
        waivers=tmp_path / "waivers.yaml",
        scope=tmp_path / "scope.yaml",
        now=datetime(2026, 11, 25, tzinfo=UTC),
        source=tmp_path / "pyproject.toml",
    )


def test_every_key(tmp_path: Path) -> None:
    text = """
[tool.assay]
controls = ["a", "b"]
now = "2026-11-25"
frameworks = ["soc2", "gdpr"]
fail_on = "high"
max_evidence_mb = 8
"""
    settings = read_settings(write(tmp_path, text))
    assert settings is not None
    assert settings.controls == (tmp_path / "a", tmp_path / "b")
    assert settings.mappings is None  # the built-in mappings
    assert settings.now == datetime(2026, 11, 25, tzinfo=UTC)
    assert settings.frameworks == ("soc2", "gdpr")
    assert settings.fail_on == "high"
    assert settings.max_evidence_mb == 8


def test_a_toml_date_means_midnight_utc(tmp_path: Path) -> None:
    settings = read_settings(write(tmp_path, "[tool.assay]\nnow = 2026-11-25\n"))
    assert settings is not None
    assert settings.now == datetime(2026, 11, 25, tzinfo=UTC)


def test_no_file_or_no_table_means_no_settings(tmp_path: Path) -> None:
    assert read_settings(tmp_path / "pyproject.toml") is None
    assert read_settings(write(tmp_path, "[tool.black]\nline-length = 100\n")) is None


def test_an_empty_table_is_all_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.assay]\n")
    assert read_settings(path) == Settings(source=path)


def test_unknown_key_names_the_file_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, '[tool.assay]\ncontrol = "controls"\n')
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert str(caught.value) == f"{path}: [tool.assay]: unknown key 'control'; did you mean 'controls'?"


def test_unknown_key_without_a_close_match_lists_the_known_ones(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.assay]\nxyz = 1\n")
    with pytest.raises(ConfigError, match=r"unknown key 'xyz' \(known: controls, mappings, evidence"):
        read_settings(path)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("controls = 3", "controls must be a path or a non-empty list of paths, not a number"),
        ("controls = []", "controls must be a path or a non-empty list of paths, not a list"),
        ("evidence = ['a']", "evidence must be a path (a string), not a list"),
        ("now = 'yesterday'", "now: not an ISO 8601 timestamp: 'yesterday'"),
        ("fail_on = 'severe'", "fail_on must be one of low, medium, high, critical, not 'severe'"),
        ("max_evidence_mb = 0", "max_evidence_mb must be a whole number of at least 1, not 0"),
        ("frameworks = 'soc2'", None),  # one key as a string is fine
    ],
)
def test_wrong_types(tmp_path: Path, line: str, message: str | None) -> None:
    path = write(tmp_path, f"[tool.assay]\n{line}\n")
    if message is None:
        read_settings(path)
        return
    with pytest.raises(ConfigError) as caught:
        read_settings(path)
    assert str(caught.value) == f"{path}: [tool.assay]: {message}"


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[tool.assay\n")
    with pytest.raises(ConfigError, match=r"pyproject.toml: invalid TOML: .*line 1"):
        read_settings(path)


# --- the CLI takes its defaults from ./pyproject.toml ----------------------------------------------


@pytest.fixture
def acme_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    write(project, ACME_SETTINGS)
    monkeypatch.chdir(project)
    return project


def test_check_reads_its_defaults_from_pyproject(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    from_settings = cli("check", "--format", "json")
    explicit = cli(
        "check",
        "--format",
        "json",
        *("--controls", "controls", "--mappings", "mappings", "--evidence", "evidence"),
        *("--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", "2026-11-25T00:00:00Z"),
    )
    assert (from_settings.code, explicit.code) == (1, 1)
    report = json.loads(from_settings.out)
    assert report == json.loads(explicit.out)
    assert [c["control"] for c in report["controls"]] == [
        "CRYPTO-01",
        "CRYPTO-02",
        "NET-01",
        "GOV-01",
        "LOG-01",
        "IAM-01",
    ]
    assert report["generated_at"] == "2026-11-25T00:00:00Z"


def test_command_line_options_win_over_pyproject(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "json", "--now", "2026-11-21T00:00:00Z")
    assert json.loads(result.out)["generated_at"] == "2026-11-21T00:00:00Z"


def test_frameworks_and_fail_on_from_pyproject(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    write(acme_project, ACME_SETTINGS + 'frameworks = ["iso27001"]\nfail_on = "critical"\n')
    result = cli("check", "--format", "json")
    assert [f["key"] for f in json.loads(result.out)["frameworks"]] == ["iso27001"]
    assert result.code == 0  # the failing controls are high, below fail_on = critical
    assert cli("check", "--format", "json", "--fail-on", "high").code == 1


def test_lint_test_and_explain_use_pyproject(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    (acme_project / "controls" / "controls.yaml").write_text(
        (acme_project / "controls" / "controls.yaml")
        .read_text(encoding="utf-8")
        .replace("    severity: critical", "    severity: critical\n    severty: x"),
        encoding="utf-8",
    )
    lint = cli("lint")
    assert lint.code == 1
    assert "controls/controls.yaml:37:5: error: control NET-01 > severty: unknown key 'severty'" in lint.out
    write(acme_project, ACME_SETTINGS)
    shutil.copy(ACME / "controls" / "controls.yaml", acme_project / "controls" / "controls.yaml")
    test = cli("test")
    assert test.out.startswith("controls without test cases: CRYPTO-01, CRYPTO-02")
    explain = cli("explain", "NET-01")
    assert "Result at 2026-11-25T00:00:00+00:00: waived" in explain.out


def test_a_broken_pyproject_is_a_usage_error(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    write(acme_project, "[tool.assay]\ncontrol = 'controls'\n")
    result = cli("check")
    assert result.code == 2
    assert result.err == (
        "assay: error: pyproject.toml: [tool.assay]: unknown key 'control'; did you mean 'controls'?\n"
    )
    assert cli("schema", "waiver").code == 0  # commands that read no inputs do not read it


def test_without_a_table_the_cli_is_unchanged(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, "[project]\nname = 'x'\n")
    monkeypatch.chdir(tmp_path)
    result = cli("check", "--format", "json", "--framework", "soc2")
    assert result.code in (0, 1)
    assert json.loads(result.out)["frameworks"][0]["key"] == "soc2"
