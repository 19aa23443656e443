"""Evidence cut down to the fields a catalog's rules read (:func:`assay.cel.readpaths.evidence_read_paths`).

A large export keeps every field its system wrote, and rules read a few: keeping only those is most
of the memory of a run over a million resources. Pruning follows a trie of plain data (a field name
to what is read under it, ``0`` for every element of a list, ``None`` for the whole subtree) and
keeps, at every level, exactly the values a rule can reach: a map keeps the keys the trie names, in
their order (all of them, unchanged, when the trie iterates the map itself); a list keeps every
element, each pruned; a value whose shape the trie does not expect (a list read by field, a string
read by field) is kept whole, so a rule that fails on it fails alike.

A JSON export is decoded straight into its pruned form where it can be (:func:`decode_pruned`:
msgspec skips the unread fields without making objects of them), so neither the whole document nor
the memory its values pinned is ever held. A document with a schema is decoded keeping also what
the schema reads (:mod:`assay.evidence_schema_reads`), which gives the whole document's verdict, and
checked in that form; one that does not fit is read whole, for the engine to say why.

Only the evaluation of ``assay check`` reads pruned evidence, after the whole document has been
checked against its schema; packs, stores and every other command read whole documents.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import field
from typing import Any, Protocol, TypedDict, Union

import msgspec

from assay.evidence_csv import plain_lines, read_plain, row_check
from assay.evidence_json import text_depth
from assay.evidence_schema_reads import merge, schema_reads
from assay.evidence_verdicts import fits_schema
from assay.lean_dataclasses import dataclass, frozen

ELEMENT = 0  # the trie's step for "every element of a list" (as assay.cel.readpaths.ELEMENT)
# Evidence files of at least this many bytes are pruned when a run asks for it (smaller ones gain little
# and would cost the rules' analysis on the everyday run).
PRUNE_ABOVE_BYTES = 1024 * 1024
REFUSED = object()
Schema = dict[str, Any]  # decode_pruned could not decode the document: it is parsed whole, then pruned


@frozen
class Pruning:
    """What a run's evaluation reads of each evidence document, so the rest need not be kept.

    ``reads`` gives, per evidence name, what the catalog's rules read (the tries of
    :func:`assay.cel.readpaths.evidence_read_paths`; ``None`` or a missing name: the whole document);
    it is called once, on the first file of at least ``above_bytes``. A document is pruned only when
    it fits its schema in ``schemas`` (checked whole, or pruned to what the schema reads, which gives
    the same verdict); one that does not is kept whole, for the engine to say why. Pruned evidence
    is for evaluation only: never for packs, stores or the evidence command.
    """

    reads: Callable[[], Mapping[str, Any]]
    schemas: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    above_bytes: int | None = None  # default: PRUNE_ABOVE_BYTES
    max_depth: int = 256
    # Evidence whose whole document a waiver's notice looks into (the evidence of controls with a waiver
    # naming resources): what it shows of ``resources`` is kept with the pruned document (Sightings).
    watched: frozenset[str] = frozenset()
    resources: frozenset[str] = frozenset()
    pool_limit: int = 5000  # assay.pipeline.MAX_SUGGESTION_POOL

    def load(self, name: str, raw: bytes, fmt: str, whole: Source, digest: str | None = None) -> Loaded:
        """The document of ``raw`` (``whole()`` parses it whole, raising as it does), cut down to what
        is read when it is large. ``digest``, the SHA-256 of ``raw``, keys its schema's verdict."""
        content = None if digest is None else f"file {digest} {fmt}"
        limit = PRUNE_ABOVE_BYTES if self.above_bytes is None else self.above_bytes
        trie = self.reads().get(name) if len(raw) >= limit else None
        if trie is None:
            return Loaded(whole())
        schema = self.schemas.get(name)
        watched = name in self.watched
        columns = _columns(trie) if fmt == "csv" else None
        row_wise, row_schema = _row_schema(schema)
        if columns is not None and row_wise:
            return self._csv(whole, columns, (row_schema, self.schemas.get(name)), watched)
        if fmt == "json" and not watched:
            loaded = self._decoded(raw, trie, schema, whole, content)
            if loaded is not None:
                return loaded
        data = whole()
        if schema is not None and not fits_schema(schema, data, content):
            return Loaded(data)
        seen = sightings(data, self.resources, self.pool_limit) if watched else None
        if fmt == "json":
            del data  # checked: decoded again, pruned, without the whole document held
            pruned = decode_pruned(raw, trie, self.max_depth)
            if pruned is not REFUSED:
                return Loaded(pruned, pruned=True, sightings=seen)
            data = whole()
        return Loaded(prune(data, trie), pruned=True, sightings=seen)

    def _decoded(
        self, raw: bytes, trie: dict[Any, Any], schema: Schema | None, whole: Source, content: str | None
    ) -> Loaded | None:
        """A JSON document decoded once, pruned to what its rules and its schema read, checked against
        its schema in that form (which gives the whole document's verdict: see
        :mod:`assay.evidence_schema_reads`), then cut down to what the rules read. A document that does
        not fit is read whole, for the engine to say why; None when the document must be read whole
        for the check itself (a schema that reads it all, text the fast decoder cannot vouch for)."""
        reads = trie if schema is None else merge(trie, schema_reads(schema))
        if reads is None:
            return None
        data = decode_pruned(raw, reads, self.max_depth)
        if data is REFUSED:
            return None
        if schema is not None:
            if not fits_schema(schema, data, content and f"{content} reads {reads!r}"):
                return Loaded(whole())
            if reads != trie:  # the schema read more than the rules: decoded again, without that
                del data
                data = _decode(raw, trie)
        return None if data is REFUSED else Loaded(data, pruned=True)

    def _csv(
        self,
        whole: Source,
        columns: frozenset[str],
        schemas: tuple[Schema | None, Schema | None],
        watched: bool,
    ) -> Loaded:
        """A CSV document read a row at a time, each row checked and cut down to ``columns`` as it comes,
        so the whole table is never held (unless a row does not fit the schema: then it is read whole)."""
        row_schema, schema = schemas
        seen = _Seen(self.resources, self.pool_limit) if watched else None
        plain = _plain_csv(whole, columns, row_schema, seen)
        if plain is not None:
            if plain is REFUSED or not _counted(schema or {}, len(plain)):
                return Loaded(whole())
            return Loaded(plain, pruned=True, sightings=seen.result() if seen is not None else None)
        validator = None
        if row_schema is not None:
            import jsonschema_rs

            validator = jsonschema_rs.Draft202012Validator(row_schema)
        kept = []
        for row in whole.rows():
            if validator is not None and not validator.is_valid(row):
                return Loaded(whole())
            if seen is not None:
                seen.add([*row, *row.values()])
            kept.append({key: value for key, value in row.items() if key in columns})
        if not _counted(schema or {}, len(kept)):
            return Loaded(whole())
        return Loaded(kept, pruned=True, sightings=seen.result() if seen is not None else None)


def _plain_csv(whole: Source, columns: frozenset[str], row_schema: Schema | None, seen: _Seen | None) -> Any:
    """A CSV document's rows cut down to ``columns``, read by :mod:`assay.evidence_csv` (only the fields
    the rules and the schema read are made, unless ``seen`` collects every string); REFUSED when a row
    does not fit (or has the wrong number of fields); None when the text or the schema is not one it
    reads."""
    lines = plain_lines(whole.text())
    check = None if row_schema is None else row_check(row_schema)
    if lines is None or (row_schema is not None and check is None):
        return None
    if seen is not None and lines and len(set(names := lines[0].split(","))) != len(names):
        return None  # a row's map keeps one of a duplicate name's fields: its strings are not its fields'
    if check is not None:
        import jsonschema_rs

        checked: tuple[Any, frozenset[str]] | None = (jsonschema_rs.Draft202012Validator(check[0]), check[1])
    else:
        checked = None
    rows = read_plain(lines, columns, checked, seen.add if seen is not None else None)
    return REFUSED if rows is None else rows


def _counted(schema: Schema, rows: int) -> bool:
    """Whether ``rows`` rows are as many as the document's schema allows."""
    least, most = schema.get("minItems", 0), schema.get("maxItems")
    return bool(rows >= least and (most is None or rows <= most))


class Source(Protocol):
    """A file's document: whole when called, or (a CSV file's) one row at a time, or its text."""

    def __call__(self) -> Any: ...

    def rows(self) -> Iterator[dict[str, str]]: ...

    def text(self) -> str: ...


def _columns(trie: dict[Any, Any]) -> frozenset[str] | None:
    """The columns a trie reads of a CSV document's rows; None when it reads them whole."""
    rows = trie.get(ELEMENT)
    if rows is None or ELEMENT in rows:
        return None
    return frozenset(key for key in rows if type(key) is str)


# What a schema may say of a whole CSV document (always a list) for its rows to be checked one by one.
# (minItems and maxItems are checked on the number of rows.)
_ROW_WISE = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "type", "items", "minItems", "maxItems"}
)


def _row_schema(schema: dict[str, Any] | None) -> tuple[bool, dict[str, Any] | None]:
    """Whether checking each row of a CSV document is checking the document (the schema says no more
    than "a list of such items"), and the schema each row must fit (None: no schema)."""
    if schema is None:
        return True, None
    items = schema.get("items")
    if set(schema) - _ROW_WISE or schema.get("type") != "array" or not isinstance(items, dict):
        return False, None
    if "$ref" in json.dumps(items) or "$dynamicRef" in json.dumps(items):
        return False, None
    return True, {"$schema": schema.get("$schema", _DRAFT), **items}


_DRAFT = "https://json-schema.org/draft/2020-12/schema"


@frozen
class Sightings:
    """What a waiver's notice reads of a pruned document's whole: which of the waivers' resources are
    among its strings (map keys included), and all its strings when there are at most a pool's worth
    (for a "did you mean"); None when there are more."""

    present: frozenset[str]
    pool: frozenset[str] | None


@frozen
class Loaded:
    """A document as loaded: its data, whether it was pruned, and what a waiver's notice needs of it."""

    data: Any
    pruned: bool = False
    sightings: Sightings | None = None


_FEW = 4  # up to this many resources are looked for one by one (more: by hashing the strings)


@dataclass
class _Seen:
    """Collects :class:`Sightings` from strings as they come."""

    wanted: frozenset[str]
    limit: int
    present: set[str] = field(default_factory=set)
    pool: set[str] | None = field(default_factory=set)

    def add(self, strings: list[str]) -> None:
        if len(self.wanted) > _FEW:
            self.present.update(self.wanted.intersection(strings))
        else:  # a waiver's few resources compared with the strings: none of them hashed
            for resource in self.wanted:
                if resource in strings:
                    self.present.add(resource)
        if self.pool is not None:
            self.pool.update(strings)
            self.pool = self.pool if len(self.pool) <= self.limit else None

    def result(self) -> Sightings:
        return Sightings(frozenset(self.present), None if self.pool is None else frozenset(self.pool))


def sightings(data: Any, wanted: frozenset[str], limit: int) -> Sightings:
    """Which strings of ``wanted`` are in ``data``, and its strings while they are at most ``limit``
    (the strings ``assay.pipeline.waiver_notices`` reads: values and map keys, at any depth)."""
    seen = _Seen(wanted, limit)
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            seen.add([key for key in node if isinstance(key, str)])
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            seen.add([node])
    return seen.result()


def decode_pruned(raw: bytes, trie: dict[Any, Any], max_depth: int) -> Any:
    """The JSON document in ``raw`` as :func:`prune` would leave it, decoded without the unread fields;
    :data:`REFUSED` unless that is certainly what reading it whole and pruning would give.

    msgspec checks the grammar of a field it skips, but not its UTF-8 or its numbers' range, so only
    ASCII text without escapes (whose depth :func:`text_depth` counts) is read this way; anything
    else, or a value of a shape the decoder does not expect, is read whole.
    """
    if not raw.isascii():
        return REFUSED
    depth = text_depth(raw, max_depth)
    if depth is None or depth > max_depth:
        return REFUSED
    return _decode(raw, trie)


def _decode(raw: bytes, trie: dict[Any, Any]) -> Any:
    """:func:`decode_pruned` of text it vouched for already."""
    try:
        return msgspec.json.Decoder(type=decoded_type(trie)).decode(raw)
    except (msgspec.DecodeError, RecursionError):
        return REFUSED


_SCALARS = (str, int, float, bool, None)


def decoded_type(trie: dict[Any, Any] | None) -> Any:
    """The type msgspec decodes a value into so that it holds what :func:`prune` keeps of it."""
    if trie is None:
        return Any
    if ELEMENT in trie:  # a list's elements, each pruned; a map iterated: whole
        elements = decoded_type(trie[ELEMENT])
        return _union(list.__class_getitem__(elements), dict[str, Any])
    fields = {key: decoded_type(child) for key, child in trie.items() if type(key) is str}
    record = TypedDict("record", fields, total=False)  # type: ignore[misc]
    return _union(record, list[Any])


def _union(container: Any, other: Any) -> Any:
    """One of two containers, or any scalar (kept as it is, whatever the trie expected)."""
    return Union[(container, other, *_SCALARS)]


def prune(value: Any, trie: dict[Any, Any] | None) -> Any:
    """``value`` with only what ``trie`` reads (``None``: all of it), without recursion."""
    if trie is None:
        return value
    root: list[Any] = [None]
    stack: list[tuple[Any, dict[Any, Any], list[Any] | dict[Any, Any], Any]] = [(value, trie, root, 0)]
    while stack:
        node, reads, into, at = stack.pop()
        pruned, children = _level(node, reads)
        into[at] = pruned
        stack.extend(children)
    return root[0]


def _level(node: Any, reads: dict[Any, Any]) -> tuple[Any, list[Any]]:
    """One value pruned at its own level, and the children still to prune (value, trie, into, at)."""
    kind = type(node)
    if kind is dict:
        if ELEMENT in reads:  # the map itself is iterated: its keys are read
            return node, []
        kept = {key: item for key, item in node.items() if type(key) is str and key in reads}
        return kept, [(item, reads[key], kept, key) for key, item in kept.items() if reads[key] is not None]
    if kind is list:
        inner = reads.get(ELEMENT)
        if inner is None:
            return node, []  # read whole, or only by field (which fails alike on the whole list)
        elements = list(node)
        return elements, [(item, inner, elements, index) for index, item in enumerate(elements)]
    return node, []
