"""Exit codes are a contract: 0 clean, 1 controls failed, 2 usage or configuration, 3 internal error.

An internal error is injected in-process (an internal function made to raise) wherever a command can
meet one: while the parser is built, while a run is evaluated, while a built-in renderer writes.
"""

from __future__ import annotations

import importlib
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

import assay.commands.lint
import assay.pipeline
from assay.cli import EXIT_INTERNAL, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE

ACME = Path(__file__).resolve().parent / "fixtures" / "acme"
ARGS = [
    "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
    "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", "2026-11-25T12:00:00Z",
]  # fmt: skip
SECRET = "AKIA-evidence-value-in-an-exception"


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(ACME, copy)
    monkeypatch.chdir(copy)
    return copy


@pytest.fixture
def crash_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where tracebacks are saved in this test; ``ASSAY_DEBUG`` unset, whatever the caller's shell says."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.delenv("ASSAY_DEBUG", raising=False)
    return folder


def explode(*args: object, **kwargs: object) -> None:
    raise ZeroDivisionError(SECRET)


def saved_traceback(err: str) -> Path:
    found = [part.rstrip(";") for part in err.split() if part.rstrip(";").endswith("traceback.txt")]
    assert len(found) == 1, err
    return Path(found[0])


def test_the_four_codes(cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    assert cli("lint", *ARGS[:4]).code == EXIT_OK
    assert cli("check", *ARGS).code == EXIT_PROBLEMS  # the fixture fails controls on purpose
    assert cli("check", *ARGS, "--framework", "sox").code == EXIT_USAGE
    assert cli("check", "--no-such-option").code == EXIT_USAGE
    monkeypatch.setattr(assay.pipeline, "build_report", explode)
    assert cli("check", *ARGS).code == EXIT_INTERNAL


def test_an_internal_error_is_one_line_naming_the_saved_traceback(  # type: ignore[no-untyped-def]
    cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assay.pipeline, "build_report", explode)
    result = cli("check", *ARGS)
    assert result.code == 3
    assert result.out == ""
    (line,) = result.err.splitlines()
    saved = saved_traceback(result.err)
    assert line == (
        f"assay check: internal error (ZeroDivisionError): its traceback is saved in {saved}; "
        "--debug prints it; please report it"
    )
    assert SECRET not in result.err  # an exception's message may hold evidence: it goes to the file only
    assert "Traceback" not in result.err
    assert saved.parent.parent == crash_dir
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    text = saved.read_text(encoding="utf-8")
    assert text.startswith("assay check: assay ")
    assert "Traceback (most recent call last)" in text
    assert f"ZeroDivisionError: {SECRET}" in text


@pytest.mark.parametrize(
    "case",
    [
        (["--debug", "check", *ARGS], None),
        (["check", *ARGS, "--debug"], None),
        (["check", *ARGS], "1"),
    ],
    ids=["before the command", "after the command", "ASSAY_DEBUG=1"],
)
def test_debug_prints_the_traceback(  # type: ignore[no-untyped-def]
    cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch, case: tuple[list[str], str | None]
) -> None:
    argv, environment = case
    if environment is not None:
        monkeypatch.setenv("ASSAY_DEBUG", environment)
    monkeypatch.setattr(assay.pipeline, "build_report", explode)
    result = cli(*argv)
    assert result.code == 3
    assert result.err.startswith("Traceback (most recent call last):\n")
    assert f"ZeroDivisionError: {SECRET}\n" in result.err
    assert result.err.splitlines()[-1].startswith(
        "assay check: internal error (ZeroDivisionError): its traceback"
    )


def test_assay_debug_0_is_off(cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ASSAY_DEBUG", "0")
    monkeypatch.setattr(assay.pipeline, "build_report", explode)
    result = cli("check", *ARGS)
    assert (result.code, len(result.err.splitlines())) == (3, 1)


def test_a_built_in_renderer_that_raises_is_an_internal_error(  # type: ignore[no-untyped-def]
    cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # (assay.render is also a function's name in the assay package: import the module by its name)
    monkeypatch.setattr(importlib.import_module("assay.render.terminal"), "_summary", explode)
    result = cli("check", *ARGS)
    assert result.code == 3
    assert result.err.splitlines()[-1].startswith("assay check: internal error (ZeroDivisionError)")


def test_a_failure_while_the_parser_is_built_is_an_internal_error(  # type: ignore[no-untyped-def]
    cli, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assay.commands.lint, "add_arguments", explode)
    result = cli("lint")
    assert result.code == 3
    (line,) = result.err.splitlines()
    assert line.startswith("assay lint: internal error (ZeroDivisionError): its traceback is saved in ")


def test_when_the_traceback_cannot_be_saved_the_line_says_so(  # type: ignore[no-untyped-def]
    cli, acme: Path, crash_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(crash_dir / "missing"))
    monkeypatch.setattr(assay.pipeline, "build_report", explode)
    result = cli("check", *ARGS)
    assert result.code == 3
    assert result.err == (
        "assay check: internal error (ZeroDivisionError): its traceback could not be saved "
        "(No such file or directory); --debug prints it; please report it\n"
    )


def test_an_interrupt_is_130_without_a_traceback(  # type: ignore[no-untyped-def]
    cli, acme: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(assay.pipeline, "build_report", interrupt)
    result = cli("check", *ARGS)
    assert (result.code, result.err) == (130, "assay: interrupted\n")


def test_debug_is_accepted_by_nested_commands(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("collect", "web", "--debug", "--help").code == 0
