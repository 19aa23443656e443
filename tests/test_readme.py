"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.DOTALL)


def test_readme_library_example_runs(capsys) -> None:
    blocks = python_blocks()
    assert blocks
    for block in blocks:
        # Running the README's own examples is what this test is for.
        exec(compile(block, str(README), "exec"), {"__name__": "readme"})  # noqa: S102
    out = capsys.readouterr().out
    assert "fail ['vol-2']" in out


def test_readme_quick_start_commands_are_the_ones_ci_and_users_run() -> None:
    text = README.read_text(encoding="utf-8")
    assert ".venv/bin/assay check" in text
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert ".venv/bin/python -m pytest" in text
    assert ".venv/bin/python -m pytest" in ci
