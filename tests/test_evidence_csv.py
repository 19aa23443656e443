"""A CSV report read for a pruned run, making only the fields its rules and schema read, is exactly the
whole report as the csv module reads it, checked whole against its schema, then cut down.

Random texts (commas, the three line ends, empty lines, rows of the wrong width, duplicate column
names, now and then a quote, a NUL or bytes that are not UTF-8) meet random row schemas (columns that
take any string and columns that do not, required columns, bounds on the number of rows) and random
columns read by rules.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.evidence import EVIDENCE_LIMITS, _Parse, csv_rows
from assay.evidence_csv import plain_lines, plain_sightings, row_check, takes_any_string
from assay.evidence_prune import Loaded, Pruning, sightings

NAME = "aws.iam.credential_report"
COLUMNS = ["user", "mfa", "arn", "key"]
DRAFT = "https://json-schema.org/draft/2020-12/schema"

cells = st.sampled_from(["", "x", "true", "N/A", "é", " y "])


def _text(header: list[str], rows: list[list[str]], ends: list[str], last: bool) -> str:
    lines = [header, *rows]
    ends = [*ends, *["\n"] * len(lines)]
    text = "".join(f"{','.join(line)}{end}" for line, end in zip(lines, ends, strict=False))
    return text if last else text.rstrip("\r\n")


texts = st.integers(1, 4).flatmap(
    lambda width: st.builds(
        _text,
        st.lists(st.sampled_from(COLUMNS), min_size=width, max_size=width),
        st.lists(
            st.lists(cells, min_size=width, max_size=width)
            | st.lists(cells, max_size=5),  # now and then too wide
            min_size=1,
            max_size=6,
        ),
        st.lists(st.sampled_from(["\n", "\r\n", "\r", "\n", "\r\n", "\r", "\n\n"]), max_size=8),
        st.booleans(),
    )
)
hostile = st.sampled_from(['"', "\x00", "\r\r\n", "", "", "", ""])
any_string = st.sampled_from(
    [{"type": "string"}, {}, True, {"description": "a column"}, {"type": ["string", "null"]}]
)
checking = st.sampled_from(
    [
        {"type": "string", "minLength": 1},
        {"pattern": "^[a-z]"},
        {"enum": ["true", "x"]},
        {"type": "integer"},
        False,
        {"not": {"const": "N/A"}},
    ]
)
row_schemas = st.fixed_dictionaries(
    {
        "type": st.just("object"),
        "properties": st.dictionaries(st.sampled_from(COLUMNS), any_string | checking, max_size=4),
    },
    optional={"required": st.lists(st.sampled_from(COLUMNS), max_size=3, unique=True)},
)
schemas = st.builds(
    lambda items, bounds: {"$schema": DRAFT, "type": "array", "items": items, **bounds},
    row_schemas,
    st.fixed_dictionaries({}, optional={"minItems": st.integers(0, 3), "maxItems": st.integers(0, 4)}),
)


def reference(raw: bytes, schema: dict[str, Any] | None, columns: frozenset[str], watch: Watch) -> Loaded:
    """What loading gives by the book: the whole report by the csv module, checked whole, then cut down
    (with what a waiver's notice would see of the whole report, when it is watched)."""
    text = raw.decode("utf-8")
    rows = [*_module_rows(text)]
    if schema is not None and not jsonschema_rs.Draft202012Validator(schema).is_valid(rows):
        return Loaded(rows)
    seen = sightings(rows, *watch) if watch is not None else None
    return Loaded(
        [{k: v for k, v in row.items() if k in columns} for row in rows], pruned=True, sightings=seen
    )


def _module_rows(text: str) -> Iterator[dict[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header = next(reader, None)
    for row in reader if header is not None else ():
        if len(row) != len(header):  # type: ignore[arg-type]
            raise LoadError([])
        yield dict(zip(header, row, strict=True))  # type: ignore[arg-type]


Watch = tuple[frozenset[str], int] | None
watches = st.none() | st.tuples(
    st.frozensets(st.sampled_from([*COLUMNS, "x", "true", "absent", "N/A", ""]), max_size=7),
    st.integers(0, 8),
)


@settings(max_examples=400)
@given(
    text=texts,
    spice=hostile,
    schema=st.none() | schemas,
    read=st.lists(st.sampled_from(COLUMNS), min_size=1, unique=True),
    watch=watches,
)
def test_a_report_read_for_a_pruned_run_is_the_whole_report_checked_then_cut_down(
    text: str, spice: str, schema: dict[str, Any] | None, read: list[str], watch: Watch
) -> None:
    raw = (text + spice).encode()
    columns = frozenset(read)
    pruning = Pruning(
        lambda: {NAME: {0: dict.fromkeys(read)}},
        {NAME: schema} if schema else {},
        above_bytes=0,
        watched=frozenset({NAME} if watch is not None else ()),
        resources=watch[0] if watch is not None else frozenset(),
        pool_limit=watch[1] if watch is not None else 5000,
    )
    try:
        expected: Loaded | LoadError = reference(raw, schema, columns, watch)
    except (LoadError, csv.Error):
        with pytest.raises(LoadError):
            pruning.load(NAME, raw, "csv", _Parse(raw, "csv", "report.csv", EVIDENCE_LIMITS))
        return
    loaded = pruning.load(NAME, raw, "csv", _Parse(raw, "csv", "report.csv", EVIDENCE_LIMITS))
    assert loaded == expected
    assert [list(row) for row in loaded.data] == [list(row) for row in expected.data]  # the order of columns


@given(text=texts, spice=hostile)
def test_a_plain_text_s_lines_split_on_commas_are_what_the_csv_module_reads(text: str, spice: str) -> None:
    text = spice + text
    lines = plain_lines(text)
    if lines is not None:
        assert [line.split(",") if line else [] for line in lines] == list(
            csv.reader(io.StringIO(text, newline=""), strict=True)
        )


def test_a_column_that_takes_any_string_is_not_read_to_check_a_row() -> None:
    row_schema = {
        "type": "object",
        "properties": {"user": {"type": "string", "minLength": 1}, "arn": {"type": "string"}, "mfa": {}},
        "required": ["user", "mfa"],
    }
    check = row_check(row_schema)
    assert check is not None
    assert check[1] == {"user", "mfa"}  # arn takes any string; mfa must be there
    assert row_check({"properties": {"arn": {"type": "integer"}, "mfa": True}}) == (
        {"$schema": DRAFT, "type": "array", "items": {"properties": {"arn": {"type": "integer"}}}},
        {"arn"},
    )
    assert not takes_any_string({"type": "string", "format": "date-time"})
    assert row_check({"type": "object", "additionalProperties": False}) is None


def test_a_broken_row_far_into_a_plain_report_is_the_problem_the_whole_reading_gives() -> None:
    text = "user,mfa\n" + "".join(f"u{i},true\n" for i in range(5000)) + "bob\n"
    raw = text.encode()
    pruning = Pruning(lambda: {NAME: {0: {"user": None}}}, {}, above_bytes=0)
    with pytest.raises(LoadError) as cut:
        pruning.load(NAME, raw, "csv", _Parse(raw, "csv", "report.csv", EVIDENCE_LIMITS))
    with pytest.raises(LoadError) as whole:
        list(csv_rows(text, "report.csv"))
    assert cut.value.diagnostics == whole.value.diagnostics
    assert cut.value.diagnostics[0].line == 5002


def test_a_watched_report_s_strings_are_those_of_its_rows_maps_even_under_a_repeated_name() -> None:
    raw = b"user,user,mfa\nalice,bob,true\n"  # the row's map keeps bob: alice is in no string of it
    pruning = Pruning(
        lambda: {NAME: {0: {"mfa": None}}},
        {},
        above_bytes=0,
        watched=frozenset({NAME}),
        resources=frozenset({"alice", "bob", "mfa"}),
    )
    loaded = pruning.load(NAME, raw, "csv", _Parse(raw, "csv", "report.csv", EVIDENCE_LIMITS))
    assert loaded.data == [{"mfa": "true"}]
    assert loaded.sightings is not None
    assert loaded.sightings.present == {"bob", "mfa"}
    assert loaded.sightings.pool == {"user", "mfa", "bob", "true"}


# Strings a waiver may name: within longer fields, across separators, at the text's edges, empty.
sought = st.frozensets(
    st.sampled_from(["x", "xx", "x,x", "true", "N/A", "", "é", " y ", "user", "x\n", "ab", "absent"]),
    max_size=5,
)


@settings(max_examples=300)
@given(text=texts, wanted=sought, limit=st.integers(0, 8))
def test_the_sightings_found_in_a_plain_text_are_those_of_its_rows_maps(
    text: str, wanted: frozenset[str], limit: int
) -> None:
    lines = plain_lines(text)
    if lines is None:
        return
    header = lines[0].split(",") if lines[0] else []
    fields = [line.split(",") if line else [] for line in lines[1:]]
    if len(set(header)) != len(header) or any(len(row) != len(header) for row in fields):
        return  # (a repeated name: read row by row; a row of the wrong width: the text is read whole)
    rows = [dict(zip(header, row, strict=True)) for row in fields]
    found = plain_sightings(text, lines, wanted, limit)
    if found is None:  # only when it cannot tell at little cost
        assert "" in wanted
        return
    expected = sightings(rows, wanted, limit)
    assert (frozenset(found[0]), None if found[1] is None else frozenset(found[1])) == (
        expected.present,
        expected.pool,
    )


def test_a_watched_report_is_searched_for_its_waivers_resources_in_its_text_not_row_by_row() -> None:
    # hostile: the resource is in thousands of fields only as part of a longer one, once whole at the end
    text = "user,key\n" + "".join(f"{i}-ci-deployer,x\n" for i in range(3000)) + "ci-deployer,y\n"
    lines = plain_lines(text)
    assert lines is not None
    assert (
        plain_sightings(text, lines, frozenset({"ci-deployer", "absent"}), 10) is None
    )  # too many near misses
    found = plain_sightings(text[:-14], lines[:-1], frozenset({"2999-ci-deployer", "x,", "-ci"}), 10)
    assert found == ({"2999-ci-deployer"}, None)
    raw = text.encode()
    pruning = Pruning(
        lambda: {NAME: {0: {"key": None}}},
        {},
        above_bytes=0,
        watched=frozenset({NAME}),
        resources=frozenset({"ci-deployer", "7-ci-deployer", "nobody"}),
    )
    loaded = pruning.load(NAME, raw, "csv", _Parse(raw, "csv", "report.csv", EVIDENCE_LIMITS))
    assert loaded.sightings is not None
    assert loaded.sightings.present == {"ci-deployer", "7-ci-deployer"}
    assert loaded.data[-1] == {"key": "y"}
