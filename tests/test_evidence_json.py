"""The fast JSON reader gives exactly what the json module gives: the same document or the same error."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.evidence import EVIDENCE_LIMITS, parse_evidence
from assay.evidence_json import _REFUSED, _fast_json, nesting_depth, plain_json, text_depth

DEPTH = EVIDENCE_LIMITS.max_depth


def reference(raw: bytes) -> tuple[str, str]:
    """What reading ``raw`` with the json module alone gives: the value's repr, or the error."""
    try:
        data = plain_json(raw, "f.json")
        if nesting_depth(data, DEPTH) > DEPTH:
            return ("error", f"f.json:1:1: error: JSON is nested more than {DEPTH} levels deep")
    except LoadError as exc:
        return ("error", str(exc.diagnostics[0]))
    return ("ok", repr(data))  # repr tells 1 from 1.0 and True, -0.0 from 0.0, and keeps key order


def fast(raw: bytes) -> tuple[str, str]:
    try:
        return ("ok", repr(parse_evidence(raw, "json", "f.json")))
    except LoadError as exc:
        return ("error", str(exc.diagnostics[0]))


scalars = (
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(documents, st.booleans(), st.sampled_from([None, 1, 2]))
def test_a_generated_document_reads_as_the_json_module_reads_it(
    document: Any, ascii_only: bool, indent: int | None
) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only, indent=indent).encode()
    assert fast(raw) == reference(raw)


# Hostile texts built by hand: each is a case where a faster reader could differ from the json module.
HOSTILE = [
    b'{"a": 1, "b": 2, "a": 3}',  # duplicate keys: the last value, at the first key's place
    b"123456789012345678901234567890",  # beyond 64 bits: exact, never a float
    b"-9223372036854775809",
    b"18446744073709551616",
    b"1e400",  # overflows to infinity in the json module
    b"1e-400",
    b"-0",
    b"-0.0",
    b"[NaN]",
    b'{"x": Infinity}',
    b"[-Infinity]",
    b'"\\ud800"',  # unpaired surrogate escapes
    b'"\\udc00\\ud800"',
    b'["ok", "\\ud83d"]',
    b'"\\ud83d\\ude00"',  # a pair: one character
    b'"\xed\xa0\x80"',  # a surrogate encoded as UTF-8 bytes: not UTF-8
    b"\xef\xbb\xbf[1]",  # a byte order mark
    b"\xef\xbb\xbf",
    b"",
    b"   ",
    b"[1,]",
    b'{"a" 1}',
    b'"\x00"',
    b"\xff",
    b"[1]\n[2]",
    b"[" * (DEPTH + 1) + b"]" * (DEPTH + 1),
    b"[" * DEPTH + b"]" * DEPTH,
    b"[" * 5000 + b"]" * 5000,
    b"{" * 3,
    b'{"a":\n  [1, 2,\n   tru]}',
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_a_hostile_text_reads_as_the_json_module_reads_it(raw: bytes) -> None:
    assert fast(raw) == reference(raw)


@settings(max_examples=300)
@given(documents, st.data())
@example(document={"a": [1, 2]}, data=None)
def test_a_damaged_document_fails_as_the_json_module_fails(document: Any, data: st.DataObject | None) -> None:
    raw = bytearray(json.dumps(document, ensure_ascii=False).encode())
    if data is not None and raw:
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.sampled_from(b'{}[],:"\\\x00\xff0-eE.nNtfI \n'))
    assert fast(bytes(raw)) == reference(bytes(raw))


def test_an_ordinary_export_is_read_by_msgspec() -> None:
    raw = json.dumps({"Volumes": [{"VolumeId": "vol-1", "Size": 100, "Encrypted": True, "Iops": 3.5}]})
    assert _fast_json(raw.encode()) is not _REFUSED
    assert _fast_json(b"[1e400]") is _REFUSED  # left to the json module, which reads infinity


@settings(max_examples=300)
@given(documents, st.booleans(), st.sampled_from([None, 1]), st.integers(0, 6))
def test_the_depth_counted_on_the_text_is_the_depth_of_the_document(
    document: Any, ascii_only: bool, indent: int | None, limit: int
) -> None:
    raw = json.dumps(document, ensure_ascii=ascii_only, indent=indent).encode()
    counted = text_depth(raw, limit)
    assert counted is None or counted == nesting_depth(document, limit)
    if b"\\" not in raw:
        assert counted is not None  # counted on the text whenever it has no escape


@pytest.mark.parametrize(
    ("raw", "depth"),
    [
        (b'{"a": "[[[[{{"}', 1),  # brackets inside strings are text
        (b'["[", "]]", {"": [""]}]', 3),
        (b'["a", "", "b"]', 1),
        (b'["[", "", "]"]', 1),  # quotes side by side that are not all the quotes: paired one by one
        (b'[["a", "b"], {"c": ["d", ""]}]', 3),  # no string holds a bracket: every quote dropped
        (b"[" * 300 + b"]" * 300, DEPTH + 1),  # stops past the limit
        (b'"just text"', 0),
        (b'{"a": "\\"["}', None),  # an escape: counted on the document instead
    ],
)
def test_text_depth_on_hostile_texts(raw: bytes, depth: int | None) -> None:
    assert text_depth(raw, DEPTH) == depth
