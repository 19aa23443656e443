"""Parse CEL with cel-python's grammar and find which variables and fields an expression reads.

lark and cel-python are imported on the first parse, not with this module: a run whose rules all
come from the compiled-rule cache (:mod:`assay.cel.rulecache`) never imports them. The tree walks
below tell a tree from a token without lark: every token is a ``str`` (``lark.Token`` subclasses
it) and no tree is one.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.errors import CelSyntaxError
from assay.lean_dataclasses import frozen

if TYPE_CHECKING:
    import celpy
    import lark

    Tree = lark.Tree[Any]
    Node = lark.Tree[Any] | lark.Token

# The standard macros (the extension libraries add their own, see assay.cel.native.extensions).
MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})

# Macros whose first argument is a variable bound inside the remaining arguments.
BINDING_MACROS = frozenset(
    {"all", "exists", "exists_one", "map", "filter", "existsOne", "sortBy", "optMap", "optFlatMap"}
)
# Macros that bind two variables (index or key, and value) when given three arguments or more.
TWO_VARIABLE_MACROS = frozenset(
    {"all", "exists", "exists_one", "existsOne", "transformList", "transformMap", "transformMapEntry"}
)
# The namespaces of extension functions (``math.greatest(x)``): the namespace is not a variable.
NAMESPACES = frozenset({"base64", "cel", "ip", "lists", "math", "optional", "sets", "strings"})
_TWO = 2


@functools.cache
def environment() -> celpy.Environment:
    """The process's one cel-python environment.

    ``celpy.Environment()`` raises the interpreter's recursion limit for the whole process as a side
    effect; assay puts the limit back, and treats a too-deep expression as an error instead.
    """
    import celpy

    limit = sys.getrecursionlimit()
    try:
        return celpy.Environment(runner_class=celpy.InterpretedRunner)
    finally:
        sys.setrecursionlimit(limit)


# cel-python's grammar with the edits CEL needs beyond it, each replacing one line found exactly:
# backquoted field names (``m.`content-type```), a field selection only, as in cel-go's grammar.
_ESCAPED_FIELDS = (
    (
        'member_dot     : member "." IDENT',
        'member_dot     : member "." (IDENT | ESC_IDENT)\nESC_IDENT      : /`[_a-zA-Z0-9.\\-\\/ ]+`/',
    ),
)

# cel-python's grammar with the syntax of cel-go's optional types library: ``a.?b``, ``a[?k]``, and
# ``?x`` for an element of a list literal or a key of a map literal (the entry is kept only when the
# optional holds a value). Each edit replaces one line of cel-python's grammar, found exactly.
_OPTIONAL_SYNTAX = (
    (
        "member         : member_dot | member_dot_arg | member_index | member_object | primary",
        "member         : member_dot | member_dot_arg | member_index | member_object | member_dot_opt\n"
        "               | member_index_opt | primary\n"
        'member_dot_opt : member "." "?" IDENT\n'
        'member_index_opt : member "[" "?" expr "]"',
    ),
    (
        'exprlist       : expr ("," expr)*',
        'exprlist       : element ("," element)*\n?element : expr | "?" expr -> opt_expr',
    ),
    (
        'mapinits       : expr ":" expr ("," expr ":" expr)*',
        'mapinits       : element ":" expr ("," element ":" expr)*',
    ),
)


def grammar() -> str:
    """The CEL grammar assay parses with: cel-python's, with the edits above."""
    import celpy

    text = (Path(celpy.__file__).parent / "cel.lark").read_text(encoding="utf-8")
    for old, new in (*_ESCAPED_FIELDS, *_OPTIONAL_SYNTAX):
        if text.count(old) != 1:
            raise RuntimeError(f"cel-python's grammar changed: cannot find {old!r}")
        text = text.replace(old, new)
    return text


def _unquote_fields(tree: Tree) -> Tree:
    """Backquoted field names without their backquotes, so both backends select the field by name.

    (Done on the tree: a second lexer callback beside cel-python's would switch off its own.)
    """
    import lark

    for node in tree.iter_subtrees():
        if node.data == "member_dot":
            field = node.children[1]
            if isinstance(field, lark.Token) and field.type == "ESC_IDENT":
                node.children[1] = field.update(value=field.value[1:-1])
    return tree


def _load_options() -> dict[str, Any]:
    """The options of the parser that hold code: given again when it is loaded from stored tables."""
    import celpy
    from celpy.celparser import CELParser

    return {
        "g_regex_flags": re.M,
        "lexer_callbacks": {"IDENT": CELParser.ambiguous_literals},
        "propagate_positions": True,
        "tree_class": celpy.InterpretedRunner.tree_node_class,
    }


def build_parser(text: str) -> lark.Lark:
    """The parser of the grammar ``text``, built by lark (a quarter of a second)."""
    import lark

    # The options cel-python's own parser uses, so both backends read the same trees.
    options = {"parser": "lalr", "start": "expr", "maybe_placeholders": False, "priority": "invert"}
    return lark.Lark(text, **options, **_load_options())


@functools.cache
def _parser() -> lark.Lark:
    from assay.cel.parser_tables import cached_parser

    text = grammar()
    return cached_parser(text, functools.partial(build_parser, text), _load_options())


@functools.lru_cache(maxsize=2048)
def parse(expression: str) -> Tree:
    """Parse a CEL expression, raising :class:`CelSyntaxError` with a 1-based line and column.

    The last trees parsed are kept, so lint and the compiler share one parse of each expression;
    callers only read a tree, never change it.
    """
    import lark

    try:
        return _unquote_fields(_parser().parse(expression))
    except lark.exceptions.UnexpectedInput as exc:
        line, column = exc.line, exc.column
        message = _describe_parse_error(expression, line, column) or "syntax error"
        raise CelSyntaxError(message, line=line, column=column) from None
    except lark.exceptions.LarkError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise CelSyntaxError(first) from None
    except RecursionError:
        raise CelSyntaxError("expression is nested too deeply") from None


def _describe_parse_error(expression: str, line: int | None, column: int | None) -> str | None:
    if line is None or column is None:
        return None
    lines = expression.splitlines() or [""]
    if not 0 < line <= len(lines):
        return "unexpected end of expression"
    text = lines[line - 1]
    if column > len(text):
        return "unexpected end of expression"
    return f"syntax error at {text[column - 1 : column + 11].strip()!r}"


@frozen
class Reference:
    """A free variable read by an expression, with the chain of fields selected on it.

    ``a.b.c`` gives ``Reference(("a", "b", "c"), ...)``; bound macro variables are not free.
    """

    names: tuple[str, ...]
    line: int
    column: int

    @property
    def dotted(self) -> str:
        return ".".join(self.names)


def references(tree: Tree) -> list[Reference]:
    """Every free variable the expression reads, with its longest static field chain."""
    return list(_walk(tree, frozenset()))


def _walk(node: Node, bound: frozenset[str]) -> Iterator[Reference]:
    if isinstance(node, str):  # a token
        return
    if node.data in ("ident", "member_dot"):
        chain = dotted_chain(node)  # None for a selection on something other than a name
        if chain is not None:
            if chain.names[0] not in bound:
                yield chain
            return
    for child, scope in _scoped_children(node, bound):
        yield from _walk(child, scope)


def _scoped_children(node: Tree, bound: frozenset[str]) -> list[tuple[Node, frozenset[str]]]:
    """The children that may read variables, each with the names bound where it is evaluated."""
    if node.data == "member_dot_arg":
        target, method, *rest = node.children
        given = arguments(rest[0]) if rest else []
        namespace = namespace_of(target, bound)
        if namespace is not None:  # strings.quote(x): only the arguments are read
            variable = bare_ident(given[0]) if len(given) == _TWO + 1 else None
            if (namespace, str(method)) == ("cel", "bind") and variable is not None:
                return [(given[1], bound), (given[2], bound | {variable})]
            return [(argument, bound) for argument in given]
        variables = macro_variables(str(method), given)
        bodies = given[len(variables) :]
        if variables and bodies:
            return [(target, bound), *((body, bound | variables) for body in bodies)]
        return [(target, bound), *((argument, bound) for argument in given)]
    if node.data in ("member_object", "ident_arg"):
        # Tag{key: value} and f(x): the type or function name is not a variable.
        return [(child, bound) for child in node.children[1:]]
    return [(child, bound) for child in node.children]


def macro_variables(method: str, given: list[Tree]) -> frozenset[str]:
    """The variables a macro call binds in its later arguments (none when it is no macro)."""
    names = [bare_ident(argument) for argument in given[:_TWO]]
    if method in TWO_VARIABLE_MACROS and len(given) > _TWO and names[0] and names[1]:
        return frozenset({names[0], names[1]})
    if method in BINDING_MACROS and len(given) >= _TWO and names[0]:
        return frozenset({names[0]})
    return frozenset()


def namespace_of(target: Node, bound: frozenset[str] = frozenset()) -> str | None:
    """The namespace when a call's target is one (``math`` in ``math.greatest(x)``), else None."""
    if isinstance(target, str):  # a token
        return None
    name = bare_ident(target)
    return name if name in NAMESPACES and name not in bound else None


def arguments(exprlist: Node) -> list[Tree]:
    """The argument expressions of an ``exprlist`` node (an empty list for anything else)."""
    if not isinstance(exprlist, str) and exprlist.data == "exprlist":
        return [c for c in exprlist.children if not isinstance(c, str)]
    return []


def unwrap(node: Tree) -> Tree:
    """Skip the single-child precedence levels (expr > conditionalor > ... > member > primary)."""
    while len(node.children) == 1 and not isinstance(node.children[0], str):
        node = node.children[0]
    return node


def bare_ident(expr: Tree) -> str | None:
    """The name when the expression is a lone identifier (a macro's variable)."""
    inner = unwrap(expr)
    if inner.data == "ident":
        return str(inner.children[0])
    return None


def dotted_chain(node: Tree) -> Reference | None:
    """``a.b.c`` as a Reference, when a member_dot chain starts at an identifier."""
    names: list[str] = []
    while node.data == "member_dot":
        names.append(str(node.children[1]))
        child = node.children[0]
        if isinstance(child, str):  # a token
            return None
        node = unwrap(child)
    if node.data != "ident":
        return None
    root = node.children[0]
    names.append(str(root))
    return Reference(tuple(reversed(names)), node.meta.line, node.meta.column)


def function_calls(tree: Tree) -> list[tuple[str, int, int]]:
    """Every function or method called: (name, line, column). Macros and has() are included."""
    calls: list[tuple[str, int, int]] = []
    for node in tree.iter_subtrees():
        if node.data == "ident_arg":
            name = node.children[0]
            calls.append(
                (str(name), getattr(name, "line", node.meta.line), getattr(name, "column", node.meta.column))
            )
        elif node.data in ("member_dot_arg", "dot_ident_arg"):
            name = node.children[1] if node.data == "member_dot_arg" else node.children[0]
            namespace = namespace_of(node.children[0]) if node.data == "member_dot_arg" else None
            qualified = f"{namespace}.{name}" if namespace else str(name)
            calls.append(
                (qualified, getattr(name, "line", node.meta.line), getattr(name, "column", node.meta.column))
            )
    return sorted(calls, key=lambda c: (c[1], c[2]))


def written_fields(tree: Tree) -> list[tuple[str, int, int]]:
    """Field names selected with a dot, and the text of string literals without escapes: (text, line,
    column) in the order of the tree's subtrees."""
    import lark  # imported already: the tree is lark's

    found: list[tuple[str, int, int]] = []
    for node in tree.iter_subtrees():
        if node.data == "member_dot" and isinstance(token := node.children[-1], lark.Token):
            found.append((str(token), token.line or 1, token.column or 1))
        for child in node.children:
            if isinstance(child, lark.Token) and child.type in ("STRING_LIT", "MLSTRING_LIT"):
                text = _literal_text(str(child))
                if text is not None:
                    found.append((text, child.line or 1, child.column or 1))
    return found


def _literal_text(token: str) -> str | None:
    """A string literal's value when it has no escapes (else None: it is not compared)."""
    body = token[1:] if token[:1] in "rR" else token
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    inner = body[len(quote) : len(body) - len(quote)]
    return None if "\\" in inner else inner
