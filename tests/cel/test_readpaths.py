"""What a catalog's rules read of each evidence document: never less than they can read.

Each hostile case below builds a rule whose read cannot be narrowed to fields, prunes a document by
what the analysis found, and checks that the part the rule may read came through whole: the test
fails if the analysis narrows that case.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from assay.cel.readpaths import ELEMENT, _by_evidence, evidence_read_paths, rule_paths
from assay.evidence_prune import prune
from assay.loading.catalog import Catalog
from assay.model import Control

NAME = "acme.items"


def catalog(*rules: dict[str, str], check: str = "cel", kind: str = "system") -> Catalog:
    control = Control.model_validate(
        {
            "id": "ACME-01",
            "title": "Items",
            "claim": "Items are fine.",
            "description": "Every item is fine.",
            "severity": "high",
            "domain": "testing",
            "evidence": [{"name": NAME, "kind": kind}],
            "check": check,
            "rules": [{"id": f"r{i}", **rule} for i, rule in enumerate(rules)],
            "remediation": "Fix it.",
        }
    )
    return Catalog(controls=(control,), frameworks={}, mappings=())


def document() -> dict[str, Any]:
    """Every value has a sibling no rule below names, so pruning shows."""
    return {
        "Items": [
            {
                "Id": "i-1",
                "Tags": {"env": "prod", "team": "core"},
                "Nested": {"Deep": {"x": 1, "y": 2}, "Other": 3},
                "Lists": [[{"v": 1, "w": 2}], [{"v": 3, "w": 4}]],
                "Unread": "gone",
            },
            {"Id": "i-2", "Tags": {"env": "dev"}, "Nested": {"Deep": {"x": 5}}, "Lists": [], "Unread": 7},
        ],
        "Config": {"mode": "strict", "level": 3},
        "Extra": {"big": list(range(10))},
    }


def pruned_by(*rules: dict[str, str]) -> Any:
    trie = evidence_read_paths(catalog(*rules))[NAME]
    return prune(copy.deepcopy(document()), trie)


def items(rule_assert: str) -> dict[str, str]:
    return {"for_each": f"{NAME}.Items", "resource_id": "item.Id", "assert": rule_assert}


# --- what may be narrowed ---------------------------------------------------------------------------


def test_a_field_chain_keeps_only_its_fields() -> None:
    pruned = pruned_by(items("item.Nested.Deep.x == 1"))
    assert pruned == {
        "Items": [{"Id": "i-1", "Nested": {"Deep": {"x": 1}}}, {"Id": "i-2", "Nested": {"Deep": {"x": 5}}}]
    }


def test_has_reads_the_field_it_tests_and_nothing_beside_it() -> None:
    pruned = pruned_by(items("has(item.Tags.env)"))
    assert [item["Tags"] for item in pruned["Items"]] == [{"env": "prod"}, {"env": "dev"}]
    assert "Unread" not in pruned["Items"][0]
    # has() needs the field there, not what it holds
    assert [item["Nested"] for item in pruned_by(items("has(item.Nested)"))["Items"]] == [{}, {}]


def test_flatten_and_map_read_the_fields_of_the_inner_elements() -> None:
    pruned = pruned_by(items("flatten(item.Lists).all(e, e.v > 0)"))
    assert pruned["Items"][0]["Lists"] == [[{"v": 1}], [{"v": 3}]]
    rule = {
        "for_each": f"flatten({NAME}.Items.map(i, i.Lists)).flatten()",
        "resource_id": "'x'",
        "assert": "item.w > 0",
    }
    assert pruned_by(rule) == {"Items": [{"Lists": [[{"w": 2}], [{"w": 4}]]}, {"Lists": []}]}


def test_a_map_literal_entry_lies_where_its_value_does() -> None:
    rule = {
        "for_each": f"flatten({NAME}.Items.map(i, i.Lists.map(l, {{'item': i, 'list': l}})))",
        "resource_id": "item.item.Id",
        "assert": "item.list.size() >= 0",
    }
    pruned = pruned_by(rule)
    assert pruned["Items"][0] == {"Id": "i-1", "Lists": [[{"v": 1, "w": 2}], [{"v": 3, "w": 4}]]}
    assert pruned_by(items("{'a': item.Tags, 'b': item.Nested}.a.env == ''")) == {
        "Items": [
            {"Id": "i-1", "Tags": {"env": "prod"}, "Nested": {}},  # Nested is evaluated: it must be there
            {"Id": "i-2", "Tags": {"env": "dev"}, "Nested": {}},
        ]
    }


def test_an_unread_evidence_document_keeps_nothing_but_its_shape() -> None:
    assert pruned_by({"assert": "true"}) == {}


def test_what_a_rule_selects_or_iterates_is_kept_though_no_field_of_it_is_read() -> None:
    # the for_each list and a macro's receiver must be there, element for element, for the same verdict
    assert pruned_by({"for_each": f"{NAME}.Items", "resource_id": "'r'", "assert": "true"}) == {
        "Items": [{}, {}]
    }
    assert pruned_by({"assert": f"{NAME}.Config.mode.all(x, true)"}) == {"Config": {"mode": "strict"}}
    assert pruned_by({"assert": f"{{'k': {NAME}.Extra, 'j': 1}}.j == 1"}) == {"Extra": {}}


# --- what must stay whole: one test per kind of dynamic access -----------------------------------


@pytest.mark.parametrize(
    ("rule", "whole"),
    [
        # a filtered list's elements are the list's: what is read of them after the filter is kept
        (
            {"assert": f"{NAME}.Items.filter(i, i.Id == 'i-1').all(i, i.Nested.Other == 3)"},
            "Items.0.Nested.Other",
        ),
        # a mapped list of map literals whose key is computed
        (
            {"assert": f"{NAME}.Items.map(i, {{i.Id: i.Tags}}).all(m, m['i-1'].team == 'core')"},
            "Items.*.Tags",
        ),
        # an optional entry of a map literal
        (
            {"assert": f"{NAME}.Items.map(i, {{?'t': optional.of(i.Tags)}}).all(m, m.t.x == 1)"},
            "Items.*.Tags",
        ),
        # two-variable macros (the variable's binding is not followed)
        ({"assert": f"{NAME}.Items.all(n, i, i.Unread != 0)"}, "Items"),
        # cel.bind binds a variable the analysis does not follow
        ({"assert": f"cel.bind(t, {NAME}.Items[0], t.Unread == 'gone')"}, "Items.0"),
    ],
)
def test_a_binding_that_cannot_be_followed_keeps_its_source_whole(rule: dict[str, str], whole: str) -> None:
    assert_whole(pruned_by(rule), whole)


def test_a_key_computed_at_run_time_keeps_the_map_whole() -> None:
    assert_whole(pruned_by(items("item.Tags[item.Id] == 'x' || true")), "Items.*.Tags")
    assert_whole(pruned_by({"assert": f"{NAME}.Config[{NAME}.Items[0].Id] == 1"}), "Config")


def test_an_element_read_by_a_computed_index_keeps_the_list_whole() -> None:
    assert_whole(pruned_by({"assert": f"{NAME}.Items[size({NAME}.Config) - 2] != null"}), "Items")


@pytest.mark.parametrize(
    ("expression", "whole"),
    [
        ("size(item.Tags) > 0", "Items.*.Tags"),
        ("item.Tags.size() > 0", "Items.*.Tags"),
        ("string(item.Nested) != ''", "Items.*.Nested"),
        ("item.Nested == {'Deep': {'x': 1}}", "Items.*.Nested"),
        ("{'Deep': {'x': 1}} != item.Nested", "Items.*.Nested"),
        ("'env' in item.Tags", "Items.*.Tags"),
        ("item.Nested in [item.Tags]", "Items.*.Nested"),
        ("dyn(item.Nested).Deep.x == 1", "Items.*.Nested"),
        ("(item.Id == 'i-1' ? item.Tags : item.Nested) != {}", "Items.*.Tags"),
        ("[item.Nested][0].Other == 3", "Items.*.Nested"),
        ("type(item.Tags) == map", "Items.*.Tags"),
        ("json(item) != ''", "Items.*"),
    ],
)
def test_a_value_used_whole_is_kept_whole(expression: str, whole: str) -> None:
    assert_whole(pruned_by(items(expression)), whole)


def test_iterating_over_a_map_keeps_its_keys_and_values() -> None:
    assert_whole(pruned_by(items("item.Tags.all(k, k != 'x')")), "Items.*.Tags")
    assert_whole(pruned_by({"assert": f"{NAME}.Config.exists(k, k == 'mode')"}), "Config")


def test_a_record_above_the_evidence_used_whole_keeps_it_whole() -> None:
    assert evidence_read_paths(catalog({"assert": "size(acme) > 0"}))[NAME] is None
    assert evidence_read_paths(catalog({"assert": "acme.exists(k, k == 'items')"}))[NAME] is None
    assert evidence_read_paths(catalog({"assert": f"{NAME} != null"}))[NAME] is None


def test_a_rule_without_for_each_reads_item_as_nothing_of_the_evidence() -> None:
    # ``item`` is free (an error when run): no evidence is read through it
    assert pruned_by({"assert": "item.Id == 'x'"}) == {}


def test_python_checks_attestations_and_broken_rules_read_the_whole_document() -> None:
    assert evidence_read_paths(catalog(check="python"))[NAME] is None
    assert evidence_read_paths(catalog(items("item.Id != ''"), kind="attestation"))[NAME] is None
    assert evidence_read_paths(catalog(items("item.Id ==")))[NAME] is None


def test_a_macro_variable_shadows_an_evidence_root() -> None:
    # ``acme`` inside the macro is the element, not the evidence root: the elements' field is kept
    pruned = pruned_by({"assert": f"{NAME}.Items.all(acme, acme.Id != '')"})
    assert pruned == {"Items": [{"Id": "i-1"}, {"Id": "i-2"}]}


def test_paths_are_matched_to_each_evidence_name() -> None:
    names = ["a.b", "a.c"]
    assert dict(_by_evidence([("a", "b", "x")], names)) == {"a.b": ("x",)}
    assert dict(_by_evidence([("a",)], names)) == {"a.b": None, "a.c": None}
    assert dict(_by_evidence([("a", ELEMENT, "x")], names)) == {"a.b": None, "a.c": None}
    assert dict(_by_evidence([("z", "b")], names)) == {}


def test_the_analysis_comes_from_the_cache_without_parsing(cache_dir: Any, monkeypatch: Any) -> None:
    rule = (("assert", "acme.items.Items.all(i, i.Id != '')"),)
    rule_paths.cache_clear()
    first = rule_paths(rule)
    rule_paths.cache_clear()

    def no_parse(expression: str) -> Any:
        raise AssertionError("parsed again")

    monkeypatch.setattr("assay.cel.syntax.parse", no_parse)
    assert first is not None
    assert rule_paths(rule) == first
    assert first.whole == (("acme", "items", "Items", ELEMENT, "Id"),)
    assert first.reached == (
        ("acme", "items"),
        ("acme", "items", "Items"),
        ("acme", "items", "Items", ELEMENT),
    )
    rule_paths.cache_clear()


# --- helpers -----------------------------------------------------------------------------------------


def assert_whole(pruned: Any, dotted: str) -> None:
    """The part at ``dotted`` (``*``: every element) is the document's own, unpruned."""
    original = document()
    pairs = [(pruned, original)]
    for step in dotted.split("."):
        following = []
        for mine, theirs in pairs:
            if step == "*":
                assert len(mine) == len(theirs)
                following += list(zip(mine, theirs, strict=True))
            else:
                key: Any = int(step) if step.isdigit() else step
                if isinstance(theirs, dict) and key not in theirs:
                    continue
                following.append((mine[key], theirs[key]))
        pairs = following
    assert pairs
    for mine, theirs in pairs:
        assert mine == theirs
