"""Reading cel-python's parse tree for the code generator: literal decoding and shape queries.

:func:`literal_of` decodes a literal node to its plain value (following the specification where
cel-python's decoder departs from it: multi-line strings keep their line breaks) or gives
:data:`~assay.cel.native.values.MISSING`. The other functions answer the questions code generation
asks of a node: its call arguments, whether it is a list of string literals or a bare type name,
whether it can only yield a bool. Nothing here emits code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lark
from celpy.evaluation import celbytes, celstr

from assay.cel.native.values import INT64_MAX, INT64_MIN, MISSING, TYPES, UINT64_MAX, Uint
from assay.cel.syntax import arguments, unwrap
from assay.errors import CelSyntaxError

Tree = lark.Tree[Any]

# The precedence levels (and parentheses) that wrap an expression in a single-child node.
_WRAPPERS = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication", "unary", "member",
     "primary", "paren_expr"}
)  # fmt: skip
# A precedence level holding an operator has two children: the left side with the operator, and the
# right side (``relation`` holds ``relation_eq(left)`` and ``right``).
_BINARY = 2
_BOOLEAN_METHODS = frozenset({"all", "exists", "exists_one", "contains", "startsWith", "endsWith", "matches"})
_BOOLEAN_FUNCTIONS = frozenset({"has", "matches"})
# literal_of stops at these: a literal, and ``?x`` (an optional entry is not its literal).
_NOT_LOOKED_THROUGH = frozenset({"literal", "opt_expr"})


def subtree(node: Any) -> Tree:
    """A child the grammar guarantees to be a subtree (never a bare token)."""
    if isinstance(node, lark.Tree):
        return node
    raise CelSyntaxError(f"unexpected token {getattr(node, 'type', node)}")


def unwrap_wrappers(node: Tree) -> Tree:
    """Skip precedence levels and parentheses that hold a single child."""
    while node.data in _WRAPPERS and len(node.children) == 1 and isinstance(node.children[0], lark.Tree):
        node = node.children[0]
    return node


def call_arguments(rest: list[Any]) -> list[Tree]:
    """The arguments among a call node's children (its optional exprlist)."""
    for child in rest:
        if isinstance(child, lark.Tree) and child.data == "exprlist":
            return arguments(child)
    return []


def yields_bool(node: Tree) -> bool:
    """Whether a node certainly yields a bool when it yields anything (so no check is needed)."""
    node = unwrap_wrappers(node)
    if node.data in ("conditionalor", "conditionaland", "relation"):
        return len(node.children) == _BINARY
    if node.data == "unary":
        operator = node.children[0]
        return isinstance(operator, lark.Tree) and operator.data == "unary_not"
    if node.data == "literal":
        token = node.children[0]
        return isinstance(token, lark.Token) and token.type == "BOOL_LIT"
    if node.data == "ident_arg":
        return str(node.children[0]) in _BOOLEAN_FUNCTIONS
    if node.data == "member_dot_arg":
        return str(node.children[1]) in _BOOLEAN_METHODS
    return False


def string_list_literal(node: Any) -> list[str] | None:
    """The strings of a list literal made only of string literals, or None."""
    if not isinstance(node, lark.Tree):
        return None
    node = unwrap_wrappers(node)
    if node.data != "list_lit":
        return None
    values = [literal_of(item) for item in call_arguments(node.children)]
    if not values or not all(type(v) is str for v in values):
        return None
    return values


def type_ident(node: Any) -> str | None:
    """The name when a node is a bare type identifier such as ``map`` or ``string``."""
    if not isinstance(node, lark.Tree):
        return None
    inner = unwrap(node)
    if inner.data == "ident" and str(inner.children[0]) in TYPES:
        return str(inner.children[0])
    return None


# --- literals --------------------------------------------------------------------------------------


def literal_of(node: Any) -> Any:
    """The value of a literal node (looking through single-child wrappers), or MISSING."""
    while isinstance(node, lark.Tree) and node.data not in _NOT_LOOKED_THROUGH and len(node.children) == 1:
        node = node.children[0]
    if not (isinstance(node, lark.Tree) and node.data == "literal"):
        return MISSING
    token = node.children[0]
    if not isinstance(token, lark.Token):
        return MISSING
    decode = _DECODERS.get(token.type)
    if decode is None:
        return MISSING
    try:
        return decode(token)
    except (ValueError, UnicodeError):
        return MISSING


def _int(token: lark.Token) -> Any:
    text = token.value
    value = int(text, 16) if text.lstrip("-").startswith("0x") else int(text)
    if text.startswith("-0x"):
        value = -int(text[3:], 16)
    return value if INT64_MIN <= value <= INT64_MAX else MISSING


def _uint(token: lark.Token) -> Any:
    body = token.value[:-1]
    value = int(body, 16) if body.startswith("0x") else int(body)
    return Uint(value) if 0 <= value <= UINT64_MAX else MISSING


def _string(token: lark.Token) -> str:
    text = token.value
    if token.type == "MLSTRING_LIT" and text[:1] not in "rR":
        # cel-python's decoder drops the line breaks of a multi-line string: decode line by line.
        lines = text[3:-3].split("\n")
        return "\n".join(str(celstr(lark.Token("STRING_LIT", f"'{line}'"))) for line in lines)
    return str(celstr(token))


_DECODERS: dict[str, Callable[[lark.Token], Any]] = {
    "INT_LIT": _int,
    "UINT_LIT": _uint,
    "FLOAT_LIT": lambda token: float(token.value),
    "STRING_LIT": _string,
    "MLSTRING_LIT": _string,
    "BYTES_LIT": lambda token: bytes(celbytes(token)),
    "BOOL_LIT": lambda token: token.value == "true",
    "NULL_LIT": lambda token: None,
}
