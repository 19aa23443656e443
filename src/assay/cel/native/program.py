"""The native backend itself: compiling an expression to its two programs, and running them.

:class:`NativeBackend` parses an expression, has :class:`~assay.cel.native.codegen.Compiler` generate
the fast and the exact variant, and compiles each into a Python function over a namespace holding
only the constant table, the function table and the runtime helpers (no Python builtins).
:class:`NativeProgram` runs the fast variant and, only when it raised, the exact one. Valid CEL the
compiler does not handle becomes a :class:`FallbackProgram` on the reference backend.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import lark

from assay.cel.functions import DEFAULT_FUNCTIONS, FunctionRegistry
from assay.cel.native import control, operators
from assay.cel.native.codegen import MACROS, Compiler
from assay.cel.native.conversions import to_reference
from assay.cel.native.cost import DEFAULT_COST_LIMIT, Cost, CostLimitExceeded, iterate
from assay.cel.native.errors import PYTHON_ERRORS, NativeUnsupported, as_cel_error, raise_error
from assay.cel.native.extensions import EXTENSION_FUNCTIONS, EXTENSION_NAMES, RUNTIME, extension_features
from assay.cel.native.library import BUILTINS, custom
from assay.cel.native.values import expect_bool, type_name
from assay.cel.reference import ReferenceBackend, to_python
from assay.cel.syntax import parse
from assay.errors import CelError, CelSyntaxError, ConfigError

# The runtime helpers generated code calls, by the names codegen emits.
_RUNTIME: dict[str, Any] = {
    **{
        name: getattr(operators, name)
        for name in (
            "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod", "neg", "not_", "index",
            "select", "has", "in_", "make_map", "variable",
        )
    },
    **{
        name: getattr(control, name)
        for name in (
            "all_exact", "exists_exact", "all_fast", "exists_fast", "exists_one", "map_", "filter_",
            "map_filter", "and_exact", "or_exact",
        )
    },
    "_bool": expect_bool,
    "_raise": raise_error,
    "iterate": iterate,
    **RUNTIME,
}  # fmt: skip


class NativeProgram:
    """A compiled expression: ``run`` takes variables as plain values and returns a plain value."""

    def __init__(
        self,
        expression: str,
        fast: Callable[..., Any],
        exact: Callable[..., Any],
        cost_limit: int,
        loops: bool,
    ) -> None:
        self.expression = expression
        self._fast = fast
        self._exact = exact
        self._cost_limit = cost_limit
        self._loops = loops  # only an expression that iterates needs a cost counter

    def run(self, variables: Mapping[str, Any]) -> Any:
        try:
            return self._fast(variables, Cost(self._cost_limit) if self._loops else None)
        except CostLimitExceeded:
            raise
        except (CelError, *PYTHON_ERRORS, RecursionError):
            pass  # evaluate again with CEL's error-absorbing rules; the result or error is exact
        try:
            return self._exact(variables, Cost(self._cost_limit))
        except CelError:
            raise
        except RecursionError:
            raise CelError("expression or data is nested too deeply to evaluate") from None
        except PYTHON_ERRORS as exc:
            raise as_cel_error(exc) from None

    evaluate = run


class FallbackProgram:
    """A rule the native compiler cannot handle, run by the reference backend over plain values.

    Each plain object is converted to cel-python's types once and remembered by identity (the object
    is kept alive in the memo so its id cannot be reused), so evidence shared by many evaluations is
    not converted again for each of them.
    """

    def __init__(self, program: Any, reason: str) -> None:
        self._program = program
        self.reason = reason
        self._memo: dict[int, tuple[Any, Any]] = {}

    def _convert(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return to_reference(value)
        cached = self._memo.get(id(value))
        if cached is None or cached[0] is not value:
            cached = (value, to_reference(value))
            self._memo[id(value)] = cached
        return cached[1]

    def run(self, variables: Mapping[str, Any]) -> Any:
        converted = {name: self._convert(value) for name, value in variables.items()}
        return to_python(self._program.run(converted))

    evaluate = run


class NativeBackend:
    """CEL compiled to Python over plain values; see :mod:`assay.cel.native`."""

    name = "native"

    def __init__(
        self, functions: FunctionRegistry = DEFAULT_FUNCTIONS, *, cost_limit: int = DEFAULT_COST_LIMIT
    ) -> None:
        table: dict[str, Callable[..., Any]] = {**BUILTINS, **EXTENSION_FUNCTIONS}
        for function in functions:
            if function.name in BUILTINS or function.name in MACROS or function.name == "has":
                raise ConfigError(f"custom function {function.name!r} would hide a standard CEL function")
            if function.name in EXTENSION_NAMES:
                if function is DEFAULT_FUNCTIONS.get(function.name):
                    continue  # assay's own split, trim and flatten: the extension's version does more
                raise ConfigError(f"custom function {function.name!r} would hide a CEL extension function")
            table[function.name] = custom(function.implementation, function.name)
        self._functions = table
        self._cost_limit = cost_limit
        self._registry = functions
        self.fallbacks: dict[str, str] = {}  # expression -> why it runs on the reference backend

    def compile(self, expression: str) -> NativeProgram | FallbackProgram:
        tree = parse(expression)
        try:
            fast, loops = self._build(tree, exact=False)
            exact, _ = self._build(tree, exact=True)
        except NativeUnsupported as exc:
            used = extension_features(tree)
            if used:  # cel-python lacks the extension libraries: handing the rule over cannot work
                raise CelSyntaxError(
                    f"{exc.message}; the rule uses {', '.join(used)} from CEL's extension libraries, "
                    "which only the native backend runs"
                ) from None
            self.fallbacks[expression] = exc.message
            return FallbackProgram(ReferenceBackend(self._registry).compile(expression), exc.message)
        return NativeProgram(expression, fast, exact, self._cost_limit, loops)

    def _build(self, tree: lark.Tree[Any], *, exact: bool) -> tuple[Callable[..., Any], bool]:
        compiler = Compiler(self._functions, exact)
        try:
            body = compiler.compile(tree)
        except RecursionError:
            raise CelSyntaxError("expression is nested too deeply") from None
        source = f"def _program(V, C):\n    return {body}\n"
        namespace: dict[str, Any] = {
            "__builtins__": {},
            "K": tuple(compiler.constants),
            "F": self._functions,
            "_int": int,
            "_str": str,
            "any": any,
            "all": all,
            "map": map,
            **_RUNTIME,
        }
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # generated code is checked by tests, not by warnings
                code = compile(source, "<cel>", "exec")
        except (SyntaxError, RecursionError, MemoryError):
            raise CelSyntaxError("expression is too deeply nested to compile") from None
        # S102: the source is built from the parse tree only (literals sit in K, names are looked up
        # in V), so no text of the expression becomes code; tests/cel/test_native.py tries to inject some.
        exec(code, namespace)  # noqa: S102 - generated from the parse tree, see above
        return namespace["_program"], compiler.loops

    def native(self, value: Any) -> Any:
        return value

    def record(self, fields: Mapping[str, Any]) -> Any:
        return dict(fields)

    def python(self, value: Any) -> Any:
        return value

    def elements(self, value: Any) -> list[Any]:
        if isinstance(value, list):
            return value
        raise CelError(f"for_each must give a list, not {type_name(value)}")
