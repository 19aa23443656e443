"""Evidence cut down to the fields a catalog's rules read (:func:`assay.cel.readpaths.evidence_read_paths`).

A large export keeps every field its system wrote, and rules read a few: keeping only those is most
of the memory of a run over a million resources. Pruning follows a trie of plain data (a field name
to what is read under it, ``0`` for every element of a list, ``None`` for the whole subtree) and
keeps, at every level, exactly the values a rule can reach: a map keeps the keys the trie names, in
their order (all of them, unchanged, when the trie iterates the map itself); a list keeps every
element, each pruned; a value whose shape the trie does not expect (a list read by field, a string
read by field) is kept whole, so a rule that fails on it fails alike.

Only the evaluation of ``assay check`` reads pruned evidence, after the whole document has been
checked against its schema; packs, stores and every other command read whole documents.
"""

from __future__ import annotations

from typing import Any

ELEMENT = 0  # the trie's step for "every element of a list" (as assay.cel.readpaths.ELEMENT)


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
