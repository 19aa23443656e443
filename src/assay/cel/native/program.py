"""The native backend itself: compiling an expression to its two programs, and running them.

:class:`NativeBackend` parses an expression, has :class:`~assay.cel.native.codegen.Compiler` generate
the fast and the exact variant, and compiles each into a Python function over a namespace holding
only the constant table, the function table and the runtime helpers (no Python builtins).
:class:`NativeProgram` runs the fast variant and, only when it raised, the exact one. Valid CEL the
compiler does not handle becomes a :class:`FallbackProgram` on the reference backend.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import warnings
from collections import OrderedDict
from collections.abc import Callable, Mapping
from time import monotonic
from typing import TYPE_CHECKING, Any

from assay.cel import rulecache
from assay.cel.functions import DEFAULT_FUNCTIONS, FunctionRegistry
from assay.cel.native import control, joins, operators
from assay.cel.native.conversions import native_value
from assay.cel.native.cost import (
    DEADLINE,
    GROW,
    LIMITS,
    Budget,
    BudgetExceeded,
    CelBudgets,
    Measure,
    MemoryBudgetExceeded,
    charged,
    deadline_of,
    iterate,
    new_budget,
)
from assay.cel.native.errors import PYTHON_ERRORS, NativeUnsupported, as_cel_error, raise_error
from assay.cel.native.extensions import EXTENSION_FUNCTIONS, EXTENSION_NAMES, RUNTIME, extension_features
from assay.cel.native.library import BUILTINS, custom
from assay.cel.native.values import expect_bool, type_name
from assay.cel.rulecache import Compiled, Fallback, Generated, Variant
from assay.cel.syntax import MACROS
from assay.errors import CelError, CelSyntaxError, ConfigError

if TYPE_CHECKING:
    import lark

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
    "join": joins.join,
    "size": operators.size,
    "NOJOIN": joins.NOJOIN,
    "native_value": native_value,
    "_bool": expect_bool,
    "_raise": raise_error,
    "iterate": iterate,
    "charged": charged,
    **RUNTIME,
}  # fmt: skip
# assay's own functions whose result is never larger than a small multiple of their argument (days():
# a duration, of fixed size), in one pass over it, so a rule calling them needs no budget (a user's
# function of the same name is charged as usual). IAM-03 calls days() twice per IAM user.
_BOUNDED_DEFAULTS = frozenset({"lower", "upper", "days"})
# Of those, the ones that are a str method on a string (the fast variant calls the method itself).
_STRING_METHODS = {"lower": "lower", "upper": "upper"}
_json_string = json.encoder.encode_basestring_ascii  # what json.dumps writes for a str in a list
_FALLBACK_MEMO_SIZE = 64  # values a FallbackProgram keeps converted (the evidence of the last rules)


class NativeProgram:
    """A compiled expression: ``run`` takes variables as plain values and returns a plain value.

    An expression that iterates, concatenates or calls a non-standard function runs with a
    budget (:func:`~assay.cel.native.cost.new_budget`); the others cannot run away and run without one.
    """

    def __init__(
        self,
        expression: str,
        fast: Callable[..., Any],
        exact: Callable[..., Any],
        budgets: CelBudgets,
        budgeted: bool,
        *,
        roots: frozenset[str] = frozenset(),
        measure: Measure | None = None,
    ) -> None:
        self.expression = expression
        # The fast variant's source and constants, for a caller that builds a function around them
        # (assay.cel.native.plain); set by the backend that compiled it.
        self.fast_variant: Variant | None = None
        self._fast = fast
        self._exact = exact
        self._budgets = budgets
        self._budgeted = budgeted
        self._template = budgets.template
        if measure is not None:  # the budget grows with the evidence read (cost.GROW)
            self._template = [*budgets.template]
            self._template[GROW] = measure
        self._seconds = budgets.milliseconds / 1000
        # The first names of the free variables it reads (assay.cel.native.scaling.free_roots).
        self.roots = roots

    def scaled(self, size: Callable[[str], int]) -> NativeProgram:
        """This program with budgets that grow, should it run out of the settings, by the allowance of
        the evidence it reads: ``size(root)`` bytes under each first name it reads
        (:mod:`assay.cel.native.scaling`); itself when it needs no budget or reads no evidence.
        ``size`` may name the first names that have evidence, as ``size.roots``."""
        bound = getattr(size, "roots", None)
        read = self.roots if bound is None else self.roots & bound
        if not self._budgeted or not read:
            return self
        measure = functools.partial(_total, size, tuple(sorted(read)))
        return NativeProgram(
            self.expression, self._fast, self._exact, self._budgets, True, roots=self.roots, measure=measure
        )

    @property
    def unbudgeted_fast(self) -> Callable[[Mapping[str, Any], None], Any] | None:
        """The fast variant, for a caller that runs it first and ``run`` only when it raised; None when
        the expression needs a budget (then only ``run`` may run it)."""
        return None if self._budgeted else self._fast

    def run(self, variables: Mapping[str, Any]) -> Any:
        budget = None
        if self._budgeted:  # new_budget, inlined: this runs once per evaluation
            budget = self._template.copy()
            budget[DEADLINE] = monotonic() + self._seconds
        try:
            return self._fast(variables, budget)
        except BudgetExceeded:
            raise
        except MemoryError:
            raise _out_of_memory() from None
        except (CelError, *PYTHON_ERRORS, RecursionError):
            pass  # evaluate again with CEL's error-absorbing rules; the result or error is exact
        return self._run_exact(variables, budget)

    def after_fast(self, variables: Mapping[str, Any], error: Exception) -> Any:
        """What :meth:`run` gives when :attr:`unbudgeted_fast` raised ``error`` on ``variables``: for a
        caller that runs the fast variant itself, so the fast variant does not run twice."""
        if isinstance(error, BudgetExceeded):
            raise error
        if isinstance(error, MemoryError):
            raise _out_of_memory() from None
        if not isinstance(error, (CelError, *PYTHON_ERRORS, RecursionError)):
            raise error
        return self._run_exact(variables, None)

    def _run_exact(self, variables: Mapping[str, Any], budget: Budget | None) -> Any:
        # The exact variant starts its steps and memory afresh (with any allowance the fast one was
        # granted), within the same deadline.
        if budget is None:
            budget = new_budget(self._budgets)
        else:
            budget = new_budget(budget[LIMITS], deadline_of(budget), budget[GROW])
        try:
            return self._exact(variables, budget)
        except CelError:
            raise
        except MemoryError:
            raise _out_of_memory() from None
        except RecursionError:
            raise CelError("expression or data is nested too deeply to evaluate") from None
        except PYTHON_ERRORS as exc:
            raise as_cel_error(exc) from None

    evaluate = run


def _total(size: Callable[[str], int], roots: tuple[str, ...]) -> int:
    return sum(size(root) for root in roots)


class _OnFirstCall:
    """A function built the first time it is called."""

    def __init__(self, build: Callable[[], Callable[..., Any]]) -> None:
        self._build = build
        self._function: Callable[..., Any] | None = None

    def __call__(self, variables: Mapping[str, Any], budget: Any) -> Any:
        if self._function is None:
            self._function = self._build()
        return self._function(variables, budget)


def _out_of_memory() -> MemoryBudgetExceeded:
    return MemoryBudgetExceeded(
        "CEL memory budget exceeded: the process ran out of memory evaluating the rule"
    )


class FallbackProgram:
    """A rule the native compiler cannot handle, run by the reference backend over plain values.

    Values are converted with :func:`assay.cel.reference.to_reference`, which keeps every CEL kind at
    any depth. The most recently converted containers are remembered by identity (and kept alive in
    the memo, so an id cannot be reused), so evidence shared by consecutive evaluations is converted
    once; the memo is bounded. The budgets do not reach into cel-python: a rule runs here only when
    it uses syntax the native compiler lacks.
    """

    def __init__(self, program: Any, reason: str) -> None:
        self._program = program
        self.reason = reason
        self._memo: OrderedDict[int, tuple[Any, Any]] = OrderedDict()

    def _convert(self, value: Any) -> Any:
        from assay.cel.reference import to_reference

        if not isinstance(value, list | tuple | dict):
            return to_reference(value)
        cached = self._memo.get(id(value))
        if cached is None or cached[0] is not value:
            cached = (value, to_reference(value))
            self._memo[id(value)] = cached
            while len(self._memo) > _FALLBACK_MEMO_SIZE:
                self._memo.popitem(last=False)
        else:
            self._memo.move_to_end(id(value))
        return cached[1]

    @property
    def cached(self) -> int:
        """How many converted values the memo holds (at most a fixed few)."""
        return len(self._memo)

    def run(self, variables: Mapping[str, Any]) -> Any:
        from assay.cel.reference import to_python

        converted = {name: self._convert(value) for name, value in variables.items()}
        return to_python(self._program.run(converted))

    evaluate = run


class NativeBackend:
    """CEL compiled to Python over plain values; see :mod:`assay.cel.native`."""

    name = "native"
    persistent = False

    def __init__(
        self,
        functions: FunctionRegistry = DEFAULT_FUNCTIONS,
        *,
        budgets: CelBudgets | None = None,
        cost_limit: int | None = None,
        qualified_names: bool = True,
        persistent: bool = False,
    ) -> None:
        # qualified_names=False: no binding has a dotted name (the engine's never do: evidence names
        # become trees), so selections skip the lookup of the longer name.
        self.qualified_names = qualified_names
        # persistent: keep each compilation in the on-disk rule cache too (assay.cel.rulecache). The
        # engine turns it on for a catalog's rules, which recur from run to run; a program compiling
        # expressions of its own (a fuzzer, a notebook) would only fill the user's disk.
        self.persistent = persistent or type(self).persistent
        table: dict[str, Callable[..., Any]] = {**BUILTINS, **EXTENSION_FUNCTIONS}
        for function in functions:
            if function.name in BUILTINS or function.name in MACROS or function.name == "has":
                raise ConfigError(f"custom function {function.name!r} would hide a standard CEL function")
            if function.name in EXTENSION_NAMES:
                if function is DEFAULT_FUNCTIONS.get(function.name):
                    continue  # assay's own split, trim and flatten: the extension's version does more
                raise ConfigError(f"custom function {function.name!r} would hide a CEL extension function")
            bounded = function.name in _BOUNDED_DEFAULTS and function is DEFAULT_FUNCTIONS.get(function.name)
            # assay's own lower, upper and days are pure too: called once on a literal (days(14)).
            wrapped = custom(function.implementation, function.name, bounded=bounded, pure=bounded)
            if bounded and function.name in _STRING_METHODS:
                setattr(wrapped, "method", _STRING_METHODS[function.name])  # noqa: B010 - read by codegen
            table[function.name] = wrapped
        self._functions = table
        # What the fast variant calls for a registered function: the function itself (see custom).
        self._raw = {name: f.raw for name, f in table.items() if hasattr(f, "raw")}
        budgets = budgets or CelBudgets()
        # cost_limit is the step budget's former name.
        self.budgets = budgets if cost_limit is None else dataclasses.replace(budgets, steps=cost_limit)
        self._registry = functions
        self.fallbacks: dict[str, str] = {}  # expression -> why it runs on the reference backend
        self._programs: dict[str, NativeProgram | FallbackProgram] = {}
        # What the generated code depends on besides the expression: the on-disk cache's key.
        signature = sorted(
            [name, *(bool(getattr(f, flag, False)) for flag in ("costed", "bounded", "pure", "method"))]
            for name, f in table.items()
        )
        self._material = json.dumps(
            [self.name, qualified_names, hashlib.sha256(json.dumps(signature).encode()).hexdigest()]
        )

    def compile(self, expression: str) -> NativeProgram | FallbackProgram:
        """The program of ``expression``: from this backend's memory, else (when ``persistent``) the
        on-disk cache (:mod:`assay.cel.rulecache`), else parsed and generated, and then kept."""
        program = self._programs.get(expression)
        if program is None:
            material = self.cache_material(expression)
            compiled = rulecache.load_compiled(material) if self.persistent else None
            if compiled is None:
                compiled = self._generate(expression)
                if self.persistent:
                    rulecache.store_compiled(material, compiled)
            program = self._program(expression, compiled)
            self._programs[expression] = program
        return program

    def cache_material(self, expression: str) -> str:
        """What the rule cache keeps ``expression``'s compilation under (:mod:`assay.cel.rulecache`):
        ``json.dumps([code version, self._material, expression])``, its constant part made once."""
        return f"{self._material_prefix}{_json_string(expression)}]"

    @functools.cached_property
    def _material_prefix(self) -> str:
        return json.dumps([rulecache.code_version(), self._material])[:-1] + ", "

    def _program(self, expression: str, compiled: Compiled) -> NativeProgram | FallbackProgram:
        if isinstance(compiled, CelSyntaxError):
            raise CelSyntaxError(compiled.message, line=compiled.line, column=compiled.column)
        if isinstance(compiled, Fallback):
            from assay.cel.reference import ReferenceBackend

            self.fallbacks[expression] = compiled.reason
            return FallbackProgram(ReferenceBackend(self._registry).compile(expression), compiled.reason)
        fast = self._function(compiled.fast)
        # The exact variant runs only after the fast one raised: it is compiled then, if ever.
        exact = _OnFirstCall(lambda: self._function(compiled.exact))
        roots = compiled.roots  # kept in the rule cache: not searched for in the source each run
        program = NativeProgram(expression, fast, exact, self.budgets, compiled.budgeted, roots=roots)
        program.fast_variant = compiled.fast
        return program

    def _generate(self, expression: str) -> Compiled:
        """Parse and generate both variants (the parse is shared with lint in the process)."""
        from assay.cel.syntax import parse

        try:
            tree = parse(expression)
            fast = self._variant(tree, exact=False)
            exact = self._variant(tree, exact=True)
        except NativeUnsupported as exc:  # (a CelSyntaxError: caught first)
            used = extension_features(tree)
            if used:  # cel-python lacks the extension libraries: handing the rule over cannot work
                return CelSyntaxError(
                    f"{exc.message}; the rule uses {', '.join(used)} from CEL's extension libraries, "
                    "which only the native backend runs"
                )
            return Fallback(exc.message)
        except CelSyntaxError as exc:
            return exc
        return Generated(fast[0], exact[0], fast[1])

    def _variant(self, tree: lark.Tree[Any], *, exact: bool) -> tuple[Variant, bool]:
        from assay.cel.native.codegen import Compiler

        compiler = Compiler(self._functions, exact, qualified_names=self.qualified_names)
        try:
            body = compiler.compile(tree)
        except RecursionError:
            raise CelSyntaxError("expression is nested too deeply") from None
        source = f"{rulecache.PROGRAM_HEADER}{body}\n"
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # generated code is checked by tests, not by warnings
                code = compile(source, "<cel>", "exec")
        except (SyntaxError, RecursionError, MemoryError):
            raise CelSyntaxError("expression is too deeply nested to compile") from None
        return Variant(source, tuple(compiler.constants), code), compiler.loops or compiler.builds

    def _function(self, variant: Variant) -> Callable[..., Any]:
        namespace = self.namespace(variant.constants)
        # S102: the code is compiled from source built from the parse tree only (literals sit in K,
        # names are looked up in V), so no text of the expression becomes code; tests/cel/test_native.py
        # tries to inject some. Code read back from the cache is used only when its entry's HMAC verifies.
        exec(variant.code, namespace)  # noqa: S102 - generated from the parse tree, see above
        return namespace["_program"]  # type: ignore[no-any-return]

    def namespace(self, constants: tuple[Any, ...]) -> dict[str, Any]:
        """The globals generated code runs in: the constant table, the functions, the runtime helpers
        and no Python builtins. A copy of one table made once: a catalog has hundreds of programs."""
        return dict(self._namespace, __builtins__={}, K=constants)

    @functools.cached_property
    def _namespace(self) -> dict[str, Any]:
        return {
            "F": self._functions,
            "P": self._raw,
            "_int": int,
            "_str": str,
            "_list": list,
            "_len": len,
            "any": any,
            "all": all,
            "map": map,
            **_RUNTIME,
        }

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
