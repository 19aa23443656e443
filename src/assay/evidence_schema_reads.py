"""What a JSON schema reads of a document: so a document can be checked against it without being whole.

A schema of an export names a few fields of each resource (``{"Volumes": {"items": {"properties":
{"VolumeId": ...}}}}``), and whether a document fits it depends on those fields alone. The trie
:func:`schema_reads` gives (the trie of :mod:`assay.evidence_prune`: a field name to what is read under
it, ``0`` for every element of a list, ``None`` for the whole subtree) keeps enough of every document
that the schema gives the pruned document the verdict it gives the whole one, for every document.

That holds keyword by keyword, under the one validator assay uses (JSON Schema 2020-12), because
pruning never changes a value's kind (a map stays a map, a list keeps all its elements, a scalar is
kept as it is) and keeps at least the read fields of every map:

- keywords that look at a value's kind or at a scalar (``type``, ``minimum``, ``pattern``,
  ``format`` ...) or at a list's length (``minItems``, ``maxItems``) read nothing below the value;
- ``properties`` reads each named field with its own schema, ``required`` whether each named field
  is there (``{}``: kept, as an empty map when it is one), ``items`` and ``contains`` every element;
- ``allOf``, ``anyOf``, ``oneOf``, ``not``, ``if``, ``then`` and ``else`` apply their schemas to
  the same value: it keeps what any of them reads;
- any other keyword (``enum``, ``const``, ``additionalProperties``, ``$ref``, ``uniqueItems``,
  ``prefixItems``, one this module does not know ...) reads the whole value it applies to.

Keeping more than a schema reads never changes its verdict either (each rule above holds for any
superset), so :func:`merge` of a run's rules' reads and its schema's reads is a trie that serves both.
"""

from __future__ import annotations

from typing import Any

ELEMENT = 0  # assay.evidence_prune.ELEMENT
Trie = dict[Any, Any] | None

# Keywords that say nothing of the value (annotations, and what only a $ref would reach).
_SILENT = frozenset(
    {
        "$schema",
        "$id",
        "$anchor",
        "$comment",
        "$defs",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
# Keywords that read a value's kind, a scalar, or a list's length: nothing below the value.
_OF_THE_VALUE = frozenset(
    {
        "type",
        "format",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "minContains",
        "maxContains",
    }
)
_SAME_VALUE_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SAME_VALUE = frozenset({"not", "if", "then", "else"})
_EVERY_ELEMENT = frozenset({"items", "contains"})
# Deeper than this, a schema is read whole where it goes on (a bound on the walk, not a rule of it).
MAX_SCHEMA_DEPTH = 64


def schema_reads(schema: Any, depth: int = 0) -> Trie:
    """The trie of what ``schema`` reads of the value it applies to (``None``: the whole value)."""
    if isinstance(schema, bool):
        return {}  # true or false whatever the value: only whether it is there counts, to its parent
    if not isinstance(schema, dict) or depth > MAX_SCHEMA_DEPTH:
        return None
    reads: Trie = {}
    for keyword, value in schema.items():
        if keyword in _SILENT or keyword in _OF_THE_VALUE:
            continue
        reads = merge(reads, _keyword_reads(keyword, value, depth + 1))
        if reads is None:
            return None
    return reads


def _keyword_reads(keyword: str, value: Any, depth: int) -> Trie:
    """What one keyword of a schema reads of the value the schema applies to."""
    if keyword == "properties" and isinstance(value, dict):
        return {name: schema_reads(child, depth) for name, child in value.items()}
    if keyword == "required" and isinstance(value, list) and all(type(name) is str for name in value):
        return {name: {} for name in value}
    if keyword in _EVERY_ELEMENT and isinstance(value, dict | bool):
        return {ELEMENT: schema_reads(value, depth)}
    if keyword in _SAME_VALUE:
        return schema_reads(value, depth)
    if keyword in _SAME_VALUE_LISTS and isinstance(value, list):
        reads: Trie = {}
        for child in value:
            reads = merge(reads, schema_reads(child, depth))
        return reads
    return None


def merge(one: Trie, other: Trie) -> Trie:
    """A trie that keeps what either keeps (``None`` on either side: the whole value)."""
    if one is None or other is None:
        return None
    merged = dict(one)
    for key, child in other.items():
        merged[key] = merge(merged[key], child) if key in merged else child
    return merged
