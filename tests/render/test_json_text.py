"""Indented JSON text: the characters json.dumps(indent=2, ensure_ascii=False) writes, at C speed."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.render.json_text import compact, indent, indented, orjson_indented

# Text of every kind: quotes, backslashes, control characters, lone surrogates, astral characters.
_TEXT = st.text(st.characters(exclude_categories=()), max_size=8)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_indented_text_is_the_json_modules(value: object) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert indented(value) == expected
    assert indent(compact(value)) == expected


def test_empty_containers_and_a_lone_surrogate() -> None:
    value = {"a": [], "b": {}, "c": [[], {}], "d": "x\ud800y", "e": 1.5e-07}
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=500, deadline=None)
@given(_VALUES)
def test_orjsons_text_is_the_json_modules_or_refused(value: object) -> None:
    fast = orjson_indented(value)
    assert fast is None or fast == json.dumps(value, indent=2, ensure_ascii=False)


@settings(max_examples=1000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_a_float_orjson_writes_otherwise_is_refused(number: float) -> None:
    fast = orjson_indented({"share": number})
    assert fast is None or fast == json.dumps({"share": number}, indent=2)


def test_what_orjson_refuses_is_written_the_plain_way() -> None:
    refused = [1.5e-07, 1e-05, -9.99e-05, {1: "a key that is no string"}, 2**64, "x\ud800y"]
    for value in refused:
        assert orjson_indented(value) is None
        assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)
    plain = {"rule": "r-1", "resource": "vol-0a", "location": {"line": 3}, "tags": [], "ok": True, "n": 1.25}
    assert orjson_indented(plain) == json.dumps(plain, indent=2, ensure_ascii=False)
