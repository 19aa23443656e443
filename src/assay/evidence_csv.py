"""A CSV report read for a pruned run: only the columns its rules and its schema read are made.

A credential report of a quarter of a million users has 22 columns, of which the rules read a few
and the schema checks a few more: every value of a CSV document is a string, so a column whose
schema takes any string (``{"type": "string"}``) says nothing of a row. Text without quotes or NULs
(the csv module would read it as its lines split on commas) is read line by line here, and of each
line only the needed fields are made; anything else, a row with the wrong number of fields or one
that does not fit the schema, is left to :func:`read_plain` 's caller to read whole (which finds and
words the problem as without pruning).
"""

from __future__ import annotations

import csv
import operator
import re
from collections.abc import Callable
from itertools import repeat
from typing import Any

from assay.evidence_schema_reads import ELEMENT, schema_reads

Row = dict[str, str]
_LINE_END = re.compile(r"\r\n|\r|\n")
# What a column's schema may say and still take every string.
_ANY_STRING = frozenset(
    {"type", "title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly"}
)


def plain_lines(text: str) -> list[str] | None:
    """The lines of a CSV text that the csv module reads as those lines split on commas (a last line
    end is optional); None when it holds a quote, a NUL or a line longer than a csv field may be."""
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:  # \r\n throughout is split as fast as \n; a lone \r needs the pattern
        crlf = text.replace("\r\n", "\n")
        lines = crlf.split("\n") if "\r" not in crlf else _LINE_END.split(text)
    else:
        lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if lines and max(map(len, lines)) > csv.field_size_limit():
        return None
    return lines


def takes_any_string(schema: Any) -> bool:
    """Whether a column's schema accepts every string (then it never fails a CSV value)."""
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict) or not set(schema) <= _ANY_STRING:
        return False
    kind = schema.get("type", "string")
    return bool(kind == "string" or (isinstance(kind, list) and "string" in kind))


def row_check(row_schema: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]] | None:
    """The schema of a list of rows each of which fits ``row_schema`` without the columns that take any
    string, and the columns it still reads (rows checked on those alone get the whole rows' verdict);
    None when it reads whole rows."""
    properties = row_schema.get("properties")
    if isinstance(properties, dict):
        kept = {name: schema for name, schema in properties.items() if not takes_any_string(schema)}
        row_schema = {**row_schema, "properties": kept}
    reads = schema_reads(row_schema)
    if reads is None or ELEMENT in reads:
        return None
    items = {key: value for key, value in row_schema.items() if key != "$schema"}
    return {"$schema": row_schema.get("$schema", _DRAFT), "type": "array", "items": items}, frozenset(reads)


_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def picker(header: list[str], wanted: frozenset[str]) -> list[tuple[str, int]]:
    """Where a row's ``wanted`` columns are: the name and its last field (as a map of the row keeps the
    last of duplicate names), in the order of the names' first places."""
    last = {name: index for index, name in enumerate(header)}
    return [(name, last[name]) for name in dict.fromkeys(header) if name in wanted]


def read_plain(
    lines: list[str],
    columns: frozenset[str],
    check: tuple[Any, frozenset[str]] | None,
    see: Callable[[list[str]], None] | None = None,
) -> list[Row] | None:
    """The rows of a plain CSV text's ``lines`` cut down to ``columns``; None when a row has the wrong
    number of fields or (with ``check``: a validator of a list of rows, and the columns it reads) they
    do not all fit. Rows are checked a batch at a time, each on the columns read by the rules or the
    schema (reading more than the schema does never changes its verdict). ``see`` is given the strings
    of the rows' maps (names and fields, when no name is repeated), as they come."""
    if not lines:
        return []
    header = lines[0].split(",") if lines[0] else []
    validator, read = check if check is not None else (None, frozenset())
    both = picker(header, columns | read)
    names = [name for name, _ in both]
    if see is not None:
        rows = _seen_rows(lines, names, [at for _, at in both], see)
    elif _widths_fit(lines[1:], len(header)):
        rows = _rows(lines[1:], names, [at for _, at in both])
    else:
        rows = None
    if rows is None:
        return None
    if validator is not None:  # a batch at a time: a failing row far in stops early
        for start in range(0, max(len(rows), 1), BATCH):
            if not validator.is_valid(rows[start : start + BATCH]):
                return None
    return rows if read <= columns else [{name: row[name] for name in row if name in columns} for row in rows]


def _widths_fit(body: list[str], width: int) -> bool:
    """Whether every line holds ``width`` fields (an empty line holds none), counted by bytes methods."""
    if width == 0:
        return not any(body)
    if width == 1 and "" in body:
        return False
    return not body or set(map(str.count, body, repeat(","))) == {width - 1}


def _rows(body: list[str], names: list[str], indexes: list[int]) -> list[Row]:
    """The maps of ``names`` to the fields at ``indexes`` of lines known to hold enough fields: each
    line split only as far as the last field read."""
    pick = _getter(indexes)
    split_at = max(indexes, default=-1) + 1
    if split_at == 0:
        return [{} for _ in body]
    return [dict(zip(names, pick(line.split(",", split_at)), strict=True)) for line in body]


def _seen_rows(
    lines: list[str], names: list[str], indexes: list[int], see: Callable[[list[str]], None]
) -> list[Row] | None:
    """:func:`_rows` a line at a time, each line's strings given to ``see``; None at a line of the wrong
    number of fields."""
    pick = _getter(indexes)
    header = lines[0].split(",") if lines[0] else []
    width = len(header)
    if len(lines) > 1:
        see(header)
    rows = []
    for line in lines[1:]:
        fields = line.split(",") if line else []
        if len(fields) != width:
            return None
        see(fields)
        rows.append(dict(zip(names, pick(fields), strict=True)))
    return rows


def plain_sightings(
    text: str, lines: list[str], wanted: frozenset[str], limit: int
) -> tuple[set[str], set[str] | None] | None:
    """Which of ``wanted`` are among the strings of a plain CSV text's rows' maps (the header's names,
    when there is a row, and every field), and all those strings when there are at most ``limit``:
    found in the text, not row by row. A wanted string is a field where the text holds it between two
    separators (a comma, a line end, the text's edges), and no field holds either. None when the text
    cannot tell at little cost (an empty string wanted, or one written in many places that are not a
    field): the caller then looks at the rows."""
    if len(lines) <= 1:  # no row: no map, no string
        return set(), set()
    present = set()
    for resource in wanted:
        if not resource:
            return None
        if "," in resource or "\r" in resource or "\n" in resource or resource not in text:
            continue
        found = _as_field(text, resource)
        if found is None:
            return None
        if found:
            present.add(resource)
    pool: set[str] = set()
    for line in lines:
        pool.update(line.split(",") if line else ())
        if len(pool) > limit:
            return present, None
    return present, pool


def _as_field(text: str, resource: str) -> bool | None:
    """Whether ``resource`` stands between separators somewhere in ``text``; None after
    :data:`_CANDIDATES` places that hold it within a longer field."""
    pattern = re.compile(re.escape(resource) + r"(?![^,\r\n])")
    for count, match in enumerate(pattern.finditer(text)):
        start = match.start()
        if start == 0 or text[start - 1] in ",\r\n":
            return True
        if count >= _CANDIDATES:
            return None
    return False


_CANDIDATES = 1000


BATCH = 4096


def _getter(indexes: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """The fields at ``indexes`` of a row's fields, as a tuple."""
    if len(indexes) == 1:
        at = indexes[0]
        return lambda fields: (fields[at],)
    return operator.itemgetter(*indexes) if indexes else lambda fields: ()
