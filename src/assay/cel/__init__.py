"""CEL for assay: parsing, static analysis of the names a rule reads, and two evaluation backends.

``compile(expression)`` gives a program whose ``evaluate(variables)`` takes and returns plain Python
values, each keeping its CEL kind in both directions: None, bool, int, :class:`Uint` (an int that is
CEL's ``uint``), float, str, bytes, list, dict, datetime for timestamps and timedelta for durations
(:class:`Timestamp` and :class:`Duration`, their subclasses, when the value has nanoseconds beyond
the microsecond). A map literal with both ``true`` and ``1`` as keys, which a Python dict cannot
hold apart, comes back with its bool keys as :class:`assay.cel.native.BoolKey`. Every CEL error
raises :class:`assay.errors.CelError`, with a line and column for syntax errors; running out of a
budget (:class:`CelBudgets`) raises a :class:`BudgetExceeded`.
On the native backend, values that are already plain Python go in as they are: a value is converted
only when its type needs it (an ``IntEnum`` member, a tuple, a dict subclass). Inside
``with index_scope():``, where the lists passed do not change, ``L.exists(x, x.f == e)`` and its
kin index ``L`` once and look ``e`` up (:mod:`assay.cel.native.joins`).
``backend="native"`` (the default) compiles CEL to Python; ``backend="reference"`` runs cel-python,
the semantics the native backend is tested against.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, Protocol

from assay.cel.backend import Backend
from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction, FunctionRegistry
from assay.cel.native.conversions import is_plain, to_native
from assay.cel.native.cost import BudgetExceeded, CelBudgets
from assay.cel.native.joins import index_scope
from assay.cel.native.temporal import Duration, Timestamp
from assay.cel.native.values import TYPES, Uint
from assay.cel.syntax import Reference, parse, references
from assay.errors import CelError, ConfigError

BACKENDS = ("native", "reference")

__all__ = [
    "BACKENDS",
    "DEFAULT_FUNCTIONS",
    "BudgetExceeded",
    "CelBudgets",
    "CelFunction",
    "Duration",
    "FunctionRegistry",
    "Program",
    "Reference",
    "Timestamp",
    "Uint",
    "compile",
    "index_scope",
    "make_backend",
    "parse",
    "references",
]


class Program(Protocol):
    """A compiled expression over plain Python values."""

    def evaluate(self, variables: Mapping[str, Any]) -> Any: ...


def make_backend(
    name: str = "native",
    functions: FunctionRegistry = DEFAULT_FUNCTIONS,
    budgets: CelBudgets | None = None,
    *,
    qualified_names: bool = True,
) -> Backend:
    """A backend by name: ``native`` or ``reference``. ``budgets`` bound each evaluation of the native
    backend (cel-python, the reference, has no budgets)."""
    if name == "native":
        from assay.cel.native import NativeBackend

        return NativeBackend(functions, budgets=budgets, qualified_names=qualified_names)
    if name == "reference":
        from assay.cel.reference import ReferenceBackend

        return ReferenceBackend(functions)
    raise ConfigError(f"unknown CEL backend {name!r} (known: {', '.join(BACKENDS)})")


class _PlainProgram:
    """Adapts a backend's program to plain values in and out."""

    def __init__(self, backend: Backend, expression: str) -> None:
        self._backend = backend
        self._program = backend.compile(expression)

    def evaluate(self, variables: Mapping[str, Any]) -> Any:
        native = {name: self._backend.native(value) for name, value in variables.items()}
        return self._backend.python(self._program.run(native))


_REMEMBERED = 16  # variable values a native program remembers as already checked


Evaluate = Callable[[Mapping[str, Any]], Any]
Fast = Callable[[Mapping[str, Any], None], Any]
# evaluate() of a native program, by the number of free variables it reads and whether its fast
# variant may run alone: each checks that the values read are remembered as plain, then runs; else it
# calls ``slow``, which checks them. ``run`` gives the exact result or error when ``fast`` raised.


def _one(first: str, memo: dict[int, Any], run: Evaluate, slow: Evaluate) -> Evaluate:
    def evaluate(variables: Mapping[str, Any]) -> Any:
        if id(variables.get(first)) in memo:
            return run(variables)
        return slow(variables)

    return evaluate


def _one_fast(first: str, memo: dict[int, Any], fast: Fast, run: Evaluate, slow: Evaluate) -> Evaluate:
    def evaluate(variables: Mapping[str, Any]) -> Any:
        try:
            if id(variables[first]) in memo:
                return fast(variables, None)
        except Exception:
            return run(variables)
        return slow(variables)

    return evaluate


def _two(names: tuple[str, str], memo: dict[int, Any], run: Evaluate, slow: Evaluate) -> Evaluate:
    first, second = names

    def evaluate(variables: Mapping[str, Any]) -> Any:
        if id(variables.get(first)) in memo and id(variables.get(second)) in memo:
            return run(variables)
        return slow(variables)

    return evaluate


def _two_fast(
    names: tuple[str, str], memo: dict[int, Any], fast: Fast, run: Evaluate, slow: Evaluate
) -> Evaluate:
    first, second = names

    def evaluate(variables: Mapping[str, Any]) -> Any:
        try:
            if id(variables[first]) in memo and id(variables[second]) in memo:
                return fast(variables, None)
        except Exception:
            return run(variables)
        return slow(variables)

    return evaluate


def _many(names: tuple[str, ...], memo: dict[int, Any], run: Evaluate, slow: Evaluate) -> Evaluate:
    def evaluate(variables: Mapping[str, Any]) -> Any:
        for name in names:
            if id(variables.get(name)) not in memo:
                return slow(variables)
        return run(variables)

    return evaluate


class _NativePlainProgram:
    """The native backend's program over plain values: its values are plain Python already, so a
    variable is converted (:func:`~assay.cel.native.conversions.to_native`) only when its type needs
    it, and results need nothing.

    Only the free variables the expression reads are looked at: evidence passed along but never read
    costs nothing. Each is checked (:func:`~assay.cel.native.conversions.is_plain`, at C speed for
    scalars and the dicts and lists of them that users pass) the first time the program sees it; the
    last few values found plain are remembered by identity, and kept alive so that no other object
    can take their id. A container changed in place after it was remembered is not checked again.
    (A value bound to a qualified name, ``a.b``, or read from the root scope, ``.a``, is converted
    by the program itself where it reads it.)
    """

    def __init__(self, backend: Backend, expression: str) -> None:
        program = backend.compile(expression)
        self._run = program.run
        self._memo: dict[int, Any] = {id(None): None}  # id -> the value, which keeps the id its own
        # Type names (int, map) are read only when bound, and then converted by the program itself.
        roots = (r.names[0] for r in references(parse(expression)))
        self._names = tuple(dict.fromkeys(name for name in roots if name not in TYPES))
        # An expression that needs no budget runs its fast variant directly (program.run, which then
        # runs it again and the exact variant, only when it raised).
        self.evaluate = self._evaluator(getattr(program, "unbudgeted_fast", None))

    def _evaluator(self, fast: Any) -> Evaluate:
        """``evaluate``, made for the names read, so that the common call costs a lookup or two."""
        names, memo, run, slow = self._names, self._memo, self._run, self._slow
        if len(names) == 1:
            return (
                _one(names[0], memo, run, slow)
                if fast is None
                else _one_fast(names[0], memo, fast, run, slow)
            )
        if len(names) == 2:  # noqa: PLR2004 - one, two, or any number of variables
            pair = (names[0], names[1])
            return _two(pair, memo, run, slow) if fast is None else _two_fast(pair, memo, fast, run, slow)
        return _many(names, memo, run, slow)

    def _slow(self, variables: Mapping[str, Any]) -> Any:
        """Check every free variable read (converting where needed), then run the program."""
        result: dict[str, Any] | None = None
        for name in self._names:
            value = variables.get(name)
            if id(value) in self._memo:
                continue
            if is_plain(value):
                if len(self._memo) > _REMEMBERED:
                    self._memo.clear()  # in place: evaluate's closure holds this dict
                    self._memo[id(None)] = None
                self._memo[id(value)] = value
                continue
            try:
                converted = to_native(value)
            except CelError as exc:
                raise CelError(f"variable {name!r}: {exc.message}") from None
            result = dict(variables) if result is None else result
            result[name] = converted
        return self._run(variables if result is None else result)


def compile(
    expression: str,
    *,
    backend: Literal["native", "reference"] = "native",
    functions: FunctionRegistry = DEFAULT_FUNCTIONS,
    budgets: CelBudgets | None = None,
) -> Program:
    """Compile a CEL expression once; evaluate it many times with ``program.evaluate(variables)``."""
    made = make_backend(backend, functions, budgets)
    if backend == "native":
        return _NativePlainProgram(made, expression)
    return _PlainProgram(made, expression)
