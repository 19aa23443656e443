"""The shape of a hashed join, as the compiler proves it from the parse tree (:mod:`assay.cel.native.joins`
runs it). Kept apart from the runtime so that running compiled rules never imports lark."""

from __future__ import annotations

from typing import Any

import lark

from assay.cel.native.tree import WRAPPERS, unwrap_wrappers

Tree = lark.Tree[Any]

# The relation each macro joins on: exists, exists_one and filter on ==; all on != (its decisive
# element is one where x.F == E).
JOINABLE = {
    "exists": "relation_eq",
    "exists_one": "relation_eq",
    "filter": "relation_eq",
    "all": "relation_ne",
}
_PATH_NODES = frozenset({"member_dot", "member_index", "ident", "literal"})


def join_shape(macro: str, variable: str, target: Tree, body: Tree) -> tuple[str, Tree] | None:
    """``(field, E)`` when ``target.<macro>(variable, body)`` can be joined, else None.

    ``body`` must be ``variable.field == E`` (or ``E == variable.field``; ``!=`` for all), and both
    ``E`` and ``target`` paths (names, field selections, indexes, literals) in which ``variable``
    does not occur: so ``E`` is one value for every element, costs nothing to the budgets, and
    ``target`` is a list read from the variables, the same object at every evaluation of a run.
    """
    relation = JOINABLE.get(macro)
    node = unwrap_wrappers(body)
    if relation is None or node.data != "relation" or len(node.children) != 2:  # noqa: PLR2004
        return None
    operation, right = node.children
    if not isinstance(operation, lark.Tree) or operation.data != relation:
        return None
    left = operation.children[0]
    for side, other in ((left, right), (right, left)):
        field = _field_of(side, variable)
        if field is not None and _is_path(other, variable) and _is_path(target, variable):
            return field, other
    return None


def _field_of(node: Any, variable: str) -> str | None:
    """``field`` when node is ``variable.field``."""
    if not isinstance(node, lark.Tree):
        return None
    node = unwrap_wrappers(node)
    if node.data != "member_dot":
        return None
    target, field = node.children
    inner = unwrap_wrappers(target) if isinstance(target, lark.Tree) else None
    if inner is None or inner.data != "ident" or str(inner.children[0]) != variable:
        return None
    return str(field)


def _is_path(node: Any, variable: str) -> bool:
    """Whether node is made of names, selections, indexes and literals only, none of them ``variable``."""
    if not isinstance(node, lark.Tree):
        return False
    for part in node.iter_subtrees():
        if part.data in WRAPPERS:
            if len(part.children) != 1:
                return False
        elif part.data not in _PATH_NODES or (part.data == "ident" and str(part.children[0]) == variable):
            return False
    return True
