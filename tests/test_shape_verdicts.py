"""Whether evidence has its schema's shape: kept in the cache under everything the verdict depends on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assay.evidence import InMemoryEvidence
from assay.shape_verdicts import KIND, shape_verdicts

SCHEMAS: dict[str, dict[str, Any]] = {
    "aws.things": {"type": "object", "required": ["Things"], "properties": {"Things": {"type": "array"}}},
}
GOOD = {"Things": [1, 2]}
BAD = {"Things": "not a list"}


def _entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / KIND).glob("*.entry"))


def _verdicts(schemas: dict[str, dict[str, Any]], data: Any) -> list[bool]:
    store = InMemoryEvidence.from_values({"aws.things": data, "aws.other": data})  # other: no schema
    item = store.get("aws.things")
    assert item is not None
    verdicts = shape_verdicts(schemas, store)
    assert set(verdicts) <= {("aws.things", item.sha256)}
    return list(verdicts.values())


def test_both_verdicts_are_kept_and_read_back(cache_dir: Path) -> None:
    for _ in range(2):
        assert _verdicts(SCHEMAS, GOOD) == [True]
        assert _verdicts(SCHEMAS, BAD) == [False]
    assert len(_entries(cache_dir)) == 2


def test_a_changed_document_or_schema_is_checked_again(cache_dir: Path) -> None:
    assert _verdicts(SCHEMAS, GOOD) == [True]
    # The same name with other content: another digest, checked, found wrong.
    assert _verdicts(SCHEMAS, BAD) == [False]
    # The same document under a stricter schema: checked again, and wrong there.
    stricter = {"aws.things": {**SCHEMAS["aws.things"], "properties": {"Things": {"maxItems": 1}}}}
    assert _verdicts(stricter, GOOD) == [False]


@pytest.mark.parametrize("data", [GOOD, BAD])
def test_a_tampered_entry_is_not_believed(cache_dir: Path, data: Any) -> None:
    expected = _verdicts(SCHEMAS, data)
    (entry,) = _entries(cache_dir)
    damaged = bytearray(entry.read_bytes())
    damaged[-3] ^= 1
    entry.write_bytes(bytes(damaged))
    assert _verdicts(SCHEMAS, data) == expected  # checked afresh


def test_without_a_cache_nothing_is_known(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    assert _verdicts(SCHEMAS, GOOD) == []


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
    assert _entries(cache_dir)  # the second run had the verdicts
