"""The budgets of one evaluation: steps, memory and wall-clock time, so no rule can run away.

Every evaluation of an expression that iterates, concatenates or calls a non-standard function gets a
:class:`Budget` (the generated code's ``C``) from its :class:`CelBudgets`:

- **steps**: every element a macro visits is a step; :func:`iterate` is the one place that charges
  them, since every macro reaches its elements through it;
- **memory**: every string, bytes, list or map an evaluation builds (``+``, ``map``, ``filter``, the
  results of extension and custom functions) is charged by its size (characters, bytes, elements or
  entries), through :meth:`Budget.charge`;
- **time**: a deadline on the monotonic clock, checked as steps and memory are charged.

Running out raises a :class:`BudgetExceeded` naming the budget and its setting, which no
error-absorbing rule of CEL may swallow. An expression that does none of these things (``item.x ==
true``) costs nothing to budget: its size bounds its work.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assay.cel.native.values import map_keys, type_name
from assay.errors import CelError

DEFAULT_MAX_STEPS = 1_000_000
DEFAULT_MAX_MEMORY = 10_000_000
DEFAULT_MAX_MS = 1000
DEFAULT_COST_LIMIT = DEFAULT_MAX_STEPS  # the step budget's former name
_CLOCK_EVERY_STEPS = 256  # steps between two looks at the clock
_CLOCK_EVERY_CHARGES = 32  # memory charges between two looks at the clock


@dataclass(frozen=True)
class CelBudgets:
    """What one evaluation of one expression may spend (project settings ``cel_max_steps``,
    ``cel_max_memory`` and ``cel_max_ms``)."""

    steps: int = DEFAULT_MAX_STEPS
    memory: int = DEFAULT_MAX_MEMORY
    milliseconds: int = DEFAULT_MAX_MS

    def __post_init__(self) -> None:
        for name in ("steps", "memory", "milliseconds"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"the CEL {name} budget must be a whole number of at least 1, not {value!r}")


class BudgetExceeded(CelError):
    """An evaluation ran out of one of its budgets; never absorbed by ``&&``, ``||`` or the macros."""


class CostLimitExceeded(BudgetExceeded):
    """The step budget: the evaluation visited more macro elements than allowed."""


class MemoryBudgetExceeded(BudgetExceeded):
    """The memory budget: the evaluation built strings, lists or maps larger than allowed in total."""


class TimeBudgetExceeded(BudgetExceeded):
    """The wall-clock budget: the evaluation took longer than allowed."""


StepBudgetExceeded = CostLimitExceeded


class Budget:
    """What one evaluation has left: steps, memory units and time."""

    __slots__ = ("deadline", "left", "limits", "memory", "next_check", "next_clock")

    def __init__(self, limits: CelBudgets, deadline: float | None = None) -> None:
        self.limits = limits
        self.left = limits.steps
        self.memory = limits.memory
        self.deadline = deadline if deadline is not None else time.monotonic() + limits.milliseconds / 1000
        self.next_check = max(self.left - _CLOCK_EVERY_STEPS, 0)
        self.next_clock = _CLOCK_EVERY_CHARGES

    def check(self) -> None:
        """Called by :func:`iterate` when the steps pass a checkpoint: the step budget, then the clock."""
        if self.left < 0:
            raise CostLimitExceeded(
                f"CEL step budget exceeded: the rule visits more than {self.limits.steps:,} elements "
                "(the cel_max_steps setting)"
            )
        self.next_check = max(self.left - _CLOCK_EVERY_STEPS, 0)
        self.check_clock()

    def check_clock(self) -> None:
        if time.monotonic() > self.deadline:
            raise TimeBudgetExceeded(
                f"CEL time budget exceeded: the rule ran longer than {self.limits.milliseconds:,} ms "
                "(the cel_max_ms setting)"
            )

    def charge(self, size: int) -> None:
        """Charge ``size`` units of memory built (characters, bytes, list elements or map entries)."""
        self.memory -= size
        if self.memory < 0:
            raise MemoryBudgetExceeded(
                f"CEL memory budget exceeded: the rule builds more than {self.limits.memory:,} characters, "
                "bytes or elements (the cel_max_memory setting)"
            )
        self.next_clock -= 1
        if self.next_clock <= 0:
            self.next_clock = _CLOCK_EVERY_CHARGES
            self.check_clock()


def charged(value: Any, budget: Budget | None) -> Any:
    """A value some function built, charged by its size (for functions whose output is not bounded by
    their input: custom and extension functions)."""
    if budget is not None and isinstance(value, str | bytes | list | tuple | dict):
        budget.charge(len(value))
    return value


def iterate(container: Any, cost: Budget) -> Iterable[Any]:
    """The elements of a list or the keys of a map, charged to the step budget before the first one."""
    if isinstance(container, list | tuple):
        items: Iterable[Any] = container
        count = len(container)
    elif type(container) is dict:
        items = map_keys(container)
        count = len(container)
    else:
        raise CelError(f"cannot iterate over {type_name(container)}")
    cost.left -= count
    if cost.left < cost.next_check:
        cost.check()
    return items
