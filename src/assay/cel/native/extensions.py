"""CEL's extension libraries in the native backend, registered in this one place.

Each library is a module of its own: :mod:`~assay.cel.native.ext_strings` (with
:mod:`~assay.cel.native.ext_format`), :mod:`~assay.cel.native.ext_math`,
:mod:`~assay.cel.native.ext_lists`, :mod:`~assay.cel.native.ext_sets`,
:mod:`~assay.cel.native.ext_encoders`, :mod:`~assay.cel.native.ext_network` and
:mod:`~assay.cel.native.ext_optionals`; the two-variable comprehensions, ``cel.bind`` and
``cel.block`` are macros compiled by :mod:`~assay.cel.native.ext_codegen` over the runtime of
:mod:`~assay.cel.native.ext_comprehensions`. The semantics are cel-go's, and the conformance
suite's where the two differ.

cel-python, the reference backend, has none of them: :func:`extension_features` names what an
expression uses, so that a rule needing them is refused there with that reason (and never handed
to it by the native backend).
"""

from __future__ import annotations

from collections.abc import Callable, Container
from typing import TYPE_CHECKING, Any

from assay.cel.native import (
    ext_comprehensions,
    ext_encoders,
    ext_format,
    ext_lists,
    ext_math,
    ext_network,
    ext_optionals,
    ext_sets,
    ext_strings,
)
from assay.cel.native.ext_support import Extension, ExtensionMacro
from assay.cel.syntax import TWO_VARIABLE_MACROS, arguments, function_calls

if TYPE_CHECKING:
    import lark

_ARGUMENTS_OF_ONE_VARIABLE_FORMS = 2

_MACROS = (
    ExtensionMacro(
        "all",
        "comprehensions",
        ("<list|map>.all(<var>, <var>, <predicate>) -> <bool>",),
        "Whether every (index or key, value) pair satisfies the predicate.",
    ),
    ExtensionMacro(
        "exists",
        "comprehensions",
        ("<list|map>.exists(<var>, <var>, <predicate>) -> <bool>",),
        "Whether some (index or key, value) pair satisfies the predicate.",
    ),
    ExtensionMacro(
        "existsOne",
        "comprehensions",
        (
            "<list|map>.existsOne(<var>, <predicate>) -> <bool>",
            "<list|map>.existsOne(<var>, <var>, <predicate>) -> <bool>",
        ),
        "Whether exactly one element (or pair) satisfies the predicate; also exists_one.",
    ),
    ExtensionMacro(
        "transformList",
        "comprehensions",
        ("<list|map>.transformList(<var>, <var>, [<filter>,] <transform>) -> <list>",),
        "The transform of each (index or key, value) pair that passes the filter.",
    ),
    ExtensionMacro(
        "transformMap",
        "comprehensions",
        ("<list|map>.transformMap(<var>, <var>, [<filter>,] <transform>) -> <map>",),
        "Each index or key mapped to the transform of its pair, for the pairs that pass the filter.",
    ),
    ExtensionMacro(
        "transformMapEntry",
        "comprehensions",
        ("<list|map>.transformMapEntry(<var>, <var>, [<filter>,] <map>) -> <map>",),
        "The entries of the map built for each pair; a key given twice is an error.",
    ),
    ExtensionMacro(
        "cel.bind",
        "bindings",
        ("cel.bind(<var>, <value>, <expression>) -> <T>",),
        "The expression with the variable bound to the value, computed once.",
    ),
    ExtensionMacro(
        "cel.block",
        "bindings",
        ("cel.block([<slot>, ...], <expression>) -> <T>",),
        "Slots read as cel.index(n), each computed at most once (what CEL optimizers write).",
    ),
    ExtensionMacro(
        "cel.index", "bindings", ("cel.index(<int>) -> <T>",), "A slot of the enclosing cel.block."
    ),
    ExtensionMacro(
        "cel.iterVar",
        "bindings",
        ("cel.iterVar(<int>, <int>) -> <T>",),
        "A comprehension variable as CEL optimizers name it.",
    ),
)

LIBRARIES = (
    "strings",
    "math",
    "lists",
    "sets",
    "encoders",
    "network",
    "optionals",
    "comprehensions",
    "bindings",
)


def _register(*groups: tuple[Extension, ...]) -> dict[str, Extension]:
    registered: dict[str, Extension] = {}
    for group in groups:
        for extension in group:
            if extension.name in registered:
                raise RuntimeError(f"the extension function {extension.name!r} is registered twice")
            registered[extension.name] = extension
    return registered


EXTENSIONS = _register(
    ext_strings.FUNCTIONS,
    ext_format.FUNCTIONS,
    ext_math.FUNCTIONS,
    ext_lists.FUNCTIONS,
    ext_sets.FUNCTIONS,
    ext_encoders.FUNCTIONS,
    ext_network.FUNCTIONS,
    ext_optionals.FUNCTIONS,
)
EXTENSION_MACROS: tuple[ExtensionMacro, ...] = (*_MACROS, *ext_lists.MACROS, *ext_optionals.MACROS)
EXTENSION_FUNCTIONS: dict[str, Callable[..., Any]] = {
    name: e.implementation for name, e in EXTENSIONS.items()
}
# Every name a rule may call from the extension libraries: the syntax entries ("?.") aside, and the
# standard macros whose two-variable forms the comprehensions library adds.
_MACRO_NAMES = frozenset(m.name for m in EXTENSION_MACROS if m.name[0].isalpha())
EXTENSION_NAMES = (frozenset(EXTENSIONS) | _MACRO_NAMES) - {"all", "exists"}
# The runtime helpers generated code calls, by the names ext_codegen emits.
RUNTIME: dict[str, Any] = {**ext_optionals.RUNTIME, **ext_lists.RUNTIME, **ext_comprehensions.RUNTIME}

_SYNTAX = {"member_dot_opt": "the optional selection a.?b", "member_index_opt": "the optional index a[?k]",
           "opt_expr": "an optional entry [?x] or {?k: x}"}  # fmt: skip


def extension_features(tree: lark.Tree[Any], available: Container[str] = ()) -> list[str]:
    """What an expression uses from the extension libraries, other than the functions ``available``."""
    used: list[str] = []
    for node in tree.iter_subtrees():
        if node.data in _SYNTAX:
            used.append(_SYNTAX[node.data])
        elif node.data == "member_dot_arg" and str(node.children[1]) in TWO_VARIABLE_MACROS:
            given = arguments(node.children[-1])
            if len(given) > _ARGUMENTS_OF_ONE_VARIABLE_FORMS:
                used.append(f"the two-variable {node.children[1]}()")
    names = {name for name, _, _ in function_calls(tree)}
    used.extend(f"{name}()" for name in sorted(names & EXTENSION_NAMES) if name not in available)
    return list(dict.fromkeys(used))
