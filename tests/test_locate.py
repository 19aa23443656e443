"""Where results point: each resource at its line and column in the evidence file it was read from."""

from __future__ import annotations

import bisect
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.loaded_project import load_project
from assay.locate import EvidenceText, _Files, locate_results
from assay.locate_scan import JSON_STRING, Lines, json_strings, scan_strings
from assay.pipeline import run
from assay.results import ControlResult, SourceLocation

CONTROL = """\
controls:
  - id: ACME-01
    title: Volumes are encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: {name}
        max_age: 7d
    rules:
      - id: encrypted
        for_each: {for_each}
        resource_id: {resource_id}
        assert: item.ok == true
        message: '"volume " + string(item.id) + " is not encrypted"'
    remediation: Encrypt it.
"""


def project(
    tmp_path: Path, file: str, content: str | bytes, *, for_each: str = "", resource_id: str = "item.id"
) -> Path:
    """A project with one control over ``evidence/<file>``; returns its assay.toml."""
    name = file.rsplit(".", 1)[0].replace("/", ".")
    (tmp_path / "controls").mkdir(exist_ok=True)
    control = CONTROL.format(name=name, for_each=for_each or f"{name}.items", resource_id=resource_id)
    (tmp_path / "controls" / "acme.yaml").write_text(control, encoding="utf-8")
    target = tmp_path / "evidence" / file
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        target.write_text(content, encoding="utf-8", newline="")
    else:
        target.write_bytes(content)
    (tmp_path / "evidence" / "assay-manifest.yaml").write_text(
        f"evidence:\n  {file}:\n    collected_at: 2026-11-25T06:00:00Z\n", encoding="utf-8"
    )
    config = tmp_path / "assay.toml"
    config.write_text(
        'controls = "controls"\nevidence = "evidence"\nnow = 2026-11-25T12:00:00Z\n', encoding="utf-8"
    )
    return config


def result(config: Path) -> ControlResult:
    return run(config).run.result("ACME-01")


def places(config: Path) -> dict[str | None, SourceLocation | None]:
    return {f.resource: f.location for f in result(config).findings}


def text_at(config: Path, place: SourceLocation) -> str:
    return cut((config.parent / place.path).read_text(encoding="utf-8-sig"), place)


def cut(text: str, place: SourceLocation) -> str:
    """The text ``place`` spans; lines end at LF, CRLF or CR, as editors and code scanning count them."""
    lines = re.split(r"\r\n|\r|\n", text)
    assert place.end_column is not None
    return lines[place.line - 1][place.column - 1 : place.end_column - 1]


@pytest.fixture(autouse=True)
def in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_a_json_resource_is_found_as_a_value_not_as_a_key(tmp_path: Path) -> None:
    content = (
        '{\n  "index": {"vol-1": "first seen as a key"},\n'
        '  "items": [\n    {"ok": false, "id": "vol-1"},\n    {"id": "a\\"b\\u00e9", "ok": false}\n  ]\n}\n'
    )
    config = project(tmp_path, "disks.json", content)
    found = places(config)
    assert found["vol-1"] == SourceLocation(path="evidence/disks.json", line=4, column=25, end_column=32)
    assert text_at(config, found["vol-1"]) == '"vol-1"'
    escaped = found['a"bé']
    assert escaped is not None
    assert escaped.line == 5
    assert text_at(config, escaped) == '"a\\"b\\u00e9"'


def test_a_yaml_resource_is_found_as_a_whole_word(tmp_path: Path) -> None:
    content = (
        "items:\n  - id: vol-10\n    ok: true\n  - {ok: false, id: 'vol-1'}\n  - id: vol-1x\n    ok: true\n"
    )
    config = project(tmp_path, "disks.yaml", content)
    place = places(config)["vol-1"]
    assert place is not None
    assert (place.line, text_at(config, place)) == (4, "vol-1")


def test_csv_rows_bom_and_crlf_lines(tmp_path: Path) -> None:
    content = "\ufeffid,ok\r\nalice,true\r\nbob,false\r\n".encode()
    config = project(tmp_path, "users.csv", content, for_each="users")
    place = places(config)["bob"]
    assert place == SourceLocation(path="evidence/users.csv", line=3, column=1, end_column=4)


def test_a_resource_not_written_verbatim_points_at_the_control(tmp_path: Path) -> None:
    # The id is a number in the file, shown as a string by the rule: found as a word all the same;
    # an id built from parts is in no file, so the result points at the control's definition.
    content = '{"items": [{"id": 12345, "ok": false}]}'
    config = project(tmp_path, "disks.json", content)
    place = places(config)["12345"]
    assert place is not None
    assert text_at(config, place) == "12345"
    built = project(
        tmp_path, "disks.json", '{"items": [{"id": "vol", "ok": false}]}', resource_id='item.id + "-1"'
    )
    outcome = result(built)
    assert [f.location for f in outcome.findings] == [None]
    assert outcome.location == SourceLocation(path="controls/acme.yaml", line=2, column=9, end_column=16)


def test_a_file_changed_after_the_run_read_it_is_not_trusted(tmp_path: Path) -> None:
    config = project(tmp_path, "disks.json", '{"items": [{"id": "vol-1", "ok": false}]}')
    loaded = load_project(config)
    outcome = run(loaded)
    (tmp_path / "evidence" / "disks.json").write_text('\n\n{"items": [{"id": "vol-1"}]}', encoding="utf-8")
    relocated = locate_results(outcome.run, loaded).result("ACME-01")
    assert [f.location for f in relocated.findings] == [None]
    assert outcome.run.result("ACME-01").findings[0].location is not None


def test_a_builtin_control_points_at_its_evidence(tmp_path: Path) -> None:
    volumes = tmp_path / "evidence" / "aws" / "ec2" / "volumes.json"
    volumes.parent.mkdir(parents=True)
    volumes.write_text('{"Volumes": [{"VolumeId": "vol-9", "Encrypted": false}]}', encoding="utf-8")
    (tmp_path / "evidence" / "assay-manifest.yaml").write_text(
        "evidence:\n  aws/ec2/volumes.json:\n    collected_at: 2026-11-25T06:00:00Z\n", encoding="utf-8"
    )
    config = tmp_path / "assay.toml"
    config.write_text(
        'builtin_controls = ["CRYPTO-01"]\nevidence = "evidence"\nnow = 2026-11-25T12:00:00Z\n',
        encoding="utf-8",
    )
    outcome = run(config).run.result("CRYPTO-01")
    assert outcome.location == SourceLocation(path="evidence/aws/ec2/volumes.json", line=1, column=1)
    assert outcome.findings[0].location == SourceLocation(
        path="evidence/aws/ec2/volumes.json", line=1, column=27, end_column=34
    )


def test_searches_for_resources_of_several_words_are_bounded() -> None:
    text = "schedules:\n" + "".join(f"  - name: Platform primary {n}\n" for n in range(4))
    wanted = frozenset(f"Platform primary {n}" for n in range(4))
    evidence = EvidenceText.of(
        text, format="yaml", path="evidence/s.yaml", wanted=wanted, budget=2 * len(text)
    )
    found = [evidence.find(f"Platform primary {n}") for n in range(4)]
    assert [place.line if place else None for place in found] == [2, 3, None, None]
    # One-word resources are found in one pass over the text, whatever the budget left.
    assert evidence.find("schedules") is None  # not wanted, so not indexed
    words = EvidenceText.of(text, format="yaml", path="evidence/s.yaml", budget=0)
    assert words.find("schedules") == SourceLocation(path="evidence/s.yaml", line=1, column=1, end_column=10)
    assert words.find("Platform primary 1") is None


@settings(max_examples=200, deadline=None)
@given(
    ids=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5, unique=True),
    indent=st.sampled_from([None, 1, 4]),
    ascii_only=st.booleans(),
)
def test_every_json_resource_is_found_at_its_literal(
    ids: list[str], indent: int | None, ascii_only: bool
) -> None:
    # Keys equal to an id come first in each item, so a key must never be taken for the value.
    items = [{value: 1, "ok": False, "id": value} for value in ids]
    content = json.dumps({"items": items}, indent=indent, ensure_ascii=ascii_only)
    evidence = EvidenceText.of(content, format="json", path="evidence/disks.json")
    for value in ids:
        place = evidence.find(value)
        assert place is not None
        assert json.loads(cut(content, place)) == value
        # the literal is the value after "id", not the key
        before = re.split(r"\r\n|\r|\n", content)[place.line - 1][: place.column - 1]
        assert before.rstrip().endswith(":")


def test_hostile_resource_ids_are_text_never_patterns() -> None:
    text = "items:\n  - id: 'a|b'\n  - id: arn:aws:iam::1:user/a+b\n  - id: '[x]'\n  - id: ab\n"
    evidence = EvidenceText.of(text, format="yaml", path="e.yaml")
    assert evidence.find(".*") is None
    assert evidence.find("a|b") == SourceLocation(path="e.yaml", line=2, column=10, end_column=13)
    assert evidence.find("arn:aws:iam::1:user/a+b") == SourceLocation(
        path="e.yaml", line=3, column=9, end_column=32
    )
    place = evidence.find("[x]")
    assert place is not None
    assert place.line == 4
    assert evidence.find("") is None
    assert evidence.find("   ") is None
    broken = EvidenceText.of('{"items": ["unterminated \\u12", "x"]}', format="json", path="e.json")
    assert broken.find("x") == SourceLocation(path="e.json", line=1, column=33, end_column=36)


def test_a_lone_surrogate_escaped_in_json_is_found() -> None:
    evidence = EvidenceText.of('{"items": [{"id": "vol-\\ud800x"}]}', format="json", path="e.json")
    assert evidence.find("vol-\ud800x") == SourceLocation(path="e.json", line=1, column=19, end_column=32)


# --- finding wanted strings in a large JSON file ------------------------------------------------------

# Strings that make tokenising hard: quotes and backslashes inside, a first character that is also
# what follows a closing quote, non-ASCII text (escaped or not), and ids that appear inside others.
_TRICKY = st.sampled_from(
    ["i-1", 'x"i-1', '"i-1"', "i-1\\", "\\i-1", ",i-1", ":", " i", "é-1", "", "i", "v-2"]
)
_STRINGS = st.text(alphabet='iv-12"\\:, é{}[]', max_size=6) | _TRICKY
_JSON_VALUES = st.recursive(
    st.none() | st.integers() | _STRINGS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_STRINGS, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400)
@given(
    _JSON_VALUES,
    st.sets(_STRINGS, max_size=5) | st.sets(_STRINGS.filter(lambda s: s[:1] not in ",: {}[]"), max_size=5),
    st.booleans(),
    st.sampled_from([None, 0, 2]),
)
def test_only_the_literals_that_may_be_wanted_are_read_and_the_answer_is_the_same(
    document: object, wanted: set[str], ascii_only: bool, indent: int | None
) -> None:
    text = json.dumps(document, ensure_ascii=ascii_only, indent=indent)
    chosen = frozenset(wanted)
    assert json_strings(text.encode(), chosen) == scan_strings(text.encode(), chosen, JSON_STRING)


def test_a_quote_escaped_inside_a_string_is_not_taken_for_a_literal() -> None:
    text = json.dumps({"note": 'see "i-1"', "also": 'x\\"i-1', "id": "i-1"})
    found = json_strings(text.encode(), frozenset({"i-1"}))
    start, length = found["i-1"]
    assert text[start : start + length] == '"i-1"'
    assert text[:start].endswith('"id": ')  # the literal itself, not the text inside the note


def _literal(value: str, escaped: list[bool]) -> str:
    """``value`` as a JSON literal with the characters chosen written as ``\\uXXXX`` escapes."""
    parts = []
    for index, char in enumerate(value):
        if (escaped[index % len(escaped)] if escaped else False) or char in '"\\' or char < " ":
            parts.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else json.dumps(char)[1:-1])
        else:
            parts.append(char)
    return '"' + "".join(parts) + '"'


_IDS = st.builds(str.__add__, st.sampled_from(["vol-0000", "vol-00", "i-0", "v", "sg-1"]), _STRINGS)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_IDS, st.lists(st.booleans(), max_size=9)), min_size=1, max_size=12),
    st.sets(_IDS, max_size=40),
    st.sampled_from(["", " ", "\n  "]),
)
def test_wanted_beginnings_and_escapes_find_the_same_literals(
    literals: list[tuple[str, list[bool]]], wanted: set[str], space: str
) -> None:
    """Ids sharing long beginnings (the pattern looks ahead for up to eight characters), written with
    escapes anywhere in them, as keys and values: the answer is the one of reading every literal."""
    wanted |= {value for value, _ in literals[::2]}
    rows = [f"{{{_literal(v, e)}:{space}{_literal(v, e[::-1])}}}" for v, e in literals]
    text = "[" + f",{space}".join(rows) + "]"
    assert json.loads(text) == [{v: v} for v, _ in literals]
    chosen = frozenset(wanted)
    assert json_strings(text.encode(), chosen) == scan_strings(text.encode(), chosen, JSON_STRING)


def test_many_different_beginnings_look_ahead_for_fewer_characters() -> None:
    ids = [f"vol-{n:05d}" for n in range(200)] + [f"i-{n}" for n in range(50)]
    text = json.dumps({"items": [{"id": i, "note": f"i-{i}"} for i in ids]})
    found = json_strings(text.encode(), frozenset(ids[::3]))
    assert found == scan_strings(text.encode(), frozenset(ids[::3]), JSON_STRING)
    assert sorted(found) == sorted(ids[::3])


def test_a_resource_asked_for_by_several_rules_is_searched_for_once(tmp_path: Path) -> None:
    """Several rules (and controls) fail the same resource: its place is found once per file, and the
    findings of a run share it, so a search of the whole text spends the budget once."""
    text = "schedules:\n  - name: Platform primary 1\n"
    evidence = EvidenceText.of(text, format="yaml", path="evidence/s.yaml", budget=len(text))
    first = evidence.find("Platform primary 1")
    assert first == SourceLocation(path="evidence/s.yaml", line=2, column=11, end_column=29)
    assert evidence.find("Platform primary 1") is first  # a second search would be over budget
    assert evidence.find("Platform primary 2") is None


_UNESCAPED = st.text(alphabet="iv-12:, é{}[]", max_size=6) | st.sampled_from(["i", "i-1", "i-12", "v-2", "é"])


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.integers() | _UNESCAPED,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(_UNESCAPED, children, max_size=4),
        max_leaves=25,
    ),
    st.sets(_UNESCAPED.filter(lambda s: s[:1] not in ",: {}[]"), min_size=1, max_size=4),
    st.sampled_from([None, 0, 2]),
)
def test_a_text_without_escapes_is_searched_for_each_beginning_with_the_same_answer(
    document: object, wanted: set[str], indent: int | None
) -> None:
    """Without a backslash in the text, up to four beginnings are found by str.find: one id inside
    another, ids as keys and values, and text that looks like an id after a closing quote."""
    text = json.dumps(document, ensure_ascii=False, indent=indent)
    assert "\\" not in text
    chosen = frozenset(wanted)
    assert json_strings(text.encode(), chosen) == scan_strings(text.encode(), chosen, JSON_STRING)


def _table_position(text: str, offset: int) -> tuple[int, int]:
    """The line and column of ``offset`` from a table of every line's start (the plain way)."""
    starts = [0] + [match.end() for match in re.finditer(r"\r\n|\r|\n", text)]
    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "bc", " ", "\n", "\r\n", "\n\n", "\r"]), max_size=60),
    st.lists(st.integers(min_value=0, max_value=200), max_size=30),
)
def test_lines_counted_from_the_last_offset_agree_with_a_table_of_line_starts(
    pieces: list[str], asked: list[int]
) -> None:
    text = "".join(pieces)
    lines = Lines(text.encode())
    for offset in (o % (len(text) + 1) for o in asked):  # in any order: forwards, backwards, repeated
        assert lines.at(offset) == _table_position(text, offset)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["vol-1", "vol-2", "i-9", "a b", "vol-1x", "x"]), min_size=1, max_size=12),
    st.lists(st.sampled_from(["vol-1", "vol-2", "i-9", "a b", "gone", "two words", " ", ""]), max_size=8),
    st.sampled_from(["json", "yaml"]),
)
def test_a_file_settled_in_one_pass_answers_as_searching_each_resource_would(
    ids: list[str], asked: list[str], fmt: str
) -> None:
    text = json.dumps({"Items": [{"Id": i, "Note": f"{i} and more"} for i in ids]}, indent=2)
    wanted = frozenset(asked)
    searched = EvidenceText.of(text, format=fmt, path="e", wanted=wanted)
    settled = EvidenceText.of(text, format=fmt, path="e", wanted=wanted)
    whole = settled.settle(sorted(wanted))
    if whole:
        settled.release()
        assert settled.raw == b""  # every answer is known: the text is let go
    assert [settled.find(r) for r in reversed(asked)] == [searched.find(r) for r in reversed(asked)]


def test_a_resource_searched_for_in_the_whole_text_keeps_it() -> None:
    text = '{"Items": [{"Arn": "arn:aws:iam::1:user/a b"}]}'
    evidence = EvidenceText.of(text, format="json", path="e", wanted=frozenset({"user/a b", "vol-1"}))
    assert not evidence.settle(["user/a b", "vol-1"])  # "user/a b" is no word and no whole string
    found = evidence.find("user/a b")
    assert found is not None
    assert (found.line, found.column) == (1, text.index("user/a b") + 1)


def test_the_files_of_a_run_let_each_text_go_once_its_resources_are_found(tmp_path: Path) -> None:
    content = json.dumps({"items": [{"id": "vol-1", "ok": False}, {"id": "vol-2", "ok": False}]}, indent=2)
    loaded = load_project(project(tmp_path, "aws/volumes.json", content))
    files = _Files(loaded, {"aws.volumes": frozenset({"vol-1", "vol-2"})})
    first = files.find("aws.volumes", "vol-2")
    settled = files.texts["aws.volumes"]
    assert settled is not None
    assert settled.raw == b""  # a run over a million resources holds one file's text at a time
    assert first is not None
    assert (first.line, files.find("aws.volumes", "vol-1").line) == (8, 4)  # type: ignore[union-attr]


def test_a_large_file_changed_after_the_run_read_it_is_not_trusted(tmp_path: Path) -> None:
    """A file large enough to be hashed in a thread while it is searched: changed after the run read
    it (the same size, one id another), its places are dropped with everything found in it."""
    items = [{"id": f"vol-{n:06d}", "ok": n % 2 == 1, "note": "é" * 8} for n in range(40_000)]
    content = json.dumps({"items": items}, indent=1, ensure_ascii=False)
    assert len(content.encode()) > 2 * (1 << 20)
    config = project(tmp_path, "disks.json", content)
    loaded = load_project(config)
    outcome = run(loaded)
    placed = {f.resource: f.location for f in outcome.run.result("ACME-01").findings}
    assert len(placed) == 20_000
    assert placed["vol-039998"] is not None
    assert text_at(config, placed["vol-039998"]) == '"vol-039998"'
    swapped = content.replace('"vol-000001"', '"vol-999999"', 1)
    assert len(swapped) == len(content)
    assert swapped != content
    (tmp_path / "evidence" / "disks.json").write_text(swapped, encoding="utf-8", newline="")
    relocated = locate_results(outcome.run, loaded).result("ACME-01")
    assert {f.location for f in relocated.findings} == {None}
