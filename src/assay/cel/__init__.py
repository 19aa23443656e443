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

from collections.abc import Mapping
from typing import Any, Literal, Protocol

from assay.cel.backend import Backend
from assay.cel.functions import DEFAULT_FUNCTIONS, CelFunction, FunctionRegistry
from assay.cel.native.cost import BudgetExceeded, CelBudgets
from assay.cel.native.joins import index_scope
from assay.cel.native.temporal import Duration, Timestamp
from assay.cel.native.values import Uint
from assay.cel.syntax import Reference, parse, references
from assay.errors import ConfigError

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


def compile(
    expression: str,
    *,
    backend: Literal["native", "reference"] = "native",
    functions: FunctionRegistry = DEFAULT_FUNCTIONS,
    budgets: CelBudgets | None = None,
) -> Program:
    """Compile a CEL expression once; evaluate it many times with ``program.evaluate(variables)``."""
    if backend == "native":
        from assay.cel.native.plain import PlainProgram

        return PlainProgram(expression, functions, budgets)
    return _PlainProgram(make_backend(backend, functions, budgets), expression)
