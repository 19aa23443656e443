"""The exports a million-resource run loads are checked and pruned without being read whole, and
benchmarks/evidence_load.py measures that load."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from assay.cel.readpaths import evidence_read_paths
from assay.evidence import EVIDENCE_LIMITS, _Parse, name_for
from assay.evidence_prune import Pruning
from assay.loaded_project import load_project, pruning_for

ROOT = Path(__file__).resolve().parents[2]


def module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


class Counted:
    """A file's document as the loader gives it, counting how often it is read whole."""

    def __init__(self, raw: bytes, fmt: str) -> None:
        self.parse = _Parse(raw, fmt, "shown", EVIDENCE_LIMITS)
        self.whole = 0

    def __call__(self) -> Any:
        self.whole += 1
        return self.parse()

    def rows(self) -> Iterator[dict[str, str]]:
        self.whole += 1
        return self.parse.rows()

    def text(self) -> str:
        return self.parse.text()


def test_the_scaled_exports_fit_their_schemas_and_are_never_read_whole(tmp_path: Path) -> None:
    evidence = tmp_path / "evidence"
    scaled = module("check_scale").make_evidence(evidence, 400)
    project = load_project(evidence=False)  # the example's waivers watch the credential report
    pruning = pruning_for(project.config, project.catalog, project.waivers, evidence_read_paths)
    assert pruning is not None
    pruning = Pruning(pruning.reads, pruning.schemas, 0, watched=pruning.watched, resources=pruning.resources)
    assert "aws.iam.credential_report" in pruning.watched
    for relative in scaled:
        name, raw = name_for(relative), (evidence / relative).read_bytes()
        source = Counted(raw, relative.rsplit(".", 1)[-1])
        loaded = pruning.load(name, raw, relative.rsplit(".", 1)[-1], source)
        assert loaded.pruned, name
        assert source.whole == 0, name  # the catalog's schema was checked on the pruned reading
        assert name == "aws.ec2.instances" or name in project.catalog.evidence_schemas


def test_the_load_benchmark_times_each_file_and_compares_trees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evidence = tmp_path / "evidence"
    module("check_scale").make_evidence(evidence, 40)
    bench = module("evidence_load")
    bench.compare(evidence, {"one": ROOT / "src", "two": ROOT / "src"}, 1)
    out = capsys.readouterr().out
    assert "one        load" in out
    assert "two        load" in out
    assert len([line for line in out.splitlines() if line.startswith("      ") and " s  " in line]) == 10
    assert "evidence watched by the example's waivers: aws.iam.credential_report" in out
