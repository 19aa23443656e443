from __future__ import annotations

import json
from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.gaps import Report
from assay.render import render
from assay.render.json_report import finite_floats
from assay.render.json_text import orjson_indented
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


# --- the fast path: orjson's text, byte for byte the json module's ----------------------------------

# Text of every kind (quotes, backslashes, control characters, lone surrogates, astral characters) and
# floats orjson formats otherwise than Python (1.5e-07, 1e-05), or that JSON has no literal for.
_TEXT = st.text(st.characters(exclude_categories=()), max_size=12)
_FLOATS = st.none() | st.floats() | st.sampled_from([1e-05, 1.5e-07, 9.99e-05, 1e16, -0.0, float("nan")])


def plain(report: Report) -> str:
    """The JSON report as the json module writes it, the plain way."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(_TEXT, min_size=3, max_size=3), floats=st.lists(_FLOATS, min_size=2, max_size=2))
def test_the_json_report_is_the_json_modules_text_for_any_text_and_float(
    sample_report: Report, texts: list[str], floats: list[float | None]
) -> None:
    control = next(c for c in sample_report.controls if c.findings)
    finding = control.findings[0].model_copy(update={"resource": texts[0], "message": texts[1]})
    control = control.model_copy(update={"title": texts[2], "findings": (finding, *control.findings[1:])})
    framework = sample_report.frameworks[0].model_copy(update={"share_met": floats[0]})
    evidence = sample_report.evidence[0].model_copy(update={"age_days": floats[1]})
    report = sample_report.model_copy(
        update={
            "controls": (control, *sample_report.controls[1:]),
            "frameworks": (framework, *sample_report.frameworks[1:]),
            "evidence": (evidence, *sample_report.evidence[1:]),
        }
    )
    assert render(report, "json") == plain(report)


def test_the_sample_report_takes_the_fast_path(sample_report: Report) -> None:
    document = sample_report.model_dump(mode="json")
    assert finite_floats(sample_report)
    assert orjson_indented(document) is not None  # so the golden above is orjson's text
    assert render(sample_report, "json") == plain(sample_report)


def _number_fields(schema: dict[str, Any]) -> set[str]:
    """``Model.field`` for every field of the report schema that may hold a number that is no integer."""
    found = set()
    for model, body in schema["$defs"].items():
        for name, field in body.get("properties", {}).items():
            if "number" in json.dumps(field):
                found.add(f"{model}.{name}")
    return found


def test_finite_floats_checks_every_float_of_the_report() -> None:
    """A new float field must be added to ``finite_floats``: else a NaN there would be written null."""
    assert _number_fields(Report.model_json_schema(mode="serialization")) == {
        "FrameworkReport.share_met",
        "EvidenceEntry.age_days",
    }
