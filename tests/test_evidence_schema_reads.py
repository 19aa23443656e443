"""A document pruned to what its schema reads gets the whole document's verdict from the schema.

Random schemas, built from every keyword :mod:`assay.evidence_schema_reads` treats differently (the
ones it follows, the ones that read the whole value, one it does not know), meet random documents of
the keys they name, and random rules' reads: the schema's verdict on the document decoded once,
pruned to what the rules and the schema read, is its verdict on the whole document. Through
:meth:`Pruning.load`, a document that fits is pruned without ever being read whole, and one that does
not is read whole (the engine words the problem from it, as without pruning).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.engine import Engine
from assay.evidence import Pruning, load_evidence_dir
from assay.evidence_prune import ELEMENT, REFUSED, decode_pruned, prune
from assay.evidence_schema_reads import MAX_SCHEMA_DEPTH, merge, schema_reads
from assay.loading.catalog import Catalog
from assay.model import Control

NAME = "aws.ec2.volumes"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
KEYS = ["Volumes", "VolumeId", "Encrypted", "a", "b"]
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# --- documents and schemas -----------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["vol-1", "", "a", "xyz"]),
    st.floats(-3, 3, allow_nan=False, width=32),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=14,
)
TYPES = ["object", "array", "string", "integer", "number", "boolean", "null"]
keys = st.sampled_from(KEYS)
# what a schema says of the value itself: kind, scalars, lengths, annotations, and the whole-value ones
local = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(TYPES)
        | st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
        "minLength": st.integers(0, 2),
        "pattern": st.sampled_from(["^vol-", "y", "^$"]),
        "minimum": st.integers(-2, 2),
        "exclusiveMaximum": st.integers(-2, 2),
        "minItems": st.integers(0, 2),
        "maxItems": st.integers(0, 3),
        "title": st.just("a title"),
    },
)
# what reads the whole value it applies to
whole_value = st.one_of(
    st.fixed_dictionaries({"enum": st.lists(json_values, min_size=1, max_size=3)}),
    st.fixed_dictionaries({"const": json_values}),
    st.fixed_dictionaries({"uniqueItems": st.booleans()}),
    st.fixed_dictionaries({"minProperties": st.integers(0, 2)}),
    st.fixed_dictionaries({"x-unknown": st.just(1)}),
)


def _applied(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Keywords that apply schemas below or at the value, with what the schema says of the value."""
    followed = st.one_of(
        st.fixed_dictionaries({"properties": st.dictionaries(keys, inner, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"required": st.lists(keys, max_size=3, unique=True)}),
        st.fixed_dictionaries({"items": inner}),
        st.fixed_dictionaries({"contains": inner}, optional={"minContains": st.integers(0, 2)}),
        st.sampled_from(["allOf", "anyOf", "oneOf"]).flatmap(
            lambda keyword: st.fixed_dictionaries({keyword: st.lists(inner, min_size=1, max_size=3)})
        ),
        st.fixed_dictionaries({"not": inner}),
        st.fixed_dictionaries({"if": inner}, optional={"then": inner, "else": inner}),
    )
    read_whole = st.one_of(
        st.fixed_dictionaries({"additionalProperties": inner}),
        st.fixed_dictionaries({"prefixItems": st.lists(inner, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"propertyNames": st.just({"pattern": "^[A-Z]"})}),
        whole_value,
    )
    # mostly keywords it follows: a schema that reads its whole document tests nothing here
    other = st.one_of(followed, st.just({}), st.just({}), st.just({}), read_whole)
    return st.builds(lambda one, two, value: {**value, **one, **two}, followed, other, local)


schemas = st.recursive(st.one_of(st.booleans(), local, local, local, whole_value), _applied, max_leaves=8)
# the shape of an export's schema: its list of resources, each resource with any schema above
export_schemas = st.builds(
    lambda resource, listed, required: {
        "type": "object",
        "properties": {"Volumes": {"type": "array", "items": resource, **listed}},
        "required": required,
    },
    schemas,
    st.fixed_dictionaries({}, optional={"uniqueItems": st.booleans(), "minItems": st.integers(0, 2)}),
    st.lists(keys, max_size=2, unique=True),
)
any_schemas = st.one_of(schemas, export_schemas)
# an evidence schema is a map (a catalog gives no other)
root_schemas = any_schemas.map(lambda schema: schema if isinstance(schema, dict) else {"allOf": [schema]})
tries = st.recursive(
    st.just({}) | st.just({}) | st.none(),
    lambda inner: st.dictionaries(st.sampled_from([*KEYS, ELEMENT]), inner, max_size=4),
    max_leaves=8,
)
small_maps = st.dictionaries(keys, scalars | st.dictionaries(keys, scalars, max_size=2), max_size=3)
volume = st.fixed_dictionaries(
    {"VolumeId": st.sampled_from(["vol-1", "", "x"]) | json_values},
    optional={
        "Encrypted": st.booleans() | json_values,
        "a": small_maps | json_values,
        "b": st.lists(small_maps, max_size=3) | json_values,
    },
)
exports = st.fixed_dictionaries(
    {"Volumes": st.lists(volume, max_size=4) | json_values}, optional={"a": json_values, "b": json_values}
)
documents = st.one_of(exports, exports, st.dictionaries(keys, json_values, max_size=4), json_values)


def validator(schema: Any) -> Any:
    return jsonschema_rs.Draft202012Validator(
        {"$schema": DRAFT, **schema} if isinstance(schema, dict) else schema
    )


# --- the verdict --------------------------------------------------------------------------------

SETTINGS = settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(schema=any_schemas, document=documents, trie=tries)
def test_a_document_pruned_to_what_its_schema_reads_gets_the_whole_documents_verdict(
    schema: Any, document: Any, trie: Any
) -> None:
    reads = merge(trie or {}, schema_reads(schema))
    raw = json.dumps(document).encode()
    decoded = json.loads(raw) if reads is None else decode_pruned(raw, reads, 256)
    assert decoded is not REFUSED
    check = validator(schema)
    assert check.is_valid(decoded) == check.is_valid(document)


@SETTINGS
@given(schema=root_schemas, document=documents, trie=tries)
def test_loading_a_document_prunes_it_exactly_when_it_fits_and_never_reads_a_fitting_one_whole(
    schema: Any, document: Any, trie: Any
) -> None:
    raw = json.dumps(document).encode()
    whole = Whole(raw)
    full = {"$schema": DRAFT, **schema} if isinstance(schema, dict) else schema
    pruning = Pruning(lambda: {NAME: trie or {}}, {NAME: full}, above_bytes=0)  # type: ignore[dict-item]
    loaded = pruning.load(NAME, raw, "json", whole)
    fits = validator(schema).is_valid(document)
    assert loaded.pruned == fits
    if fits:
        assert repr(loaded.data) == repr(prune(json.loads(raw), trie or {}))
        if merge(trie or {}, schema_reads(schema)) is not None:
            assert whole.calls == 0  # checked and pruned without the whole document
    else:
        assert loaded.data == document  # whole, for the engine to say what is wrong with it


class Whole:
    """A file's whole document, counting how often it is asked for (the loader's Source)."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        return json.loads(self.raw)

    def rows(self) -> Iterator[dict[str, str]]:
        raise AssertionError("not a CSV document")


# --- what a schema reads ------------------------------------------------------------------------

VOLUMES = {
    "$schema": DRAFT,
    "$id": "aws.ec2.volumes.schema.json",
    "title": "aws.ec2.volumes",
    "type": "object",
    "properties": {
        "Volumes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "VolumeId": {"type": "string", "minLength": 1},
                    "KmsKeyId": {"type": "string"},
                },
                "required": ["VolumeId", "Encrypted"],
            },
        }
    },
    "required": ["Volumes"],
}


def test_an_export_schema_reads_the_fields_it_names_and_whether_the_required_ones_are_there() -> None:
    assert schema_reads(VOLUMES) == {"Volumes": {ELEMENT: {"VolumeId": {}, "KmsKeyId": {}, "Encrypted": {}}}}


def test_what_a_keyword_it_does_not_follow_applies_to_is_read_whole() -> None:
    closed = {"properties": {"a": {"enum": [[1]]}, "b": {"additionalProperties": False}, "c": {"$ref": "#"}}}
    assert schema_reads(closed) == {"a": None, "b": None, "c": None}
    assert schema_reads({"type": "object", "x-vendor": {"properties": {}}}) is None
    assert (
        schema_reads({"items": {"required": ["a"]}, "uniqueItems": True}) is None
    )  # compares elements whole
    assert schema_reads({"items": [{"type": "string"}]}) is None  # the items of older drafts
    assert schema_reads({"anyOf": [{"required": ["a"]}, {"properties": {"b": {"const": 1}}}]}) == {
        "a": {},
        "b": None,
    }


def test_a_schema_nested_deeper_than_the_walk_goes_is_read_whole_below_that() -> None:
    schema: dict[str, Any] = {"type": "string"}
    for _ in range(MAX_SCHEMA_DEPTH + 5):
        schema = {"properties": {"a": schema}}
    reads = schema_reads(schema)
    depth = 0
    while reads is not None:
        reads, depth = reads["a"], depth + 1
    assert 0 < depth <= MAX_SCHEMA_DEPTH + 1


def test_merging_keeps_what_either_side_keeps() -> None:
    assert merge({"a": {"x": None}, ELEMENT: {}}, {"a": {"y": {}}, "b": {}}) == {
        "a": {"x": None, "y": {}},
        ELEMENT: {},
        "b": {},
    }
    assert merge({"a": None}, {"a": {"y": {}}}) == {"a": None}
    assert merge({}, None) is None


# --- through a folder and the engine -------------------------------------------------------------

RULE = {"id": "r", "for_each": f"{NAME}.Volumes", "resource_id": "item.VolumeId", "assert": "item.Encrypted"}


def _engine() -> Engine:
    control = Control.model_validate(
        {
            "id": "ACME-01",
            "title": "Volumes",
            "claim": "Disks are encrypted.",
            "description": "Every volume is encrypted.",
            "severity": "high",
            "domain": "testing",
            "evidence": [{"name": NAME}],
            "rules": [RULE],
            "remediation": "Fix it.",
        }
    )
    return Engine(Catalog((control,), {}, (), evidence_schemas={NAME: VOLUMES}))


def test_a_large_export_that_breaks_its_schema_deep_down_is_reported_as_without_pruning(
    tmp_path: Path,
) -> None:
    volumes = [{"VolumeId": f"vol-{i}", "Encrypted": True, "KmsKeyId": "k", "Size": i} for i in range(3000)]
    volumes[2718]["KmsKeyId"] = 7  # a field no rule reads, of the wrong type, far into the file
    folder = tmp_path / "evidence"
    (folder / "aws" / "ec2").mkdir(parents=True)
    (folder / "aws" / "ec2" / "volumes.json").write_text(json.dumps({"Volumes": volumes}), encoding="utf-8")
    engine = _engine()
    reads = {NAME: {"Volumes": {ELEMENT: {"VolumeId": None, "Encrypted": None}}}}
    pruned = load_evidence_dir(folder, pruning=Pruning(lambda: reads, {NAME: VOLUMES}, above_bytes=0))
    plain = load_evidence_dir(folder)
    assert not pruned.get(NAME).pruned  # type: ignore[union-attr]
    cut, whole = (engine.evaluate(store, now=NOW).results[0] for store in (pruned, plain))
    assert cut.model_dump() == whole.model_dump()
    assert "KmsKeyId" in str(whole.model_dump())  # the message names the field that is wrong
    volumes[2718]["KmsKeyId"] = "k"
    (folder / "aws" / "ec2" / "volumes.json").write_text(json.dumps({"Volumes": volumes}), encoding="utf-8")
    fixed = load_evidence_dir(folder, pruning=Pruning(lambda: reads, {NAME: VOLUMES}, above_bytes=0))
    assert fixed.get(NAME).pruned  # type: ignore[union-attr]
    assert fixed.get(NAME).data["Volumes"][2718] == {"VolumeId": "vol-2718", "Encrypted": True}  # type: ignore[union-attr]
