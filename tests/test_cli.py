from __future__ import annotations

from pathlib import Path

import pytest

from assay import __version__


def test_builtin_catalog_lints_clean(cli) -> None:
    result = cli("lint", "--now", "2026-06-01")
    assert (result.code, result.out) == (0, "")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["lint", "--controls", "no/such/dir"], "no/such/dir: no such file or directory"),
        (["lint", "--waivers", "missing.yaml"], "--waivers missing.yaml: no such file"),
        (["lint", "--now", "yesterday"], "not an ISO 8601 timestamp"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required"),
    ],
)
def test_usage_errors_exit_2(cli, argv: list[str], message: str, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*argv)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""


def test_version(cli, capsys: pytest.CaptureFixture[str]) -> None:
    result = cli("--version")
    assert result.code == 0
    assert __version__ in capsys.readouterr().out
