"""Indented JSON text: the characters json.dumps(indent=2, ensure_ascii=False) writes, at C speed."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.render.json_text import compact, indent, indented

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
