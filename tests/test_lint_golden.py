"""Golden diagnostics: each folder under lint_cases/ is a broken catalog and its exact lint output.

A case folder may hold ``controls/``, ``mappings/``, ``waivers.yaml`` and ``scope.yaml``; what it
lacks is taken from ``_base/``. ``expected.txt`` is the exact stdout, and the exit code is 1 unless
the expected output is empty. Set ASSAY_UPDATE_GOLDEN=1 to rewrite the expected files after a
deliberate change (and review the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parent / "lint_cases"
NOW = "2026-06-01T00:00:00Z"


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def lint_args(case: Path) -> list[str]:
    base = CASES / "_base"
    args = ["lint", "--now", NOW]
    for kind in ("controls", "mappings"):
        folder = case / kind if (case / kind).is_dir() else base / kind
        args += [f"--{kind}", os.path.relpath(folder, CASES)]
    for kind in ("waivers", "scope", "parameters"):
        if (case / f"{kind}.yaml").is_file():
            args += [f"--{kind}", os.path.relpath(case / f"{kind}.yaml", CASES)]
    return args


@pytest.mark.parametrize("name", case_names())
def test_lint_case(name: str, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    monkeypatch.chdir(CASES)
    result = cli(*lint_args(case))
    expected_file = case / "expected.txt"
    if os.environ.get("ASSAY_UPDATE_GOLDEN"):
        expected_file.write_text(result.out, encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8")
    assert result.out == expected
    assert result.code == (1 if expected else 0), result.err
    assert "Traceback" not in result.err


def test_there_are_at_least_fifteen_broken_cases() -> None:
    broken = [n for n in case_names() if (CASES / n / "expected.txt").read_text(encoding="utf-8")]
    assert len(broken) >= 15


def test_lint_reports_a_50_mb_file_without_reading_it(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    controls = tmp_path / "controls"
    controls.mkdir()
    with (controls / "huge.yaml").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    monkeypatch.chdir(tmp_path)
    result = cli(
        "lint", "--now", NOW, "--controls", "controls", "--mappings", str(CASES / "_base" / "mappings")
    )
    assert result.out == (
        "controls/huge.yaml:1:1: error: file is 52,428,800 bytes; the limit is 8,388,608 bytes\n"
    )
    assert result.code == 1


def test_lint_lists_native_fallbacks_as_notes(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CASES)
    args = lint_args(CASES / "21-native-fallback")
    quiet = cli(*args)
    assert (quiet.code, quiet.out) == (0, "")
    noted = cli(*args, "--fallbacks")
    assert noted.out == (
        "21-native-fallback/controls/crypto.yaml:14:17: note: control CRYPTO-01 > rules[0] > assert: "
        "runs on the reference backend: message construction (Type{field: value}) is not supported natively\n"
    )
    assert noted.code == 0  # notes inform; they are not problems
