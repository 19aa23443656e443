"""The project config: ``assay.toml`` or ``[tool.assay]``, resolved once, with the origin of every value."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.errors import ConfigError, LoadError
from assay.project import Project, resolve_project
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


def write(folder: Path, text: str, name: str = "pyproject.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def resolve(folder: Path, **kwargs) -> Project:  # type: ignore[no-untyped-def]
    return resolve_project(folder, environ=kwargs.pop("environ", {}), **kwargs)


def test_paths_are_relative_to_the_config_folder(tmp_path: Path) -> None:
    write(tmp_path, ACME_SETTINGS)
    project = resolve(tmp_path)
    assert project.controls == (tmp_path / "controls",)
    assert project.mappings == (tmp_path / "mappings",)
    assert project.evidence == tmp_path / "evidence"
    assert project.waivers == tmp_path / "waivers.yaml"
    assert project.now == datetime(2026, 11, 25, tzinfo=UTC)
    assert project.config_file == tmp_path / "pyproject.toml"
    assert project.origin("controls").endswith("pyproject.toml:6:1")
    assert project.origin("fail_on") == "default"


def test_the_nearest_config_above_the_start_folder_is_found(tmp_path: Path) -> None:
    write(tmp_path, 'fail_on = "high"\n', "assay.toml")
    deeper = tmp_path / "a" / "b"
    deeper.mkdir(parents=True)
    project = resolve(deeper)
    assert project.config_file == tmp_path / "assay.toml"
    assert project.fail_on == "high"


def test_a_pyproject_without_a_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, "[tool.black]\nline-length = 100\n")
    project = resolve(tmp_path)
    assert project.config_file is None
    assert project == Project(root=tmp_path.resolve())


def test_every_key_and_the_trust_table(tmp_path: Path) -> None:
    text = """
controls = ["a", "b"]
builtin_controls = ["CRYPTO-01", "network"]
now = 2026-11-25
frameworks = ["soc2", "gdpr"]
fail_on = "high"
max_evidence_mb = 8
backend = "reference"
trusted_keys = ["keys/auditor.pub"]

[trust]
show_percentages = false
domains = ["cryptography"]
"""
    write(tmp_path, text, "assay.toml")
    project = resolve(tmp_path)
    assert project.controls == (tmp_path / "a", tmp_path / "b")
    assert project.builtin_controls == ("CRYPTO-01", "network")
    assert project.now == datetime(2026, 11, 25, tzinfo=UTC)
    assert project.frameworks == ("soc2", "gdpr")
    assert (project.fail_on, project.max_evidence_mb, project.backend) == ("high", 8, "reference")
    assert project.trusted_keys == (tmp_path / "keys/auditor.pub",)
    assert project.trust.show_percentages is False
    assert project.trust.domains == ("cryptography",)
    assert project.origin("trust.show_percentages").endswith("assay.toml:12:1")


def test_precedence_file_then_environment_then_options(tmp_path: Path) -> None:
    write(tmp_path, 'backend = "native"\nfail_on = "low"\nmax_evidence_mb = 4\n', "assay.toml")
    environ = {"ASSAY_CEL_BACKEND": "reference", "ASSAY_FAIL_ON": "medium"}
    project = resolve(tmp_path, environ=environ, options={"fail_on": ("critical", "--fail-on")})
    assert (project.backend, project.origin("backend")) == ("reference", "$ASSAY_CEL_BACKEND")
    assert (project.fail_on, project.origin("fail_on")) == ("critical", "--fail-on")
    assert project.max_evidence_mb == 4
    assert project.origin("max_evidence_mb").endswith("assay.toml:3:1")


CHOICES = "must be one of low, medium, high, critical"
BAD_CONFIGS = [
    (
        '\n\ncontrol = "controls"\n',
        "3:1",
        "config > control: unknown key 'control'; did you mean 'controls'?",
    ),
    ("fail_on = 'severe'\n", "1:1", f"config > fail_on: fail_on {CHOICES}, not 'severe'"),
    ("evidence = ['a']\n", "1:1", "config > evidence: evidence must be a path (a string), not a list"),
    (
        "max_evidence_mb = 0\n",
        "1:1",
        "config > max_evidence_mb: max_evidence_mb must be a whole number of at least 1, not 0",
    ),
    ("now = 'yesterday'\n", "1:1", "config > now: now must be an ISO 8601 timestamp, not 'yesterday'"),
    (
        "[trust]\nshow_percentage = 1\n",
        "2:1",
        "[trust] > show_percentage: unknown key 'show_percentage'; did you mean 'show_percentages'?",
    ),
    (
        "[trust]\nshow_percentages = 'no'\n",
        "2:1",
        "[trust] > show_percentages: trust.show_percentages must be true or false, not 'no'",
    ),
]


@pytest.mark.parametrize(("text", "where", "message"), BAD_CONFIGS)
def test_bad_config_is_an_error_at_its_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, where: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, text, "assay.toml")
    with pytest.raises(LoadError) as caught:
        resolve(tmp_path)
    assert [str(d) for d in caught.value.diagnostics] == [f"assay.toml:{where}: error: {message}"]


def test_in_pyproject_the_position_is_inside_the_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, '[project]\nname = "x"\n\n[tool.assay]\n  fail_on = 3\n')
    with pytest.raises(LoadError) as caught:
        resolve(tmp_path)
    assert str(caught.value.diagnostics[0]) == (
        "pyproject.toml:5:3: error: [tool.assay] > fail_on: "
        "fail_on must be one of low, medium, high, critical, not 3"
    )


def test_invalid_toml_names_the_file_line_and_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a = 1\nb = \n", "assay.toml")
    with pytest.raises(LoadError) as caught:
        resolve(tmp_path)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.path, diagnostic.line) == ("assay.toml", 2)
    assert diagnostic.message.startswith("invalid TOML: ")


def test_a_bad_environment_value_names_the_variable(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^\$ASSAY_CEL_BACKEND: backend must be one of native, reference"):
        resolve(tmp_path, environ={"ASSAY_CEL_BACKEND": "fast"})


# --- every command reads it ------------------------------------------------------------------------


@pytest.fixture
def acme_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    write(project, ACME_SETTINGS)
    monkeypatch.chdir(project)
    return project


def test_check_reads_its_defaults_from_the_project(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
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


def test_command_line_options_win(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--format", "json", "--now", "2026-11-21T00:00:00Z")
    assert json.loads(result.out)["generated_at"] == "2026-11-21T00:00:00Z"


def test_frameworks_and_fail_on_from_the_project(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    write(acme_project, ACME_SETTINGS + 'frameworks = ["iso27001"]\nfail_on = "critical"\n')
    result = cli("check", "--format", "json")
    assert [f["key"] for f in json.loads(result.out)["frameworks"]] == ["iso27001"]
    assert result.code == 0  # the failing controls are high, below fail_on = critical
    assert cli("check", "--format", "json", "--fail-on", "high").code == 1


def test_lint_test_and_explain_use_the_project(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    controls = acme_project / "controls" / "controls.yaml"
    controls.write_text(
        controls.read_text(encoding="utf-8").replace(
            "    severity: critical", "    severity: critical\n    severty: x"
        ),
        encoding="utf-8",
    )
    lint = cli("lint")
    assert lint.code == 1
    assert "controls/controls.yaml:37:5: error: control NET-01 > severty: unknown key 'severty'" in lint.out
    shutil.copy(ACME / "controls" / "controls.yaml", controls)
    test = cli("test")
    assert test.out.startswith("controls without test cases: CRYPTO-01, CRYPTO-02")
    explain = cli("explain", "NET-01")
    assert "Result at 2026-11-25T00:00:00+00:00: waived" in explain.out


def test_pack_reads_the_project(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    import zipfile

    result = cli("pack", "--output", "pack.zip")
    assert result.code == 0, result.err
    with zipfile.ZipFile(acme_project / "pack.zip") as archive:
        names = archive.namelist()
    assert "evidence/aws/ec2/volumes.json" in names
    assert "sources/controls/controls.yaml" in names  # the project's controls, not the built-in ones


def test_a_broken_config_is_a_usage_error_at_its_position(cli, acme_project: Path) -> None:  # type: ignore[no-untyped-def]
    write(acme_project, "[tool.assay]\ncontrol = 'controls'\n")
    result = cli("check")
    assert result.code == 2
    assert result.err == (
        "pyproject.toml:2:1: error: [tool.assay] > control: unknown key 'control'; did you mean 'controls'?\n"
        "assay check: the inputs have errors; nothing was evaluated\n"
    )
    assert cli("schema", "waiver").code == 0  # commands that read no project do not read it


def test_builtin_controls_naming_nothing_is_an_error_at_its_position(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    write(tmp_path, 'builtin_controls = ["CRYPTO-1"]\n', "assay.toml")
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    assert result.code == 2
    assert result.err.startswith(
        "assay.toml:1:1: error: builtin_controls: builtin_controls: 'CRYPTO-1' is neither a built-in control "
        "id nor a domain; did you mean 'CRYPTO-"
    )


def test_assay_config_prints_values_and_origins(
    cli, acme_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ASSAY_CEL_BACKEND", "reference")
    result = cli("config", "--json", "--fail-on", "high")
    assert result.code == 0
    settings = json.loads(result.out)["settings"]
    assert settings["controls"] == {"value": [str(acme_project / "controls")], "origin": "pyproject.toml:6:1"}
    assert settings["backend"] == {"value": "reference", "origin": "$ASSAY_CEL_BACKEND"}
    assert settings["fail_on"] == {"value": "high", "origin": "--fail-on"}
    assert settings["max_evidence_mb"] == {"value": 32, "origin": "default"}
    text = cli("config").out
    assert re.search(r'^backend += "reference"  # \$ASSAY_CEL_BACKEND$', text, re.M)
