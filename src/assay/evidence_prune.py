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
the memory its values pinned is ever held. A document with a schema is parsed whole first, checked,
and dropped before it is decoded again pruned.

Only the evaluation of ``assay check`` reads pruned evidence, after the whole document has been
checked against its schema; packs, stores and every other command read whole documents.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict, Union

import msgspec

from assay.evidence_json import text_depth

ELEMENT = 0  # the trie's step for "every element of a list" (as assay.cel.readpaths.ELEMENT)
# Evidence files of at least this many bytes are pruned when a run asks for it (smaller ones gain little
# and would cost the rules' analysis on the everyday run).
PRUNE_ABOVE_BYTES = 1024 * 1024
REFUSED = object()  # decode_pruned could not decode the document: it is parsed whole, then pruned


@dataclass(frozen=True)
class Pruning:
    """What a run's evaluation reads of each evidence document, so the rest need not be kept.

    ``reads`` gives, per evidence name, what the catalog's rules read (the tries of
    :func:`assay.cel.readpaths.evidence_read_paths`; ``None`` or a missing name: the whole document);
    it is called once, on the first file of at least ``above_bytes``. A document is pruned only after
    it passed its schema in ``schemas`` whole; one that does not is kept whole, for the engine to say
    why. Pruned evidence is for evaluation only: never for packs, stores or the evidence command.
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

    def load(self, name: str, raw: bytes, fmt: str, whole: Callable[[], Any]) -> Loaded:
        """The document of ``raw`` (``whole()`` parses it whole, raising as it does), cut down to what
        is read when it is large."""
        limit = PRUNE_ABOVE_BYTES if self.above_bytes is None else self.above_bytes
        trie = self.reads().get(name) if len(raw) >= limit else None
        if trie is None:
            return Loaded(whole())
        schema = self.schemas.get(name)
        watched = name in self.watched
        if schema is None and fmt == "json" and not watched:
            data = decode_pruned(raw, trie, self.max_depth)
            if data is not REFUSED:
                return Loaded(data, pruned=True)
        data = whole()
        if schema is not None:
            import jsonschema_rs

            if not jsonschema_rs.Draft202012Validator(schema).is_valid(data):
                return Loaded(data)
        seen = sightings(data, self.resources, self.pool_limit) if watched else None
        if fmt == "json":
            del data  # checked: decoded again, pruned, without the whole document held
            pruned = decode_pruned(raw, trie, self.max_depth)
            if pruned is not REFUSED:
                return Loaded(pruned, pruned=True, sightings=seen)
            data = whole()
        return Loaded(prune(data, trie), pruned=True, sightings=seen)


@dataclass(frozen=True)
class Sightings:
    """What a waiver's notice reads of a pruned document's whole: which of the waivers' resources are
    among its strings (map keys included), and all its strings when there are at most a pool's worth
    (for a "did you mean"); None when there are more."""

    present: frozenset[str]
    pool: frozenset[str] | None


@dataclass(frozen=True)
class Loaded:
    """A document as loaded: its data, whether it was pruned, and what a waiver's notice needs of it."""

    data: Any
    pruned: bool = False
    sightings: Sightings | None = None


def sightings(data: Any, wanted: frozenset[str], limit: int) -> Sightings:
    """Which strings of ``wanted`` are in ``data``, and its strings while they are at most ``limit``
    (the strings ``assay.pipeline.waiver_notices`` reads: values and map keys, at any depth)."""
    present: set[str] = set()
    pool: set[str] | None = set()
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
            strings = [key for key in node if isinstance(key, str)]
        elif isinstance(node, list):
            stack.extend(node)
            continue
        elif isinstance(node, str):
            strings = [node]
        else:
            continue
        present.update(wanted.intersection(strings))
        if pool is not None:
            pool.update(strings)
            pool = pool if len(pool) <= limit else None
    return Sightings(frozenset(present), None if pool is None else frozenset(pool))


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
