"""Code generation: one parse tree to the source of a Python expression, in either variant.

:class:`Compiler` walks the tree (one ``on_<rule>`` method per grammar rule) and returns Python
source over the names the program's namespace provides (see :mod:`assay.cel.native.program`): ``V``
the variables, ``C`` the cost counter, ``K`` the constant table, ``F`` the functions, and the runtime
helpers by name. No text of the expression becomes code: literals go to the constant table, variables
are looked up by name, macro variables get generated names.

The fast and the exact variant come from this one generator, parameterised by ``exact``, rather than
from two: they differ only at ``&&``/``||``, field selection, identifiers and the Python shortcuts of
the fast variant (literal comparisons, ``all``/``exists`` over bool predicates); two generators would
repeat every other rule, and a change to one rule could then make the variants disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import lark

from assay.cel.native.accessors import ACCESSORS
from assay.cel.native.errors import NativeUnsupported
from assay.cel.native.ext_codegen import element, entry, extension_call, variable_name
from assay.cel.native.join_shape import join_shape
from assay.cel.native.joins import JOIN_MIN
from assay.cel.native.operators import size
from assay.cel.native.tree import (
    call_arguments,
    literal_error,
    literal_of,
    qualified_name,
    string_list_literal,
    subtree,
    type_ident,
    unwrap_wrappers,
    yields_bool,
)
from assay.cel.native.values import MISSING, TYPES
from assay.cel.syntax import MACROS, dotted_chain, unwrap
from assay.errors import CelError, CelSyntaxError

Tree = lark.Tree[Any]

_RELATIONS = {
    "relation_eq": "eq", "relation_ne": "ne", "relation_lt": "lt", "relation_le": "le",
    "relation_gt": "gt", "relation_ge": "ge", "relation_in": "in_",
}  # fmt: skip
_ARITHMETIC = {
    "addition_add": "add", "addition_sub": "sub",
    "multiplication_mul": "mul", "multiplication_div": "div", "multiplication_mod": "mod",
}  # fmt: skip
_FOLDABLE = frozenset({"timestamp", "duration"})  # pure and slow to parse: done once at compile time
# Standard functions whose result is no bigger than their arguments (or a scalar): nothing to charge
# to the memory budget. Every other function's result is charged by its size.
_BOUNDED_FUNCTIONS = frozenset(
    {"size", "int", "uint", "double", "string", "bytes", "bool", "dyn", "type", "timestamp", "duration",
     "matches", "contains", "startsWith", "endsWith", *ACCESSORS}
)  # fmt: skip
_PY_ORDER = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_FAST_QUANTIFIERS = {"all": "all_fast", "exists": "exists_fast"}
_EXACT_QUANTIFIERS = {"all": "all_exact", "exists": "exists_exact"}
_INLINE = {
    "map": "charged([{body} for {local} in iterate({container}, C)], C)",
    "filter": "charged([{local} for {local} in iterate({container}, C) if _bool({body})], C)",
}
_OTHER_MACROS = {"exists_one": "exists_one", "map": "map_", "filter": "filter_"}
# A macro's arguments: its variable and one expression, or for map, variable, filter and transform.
_MACRO_ARGUMENTS = 2
_MAP_FILTER_ARGUMENTS = 3
_INLINE_INT_LIMIT = 2**53  # ints below this in magnitude are written into the source as digits


class Compiler:
    """Turns one parse tree into Python source. ``exact`` selects the error-absorbing version."""

    def __init__(
        self, functions: Mapping[str, Callable[..., Any]], exact: bool, *, qualified_names: bool = True
    ) -> None:
        self.functions = functions
        self.exact = exact
        # Whether a binding may have a qualified name ("a.b"): then every selection from a variable
        # first looks for the longer name, at the cost of one more lookup per evaluation.
        self.qualified_names = qualified_names
        self.constants: list[Any] = []
        self.scopes: list[dict[str, str]] = []
        self.counter = 0
        self.loops = False  # whether the expression iterates
        self.builds = False  # whether it concatenates or calls a function whose result may be large
        self.ints: set[str] = set()  # generated code that gives a plain int when it gives anything

    def constant(self, value: Any) -> str:
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def literal(self, value: Any) -> str:
        # Small immutable values are safe inline (repr of bool/None/int is fixed text);
        # everything else, strings included, goes through the constant table.
        if (
            value is None
            or value is True
            or value is False
            or (type(value) is int and abs(value) < _INLINE_INT_LIMIT)
        ):
            return repr(value)
        return self.constant(value)

    def compile(self, node: Tree | lark.Token) -> str:
        if isinstance(node, lark.Token):
            raise CelSyntaxError(f"unexpected token {node.type}")
        handler = getattr(self, f"on_{node.data}", None)
        if handler is None:
            raise NativeUnsupported(f"unsupported syntax: {node.data}")
        return handler(node)  # type: ignore[no-any-return]

    def boolean(self, node: Tree) -> str:
        code = self.compile(node)
        return code if yields_bool(node) else f"_bool({code})"

    def lookup(self, name: str) -> str | None:
        """The generated name of a macro variable in scope, or None for a free name."""
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    # expr : conditionalor ["?" conditionalor ":" expr]
    def on_expr(self, node: Tree) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        condition, then, otherwise = node.children
        return (
            f"(({self.compile(then)}) if _bool({self.compile(condition)}) else ({self.compile(otherwise)}))"
        )

    def on_conditionalor(self, node: Tree) -> str:
        return self.logical(node, "or")

    def on_conditionaland(self, node: Tree) -> str:
        return self.logical(node, "and")

    def logical(self, node: Tree, operator: str) -> str:
        """``||`` and ``&&``: Python's short circuit when fast, CEL's error absorption when exact."""
        if len(node.children) == 1:
            return self.compile(node.children[0])
        left, right = node.children
        if self.exact:
            return f"{operator}_exact(lambda: {self.compile(left)}, lambda: {self.compile(right)})"
        return f"({self.boolean(left)} {operator} {self.boolean(right)})"

    def on_relation(self, node: Tree) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operation, right = node.children
        operation = subtree(operation)
        left = subtree(operation.children[0])
        name = _RELATIONS[operation.data]
        # Plain Python for a comparison with a literal, where Python's operator is exact.
        if name in ("eq", "ne"):
            fast = self.literal_equality(left, right, negate=name == "ne")
            if fast is not None:
                return fast
        if not self.exact and name == "in_":
            fast = self.literal_membership(left, right)
            if fast is not None:
                return fast
        if not self.exact and name in _PY_ORDER:
            fast = self.literal_order(left, right, name)
            if fast is not None:
                return fast
        return f"{name}({self.compile(left)}, {self.compile(right)})"

    def literal_membership(self, left: Tree, right: Any) -> str | None:
        """``x in ['a', 'b']``: a set lookup is exact when x is a string and the list holds strings."""
        values = string_list_literal(right)
        if values is None:
            return None
        self.counter += 1
        temp = f"t{self.counter}"
        members = self.constant(frozenset(values))
        listed = self.constant(list(values))
        # The condition binds the value first; the general operator runs only for non-strings.
        value = self.compile(left)
        return f"(({temp} in {members}) if ({temp} := {value}).__class__ is _str else in_({temp}, {listed}))"

    def literal_order(self, left: Tree, right: Any, name: str) -> str | None:
        """``x <= 16384``: Python's comparison is exact when x is a plain int (not a bool)."""
        literal = literal_of(right)
        if type(literal) is not int or literal_of(left) is not MISSING:
            return None
        self.counter += 1
        temp = f"t{self.counter}"
        value = self.compile(left)
        operator = _PY_ORDER[name]
        if value in self.ints:  # size(x) <= 3: an int, so Python's comparison is exact
            return f"({value} {operator} {literal!r})"
        # If the value is not a plain int (or is a bool), the general operator decides.
        fast = f"{temp} {operator} {literal!r}"
        return f"(({fast}) if ({temp} := {value}).__class__ is _int else {name}({temp}, {literal!r}))"

    def literal_equality(self, left: Tree, right: Any, negate: bool) -> str | None:
        """``x == true``, ``x == null``, ``x == "s"``: Python identity/equality is exact for these."""
        if literal_of(left) is not MISSING and literal_of(right) is not MISSING:
            return None  # both constant: the general operator is exact and Python would warn about `is`
        for value_node, literal_node in ((left, right), (right, left)):
            literal = literal_of(literal_node)
            if literal is MISSING:
                continue
            other = self.compile(value_node)
            if literal is None or literal is True or literal is False:
                return f"({other} is {'not ' if negate else ''}{literal!r})"
            if type(literal) is str:
                return f"({other} {'!=' if negate else '=='} {self.constant(literal)})"
        for value_node, type_node in ((left, right), (right, left)):
            # type(x) == map: type values are singletons, so identity is equality.
            name = type_ident(type_node)
            if name is not None and self.lookup(name) is None:
                other = self.compile(value_node)
                key, fixed = self.constant(name), self.constant(TYPES[name])
                # A variable bound to the type's name compares by CEL equality (its value converted,
                # as on_member_dot's): identity is equality for the type values only.
                bound = f"{'ne' if negate else 'eq'}({other}, native_value(V[{key}]))"
                return f"(({bound}) if {key} in V else ({other} is {'not ' if negate else ''}{fixed}))"
        return None

    def on_addition(self, node: Tree) -> str:
        return self.binary(node)

    def on_multiplication(self, node: Tree) -> str:
        return self.binary(node)

    def binary(self, node: Tree) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operation, right = node.children
        operation = subtree(operation)
        left = self.compile(operation.children[0])
        if operation.data == "addition_add":
            # Concatenation is charged to the memory budget (the generated code's C).
            self.builds = True
            return f"add({left}, {self.compile(right)}, C)"
        return f"{_ARITHMETIC[operation.data]}({left}, {self.compile(right)})"

    def on_unary(self, node: Tree) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operator, operand = node.children
        if subtree(operator).data != "unary_not":
            return f"neg({self.compile(operand)})"
        if yields_bool(operand):  # a bool or an error: Python's not is CEL's, with no call
            return f"(not {self.compile(operand)})"
        return f"not_({self.compile(operand)})"

    def on_member(self, node: Tree) -> str:
        return self.compile(node.children[0])

    def on_primary(self, node: Tree) -> str:
        return self.compile(node.children[0])

    def on_paren_expr(self, node: Tree) -> str:
        return self.compile(node.children[0])

    def on_member_dot(self, node: Tree) -> str:
        target, field = node.children
        chain = dotted_chain(node)
        qualified = chain.dotted if chain is not None else None
        if qualified is not None and qualified in TYPES and self.lookup(qualified.split(".")[0]) is None:
            return self.constant(TYPES[qualified])
        if self.exact:
            selection = f"select({self.compile(target)}, {self.constant(str(field))})"
        else:
            # Python indexing is CEL selection on a dict, and raises on anything else (then the exact
            # version runs and reports the error properly).
            selection = f"({self.compile(target)})[{self.constant(str(field))}]"
        name = self.qualified_name(node)
        if name is None:
            return selection
        # A variable may have a qualified name (a binding "a.b"): the longest bound prefix of the
        # chain wins, and the shorter ones (compiled for the target) are the fallbacks.
        # The value of a qualified name is converted where the public API has not checked it (it
        # checks the free variables only): a binding "a.b" is rare, and its value read only here.
        key = self.constant(name)
        return f"(native_value(V[{key}]) if {key} in V else {selection})"

    def qualified_name(self, node: Tree) -> str | None:
        """``a.b.c`` as one name when the chain starts at a free variable (not a macro's), has no
        parentheses and no backquoted field; else None (always None without qualified names)."""
        if not self.qualified_names:
            return None
        found = qualified_name(node)
        if found is None or (found[1] and self.lookup(found[0].split(".")[0]) is not None):
            return None
        return found[0]

    def on_member_index(self, node: Tree) -> str:
        target, key = node.children
        if type(literal_of(key)) is float and unwrap_wrappers(subtree(target)).data == "list_lit":
            # [1, 2][1.0]: the type checker refuses a double index into a list (a dyn double that
            # holds a whole number is accepted at run time, as the conformance suite asks).
            return f"_raise({self.constant('no such overload: [] on list, double')})"
        return f"index({self.compile(target)}, {self.compile(key)})"

    def on_member_dot_opt(self, node: Tree) -> str:  # a.?b: an optional (see ext_optionals)
        target, field = node.children
        return f"opt_select({self.compile(target)}, {self.constant(str(field))})"

    def on_member_index_opt(self, node: Tree) -> str:  # a[?k]
        target, key = node.children
        return f"opt_index({self.compile(target)}, {self.compile(key)})"

    def on_opt_expr(self, node: Tree) -> str:
        raise CelSyntaxError("?x is allowed only as an element of a list literal or a key of a map literal")

    def on_member_object(self, node: Tree) -> str:
        raise NativeUnsupported("message construction (Type{field: value}) is not supported natively")

    def on_ident(self, node: Tree) -> str:
        name = str(node.children[0])
        bound = self.lookup(name)
        if bound is not None:
            return bound
        if name in TYPES:  # a variable may take a type's name; its value converted, as on_member_dot's
            key = self.constant(name)
            return f"(native_value(V[{key}]) if {key} in V else {self.constant(TYPES[name])})"
        if self.exact:
            return f"variable(V, {self.constant(name)})"
        return f"V[{self.constant(name)}]"

    def on_dot_ident(self, node: Tree) -> str:
        # .a: a read the public API does not check beforehand (see on_member_dot), so converted here.
        return f"native_value(variable(V, {self.constant(str(node.children[0]))}))"

    def on_dot_ident_arg(self, node: Tree) -> str:
        name, *rest = node.children
        return self.call(str(name), [self.compile(a) for a in call_arguments(rest)])

    def on_literal(self, node: Tree) -> str:
        value = literal_of(node)
        if value is MISSING:
            token = node.children[0]
            line, column = getattr(token, "line", None), getattr(token, "column", None)
            raise CelSyntaxError(literal_error(node), line=line, column=column)
        return self.literal(value)

    def on_list_lit(self, node: Tree) -> str:
        items = [element(self, a) for a in call_arguments(node.children)]
        return f"[{', '.join(items)}]"

    def on_map_lit(self, node: Tree) -> str:
        if not node.children or node.children[0] is None:
            return "{}"
        inits = subtree(node.children[0])
        parts = [c for c in inits.children if isinstance(c, lark.Tree)]
        keys = [literal_of(parts[i]) for i in range(0, len(parts), 2)]
        if all(type(key) is str for key in keys) and len(set(keys)) == len(keys):
            # Distinct string literals: nothing for make_map to check, and a dict display evaluates
            # keys and values in the same order.
            entries = (f"{self.constant(k)}: {self.compile(parts[2 * i + 1])}" for i, k in enumerate(keys))
            return f"{{{', '.join(entries)}}}"
        pairs = ", ".join(entry(self, parts[i], parts[i + 1]) for i in range(0, len(parts), 2))
        return f"make_map([{pairs}])"

    def on_ident_arg(self, node: Tree) -> str:
        name, *rest = node.children
        given = call_arguments(rest)
        if str(name) == "has":  # the macro tests for a field instead of selecting it
            if len(given) != 1:
                raise CelSyntaxError("has() takes one field selection")
            inner = unwrap(given[0])
            if inner.data != "member_dot":
                raise CelSyntaxError("has() needs a field selection such as has(a.b)")
            target, field = inner.children
            return f"has({self.compile(target)}, {self.constant(str(field))})"
        literals = [literal_of(a) for a in given]
        folded = literals if all(v is not MISSING for v in literals) else None
        return self.call(str(name), [self.compile(a) for a in given], folded)

    def on_member_dot_arg(self, node: Tree) -> str:
        target, method, *rest = node.children
        given = call_arguments(rest)
        name = str(method)
        extension = extension_call(self, target, name, given)
        if extension is not None:
            return extension
        if name in MACROS:
            return self.macro(name, target, given)
        return self.call(name, [self.compile(target), *(self.compile(a) for a in given)])

    def call(self, name: str, arguments: list[str], literals: list[Any] | None = None) -> str:
        function = self.functions.get(name)
        if function is None:
            raise NativeUnsupported(f"unknown function {name!r}")
        if literals and len(literals) == 1 and (name in _FOLDABLE or getattr(function, "pure", False)):
            folded = self.folded(function, literals[0])
            if folded is not None:
                return folded
        if getattr(function, "costed", False):  # an extension charging its own work
            self.builds = True
            return f"F[{self.constant(name)}]({', '.join(['C', *arguments])})"
        if function is size and len(arguments) == 1:
            return self.size(arguments[0])
        method = getattr(function, "method", None)
        if method is not None and not self.exact and len(arguments) == 1:
            # lower(x): on a string, the str method itself (else the function, as below)
            self.counter += 1
            temp = f"t{self.counter}"
            other = f"P[{self.constant(name)}]({temp})"
            return f"({temp}.{method}() if ({temp} := {arguments[0]}).__class__ is _str else {other})"
        # The fast variant calls a registered function itself: any error it raises makes the exact
        # variant run, whose call (F, custom's wrapper) turns it into a CEL error.
        table = "P" if not self.exact and hasattr(function, "raw") else "F"
        call = f"{table}[{self.constant(name)}]({', '.join(arguments)})"
        if name in _BOUNDED_FUNCTIONS or getattr(function, "bounded", False):
            return call
        self.builds = True
        return f"charged({call}, C)"

    def folded(self, function: Callable[..., Any], literal: Any) -> str | None:
        """A pure function of one literal (``duration('1h')``, ``days(14)``), called once here: its
        value as a constant, its CEL error raised where it was called; None to call it as usual."""
        try:
            return self.constant(function(literal))
        except CelError as exc:
            return f"_raise({self.constant(exc.message)})"
        except Exception:  # whatever else it raises, it raises when the rule runs
            return None

    def size(self, argument: str) -> str:
        """``size(x)``: a list's length without a call (the fast variant); an int in either variant."""
        if self.exact:
            code = f"F[{self.constant('size')}]({argument})"
        else:
            self.counter += 1
            temp = f"t{self.counter}"
            code = f"(_len({temp}) if ({temp} := {argument}).__class__ is _list else size({temp}))"
        self.ints.add(code)
        return code

    def macro(self, name: str, target: Any, arguments: list[Tree]) -> str:
        variable = variable_name(arguments[0]) if arguments else None
        count = len(arguments)
        if (
            variable is None
            or not _MACRO_ARGUMENTS <= count <= _MAP_FILTER_ARGUMENTS
            or (count == _MAP_FILTER_ARGUMENTS and name != "map")
        ):
            raise CelSyntaxError(f"{name}() takes a variable name and an expression")
        self.counter += 1
        self.loops = True
        local = f"v{self.counter}"
        container = self.compile(target)
        shape = join_shape(name, variable, target, arguments[1]) if count == _MACRO_ARGUMENTS else None
        probe = self.compile(shape[1]) if shape is not None else None  # E, outside the macro's scope
        self.scopes.append({variable: local})
        try:
            bodies = [self.compile(a) for a in arguments[1:]]
        finally:
            self.scopes.pop()
        if shape is None:
            return self.loop(name, container, local, bodies, arguments[1])
        # A hashed join where it decides (joins.join), else the loop: over the list held in t<n>.
        self.counter += 1  # names of their own: the bodies above may have used the macro's number
        listed, joined = f"t{self.counter}", f"r{self.counter}"
        spec = f"({self.constant(name)}, {self.constant(shape[0])})"
        decided = f"({joined} := join({spec}, {listed}, lambda: {probe}, C)) is not NOJOIN"
        worth = f"({listed} := {container}).__class__ is _list and _len({listed}) >= {JOIN_MIN}"
        return (
            f"({joined} if {worth} and {decided} else {self.loop(name, listed, local, bodies, arguments[1])})"
        )

    def loop(self, name: str, container: str, local: str, bodies: list[str], predicate: Tree) -> str:
        """A macro's plain loop over ``container`` (source), its variable ``local`` in ``bodies``."""
        if len(bodies) == _MAP_FILTER_ARGUMENTS - 1:
            return f"map_filter({container}, lambda {local}: {bodies[0]}, lambda {local}: {bodies[1]}, C)"
        if not self.exact and name in _FAST_QUANTIFIERS and yields_bool(predicate):
            # The predicate can only give a bool, so Python's own any()/all() over map() are exact.
            python = "any" if name == "exists" else "all"
            return f"{python}(map(lambda {local}: {bodies[0]}, iterate({container}, C)))"
        if name in _INLINE and ":=" not in container:
            # map_ and filter_ of assay.cel.native.control written out in place, with no call per element
            # and the same steps (iterate) and memory (charged: the list's length) charged. Python refuses
            # := in a comprehension's iterable; in its body, := binds in the enclosing function, where
            # each name (t<n>, r<n>) is used right where it is bound.
            return _INLINE[name].format(container=container, local=local, body=bodies[0])
        quantifiers = _EXACT_QUANTIFIERS if self.exact else _FAST_QUANTIFIERS
        runtime = quantifiers.get(name) or _OTHER_MACROS[name]
        return f"{runtime}({container}, lambda {local}: {bodies[0]}, C)"
