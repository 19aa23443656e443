"""The JSON report: the :class:`assay.gaps.Report` record, validated by ``assay schema report``."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from assay.gaps import ControlEntry, Report
from assay.render import RenderOptions
from assay.results import Finding, SourceLocation

# A report of a million resources holds hundreds of thousands of findings: pydantic dumps the rest of
# the report, and the findings are written as plain dicts, field by field in the model's order.
_NO_FINDINGS = {"controls": {"__all__": {"findings"}}}
_ENTRY_FIELDS = tuple(ControlEntry.model_fields)


def render(report: Report, options: RenderOptions) -> str:
    # json.dumps(indent=2) would run the json module's pure-Python encoder (a report of a million
    # resources took seconds); its C encoder writes compact text that msgspec indents into the same text.
    compact = json.dumps(report_document(report), ensure_ascii=False, separators=(",", ":"))
    return msgspec.json.format(compact.encode(), indent=2).decode() + "\n"


def report_document(report: Report) -> dict[str, Any]:
    """``report.model_dump(mode="json")``, with each finding dumped as a plain dict."""
    document = report.model_dump(mode="json", exclude=_NO_FINDINGS)
    document["controls"] = [
        _with_findings(entry, control.findings)
        for entry, control in zip(document["controls"], report.controls, strict=True)
    ]
    return document


def _with_findings(entry: dict[str, Any], findings: tuple[Finding, ...]) -> dict[str, Any]:
    rows = [_finding(finding) for finding in findings]
    return {name: rows if name == "findings" else entry[name] for name in _ENTRY_FIELDS}


def _finding(finding: Finding) -> dict[str, Any]:
    rule, resource, message, waived_by, place = finding.row
    return {
        "rule": rule,
        "resource": resource,
        "message": message,
        "waived_by": waived_by,
        "location": None if place is None else _location(place),
    }


def _location(place: SourceLocation) -> dict[str, Any]:
    return {"path": place.path, "line": place.line, "column": place.column, "end_column": place.end_column}


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every JSON report validates against."""
    body = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "report.schema.json",
        "title": "assay gap report",
        **body,
    }
