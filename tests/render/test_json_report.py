from __future__ import annotations

import json

import jsonschema
import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.gaps import Report
from assay.render import render
from assay.results import Finding, SourceLocation
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


# Findings with every kind of text a resource id or message may hold: quotes, escapes, control
# characters, astral and combining characters, and the located and waived ones.
_texts = st.text(st.characters(codec="utf-8"), max_size=10)
_places = st.none() | st.builds(
    SourceLocation,
    path=_texts,
    line=st.integers(1, 10**7),
    column=st.integers(1, 10**7),
    end_column=st.none() | st.integers(1, 10**7),
)
_findings = st.builds(
    Finding,
    rule=_texts,
    resource=st.none() | _texts,
    message=_texts,
    waived_by=st.none() | _texts,
    location=_places,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_findings, max_size=4), min_size=1, max_size=4))
def test_findings_are_written_as_pydantic_would_write_them(
    sample_report: Report, findings: list[list[Finding]]
) -> None:
    """The renderer writes findings itself: the text is the one pydantic's dump of the whole report gives."""
    controls = tuple(
        entry.model_copy(update={"findings": tuple(findings[index % len(findings)])})
        for index, entry in enumerate(sample_report.controls)
    )
    report = sample_report.model_copy(update={"controls": controls})
    dumped = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    assert render(report, "json") == msgspec.json.format(dumped.encode(), indent=2).decode() + "\n"
