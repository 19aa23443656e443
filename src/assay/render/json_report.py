"""The JSON report: the :class:`assay.gaps.Report` record, validated by ``assay schema report``."""

from __future__ import annotations

import json
from typing import Any

import msgspec

from assay.gaps import Report
from assay.render import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    # json.dumps(indent=2) would run the json module's pure-Python encoder (a report of a million
    # resources took seconds); its C encoder writes compact text that msgspec indents into the same text.
    compact = json.dumps(report.model_dump(mode="json"), ensure_ascii=False, separators=(",", ":"))
    return msgspec.json.format(compact.encode(), indent=2).decode() + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every JSON report validates against."""
    body = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "report.schema.json",
        "title": "assay gap report",
        **body,
    }
