"""The public API's program on the native backend: ``evaluate(variables)`` over plain Python values.

The runtime's values are plain Python already, so a variable is converted
(:func:`~assay.cel.native.conversions.to_native`) only when its type needs it, and results need
nothing. Only the free variables the expression reads are looked at: evidence passed along but never
read costs nothing. Each is checked (:func:`~assay.cel.native.conversions.is_plain`, at C speed for
scalars and the dicts and lists of them that users pass) the first time the program sees it; the
last few values found plain are remembered by identity, and kept alive so that no other object can
take their id. A container changed in place after it was remembered is not checked again. (A value
bound to a qualified name, ``a.b``, or read from the root scope, ``.a``, is converted by the program
itself where it reads it.)

A binding may have a qualified name (``{"a.b": 1}`` for ``a.b``), which the program must look for
before selecting ``b`` from ``a``: one more lookup per selection, on every evaluation. The names it
would look for are known from the expression (:func:`~assay.cel.native.tree.qualified_names`), so
the program compiled is one that does not look for them (as the engine's, whose bindings never have
qualified names), run when none of them is bound; the one that does (the backend's default) is
compiled the first time one is.

``evaluate`` itself is generated for the expression: the check that each variable read is the very
value it was at the last call, found plain then (``is``: no id() and hash per call), and that no
qualified name is bound (nothing to look up when the mapping holds only the names read), then the
fast variant's expression in the same function, so that the common call is one Python call, as a
hand-written check would be. Anything else (another value, a qualified name bound, an error) goes
the general way.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

from assay.cel.functions import FunctionRegistry
from assay.cel.native.conversions import is_plain, to_native
from assay.cel.native.cost import CelBudgets
from assay.cel.native.program import NativeBackend, NativeProgram
from assay.cel.native.tree import qualified_names
from assay.cel.native.values import TYPES
from assay.cel.rulecache import PROGRAM_HEADER, Variant
from assay.cel.syntax import parse, references
from assay.errors import CelError

_REMEMBERED = 16  # variable values a program remembers as already checked
_UNSEEN = object()  # no value yet
_INLINE_LOOKUPS = 3  # up to this many qualified names are looked up one by one; more, as one set

Evaluate = Callable[[Mapping[str, Any]], Any]


class PlainProgram:
    """``assay.cel.compile(expression)`` on the native backend; see the module's text."""

    def __init__(self, expression: str, functions: FunctionRegistry, budgets: CelBudgets | None) -> None:
        self._expression, self._functions, self._budgets = expression, functions, budgets
        backend = NativeBackend(functions, budgets=budgets, qualified_names=False)
        plain = backend.compile(expression)
        self._run = plain.run
        # The qualified names a program that looks for them might look for (a.b for a.b.c too); that
        # program is compiled the first time one of them is bound.
        tree = parse(expression)
        self._lookups = tuple(sorted(qualified_names(tree))) if isinstance(plain, NativeProgram) else ()
        self._qualified: Callable[[Mapping[str, Any]], Any] | None = None
        self._memo: dict[int, Any] = {id(None): None}  # id -> the value, which keeps the id its own
        # Type names (int, map) are read only when bound, and then converted by the program itself.
        roots = (r.names[0] for r in references(tree))
        self._names = tuple(dict.fromkeys(name for name in roots if name not in TYPES))
        # The value of each name at the last call, found plain: the common call compares identities only.
        self._last: list[Any] = [_UNSEEN] * len(self._names)
        self.evaluate: Evaluate = self._slow
        if isinstance(plain, NativeProgram) and plain.fast_variant is not None:
            self.evaluate = self._generated(backend, plain, plain.fast_variant)

    def _generated(self, backend: NativeBackend, program: NativeProgram, variant: Variant) -> Evaluate:
        """``evaluate`` written for this expression (see the module's text)."""
        base = len(variant.constants)
        body = variant.source.removeprefix(PROGRAM_HEADER).strip()
        constants = [*variant.constants, *self._names, *self._lookups]
        fast = program.unbudgeted_fast is not None and "\n" not in body
        # Looked up where the fast variant's errors are caught; else with get (a missing one is None).
        read = "V[K[{}]]" if fast else "V.get(K[{}])"
        checks = [f"{read.format(base + i)} is L[{i}]" for i in range(len(self._names))]
        first = base + len(self._names)
        if len(self._lookups) > _INLINE_LOOKUPS:
            constants.append(frozenset(self._lookups))
            unbound = [f"K[{len(constants) - 1}].isdisjoint(V)"]
        else:
            unbound = [f"K[{first + i}] not in V" for i in range(len(self._lookups))]
        if unbound and fast:  # none bound; certainly so when the names read (all there) are all there is
            checks.append(f"(_len(V) == {len(self._names)} or ({' and '.join(unbound)}))")
        else:  # (get gives None for a missing name: the names read may not all be there)
            checks += unbound
        condition = " and ".join(checks) or "True"
        if fast:
            source = (
                f"def _evaluate(V):\n    try:\n        if {condition}:\n            return {body}\n"
                "    except Exception as error:\n        return A(V, error)\n    return S(V)\n"
            )
        else:  # the program runs with a budget, which run() makes
            source = f"def _evaluate(V):\n    if {condition}:\n        return R(V)\n    return S(V)\n"
        namespace = backend.namespace(tuple(constants))
        namespace.update(L=self._last, R=self._run, S=self._slow, A=self._after(program), C=None)
        namespace.update(Exception=Exception)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # as the backend compiles its variants
            code = compile(source, "<cel>", "exec")
        # S102: the body is the backend's fast variant (generated from the parse tree only, literals in
        # K), the rest fixed text over indexes into K: no text of the expression becomes code.
        exec(code, namespace)  # noqa: S102 - see above
        return namespace["_evaluate"]  # type: ignore[no-any-return]

    def _after(self, program: NativeProgram) -> Callable[[Mapping[str, Any], Exception], Any]:
        """What ``evaluate`` gives when the checks or the fast variant raised: with a qualified name
        bound, the general way; else the program's own exact variant (the fast one does not run again)."""
        lookups, slow, after_fast = self._lookups, self._slow, program.after_fast

        def after(variables: Mapping[str, Any], error: Exception) -> Any:
            try:
                bound = any(name in variables for name in lookups)
            except Exception:  # not a mapping: the exact variant reports it
                bound = False
            return slow(variables) if bound else after_fast(variables, error)

        return after

    def _slow(self, variables: Mapping[str, Any]) -> Any:
        """Check every free variable read (converting where needed), then run the program."""
        result: dict[str, Any] | None = None
        for number, name in enumerate(self._names):
            value = variables.get(name)
            if value is self._last[number]:
                continue
            if id(value) in self._memo:
                self._last[number] = value
                continue
            if is_plain(value):
                if len(self._memo) > _REMEMBERED:
                    self._memo.clear()
                    self._memo[id(None)] = None
                self._memo[id(value)] = value
                self._last[number] = value
                continue
            try:
                converted = to_native(value)
            except CelError as exc:
                raise CelError(f"variable {name!r}: {exc.message}") from None
            result = dict(variables) if result is None else result
            result[name] = converted
        run = self._run_qualified() if any(name in variables for name in self._lookups) else self._run
        return run(variables if result is None else result)

    def _run_qualified(self) -> Evaluate:
        """The run of the program that looks for qualified names, compiled when first needed."""
        if self._qualified is None:
            self._qualified = (
                NativeBackend(self._functions, budgets=self._budgets).compile(self._expression).run
            )
        return self._qualified
