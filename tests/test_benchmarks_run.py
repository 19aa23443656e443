"""benchmarks/run.py writes its section between markers in RESULTS.md and keeps the history around it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("benchmarks_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


HISTORY = "# Benchmark results\n\nIntro.\n\n## `check_scale.py`\n\n### 2026-11-25\n\n| a |\n|---|\n"


def test_the_section_goes_after_the_intro_and_is_replaced_on_the_next_run(tmp_path: Path) -> None:
    run = _runner()
    target = tmp_path / "RESULTS.md"
    target.write_text(HISTORY, encoding="utf-8")
    run.write(f"{run.BEGIN}\nfirst\n{run.END}\n", target)
    once = target.read_text(encoding="utf-8")
    assert once.index("Intro.") < once.index("first") < once.index("## `check_scale.py`")
    run.write(f"{run.BEGIN}\nsecond\n{run.END}\n", target)
    twice = target.read_text(encoding="utf-8")
    assert "first" not in twice
    assert twice.replace("second", "first") == once
    assert twice.count(run.BEGIN) == 1
    assert not (tmp_path / "RESULTS.tmp").exists()


def test_a_missing_script_is_skipped_and_a_failing_one_reported(tmp_path: Path) -> None:
    run = _runner()
    missing = run.Script("nothing", "no_such_benchmark.py", "nothing")
    outcome = run.run_script(missing, quick=True)
    assert outcome.code is None
    assert "Skipped" in run.section(outcome)
    failing = run.Outcome(missing, ["python", "x.py"], 3, 1.0, "", "Traceback\nValueError: bad size\n")
    assert "exit 3" in run.section(failing)
    assert "ValueError: bad size" in run.section(failing)


def test_every_listed_script_takes_markdown() -> None:
    run = _runner()
    for script in run.SCRIPTS:
        assert script.command(quick=True)[-1] == "--markdown"
        assert script.command(quick=False)[-1] == "--markdown"
