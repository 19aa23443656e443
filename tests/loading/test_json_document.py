"""JSON read with positions: every value is found where its text starts, and bad files are refused."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.loading.json_document import load_json_file, parse_json
from assay.yamlsource import DEFAULT_LIMITS, Limits

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=20,
)


def paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[tuple[str | int, ...], Any]]:
    found = [(prefix, value)]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths(inner, (*prefix, index))
    return found


def offset(text: str, line: int, column: int) -> int:
    return sum(len(row) + 1 for row in text.split("\n")[: line - 1]) + column - 1


@given(JSON_VALUES, st.sampled_from([None, 1, "\t"]), st.booleans())
def test_every_value_is_found_where_its_text_starts(value: Any, indent: Any, ascii_only: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only)
    document = parse_json(text, "t.json", DEFAULT_LIMITS)
    assert document.data == value
    for path, inner in paths(value):
        position = document.position(path)
        found, _ = json.JSONDecoder().raw_decode(text, offset(text, position.line, position.column))
        assert found == inner


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": [1, 2', "t.json:1:12: error: invalid JSON: Expecting ',' delimiter"),
        ('{"a": 1, "a": 2}', "the key 'a' appears twice in one object"),
        ("[NaN]", "NaN is not a JSON number"),
        ('["\\ud800"]', "t.json:1:2: error: a lone surrogate escape"),
        ("[" * 70 + "]" * 70, "nested deeper than 64 levels"),
        ("[" * 5000 + "]" * 5000, "nested deeper than 64 levels"),
        ("1" * 5000, "invalid JSON"),
    ],
)
def test_bad_json_is_refused_with_a_position(text: str, expected: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_json(text, "t.json", DEFAULT_LIMITS)
    assert expected in str(caught.value)


def test_caps_on_size_and_count(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps(list(range(100))), encoding="utf-8")
    with pytest.raises(LoadError, match="the limit is 100 bytes"):
        load_json_file(path, "big.json", Limits(max_bytes=100))
    with pytest.raises(LoadError, match="more than 50 values"):
        load_json_file(path, "big.json", Limits(max_nodes=50))
