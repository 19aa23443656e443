"""The native backend: CEL compiled to Python that works on the evidence's own values.

cel-python's parser (the reference grammar) gives the syntax tree; this package turns it into the
source of one Python function per expression, compiled once. Values stay plain Python: None, bool,
int, :class:`Uint`, float, str, bytes, list, dict, datetime (timestamps) and timedelta (durations),
with :class:`Timestamp` and :class:`Duration` for the values that need nanoseconds.

Why two versions of each expression: CEL's ``&&``, ``||`` and the ``all``/``exists`` macros absorb
errors (``false && 1/0 == 1`` is false, and so is ``1/0 == 1 && false``). Honouring that costs
closures and try blocks on every evaluation. So each expression is compiled twice: a *fast* version
that uses Python's own short-circuit operators and raises on any error, and an *exact* version that
implements CEL's absorption rules. The exact one runs only when the fast one raised. Both are exact
whenever the fast one returns a value, because an error-free evaluation has nothing to absorb.

Safety: no text of the expression ever becomes Python code. Literals are placed in a constant
table; variables are looked up by name in the variables mapping; macro variables get generated
names. Every evaluation that can grow runs within three budgets (steps, memory built, wall-clock
time; :mod:`~assay.cel.native.cost`), so no rule can run away.

Where cel-python departs from the CEL specification this backend follows the specification; the
cases are listed in ``SPEC_DEPARTURES`` and each has a test.

The modules, one pass or one part of the runtime each:

- :mod:`~assay.cel.native.tree`: reading the parse tree (literal decoding, shape queries);
- :mod:`~assay.cel.native.codegen`: generating the source of either variant from the tree;
- :mod:`~assay.cel.native.program`: the backend, compiling both variants and running them, with the
  fallback to the reference backend;
- the runtime the generated code calls: :mod:`~assay.cel.native.values` (the value model and range
  checks), :mod:`~assay.cel.native.temporal` (timestamps and durations to the nanosecond),
  :mod:`~assay.cel.native.accessors` (their fields, in time zones),
  :mod:`~assay.cel.native.operators`, :mod:`~assay.cel.native.control` (``&&``, ``||`` and
  the macros, fast and exact), :mod:`~assay.cel.native.conversions`, :mod:`~assay.cel.native.library`
  (the standard functions), :mod:`~assay.cel.native.cost` (the budgets) and
  :mod:`~assay.cel.native.errors`;
- :mod:`~assay.cel.native.plain`: the public API's program (``assay.cel.compile``), whose
  ``evaluate`` is written for its expression around the fast variant;
- :mod:`~assay.cel.native.departures`: the ``SPEC_DEPARTURES`` table;
- :mod:`~assay.cel.native.extensions`: CEL's extension libraries (strings, math, lists, sets,
  encoders, network, optionals, two-variable comprehensions, ``cel.bind``), one ``ext_`` module each,
  registered there; :mod:`~assay.cel.native.ext_codegen` compiles their macros and syntax.
"""

from __future__ import annotations

from assay.cel.native.cost import (
    DEFAULT_COST_LIMIT,
    BudgetExceeded,
    CelBudgets,
    CostLimitExceeded,
    MemoryBudgetExceeded,
    StepBudgetExceeded,
    TimeBudgetExceeded,
)
from assay.cel.native.departures import SPEC_DEPARTURES
from assay.cel.native.errors import NativeUnsupported
from assay.cel.native.library import BUILTINS
from assay.cel.native.program import FallbackProgram, NativeBackend, NativeProgram
from assay.cel.native.temporal import Duration, Timestamp
from assay.cel.native.values import TYPES, BoolKey, CelType, Uint, type_of
from assay.cel.syntax import MACROS

__all__ = [
    "BUILTINS",
    "DEFAULT_COST_LIMIT",
    "MACROS",
    "SPEC_DEPARTURES",
    "TYPES",
    "BoolKey",
    "BudgetExceeded",
    "CelBudgets",
    "CelType",
    "CostLimitExceeded",
    "Duration",
    "FallbackProgram",
    "MemoryBudgetExceeded",
    "NativeBackend",
    "NativeProgram",
    "NativeUnsupported",
    "StepBudgetExceeded",
    "TimeBudgetExceeded",
    "Timestamp",
    "Uint",
    "type_of",
]
