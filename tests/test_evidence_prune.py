"""Pruned evidence gives exactly the verdicts, findings and messages of the whole document.

Random documents (the shape of ``aws ec2 describe-volumes``, with random extra fields and nesting)
meet random rules built from every construct the read-path analysis treats differently: selection
chains, constant and computed indexes, macros over chains and over made lists, ``flatten``, map and
list literals, functions and operators that take whole values. Each rule is run by the engine on the
whole document and on the document pruned to what the analysis says it reads.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.cel.readpaths import evidence_read_paths
from assay.engine import Engine
from assay.evidence import InMemoryEvidence
from assay.evidence_prune import ELEMENT, REFUSED, decode_pruned, prune
from assay.loading.catalog import Catalog
from assay.model import Control

NAME = "aws.ec2.volumes"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
KEYS = ["Volumes", "VolumeId", "Encrypted", "Tags", "Key", "Value", "Size", "a", "b"]

# --- documents -----------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(["vol-1", "vol-2", "prod", "", "Key", "a"]),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)
tags = st.lists(
    st.fixed_dictionaries({"Key": st.sampled_from(["env", "team"]), "Value": scalars}), max_size=2
)
volume = st.fixed_dictionaries(
    {"VolumeId": st.sampled_from(["vol-1", "vol-2", "vol-3"]), "Encrypted": st.booleans()},
    optional={"Size": st.integers(1, 500), "Tags": tags, "a": json_values, "b": json_values},
)
documents = st.fixed_dictionaries(
    {"Volumes": st.lists(volume, max_size=4)}, optional={"a": json_values, "Key": json_values}
)

# --- rules ---------------------------------------------------------------------------------------

ROOT = NAME


def steps(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.one_of(
                st.sampled_from(KEYS).map(lambda k: f".{k}"),
                st.sampled_from(KEYS).map(lambda k: f"['{k}']"),
                st.sampled_from(["[0]", "[1]"]),
            ),
            max_size=3,
        )
    )
    return "".join(parts)


@st.composite
def values(draw: st.DrawFn, names: tuple[str, ...], depth: int = 2) -> str:
    """A CEL expression over the evidence root, ``item`` and the macro variables in ``names``."""
    chain = st.sampled_from((ROOT, f"{ROOT}.Volumes", *names)).map(lambda root: root + steps(draw))
    if "item" in names:  # fields every volume has, so that some rules pass or fail rather than error
        chain = st.one_of(chain, st.sampled_from(["item.VolumeId", "item.Encrypted", "item.Tags", "item"]))
    if depth == 0:
        return draw(st.one_of(chain, st.sampled_from(["'vol-1'", "1", "true", "null", "[]", "{}"])))
    inner = values(names, depth - 1)
    variable = draw(st.sampled_from(["x", "y"]))
    body_names = (*names, variable)
    forms = st.one_of(
        chain,
        st.builds(lambda v: f"size({v})", inner),
        st.builds(lambda v: f"string({v})", inner),
        st.builds(lambda v: f"dyn({v})", inner),
        st.builds(lambda v: f"flatten({v})", inner),
        st.builds(lambda a, b: f"[{a}, {b}]", inner, inner),
        st.builds(lambda a, b: f"{{'k': {a}, 'j': {b}}}.k", inner, inner),
        st.builds(lambda a, b: f"{{'k': {a}}}{b}", inner, st.just(steps(draw))),
        st.builds(lambda a, b: f"{a}[{b}]", inner, inner),
        st.builds(lambda a, b: f"{a}.map({variable}, {b})", inner, values(body_names, depth - 1)),
        st.builds(lambda a, b: f"{a}.filter({variable}, {b})", inner, booleans(body_names, depth - 1)),
        st.builds(lambda c, a, b: f"({c} ? {a} : {b})", booleans(names, depth - 1), inner, inner),
    )
    return draw(forms)


@st.composite
def booleans(draw: st.DrawFn, names: tuple[str, ...], depth: int = 2) -> str:
    inner = values(names, depth)
    variable = draw(st.sampled_from(["x", "y"]))
    body = booleans((*names, variable), depth - 1) if depth > 0 else st.just("true")
    forms = st.one_of(
        st.builds(lambda a, b: f"{a} == {b}", inner, inner),
        st.builds(lambda a, b: f"{a} in {b}", inner, inner),
        st.builds(lambda a, k: f"has({a}.{k})", inner, st.sampled_from(KEYS)),
        st.builds(lambda a, b: f"{a}.all({variable}, {b})", inner, body),
        st.builds(lambda a, b: f"{a}.exists({variable}, {b})", inner, body),
        st.builds(lambda a, b: f"{a}.all(i, {variable}, {b})", inner, body),
        st.builds(lambda a: f"size({a}) > 1", inner),
        st.builds(lambda a, b: f"({a} || {b})", body, body),
    )
    return draw(forms)


@st.composite
def rules(draw: st.DrawFn) -> dict[str, str]:
    scope: tuple[str, ...] = ("item",)
    rule = {
        "for_each": draw(st.one_of(st.just(f"{ROOT}.Volumes"), values((), 1))),
        "resource_id": draw(st.sampled_from(["item.VolumeId", "string(item)", "'r'", "string(size(item))"])),
        "assert": draw(booleans(scope, 1)),
    }
    if draw(st.booleans()):
        rule["message"] = f"string({draw(values(scope, 1))})"
    if draw(st.booleans()):
        del rule["for_each"], rule["resource_id"]
        rule["assert"] = draw(booleans((), 2))
    return rule


def catalog_of(rule: dict[str, str]) -> Catalog:
    control = Control.model_validate(
        {
            "id": "ACME-01",
            "title": "Volumes",
            "claim": "Volumes are fine.",
            "description": "Every volume is fine.",
            "severity": "high",
            "domain": "testing",
            "evidence": [{"name": NAME}],
            "rules": [{"id": "r", **rule}],
            "remediation": "Fix it.",
        }
    )
    return Catalog(controls=(control,), frameworks={}, mappings=())


def results(engine: Engine, data: Any, *, pruned: bool) -> Any:
    store = InMemoryEvidence.from_values({"other.doc": 1})
    whole = store.add(NAME, data, collected_at=NOW)
    if pruned:
        trie = evidence_read_paths(engine.catalog)[NAME]
        store._items[NAME] = dataclasses.replace(whole, data=prune(copy.deepcopy(data), trie), pruned=True)
    return [r.model_dump() for r in engine.evaluate(store, now=NOW).results]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rule=rules(), document=documents)
def test_pruned_evidence_gives_the_verdicts_of_the_whole_document(
    rule: dict[str, str], document: Any
) -> None:
    engine = Engine(catalog_of(rule))
    assert results(engine, document, pruned=True) == results(engine, document, pruned=False)


# --- the pruning itself ----------------------------------------------------------------------------


def test_prune_keeps_read_fields_in_their_order_and_shapes_it_does_not_expect() -> None:
    document = {"z": 1, "a": {"x": 1, "y": 2}, "m": [1, {"q": 1}], "s": "text", "l": [{"f": 1, "g": 2}]}
    trie = {"a": {"y": None}, "s": {"f": None}, "m": {"k": None}, "l": {0: {"g": None}}}
    assert prune(document, trie) == {"a": {"y": 2}, "m": [1, {"q": 1}], "s": "text", "l": [{"g": 2}]}
    assert list(prune({"b": 1, "a": 2}, {"a": None, "b": None})) == ["b", "a"]


def test_prune_keeps_an_iterated_map_whole_and_never_takes_an_int_key_for_a_field() -> None:
    assert prune({"a": {"k": 1, 0: 2}}, {"a": {0: {"x": None}}}) == {"a": {"k": 1, 0: 2}}
    assert prune({0: "int key", "0": "text"}, {"0": None}) == {"0": "text"}
    assert prune({False: "bool key", "x": 1}, {"x": None}) == {"x": 1}


def test_prune_walks_a_deep_document_without_recursion() -> None:
    deep: Any = "leaf"
    trie: Any = None
    for _ in range(5000):
        deep, trie = {"n": deep, "x": 1}, {"n": trie}
    pruned = prune(deep, trie)
    for _ in range(5000):
        assert list(pruned) == ["n"]
        pruned = pruned["n"]
    assert pruned == "leaf"


def test_prune_of_the_whole_document_is_the_document_itself() -> None:
    document = {"a": [1, 2]}
    assert prune(document, None) is document


# Rules as real controls write them, with findings and messages, beside the random ones above.
WRITTEN = [
    {"for_each": f"{ROOT}.Volumes", "resource_id": "item.VolumeId", "assert": "item.Encrypted"},
    {
        "for_each": f"{ROOT}.Volumes.filter(v, has(v.Size) && v.Size > 100)",
        "resource_id": "item.VolumeId",
        "assert": "item.Encrypted == true",
        "message": "'volume ' + item.VolumeId + ' of ' + string(item.Size) + ' GiB'",
    },
    {
        "for_each": f"{ROOT}.Volumes",
        "resource_id": "item.VolumeId",
        "assert": "has(item.Tags) && item.Tags.exists(t, t.Key == 'env' && t.Value == 'prod')",
        "message": "'tags: ' + string(item.Tags.map(t, t.Key))",
    },
    {
        "for_each": f"{ROOT}.Volumes.map(v, {{'id': v.VolumeId, 'tags': v.Tags}})",
        "resource_id": "item.id",
        "assert": "item.tags.all(t, t.Value != null)",
    },
    {"assert": f"{ROOT}.Volumes.all(v, v.Encrypted) || size({ROOT}.Volumes) == 0"},
    {"for_each": f"{ROOT}.Volumes", "resource_id": "item.VolumeId", "assert": "item.a.b == 1"},
    {"for_each": f"{ROOT}.Volumes", "resource_id": "item.VolumeId", "assert": "string(item) != ''"},
]


@settings(max_examples=60)
@given(document=documents)
def test_written_rules_give_the_same_findings_on_pruned_evidence(document: Any) -> None:
    for rule in WRITTEN:
        engine = Engine(catalog_of(rule))
        assert results(engine, document, pruned=True) == results(engine, document, pruned=False)


# --- decoding straight into the pruned form ------------------------------------------------------

tries = st.recursive(
    st.none() | st.just({}),
    lambda inner: st.dictionaries(st.sampled_from([*KEYS, ELEMENT]), inner, max_size=4),
    max_leaves=10,
)


@settings(max_examples=300)
@given(document=json_values | documents, trie=tries)
def test_decoding_pruned_gives_what_pruning_the_whole_document_gives(document: Any, trie: Any) -> None:
    raw = json.dumps(document).encode()
    decoded = decode_pruned(raw, trie or {}, 256)
    if decoded is not REFUSED:
        assert decoded == prune(json.loads(raw), trie or {})
        assert repr(decoded) == repr(prune(json.loads(raw), trie or {}))  # key order and kinds too


@pytest.mark.parametrize(
    "raw",
    [
        b'{"a": "\xc3\xa9", "b": 1}',  # not ASCII: msgspec would not check a skipped string's UTF-8
        b'{"a": "\\u00e9", "b": 1}',  # an escape: the text's depth cannot be counted on it
        b'{"a": [[[[1]]]], "b": 1}',  # deeper than allowed
        b'{"b": [1e999]}',  # a number msgspec refuses (the json module reads it as infinity)
        b'\xef\xbb\xbf{"b": 1}',  # a byte order mark
    ],
)
def test_what_the_fast_decoder_cannot_vouch_for_is_read_whole(raw: bytes) -> None:
    assert decode_pruned(raw, {"b": {0: None}}, 3) is REFUSED


def test_decoding_pruned_keeps_the_last_of_duplicate_keys_at_the_first_place() -> None:
    raw = b'{"b": 1, "a": 2, "b": 3, "c": 4}'
    assert list(decode_pruned(raw, {"b": None, "c": None}, 8).items()) == [("b", 3), ("c", 4)]
