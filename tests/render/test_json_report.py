from __future__ import annotations

import json

import jsonschema

from assay.gaps import Report
from assay.render import render
from assay.schemas import json_schema


def test_json_report_matches_golden(sample_report: Report, golden) -> None:
    golden("report.json", render(sample_report, "json"))


def test_json_report_validates_against_the_published_schema(sample_report: Report) -> None:
    document = json.loads(render(sample_report, "json"))
    jsonschema.Draft202012Validator(json_schema("report")).validate(document)
    assert document["schema_version"] == 1


def test_json_report_round_trips_into_the_model(sample_report: Report) -> None:
    assert Report.model_validate_json(render(sample_report, "json")) == sample_report


def test_sample_report_shows_every_status(sample_report: Report) -> None:
    control_statuses = {c.status.value for c in sample_report.controls}
    assert control_statuses == {"pass", "fail", "error", "not_assessed", "waived"}
    requirement_statuses = {
        r.status.value for f in sample_report.frameworks for r in f.requirements if not r.heading
    }
    assert requirement_statuses == {
        "met",
        "met_with_exceptions",
        "not_met",
        "not_assessed",
        "not_covered",
        "out_of_scope",
    }
