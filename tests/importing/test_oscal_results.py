"""OSCAL assessment results read back into a gap report: assay's own, NIST's example, and broken ones."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.importing.oscal_results import read_assessment_results
from assay.model import ControlStatus, RequirementStatus
from assay.render import render_text
from tests.render.conftest import make_sample_report
from tests.render.test_oscal import constructed_report

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "oscal"
IFA = REFERENCE / "ifa_assessment-results-example.json"


def written(tmp_path: Path) -> Path:
    path = tmp_path / "results.oscal.json"
    path.write_text(render_text(make_sample_report(), "oscal"), encoding="utf-8")
    return path


def test_assays_own_results_come_back_with_their_statuses(tmp_path: Path) -> None:
    original = make_sample_report()
    back = read_assessment_results(written(tmp_path), "results.oscal.json")
    assert back.generated_at == original.generated_at
    assert [(c.control, c.status) for c in back.controls] == [
        (c.control, c.status) for c in original.controls
    ]
    assert back.summary == original.summary
    for before, after in zip(original.frameworks, back.frameworks, strict=True):
        assert (after.key, after.name, after.version) == (before.key, before.name, before.version)
        rows = [(r.id, r.status) for r in before.requirements if not r.heading]
        assert [(r.id, r.status) for r in after.requirements] == rows
    assert [c.attestation_only for c in back.controls] == [c.attestation_only for c in original.controls]
    failing = next(c for c in back.controls if c.status is ControlStatus.FAIL)
    assert failing.remediation == original.control(failing.control).remediation
    assert {e.sha256 for e in back.evidence} <= {e.sha256 for e in original.evidence}


def test_an_observation_examined_only_reads_back_as_resting_on_attestations(tmp_path: Path) -> None:
    written_doc = json.loads(render_text(constructed_report(tmp_path / "run"), "oscal"))
    observations = written_doc["assessment-results"]["results"][0]["observations"]
    assert [o["methods"] for o in observations] == [["TEST"], ["EXAMINE"]]
    path = tmp_path / "results.oscal.json"
    path.write_text(json.dumps(written_doc), encoding="utf-8")
    back = read_assessment_results(path, "results.oscal.json")
    assert {c.control: c.attestation_only for c in back.controls} == {"SYS-01": False, "ATT-01": True}
    # EXAMINE beside another method, or not a list of methods: not attestations alone.
    observations[1]["methods"] = ["EXAMINE", "TEST"]
    observations[0]["methods"] = "EXAMINE"
    path.write_text(json.dumps(written_doc), encoding="utf-8")
    back = read_assessment_results(path, "results.oscal.json")
    assert [c.attestation_only for c in back.controls] == [False, False]


@pytest.mark.skipif(not IFA.is_file(), reason=f"NIST's OSCAL reference files are not here ({REFERENCE})")
def test_nists_example_reads_in_oscal_terms() -> None:
    report = read_assessment_results(IFA, "ifa.json")
    (framework,) = report.frameworks
    assert framework.key == "oscal"
    requirement = framework.requirements[0]
    assert requirement.id == "ac-6.1_obj"
    assert requirement.status is RequirementStatus.NOT_MET
    failing = [c for c in report.controls if c.status is ControlStatus.FAIL]
    assert [c.title for c in failing] == ["AwesomeCloud IAM Roles Test - GoodRead System Engineer Role"]
    assert "least privilege" in failing[0].claim
    assert [c.control for c in requirement.controls] == [failing[0].control]
    # A GRC tool's results, viewable as assay's reports.
    assert "ac-6.1_obj" in render_text(report, "html")
    assert "ac-6.1_obj" in render_text(report, "markdown")


def test_assay_report_renders_them_in_any_format(cli, tmp_path: Path) -> None:
    source = written(tmp_path)
    target = tmp_path / "gap-report.html"
    result = cli("report", "--from", str(source), "--output", str(target))
    assert result.code == 0, result.err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    as_json = json.loads(cli("report", "--from", str(source), "--format", "json").out)
    assert as_json["summary"] == make_sample_report().summary


def _results(**changes: Any) -> dict[str, Any]:
    metadata = {
        "title": "T",
        "last-modified": "2026-01-01T00:00:00Z",
        "version": "1",
        "oscal-version": "1.1.2",
    }
    result = {"uuid": "u", "title": "r", "description": "d", "start": "2026-01-01T00:00:00Z"}
    document: dict[str, Any] = {"uuid": "x", "metadata": metadata, "results": [result]}
    for key, value in changes.items():
        target, _, field = key.partition("__")
        (document if target == "doc" else metadata if target == "meta" else result)[field] = value
    return {"assessment-results": document}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (json.dumps({"catalog": {}}), "an OSCAL catalog, not assessment results"),
        (json.dumps([]), "not OSCAL assessment results"),
        (json.dumps({"assessment-results": {"metadata": {}}}), "non-empty string 'oscal-version'"),
        (json.dumps(_results(**{"meta__oscal-version": "2.0.0"})), "OSCAL version '2.0.0' is not supported"),
        (json.dumps(_results(result__start="yesterday")), "'yesterday' is not a date-time"),
        (json.dumps(_results(doc__results=[])), "expected at least one result"),
        (json.dumps(_results(result__findings=[{"target": {}}])), "expected a non-empty string 'target-id'"),
        (json.dumps(_results(result__observations="all")), "observations: expected a list"),
        ('{"assessment-results": {"metadata": ', "invalid JSON"),
    ],
)
def test_what_is_not_assessment_results_is_an_error_at_its_path(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        read_assessment_results(path, "bad.json")
    assert str(caught.value).startswith("bad.json:")
    assert expected in str(caught.value)


def test_a_bad_file_exits_2_and_writes_nothing(cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_results(result__start=7), indent=2), encoding="utf-8")
    target = tmp_path / "out.html"
    result = cli("report", "--from", str(path), "--output", str(target))
    assert result.code == 2
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"start": 7' in text)
    assert f"bad.json:{line}:" in result.err
    assert "assessment-results > results[0] > start: expected a non-empty string 'start'" in result.err
    assert not target.exists()


FIELDS = ["uuid", "title", "description", "props", "name", "value", "target", "status", "state", "target-id"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4),
    max_leaves=12,
)


def outcome(document: dict[str, Any]) -> str:
    """``report`` when the document reads (and renders), else the first error's text."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        try:
            report = read_assessment_results(path, "fuzz.json")
        except LoadError as exc:
            return str(exc.diagnostics[0])
    render_text(report, "html")
    return "report"


@settings(max_examples=80)
@given(JSON_VALUES, st.sampled_from(["observations", "findings", "risks", "start", "local-definitions"]))
def test_any_value_in_a_result_gives_a_report_or_an_error_never_a_crash(value: Any, field: str) -> None:
    found = outcome(_results(**{f"result__{field}": value}))
    assert found == "report" or found.startswith("fuzz.json:")
