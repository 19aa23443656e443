"""Evaluating, building the gap report and writing it (text and JSON) need no pydantic of their own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "render" / "golden"
ACME = Path(__file__).resolve().parent / "fixtures" / "acme"

# The catalog side (assay.model, the loaders, evidence metadata) still imports pydantic on this branch,
# so the project is loaded first, every evidence file read; then pydantic is made unimportable (every
# pydantic module in sys.modules is None: ``import pydantic`` raises ImportError) before the engine,
# the results, the gap report and the renderers are imported. They must neither import pydantic nor
# build a validator or serialiser for a record (assay.records keeps every one it builds).
_SCRIPT = """
SEPARATOR = "\\n<<<>>>\\n"
import os, sys
from datetime import UTC, datetime
from pathlib import Path

from assay.loaded_project import load_project
from assay.project import Project

os.chdir(sys.argv[1])
inputs = load_project(project=Project(
    controls=(Path("controls"),), mappings=(Path("mappings"),), evidence=Path("evidence"),
    waivers=Path("waivers.yaml"), scope=Path("scope.yaml"),
))
for item in inputs.require_evidence().items():
    item.data
assert "assay.results" not in sys.modules and "assay.gaps" not in sys.modules
import assay.records

loaded_with = set(assay.records._ADAPTERS)  # a cold load validates the catalog's files
# (a warm load imports no pydantic at all: the two packages are blocked whether or not they were)
for name in [*sys.modules, "pydantic", "pydantic_core"]:
    if name.split(".")[0] in ("pydantic", "pydantic_core"):
        sys.modules[name] = None
try:
    import pydantic
except ImportError:
    pass
else:
    raise SystemExit("pydantic is still importable")

from assay.engine import Engine
from assay.gaps import build_report
from assay.locate import locate_results
from assay.render import RenderOptions, render

run = Engine(inputs.catalog).evaluate(
    inputs.evidence, now=datetime(2026, 11, 25, 12, 0, tzinfo=UTC), waivers=inputs.waivers, scope=inputs.scope
)
run = locate_results(run, inputs)
report = build_report(inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers)
written = [render(report, "terminal", RenderOptions(color=False, width=100)), render(report, "json")]
written += [render(report, "markdown"), render(report, "sarif")]
made = set(assay.records._ADAPTERS) - loaded_with
assert not made, sorted(cls.__name__ for cls in made)
sys.stdout.write(SEPARATOR.join(written))
"""


def test_a_report_is_evaluated_built_and_written_without_pydantic() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, str(ACME)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # the reports written so are the golden reports, byte for byte
    written = done.stdout.split("\n<<<>>>\n")
    names = ["report.txt", "report.json", "report.md", "report.sarif"]
    assert written == [(GOLDEN / name).read_text(encoding="utf-8") for name in names]


def test_the_check_above_catches_a_record_dumped_by_pydantic() -> None:
    """The same script, with the JSON report written by pydantic's dump as before: it fails."""
    script = _SCRIPT.replace('render(report, "json")', "report.model_dump_json()")
    done = subprocess.run(
        [sys.executable, "-c", script, str(ACME)], capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "ModuleNotFoundError" in done.stderr or "ImportError" in done.stderr
