"""Controls that fail lint are refused (exit 2) unless --skip-invalid, and no output holds evidence.

The project is :mod:`tests.canary`: evidence with a canary secret, two controls that fail lint (a typo
in a function name, an undeclared variable) and four that fail on the evidence (a missing key, a
failing overload, a failing conversion, a rule giving a string).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.canary import CANARY, pack_texts, write_project

TYPO = (
    "controls/leak.yaml:12:17: error: control LEAK-TYPO > rules[0] > assert: "
    "unknown function 'sizee'; did you mean 'size'? (see `assay functions`)"
)
UNDECLARED = (
    "controls/leak.yaml:24:17: error: control LEAK-UNDECLARED > rules[0] > assert: "
    "reads 'nope.x', which is not declared evidence (declared: app.config)"
)
FORMATS = ("terminal", "json", "markdown", "html", "sarif", "junit", "csv", "oscal")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_project(tmp_path / "hostile")
    monkeypatch.chdir(root)
    return root


def refusal(command: str) -> list[str]:
    return [
        TYPO,
        UNDECLARED,
        f"assay {command}: the inputs have errors; nothing was evaluated",
        f"assay {command}: fix them, or give --skip-invalid to report them as errors and evaluate the rest",
    ]


# --- refused: exit 2, the lint errors at file:line:col, nothing written ------------------------------


def test_check_refuses_controls_that_fail_lint(cli, hostile: Path) -> None:
    result = cli("check", "--output", "report.json")
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == refusal("check")
    assert not (hostile / "report.json").exists()


def test_pack_refuses_controls_that_fail_lint_and_writes_no_pack(cli, hostile: Path) -> None:
    result = cli("pack", "--output", "pack.zip")
    assert result.code == 2
    assert result.err.splitlines() == refusal("pack")
    assert not (hostile / "pack.zip").exists()


def test_only_the_selected_controls_need_to_pass_lint(cli, hostile: Path) -> None:
    assert cli("check", "-k", "OK-01").code == 0
    assert cli("explain", "OK-01").code == 0
    refused = cli("explain", "LEAK-TYPO")
    assert (refused.code, refused.err.splitlines()[0]) == (2, TYPO)


def test_a_project_whose_controls_pass_lint_is_not_refused(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(write_project(tmp_path / "valid", invalid=False))
    result = cli("check", "--format", "json")
    assert result.code == 1  # the evaluation errors, on a run that went ahead
    statuses = {c["control"]: c["status"] for c in json.loads(result.out)["controls"]}
    assert statuses["OK-01"] == "pass"


# --- --skip-invalid: those controls are errors, the rest is evaluated ------------------------------


def test_skip_invalid_reports_them_as_errors_with_the_lint_message(cli, hostile: Path) -> None:
    result = cli("check", "--skip-invalid", "--format", "json")
    assert result.code == 1
    controls = {c["control"]: c for c in json.loads(result.out)["controls"]}
    assert list(controls) == [
        "LEAK-TYPO",
        "LEAK-UNDECLARED",
        "LEAK-KEY",
        "LEAK-OVERLOAD",
        "LEAK-CONVERT",
        "LEAK-RESULT",
        "OK-01",
    ]  # catalog order
    typo = controls["LEAK-TYPO"]
    assert typo["status"] == "error"
    assert typo["reason"] == (
        "controls/leak.yaml:12:17: not evaluated, fails lint: control LEAK-TYPO > rules[0] > assert: "
        "unknown function 'sizee'; did you mean 'size'? (see `assay functions`)"
    )
    assert controls["LEAK-UNDECLARED"]["errors"] == [
        "controls/leak.yaml:24:17: not evaluated, fails lint: control LEAK-UNDECLARED > rules[0] > assert: "
        "reads 'nope.x', which is not declared evidence (declared: app.config)"
    ]
    assert controls["OK-01"]["status"] == "pass"
    assert controls["LEAK-OVERLOAD"]["reason"] == (
        "controls/leak.yaml:52:17: rule overload: no such overload: + on string, int"
    )


@pytest.mark.parametrize("where", ["config", "environment"])
def test_skip_invalid_is_a_project_setting(
    cli, hostile: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    if where == "config":
        toml = hostile / "assay.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + "skip_invalid = true\n", encoding="utf-8")
    else:
        monkeypatch.setenv("ASSAY_SKIP_INVALID", "true")
    assert cli("check").code == 1
    settings = cli("config").out
    assert "skip_invalid" in settings


def test_a_bad_skip_invalid_value_is_a_config_error(cli, hostile: Path) -> None:
    toml = hostile / "assay.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'skip_invalid = "sometimes"\n', encoding="utf-8")
    result = cli("check")
    assert result.code == 2
    assert "skip_invalid must be true or false, not 'sometimes'" in result.err


# --- no output holds the evidence ------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["native", "reference"])
@pytest.mark.parametrize("output_format", FORMATS)
def test_no_report_holds_the_canary(cli, hostile: Path, backend: str, output_format: str) -> None:
    result = cli(
        "check", "--skip-invalid", "--backend", backend, "--format", output_format, "--output", "report"
    )
    assert result.code == 1
    text = (hostile / "report").read_text(encoding="utf-8")
    assert "LEAK-OVERLOAD" in text
    assert CANARY not in text + result.out + result.err


@pytest.mark.parametrize("backend", ["native", "reference"])
def test_the_terminal_holds_no_canary(cli, hostile: Path, backend: str) -> None:
    result = cli("check", "--skip-invalid", "--backend", backend)
    text = " ".join(result.out.split())  # the report wraps to the terminal's width
    assert "no such overload: + on string, int" in text
    assert "rule by-owner: resource u-1: no such key" in text
    assert CANARY not in result.out + result.err


@pytest.mark.parametrize("backend", ["native", "reference"])
def test_no_file_of_the_pack_but_the_evidence_holds_the_canary(cli, hostile: Path, backend: str) -> None:
    result = cli("pack", "--skip-invalid", "--backend", backend, "--output", "pack.zip")
    assert result.code == 0
    texts = pack_texts((hostile / "pack.zip").read_bytes())
    assert "no such overload: + on string, int" in texts["index.html"]
    # the packed evidence itself is the one place the canary belongs
    assert [name for name, text in texts.items() if CANARY in text] == ["evidence/app/config.json"]
    assert CANARY not in result.err
