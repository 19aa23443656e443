"""OSCAL's shared text, made fast: each function gives what its plain form gives, on any input."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.gaps import Report
from assay.render import render
from assay.render.oscal_text import ASSAY_NS, Pruned, line, stable_uuid, without_empty

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, ASSAY_NS)
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Text of every kind, and floats orjson writes otherwise than Python (1.5e-07, 1e-05).
_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=8)
_FLOATS = st.floats(allow_nan=False, allow_infinity=False) | st.sampled_from([1e-05, 1.5e-07, -9.99e-05])
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | _FLOATS | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=30,
)


def plain_uuid(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
    return str(uuid.uuid5(_NAMESPACE, text))


def plain_line(text: str, fallback: str = "-") -> str:
    return " ".join(_CONTROL_CHARACTERS.sub(" ", text).split()) or fallback


def plain_without_empty(document: dict[str, Any]) -> dict[str, Any]:
    def pruned(value: Any) -> Any:
        if isinstance(value, dict):
            return plain_without_empty(value)
        if isinstance(value, list):
            return [pruned(item) for item in value]
        return value

    return {key: pruned(value) for key, value in document.items() if value not in ([], None)}


@settings(max_examples=500, deadline=None)
@given(st.lists(_VALUES, min_size=1, max_size=3))
def test_stable_uuid_is_uuid5_of_the_sorted_json_text(parts: list[object]) -> None:
    assert stable_uuid(*parts) == plain_uuid(*parts)


def test_stable_uuid_of_values_orjson_refuses_or_writes_otherwise() -> None:
    moment = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    for parts in (
        ("a", {1: "key"}),
        ("a", 2**70),
        ("a", 1.5e-07),
        ("a", moment),
        ("a", {"z": 1, "a": [0.00001]}),
    ):
        assert stable_uuid(*parts) == plain_uuid(*parts)
    with pytest.raises(UnicodeEncodeError):  # as uuid5 refuses a name no UTF-8 can hold
        stable_uuid("a", "x\ud800")


@settings(max_examples=500, deadline=None)
@given(
    st.text(st.characters(exclude_categories=()), max_size=12)
    | st.sampled_from(["", " ", "a  b", " a", "a "])
)
def test_line_is_the_plain_flattening(text: str) -> None:
    assert line(text) == plain_line(text)
    assert line(text, fallback="") == plain_line(text, fallback="")


@settings(max_examples=300, deadline=None)
@given(_VALUES, _VALUES)
def test_a_pruned_document_inside_another_is_pruned_as_the_plain_walk_prunes(inner: Any, outer: Any) -> None:
    document = {"inner": {"value": inner, "empty": [], "none": None}, "outer": outer, "list": [{"x": None}]}
    once = without_empty(document)
    assert isinstance(once, Pruned)
    assert once == plain_without_empty(document)
    assert without_empty({"again": once, "more": [once, {"y": []}]}) == plain_without_empty(
        {"again": document, "more": [document, {"y": []}]}
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(st.characters(exclude_categories=("Cs",)), max_size=10), min_size=3, max_size=3))
def test_the_oscal_document_is_the_json_modules_text_for_any_finding_text(
    sample_report: Report, texts: list[str]
) -> None:
    report = sample_report
    control = next(c for c in report.controls if c.findings)
    finding = control.findings[0].model_copy(update={"resource": texts[0], "message": texts[1]})
    control = control.model_copy(update={"title": texts[2], "findings": (finding, *control.findings[1:])})
    report = report.model_copy(update={"controls": (control, *report.controls[1:])})
    text = render(report, "oscal")
    assert isinstance(text, str)
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"
