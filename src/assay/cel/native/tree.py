"""Reading cel-python's parse tree for the code generator: literal decoding and shape queries.

:func:`literal_of` decodes a literal node to its plain value, with the escapes of the specification
(``\\?``, ``\\```, ``\\X41``, octal, ``\\u`` surrogate pairs) and the line breaks of triple-quoted
strings and bytes, or gives :data:`~assay.cel.native.values.MISSING`. The other functions answer the
questions code generation asks of a node: its call arguments, whether it is a list of string
literals or a bare type name, whether it can only yield a bool. Nothing here emits code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lark

from assay.cel.native.values import INT64_MAX, INT64_MIN, MISSING, TYPES, UINT64_MAX, Uint
from assay.cel.syntax import arguments, unwrap
from assay.errors import CelSyntaxError

Tree = lark.Tree[Any]

# The precedence levels (and parentheses) that wrap an expression in a single-child node.
WRAPPERS = frozenset(
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
    while node.data in WRAPPERS and len(node.children) == 1 and isinstance(node.children[0], lark.Tree):
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
    """The value of a literal node (looking through precedence levels and parentheses, never through
    brackets: ``['a']`` is a list, not the literal inside it), or MISSING."""
    while isinstance(node, lark.Tree) and node.data in WRAPPERS and len(node.children) == 1:
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


def literal_error(node: Tree) -> str:
    """Why a literal node does not decode (for the syntax error :func:`literal_of` cannot give)."""
    token = node.children[0]
    if not isinstance(token, lark.Token):
        return "invalid literal"
    try:
        _DECODERS[token.type](token)
    except (ValueError, UnicodeError) as exc:
        return f"invalid literal {str(token)[:40]}: {exc}"
    except KeyError:
        pass
    return f"invalid literal {str(token)[:40]}"


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


# The escapes of CEL's string and bytes literals that stand for one character.
_SIMPLE_ESCAPES = {
    "\\": "\\", "?": "?", '"': '"', "'": "'", "`": "`",
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
}  # fmt: skip
_OCTAL_DIGITS = "01234567"
_HEX_LENGTHS = {"x": 2, "X": 2, "u": 4, "U": 8}
_HIGH_SURROGATES = range(0xD800, 0xDC00)
_LOW_SURROGATES = range(0xDC00, 0xE000)
_SURROGATES = range(0xD800, 0xE000)
_OCTAL_ESCAPE_LENGTH = 3
_MAX_CODE_POINT = 0x10FFFF
_MAX_OCTAL_ESCAPE = 0o377


def _quoted_body(text: str) -> tuple[str, bool]:
    """The text between the quotes of a string token, and whether it is raw (``r'...'``)."""
    raw = text[:1] in "rR"
    text = text[1:] if raw else text
    quote = 3 if text[:3] in ("'''", '"""') else 1
    return text[quote:-quote], raw


def _escape(body: str, at: int, is_bytes: bool) -> tuple[int, int]:
    """The code point (or octet) of the escape starting after the backslash at ``at``, and where the
    text goes on after it."""
    mark = body[at : at + 1]
    if mark in _SIMPLE_ESCAPES:
        return ord(_SIMPLE_ESCAPES[mark]), at + 1
    if mark and mark in _OCTAL_DIGITS:
        digits = body[at : at + _OCTAL_ESCAPE_LENGTH]
        if (
            len(digits) < _OCTAL_ESCAPE_LENGTH
            or any(d not in _OCTAL_DIGITS for d in digits)
            or int(digits, 8) > _MAX_OCTAL_ESCAPE
        ):
            raise ValueError(f"invalid octal escape \\{digits}")
        return int(digits, 8), at + _OCTAL_ESCAPE_LENGTH
    if mark in _HEX_LENGTHS:
        if is_bytes and mark in "uU":
            raise ValueError(f"\\{mark} escapes are for strings, not bytes")
        digits = body[at + 1 : at + 1 + _HEX_LENGTHS[mark]]
        if len(digits) < _HEX_LENGTHS[mark] or any(d not in "0123456789abcdefABCDEF" for d in digits):
            raise ValueError(f"invalid \\{mark} escape")
        return int(digits, 16), at + 1 + len(digits)
    raise ValueError(f"invalid escape \\{mark}")


def _decode(body: str, is_bytes: bool) -> list[int]:
    """The code points (for a string) or octets (for bytes) of a literal's body, escapes decoded."""
    units: list[int] = []
    at = 0
    while at < len(body):
        char = body[at]
        if char != "\\":
            units.extend(char.encode("utf-8") if is_bytes else (ord(char),))
            at += 1
            continue
        unit, at = _escape(body, at + 1, is_bytes)
        units.append(unit)
    return units


def _joined(units: list[int]) -> str:
    """Code points as a string, a \\u surrogate pair joined into the one code point it encodes."""
    chars: list[str] = []
    index = 0
    while index < len(units):
        unit = units[index]
        if unit in _HIGH_SURROGATES and index + 1 < len(units) and units[index + 1] in _LOW_SURROGATES:
            high, low = unit - _HIGH_SURROGATES.start, units[index + 1] - _LOW_SURROGATES.start
            unit = 0x10000 + (high << 10) + low
            index += 1
        elif unit in _SURROGATES or unit > _MAX_CODE_POINT:
            raise ValueError(f"code point {unit:#x} is not a Unicode scalar value")
        chars.append(chr(unit))
        index += 1
    return "".join(chars)


def _string(token: lark.Token) -> str:
    body, raw = _quoted_body(token.value)
    return body if raw else _joined(_decode(body, is_bytes=False))


def _bytes(token: lark.Token) -> bytes:
    body, raw = _quoted_body(token.value[1:])
    return body.encode("utf-8") if raw else bytes(_decode(body, is_bytes=True))


_DECODERS: dict[str, Callable[[lark.Token], Any]] = {
    "INT_LIT": _int,
    "UINT_LIT": _uint,
    "FLOAT_LIT": lambda token: float(token.value),
    "STRING_LIT": _string,
    "MLSTRING_LIT": _string,
    "BYTES_LIT": _bytes,
    "BOOL_LIT": lambda token: token.value == "true",
    "NULL_LIT": lambda token: None,
}


def qualified_name(node: Tree) -> tuple[str, bool] | None:
    """``a.b.c`` as one name, and whether it starts at a name (``a``, which may be a macro's variable)
    rather than the root scope (``.a``), for a chain with no parentheses and no backquoted field."""
    names: list[str] = []
    while node.data == "member_dot":
        target, field = node.children
        if not isinstance(field, lark.Token) or field.type != "IDENT":
            return None
        names.append(str(field))
        node = subtree(target)
        while node.data in ("member", "primary") and len(node.children) == 1:
            node = subtree(node.children[0])
    if node.data in ("ident", "dot_ident"):  # .a.b: resolved from the root scope only
        return ".".join([str(node.children[0]), *reversed(names)]), node.data == "ident"
    return None


def qualified_names(tree: Tree) -> frozenset[str]:
    """Every qualified name a program compiled with qualified names may look for in its variables
    (a few more where a macro's variable hides a free one)."""
    found = (qualified_name(node) for node in tree.iter_subtrees() if node.data == "member_dot")
    return frozenset(name[0] for name in found if name is not None)
