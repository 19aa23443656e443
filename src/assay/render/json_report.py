"""The JSON report: the :class:`assay.gaps.Report` record, validated by ``assay schema report``."""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

from assay.gaps import Report
from assay.records_json import json_default, plain, plain_writable
from assay.render import RenderOptions
from assay.render.json_text import indented, orjson_indented, plain_floats, same_float


def render(report: Report, options: RenderOptions) -> str:
    # json.dumps(indent=2) would run the json module's pure-Python encoder (a report of a million
    # resources took seconds); orjson writes the same text (see assay.render.json_text), from the
    # records themselves (assay.records_json: the text pydantic's JSON dump gave, without pydantic).
    # A float that is not finite has no JSON literal: only the json module writes it (NaN), as it
    # always did. Its few floats are checked here, so the text of a million findings is not searched.
    if not finite_floats(report):
        return json.dumps(plain(report), indent=2, ensure_ascii=False) + "\n"
    floats = [number for number in _floats(report) if number is not None]
    fast = _orjson_text(report, floats_checked=all(same_float(n) for n in floats))
    return (fast if fast is not None else indented(plain(report))) + "\n"


def _orjson_text(report: Report, *, floats_checked: bool) -> str | None:
    """The report's text written by orjson from its records, or None where it would differ."""
    if not plain_writable(type(report)):  # a field with its own serialiser: written from plain values
        return orjson_indented(plain(report), floats_checked=floats_checked)
    try:
        raw = orjson.dumps(report, option=_OPTIONS, default=json_default)
    except TypeError:  # orjson.JSONEncodeError: a value orjson does not write as the json module does
        return None
    return raw.decode() if floats_checked or plain_floats(raw) else None


# Dates and datetimes go through json_default: pydantic writes UTC as Z, orjson as +00:00.
_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATETIME


def _floats(report: Report) -> list[float | None]:
    """The report's floats: each framework's ``share_met``, each evidence entry's ``age_days``."""
    return [f.share_met for f in report.frameworks] + [e.age_days for e in report.evidence]


def finite_floats(report: Report) -> bool:
    """Whether every float of ``report`` is finite."""
    return all(value is None or math.isfinite(value) for value in _floats(report))


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every JSON report validates against."""
    body = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "report.schema.json",
        "title": "assay gap report",
        **body,
    }
