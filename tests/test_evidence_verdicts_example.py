"""The example's evidence against its schemas, run after run: the verdicts come from the cache, and a
document with the wrong shape is explained on every run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from assay.evidence_verdicts import SCHEMA_KIND


def test_a_warm_run_builds_no_schema_validator(tmp_path: Path) -> None:
    """The second `assay check` of the example answers every shape from the cache: jsonschema-rs's
    validators are never built (counted by wrapping the class the engine builds them with), though
    one of the example's documents has the wrong shape."""
    code = (
        "import io, json, sys, jsonschema_rs\n"
        "built = []\n"
        "real = jsonschema_rs.Draft202012Validator\n"
        "jsonschema_rs.Draft202012Validator = lambda *a, **k: built.append(1) or real(*a, **k)\n"
        "from assay.commands import main\n"
        "main(['check'], stdout=io.StringIO(), stderr=io.StringIO())\n"
        "print(json.dumps(len(built)))\n"
    )
    env = {"ASSAY_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    root = Path(__file__).resolve().parents[1]
    counts = []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, env=env, check=False
        )
        assert done.returncode == 0, done.stderr
        counts.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert counts[0] > 0  # the cold run checked the example's evidence
    assert counts[1] == 0


def test_a_document_known_to_have_the_wrong_shape_is_explained_every_run(cache_dir: Path) -> None:
    """The example's github.branch_protection has a property its schema forbids: the control that reads
    it is an error on the run that checks it and on the run that reads the verdict from the cache."""
    from assay.pipeline import run

    reasons = []
    for _ in range(2):
        result = run(Path(__file__).resolve().parents[1]).run.result("SDLC-02")
        reasons.append((result.status.value, result.reason))
    assert reasons[0] == reasons[1]
    assert reasons[0][0] == "error"
    assert "has the wrong shape" in (reasons[0][1] or "")
    assert list((cache_dir / SCHEMA_KIND).glob("*.entry"))  # the second run had the verdicts
