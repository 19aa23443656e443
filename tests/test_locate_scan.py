"""Resources found in a file's bytes are where a plain search of its decoded text finds them.

The plain search below reads the text as characters: every JSON string literal in order (values
before keys), else the resource as a word of its own, else anywhere not inside a longer word, and
counts lines and columns from a table of line starts. :mod:`assay.locate` searches the bytes (and
decodes a text that is not ASCII only where characters decide); the answers must be the same for
text with multi-byte characters before a finding, a byte order mark, and any line endings.
"""

from __future__ import annotations

import codecs
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.locate import EvidenceText, evidence_text
from assay.locate_scan import (
    JSON_STRING,
    Lines,
    _beginnings,
    _found_each,
    _listed,
    encoded,
    json_strings,
    scan_strings,
)
from assay.results import SourceLocation

_LITERAL = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_BREAK = re.compile(r"\r\n|\r|\n")
_EDGE = r"\w.@\-"


def _position(text: str, offset: int) -> tuple[int, int]:
    starts = [0] + [match.end() for match in _BREAK.finditer(text)]
    line = max(index for index, start in enumerate(starts) if start <= offset)
    return line + 1, offset - starts[line] + 1


def _plain_offset(text: str, fmt: str, resource: str) -> tuple[int, int] | None:
    """The character offset and length of ``resource`` in ``text``, found the plain way."""
    if fmt == "json":
        values: dict[str, tuple[int, int]] = {}
        keys: dict[str, tuple[int, int]] = {}
        for match in _LITERAL.finditer(text):
            try:
                value = json.loads(match.group())
            except ValueError:
                continue
            seen = keys if re.match(r"\s*:", text[match.end() :]) else values
            seen.setdefault(value, (match.start(), len(match.group())))
        found = values.get(resource) or keys.get(resource)
        if found is not None:
            return found
    for match in re.finditer(r"[\w.@\-]+", text):
        if match.group() == resource:
            return match.start(), len(resource)
    if re.fullmatch(r"[\w.@\-]+", resource) or not resource.strip():
        return None
    anywhere = re.search(rf"(?<![{_EDGE}]){re.escape(resource)}(?![{_EDGE}])", text)
    return (anywhere.start(), len(resource)) if anywhere else None


def plain_find(text: str, fmt: str, resource: str) -> SourceLocation | None:
    found = _plain_offset(text, fmt, resource)
    if found is None:
        return None
    line, column = _position(text, found[0])
    return SourceLocation(path="e", line=line, column=column, end_column=column + found[1])


# Words and text of every width: ASCII, two-, three- and four-byte characters, characters that are
# and are not word characters (é is one, € and the line separator are not), and spaces.
_PIECES = st.sampled_from(["vol-1", "i-2", "é", "€", "😀", "a b", "x", "\u2028", "-", "@", "日本"])
_STRINGS = st.lists(_PIECES, max_size=4).map("".join)
_DOCUMENTS = st.recursive(
    st.none() | st.integers() | _STRINGS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_STRINGS, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(
    document=_DOCUMENTS,
    asked=st.lists(_STRINGS, max_size=6),
    fmt=st.sampled_from(["json", "yaml"]),
    layout=st.tuples(st.sampled_from([None, 1]), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans()),
    bom=st.booleans(),
)
def test_the_bytes_searched_give_the_plain_searchs_places(
    document: object, asked: list[str], fmt: str, layout: tuple[int | None, str, bool], bom: bool
) -> None:
    indent, ending, ascii_only = layout
    text = json.dumps(document, indent=indent, ensure_ascii=ascii_only).replace("\n", ending)
    raw = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    wanted = frozenset(asked)
    settled = evidence_text(raw, fmt, "e", wanted)
    searched = evidence_text(raw, fmt, "e", wanted)
    assert settled is not None
    assert searched is not None
    whole = settled.settle(sorted(wanted))
    if whole:
        settled.release()
    expected = [plain_find(text, fmt, resource) for resource in asked]
    assert [searched.find(resource) for resource in reversed(asked)] == expected[::-1]
    assert [settled.find(resource) for resource in asked] == expected


def test_columns_count_characters_after_multi_byte_ones() -> None:
    # Two-, three- and four-byte characters before the finding on its line, and a byte order mark.
    text = '{"note": "é€😀", "items": [\n  {"name": "日本 é", "id": "vol-1"}]}'
    raw = codecs.BOM_UTF8 + text.encode()
    evidence = evidence_text(raw, "json", "e.json", frozenset({"vol-1", "日本"}))
    assert evidence is not None
    assert not evidence.ascii_only
    assert evidence.find("vol-1") == SourceLocation(path="e.json", line=2, column=26, end_column=33)
    assert evidence.find("日本") == SourceLocation(path="e.json", line=2, column=13, end_column=15)
    assert text.splitlines()[1][25:32] == '"vol-1"'


def test_a_word_is_decided_on_characters_in_a_text_that_is_not_ascii() -> None:
    # "€" is no word character, "é" is one: "vol-1" after "€" is a word, after "é" it is part of one.
    evidence = EvidenceText.of("a: €vol-1\nb: évol-1 vol-1\n", format="yaml", path="e.yaml")
    assert evidence.find("vol-1") == SourceLocation(path="e.yaml", line=1, column=5, end_column=10)
    inside = EvidenceText.of("b: évol-1 vol-1\n", format="yaml", path="e.yaml")
    assert inside.find("vol-1") == SourceLocation(path="e.yaml", line=1, column=11, end_column=16)


def test_bytes_that_are_no_utf8_are_not_searched() -> None:
    assert evidence_text(b'{"id": "vol-1\xff"}', "json", "e.json", frozenset({"vol-1"})) is None
    assert evidence_text(b'{"id": "\xed\xa0\x80"}', "json", "e.json", None) is None  # an encoded surrogate


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "é", "😀", " ", "\n", "\r\n", "\n\n", "\r"]), max_size=40),
    st.lists(st.integers(min_value=0, max_value=100), max_size=20),
    st.booleans(),
)
def test_lines_of_bytes_count_the_characters_of_a_column(
    pieces: list[str], asked: list[int], bom: bool
) -> None:
    text = "".join(pieces)
    base = 3 if bom else 0
    raw = (codecs.BOM_UTF8 if bom else b"") + text.encode()
    lines = Lines(raw, base, ascii_only=raw.isascii())
    starts = [0]
    for piece in pieces:  # the byte offset where each piece starts: a character boundary
        starts.append(starts[-1] + len(piece.encode()))
    for index in (a % len(starts) for a in asked):  # forwards, backwards, repeated
        characters = len("".join(pieces[:index]))
        assert lines.at(base + starts[index]) == _position(text, characters)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bc", " ", "\n", "\r\n", "\n\n", "é"]), max_size=40),
    st.lists(st.integers(min_value=0, max_value=100), max_size=20),
    st.integers(min_value=0, max_value=100),
)
def test_many_offsets_at_once_are_where_each_alone_is(
    pieces: list[str], asked: list[int], first: int
) -> None:
    raw = "".join(pieces).encode()
    lines, alone = Lines(raw, ascii_only=raw.isascii()), Lines(raw, ascii_only=raw.isascii())
    starts = [0]
    for piece in pieces:
        starts.append(starts[-1] + len(piece.encode()))
    lines.at(starts[first % len(starts)])  # asked before: the next offsets may come before it
    offsets = sorted(starts[a % len(starts)] for a in asked)
    assert lines.many(offsets) == [alone.at(offset) for offset in offsets]


# --- the two ways of listing the literals of a beginning --------------------------------------------

# Ids sharing a beginning, one inside another, written before non-ASCII text or after it, as keys and
# as values, some of them several times.
_PLAIN_IDS = st.sampled_from(["i-1", "i-12", "i-1é", "i-2", "i-1 x", "i-", "vol-i-1", "日本i-1"])
_PLAIN_TEXT = st.sampled_from(["é", "😀", "x i-1 y", "i-1x", " ", "€"])


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(_PLAIN_IDS, _PLAIN_TEXT, st.booleans()),
        min_size=1,
        max_size=12,
    ),
    st.sets(_PLAIN_IDS, min_size=1, max_size=5),
    st.sampled_from([None, 0, 2]),
)
def test_literals_taken_apart_or_listed_are_the_plain_searchs(
    rows: list[tuple[str, str, bool]], wanted: set[str], indent: int | None
) -> None:
    """Every literal of a beginning read from its match (offset, key or value) or listed and found
    with bytes.find: both give what reading every literal gives, whatever the share of them wanted."""
    items = [({value: note} if as_key else {"note": note, "id": value}) for value, note, as_key in rows]
    raw = json.dumps({"items": items}, indent=indent, ensure_ascii=False).encode()
    chosen = frozenset(wanted)
    expected = scan_strings(raw, chosen, JSON_STRING)
    begun = _beginnings(chosen)
    assert begun is not None
    by_bytes = encoded(chosen)
    for way in (_found_each, _listed):
        values: dict[str, tuple[int, int]] = {}
        keys: dict[str, tuple[int, int]] = {}
        for beginning in encoded(frozenset(begun[0])):
            way(raw, beginning, by_bytes, (values, keys))
        assert {**keys, **values} == expected
    assert json_strings(raw, chosen) == expected
    # the offsets are of bytes: what a plain search of the text finds, as characters
    text = raw.decode()
    for value, (start, length) in expected.items():
        found = _plain_offset(text, "json", value)
        assert found is not None
        assert (len(raw[:start].decode()), length) == found


def test_a_file_of_many_literals_few_of_them_wanted_gives_the_same_places() -> None:
    """A share of wanted literals small enough for the listing, and large enough for taking each
    apart (each id is written twice): the answer does not depend on which is chosen."""
    ids = [f"vol-{n:017d}" for n in range(20_000)]
    items = [{"Attachments": [{"VolumeId": i}], "VolumeId": i, "Note": "é"} for i in ids]
    raw = json.dumps({"Volumes": items}, ensure_ascii=False).encode()
    for chosen in (frozenset(ids[::500]), frozenset(ids[::2]), frozenset(ids[-3:])):
        found = json_strings(raw, chosen)
        assert found == scan_strings(raw, chosen, JSON_STRING)
        assert sorted(found) == sorted(chosen)
