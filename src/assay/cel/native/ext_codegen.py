"""Code generation for the extension libraries' macros and syntax, called by
:class:`~assay.cel.native.codegen.Compiler`.

:func:`extension_call` turns a method-style call into code when it is one of them: a namespaced
function (``math.greatest(x)``), ``cel.bind``, ``cel.block``, the two-variable comprehensions,
``sortBy``, ``optMap`` and ``optFlatMap``, and the lazy ``or`` and ``orValue``; it gives None for
any other call. Variables are bound the way the compiler binds macro variables: a scope maps the
CEL name to the Python expression that holds it (a two-variable comprehension passes each
(index, value) pair to its lambda, so ``i`` is ``p3[0]`` and ``v`` is ``p3[1]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import lark

from assay.cel.native.tree import call_arguments, literal_of, unwrap_wrappers
from assay.cel.syntax import TWO_VARIABLE_MACROS, bare_ident, namespace_of, unwrap
from assay.errors import CelSyntaxError

if TYPE_CHECKING:
    from assay.cel.native.codegen import Compiler

Tree = lark.Tree[Any]

_QUANTIFIERS = {
    (False, "all"): "all_fast", (False, "exists"): "exists_fast",
    (True, "all"): "all_exact", (True, "exists"): "exists_exact",
}  # fmt: skip
_TRANSFORMS = {"transformList": "transform_list", "transformMap": "transform_map",
               "transformMapEntry": "transform_map_entry"}  # fmt: skip
_ONE_VARIABLE = frozenset({"sortBy", "optMap", "optFlatMap"})
_LAZY = {"or": "opt_or", "orValue": "opt_or_value"}
_BIND_ARGUMENTS = 3
_BLOCK_ARGUMENTS = 2
_SLOT_ARGUMENTS = {"index": 1, "iterVar": 2}


def extension_call(compiler: Compiler, target: Any, name: str, given: list[Tree]) -> str | None:
    """The code of an extension's call ``target.name(given)``, or None when it is no extension's."""
    bound = frozenset(name for scope in compiler.scopes for name in scope)
    namespace = namespace_of(target, bound)
    if namespace is not None:
        return _namespaced(compiler, namespace, name, given)
    if name in _LAZY and len(given) == 1:
        return _lazy(compiler, name, target, given[0])
    if name in _TRANSFORMS or (name in TWO_VARIABLE_MACROS and len(given) > _BLOCK_ARGUMENTS):
        return _two_variables(compiler, name, target, given)
    if name == "existsOne":
        return compiler.macro("exists_one", target, given)
    if name in _ONE_VARIABLE:
        return _one_variable(compiler, name, target, given)
    return None


def _lazy(compiler: Compiler, name: str, target: Any, alternative: Tree) -> str:
    """``a.or(b)``, ``a.orValue(b)``: b evaluated only when needed; ``x.?f.orValue(b)`` in one call."""
    inner = unwrap(target)
    if name == "orValue" and inner.data == "member_dot_opt":
        selected, field = inner.children
        chosen = f"{compiler.compile(selected)}, {compiler.constant(str(field))}"
        return f"opt_select_or({chosen}, lambda: {compiler.compile(alternative)})"
    return f"{_LAZY[name]}({compiler.compile(target)}, lambda: {compiler.compile(alternative)})"


def variable_name(node: Tree) -> str | None:
    """A macro's variable: a plain name, or ``cel.iterVar(i, j)`` (as the optimizer writes them)."""
    name = bare_ident(node)
    if name is not None:
        return name
    return _slot_name(unwrap(node), "iterVar")


def _slot_name(node: Tree, kind: str) -> str | None:
    """The scope name of ``cel.index(n)`` or ``cel.iterVar(i, j)`` when node is that call."""
    if node.data != "member_dot_arg" or str(node.children[1]) != kind:
        return None
    if namespace_of(node.children[0]) != "cel":
        return None
    numbers = [literal_of(argument) for argument in call_arguments(node.children[2:])]
    if len(numbers) != _SLOT_ARGUMENTS[kind] or any(type(n) is not int for n in numbers):
        raise CelSyntaxError(f"cel.{kind}() takes {_SLOT_ARGUMENTS[kind]} int literal(s)")
    return f"@{kind}:" + ":".join(str(n) for n in numbers)


def _namespaced(compiler: Compiler, namespace: str, name: str, given: list[Tree]) -> str:
    if namespace == "cel" and name == "bind":
        return _bind(compiler, given)
    if namespace == "cel" and name == "block":
        return _block(compiler, given)
    if namespace == "cel" and name in _SLOT_ARGUMENTS:
        return _slot_reference(compiler, name, given)
    return compiler.call(f"{namespace}.{name}", [compiler.compile(argument) for argument in given])


def _scoped(compiler: Compiler, names: dict[str, str], bodies: Sequence[Tree]) -> list[str]:
    """Compile each body with the names bound to the given Python expressions."""
    compiler.scopes.append(names)
    try:
        return [compiler.compile(body) for body in bodies]
    finally:
        compiler.scopes.pop()


def _local(compiler: Compiler, prefix: str) -> str:
    compiler.counter += 1
    return f"{prefix}{compiler.counter}"


def _bind(compiler: Compiler, given: list[Tree]) -> str:
    """``cel.bind(x, init, body)``: init evaluated once, then body with x bound to it."""
    variable = variable_name(given[0]) if len(given) == _BIND_ARGUMENTS else None
    if variable is None:
        raise CelSyntaxError("cel.bind() takes a variable name, a value and an expression")
    local = _local(compiler, "b")
    init = compiler.compile(given[1])
    (body,) = _scoped(compiler, {variable: local}, [given[2]])
    return f"(lambda {local}: {body})({init})"


def _block(compiler: Compiler, given: list[Tree]) -> str:
    """``cel.block([e0, e1, ...], result)``: slots read as ``cel.index(n)``, each evaluated once."""
    slots = unwrap_wrappers(given[0]) if len(given) == _BLOCK_ARGUMENTS else None
    if slots is None or slots.data != "list_lit":
        raise CelSyntaxError("cel.block() takes a list literal of slots and an expression")
    local = _local(compiler, "s")
    names: dict[str, str] = {}
    thunks = []
    for index, slot in enumerate(call_arguments(slots.children)):
        (code,) = _scoped(compiler, dict(names), [slot])  # a slot reads only the slots before it
        thunks.append(f"lambda {local}: {code}")
        names[f"@index:{index}"] = f"{local}.get({index})"
    (result,) = _scoped(compiler, names, [given[1]])
    return f"(lambda {local}: {result})(Slots({', '.join(thunks)}))"


def _slot_reference(compiler: Compiler, kind: str, given: list[Tree]) -> str:
    numbers = [literal_of(argument) for argument in given]
    if len(numbers) != _SLOT_ARGUMENTS[kind] or any(type(n) is not int for n in numbers):
        raise CelSyntaxError(f"cel.{kind}() takes {_SLOT_ARGUMENTS[kind]} int literal(s)")
    name = f"@{kind}:" + ":".join(str(n) for n in numbers)
    code = compiler.lookup(name)
    if code is None:
        raise CelSyntaxError(f"cel.{kind}({', '.join(str(n) for n in numbers)}) is not bound here")
    return code


def _one_variable(compiler: Compiler, name: str, target: Any, given: list[Tree]) -> str:
    """``sortBy(e, key)``, ``optMap(x, f)`` and ``optFlatMap(x, f)``."""
    variable = variable_name(given[0]) if len(given) == _BLOCK_ARGUMENTS else None
    if variable is None:
        raise CelSyntaxError(f"{name}() takes a variable name and an expression")
    container = compiler.compile(target)
    local = _local(compiler, "v")
    (body,) = _scoped(compiler, {variable: local}, [given[1]])
    if name == "sortBy":
        compiler.loops = True
        return f"sort_by({container}, lambda {local}: {body}, C)"
    runtime = "opt_map" if name == "optMap" else "opt_flat_map"
    return f"{runtime}({container}, lambda {local}: {body})"


def _two_variables(compiler: Compiler, name: str, target: Any, given: list[Tree]) -> str:
    """``all``, ``exists``, ``existsOne`` and the transforms over (index or key, value) pairs."""
    bodies = given[2:]
    expected = (1, 2) if name in _TRANSFORMS else (1,)
    first, second = (variable_name(given[0]), variable_name(given[1])) if len(given) > 1 else (None, None)
    if not (first and second) or len(bodies) not in expected:
        counts = " or ".join(map(str, expected))
        raise CelSyntaxError(f"{name}() takes two variable names and {counts} expression(s)")
    if first == second:
        raise CelSyntaxError(f"{name}() needs two different variable names, not {first!r} twice")
    container = f"pairs({compiler.compile(target)})"
    compiler.loops = True
    pair = _local(compiler, "p")
    codes = _scoped(compiler, {first: f"{pair}[0]", second: f"{pair}[1]"}, bodies)
    lambdas = [f"lambda {pair}: {code}" for code in codes]
    if name in _TRANSFORMS:
        runtime = _TRANSFORMS[name] + ("_filtered" if len(bodies) > 1 else "")
    else:
        runtime = _QUANTIFIERS.get((compiler.exact, name), "exists_one")
    return f"{runtime}({container}, {', '.join(lambdas)}, C)"


def element(compiler: Compiler, node: Tree) -> str:
    """A list literal's element: ``?x`` adds x's value only when the optional holds one."""
    if node.data == "opt_expr":
        return f"*opt_element({compiler.compile(node.children[0])})"
    return compiler.compile(node)


def entry(compiler: Compiler, key: Tree, value: Tree) -> str:
    """A map literal's entry: ``?k: x`` adds the entry only when the optional x holds a value."""
    if key.data == "opt_expr":
        return f"*opt_entry({compiler.compile(key.children[0])}, {compiler.compile(value)})"
    return f"({compiler.compile(key)}, {compiler.compile(value)})"
