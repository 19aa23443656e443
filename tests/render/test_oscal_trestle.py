"""Every OSCAL document assay writes, checked against NIST's models (compliance-trestle, a test dependency).

trestle's pydantic classes are generated from the OSCAL schemas: a document they accept has the shape
OSCAL asks for, and trestle's own loader reading it back is a GRC tool importing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from trestle.oscal.assessment_results import AssessmentResults

from assay.render import render_text
from tests.render.conftest import make_sample_report
from tests.render.test_oscal import constructed_report


def test_the_sample_report_validates_as_assessment_results() -> None:
    document = json.loads(render_text(make_sample_report(), "oscal"))
    model = AssessmentResults.model_validate(document["assessment-results"])
    assert len(model.results[0].observations or []) == len(make_sample_report().controls)


def test_a_report_of_hostile_names_still_validates(tmp_path: Path) -> None:
    # A resource name with a line break and escape codes, a requirement id that is not a token.
    document = json.loads(render_text(constructed_report(tmp_path / "c"), "oscal"))
    AssessmentResults.model_validate(document["assessment-results"])


def test_trestle_reads_the_written_file_back(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[1] / "fixtures" / "acme")
    target = tmp_path / "results.oscal.json"
    result = cli(
        "check", "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
        "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", "2026-11-25T12:00:00Z",
        "--output", str(target),
    )  # fmt: skip
    assert result.code == 1
    loaded = AssessmentResults.oscal_read(target)
    assert isinstance(loaded, AssessmentResults)
    written = json.loads(target.read_text(encoding="utf-8"))["assessment-results"]
    assert str(loaded.uuid) == written["uuid"]
    assert len(loaded.results[0].findings or []) == len(written["results"][0]["findings"])
