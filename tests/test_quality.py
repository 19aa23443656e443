"""The strictness the project promises: mypy --strict on src, ruff lint and format, all clean."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_mypy_strict_on_src() -> None:
    result = run(sys.executable, "-m", "mypy", "--strict", "src")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.executable).parent / "ruff").exists(),
    reason="ruff missing",
)
def test_ruff_lint_and_format() -> None:
    ruff = (
        str(Path(sys.executable).parent / "ruff")
        if (Path(sys.executable).parent / "ruff").exists()
        else "ruff"
    )
    paths = [p for p in ("src", "tests", "benchmarks") if (ROOT / p).is_dir()]
    lint = run(ruff, "check", *paths)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    fmt = run(ruff, "format", "--check", *paths)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr


MAX_FUNCTION_LINES = 60
MAX_MODULE_LINES = 500
# Written by a program and checked against it (tests/test_lean_dataclasses.py), not read by people.
GENERATED = frozenset({"src/assay/_lean_inits.py"})


def long_functions(path: Path) -> list[str]:
    """``file:line name (N lines)`` for every function longer than the limit, decorators included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
            start = min([d.lineno for d in node.decorator_list] + [node.lineno])
            length = node.end_lineno - start + 1
            if length > MAX_FUNCTION_LINES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_function_over_60_lines_and_no_module_over_500() -> None:
    sources = sorted(
        p for p in (ROOT / "src").rglob("*.py") if p.relative_to(ROOT).as_posix() not in GENERATED
    )
    assert sources
    too_long = [
        f"{path.relative_to(ROOT)} ({count} lines)"
        for path in sources
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    ]
    assert too_long == []
    assert [line for path in sources for line in long_functions(path)] == []


def test_the_layers_run_one_way() -> None:
    linter = Path(sys.executable).parent / "lint-imports"
    result = run(str(linter) if linter.exists() else "lint-imports", "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_pre_commit_runs_the_checks_the_suite_runs() -> None:
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"] for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "lint-imports", "assay-lint"} <= hooks
