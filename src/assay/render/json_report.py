"""The JSON report: the :class:`assay.gaps.Report` record, validated by ``assay schema report``."""

from __future__ import annotations

import json
from typing import Any

from assay.gaps import Report
from assay.render import RenderOptions


def render(report: Report, options: RenderOptions) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every JSON report validates against."""
    body = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "report.schema.json",
        "title": "assay gap report",
        **body,
    }
