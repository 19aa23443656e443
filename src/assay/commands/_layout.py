"""The canonical layout of the files people write: which kind a file is, and the order of its keys.

The orders follow the built-in files, which are their first users: a key assay does not know keeps
its place after the known ones, so a file never loses anything to formatting.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from assay.lean_dataclasses import frozen


@frozen
class Node:
    """The order of a mapping's keys, and the layout of what some keys hold (each item, for a list)."""

    order: tuple[str, ...]
    children: dict[str, Node] = field(default_factory=dict)


RULE = Node(("id", "description", "for_each", "resource_id", "assert", "message"))
TEST = Node(("name", "now", "parameters", "evidence", "expect", "failing"))
EVIDENCE = Node(("name", "kind", "max_age", "description"))
CONTROL = Node(
    (
        "id",
        "title",
        "claim",
        "description",
        "severity",
        "domain",
        "evidence",
        "check",
        "rules",
        "remediation",
        "references",
        "parameters",
        "tests",
    ),
    {"evidence": EVIDENCE, "rules": RULE, "tests": TEST},
)
TOGETHER = Node(("coverage", "rationale"))
MAPPED = Node(("control", "coverage", "rationale"))
ENTRY = Node(("requirement", "controls", "together"), {"controls": MAPPED, "together": TOGETHER})
WAIVER = Node(("control", "resources", "justification", "approver", "ticket", "expires"))
SCOPE = Node(
    (
        "framework",
        "requirement",
        "applicability",
        "provider",
        "proven_by",
        "complementary_controls",
        "justification",
    )
)

# Each kind of file by the top-level key that names it.
KINDS: dict[str, Node] = {
    "controls": Node(("schema_version", "controls"), {"controls": CONTROL}),
    "mappings": Node(("schema_version", "framework", "mappings"), {"mappings": ENTRY}),
    "waivers": Node(("schema_version", "waivers"), {"waivers": WAIVER}),
    "scope": Node(("schema_version", "scope"), {"scope": SCOPE}),
    "parameters": Node(("schema_version", "parameters")),
}


def kind_of(data: Any) -> str | None:
    """``controls``, ``mappings``, ``waivers``, ``scope`` or ``parameters``; None for any other file."""
    if not isinstance(data, dict):
        return None
    found = [kind for kind in KINDS if kind in data]
    if len(found) != 1 or "requirements" in data:  # a framework catalog, or something else
        return None
    return found[0]


def reorder(data: Any, node: Node) -> None:
    """Put the keys of ``data`` (a ruamel.yaml tree) in ``node``'s order, in place, comments kept."""
    from ruamel.yaml.comments import CommentedMap  # imported when a file is formatted, not at start-up

    if isinstance(data, list):
        for item in data:
            reorder(item, node)
        return
    if not isinstance(data, CommentedMap):
        return
    rank = {key: index for index, key in enumerate(node.order)}
    keys = list(data)
    wanted = sorted(keys, key=lambda k: (rank.get(str(k), len(rank)), keys.index(k)))
    if wanted != keys:
        for key in wanted:
            data.move_to_end(key)
    for key, child in node.children.items():
        if key in data:
            reorder(data[key], child)
