"""The budgets of one evaluation: steps, memory and wall-clock time, so no rule can run away.

Every evaluation of an expression that iterates, concatenates or calls a non-standard function gets a
budget (the generated code's ``C``, made by :func:`new_budget`) from its :class:`CelBudgets`:

- **steps**: every element a macro visits is a step; :func:`iterate` is the one place that charges
  them, since every macro reaches its elements through it;
- **memory**: every string, bytes, list or map an evaluation builds (``+``, ``map``, ``filter``, the
  results of extension and custom functions) is charged by its size (characters, bytes, elements or
  entries), through :func:`charge`;
- **time**: a deadline on the monotonic clock, checked as steps and memory are charged.

The settings are a base: an evaluation that reads evidence gets more, in proportion to the size of the
evidence it reads (:meth:`CelBudgets.scaled`, see :mod:`assay.cel.native.scaling`), granted the first
time it runs out of the settings, so a ``for_each`` over a large account is bounded by its data and not
by a fixed number chosen for a small one. The clock is a safety net against expressions the other two
budgets do not bound: when it trips, the result depended on the machine's speed and load, and its
error says so.

Running out raises a :class:`BudgetExceeded` naming the budget and its setting, which no
error-absorbing rule of CEL may swallow. An expression that does none of these things (``item.x ==
true``) costs nothing to budget: its size bounds its work.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any

from assay.cel.native.values import map_keys, type_name
from assay.errors import CelError
from assay.lean_dataclasses import frozen

DEFAULT_MAX_STEPS = 1_000_000
DEFAULT_MAX_MEMORY = 50_000_000  # above the largest evidence file read by default (32 MiB)
DEFAULT_MAX_MS = 1000
DEFAULT_COST_LIMIT = DEFAULT_MAX_STEPS  # the step budget's former name
# What each byte of evidence an expression reads (its size as compact JSON) adds to the base budgets:
# a JSON element takes at least two bytes, so two steps a byte is at least one visit of every element
# (a real resource, some 20 bytes an element, gets some 40); four memory units a byte is room for
# several copies of its strings and lists; two microseconds a byte is at least a microsecond a step.
STEPS_PER_BYTE = 2
MEMORY_PER_BYTE = 4
MICROSECONDS_PER_BYTE = 2
_CLOCK_EVERY_STEPS = 256  # steps between two looks at the clock
_CLOCK_EVERY_CHARGES = 32  # memory charges between two looks at the clock
_GROWN = ", grown with the evidence it reads"  # how an error names its setting
# What charged() charges, by class: str, bytes, list, tuple, dict and their subclasses (filled as met).
_SIZED: dict[type, bool] = dict.fromkeys((str, bytes, list, tuple, dict), True)
_SIZED_CLASSES = 256


@frozen
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

    def scaled(self, evidence_bytes: int) -> CelBudgets:
        """These budgets grown for an evaluation that reads ``evidence_bytes`` of evidence (its size as
        compact JSON): the settings plus :data:`STEPS_PER_BYTE`, :data:`MEMORY_PER_BYTE` and
        :data:`MICROSECONDS_PER_BYTE` for each byte."""
        if evidence_bytes <= 0:
            return self
        return CelBudgets(
            self.steps + STEPS_PER_BYTE * evidence_bytes,
            self.memory + MEMORY_PER_BYTE * evidence_bytes,
            self.milliseconds + -(-MICROSECONDS_PER_BYTE * evidence_bytes // 1000),
        )

    @functools.cached_property
    def template(self) -> list[Any]:
        """A budget with everything left (its deadline is set when an evaluation starts)."""
        return [
            self.steps,
            self.memory,
            0.0,
            max(self.steps - _CLOCK_EVERY_STEPS, 0),
            _CLOCK_EVERY_CHARGES,
            self,
            None,
        ]


class BudgetExceeded(CelError):
    """An evaluation ran out of one of its budgets; never absorbed by ``&&``, ``||`` or the macros."""


class CostLimitExceeded(BudgetExceeded):
    """The step budget: the evaluation visited more macro elements than allowed."""


class MemoryBudgetExceeded(BudgetExceeded):
    """The memory budget: the evaluation built strings, lists or maps larger than allowed in total."""


class TimeBudgetExceeded(BudgetExceeded):
    """The wall-clock budget: the evaluation took longer than allowed."""


StepBudgetExceeded = CostLimitExceeded


# A budget is a list, since one is made for every evaluation that needs one and a list is the
# cheapest object Python makes: the slots below, filled from CelBudgets.template().
Budget = list[Any]
# GROW: None, or what measures the evidence the expression reads (its bytes): called the first time
# a budget runs out, to grant that evidence's allowance (CelBudgets.scaled) and go on. The limits are
# then those granted up front would be, and an evaluation that stays within the settings (nearly all)
# never measures anything.
_LEFT, MEMORY, DEADLINE, _NEXT_CHECK, _NEXT_CLOCK, LIMITS, GROW = range(7)
_DEADLINE, _LIMITS = DEADLINE, LIMITS
Measure = Callable[[], int]


def new_budget(limits: CelBudgets, deadline: float | None = None, grow: Measure | None = None) -> Budget:
    """A full budget for one evaluation, its deadline ``limits.milliseconds`` from now (or ``deadline``),
    growing with the evidence ``grow`` measures."""
    budget = limits.template.copy()
    budget[_DEADLINE] = time.monotonic() + limits.milliseconds / 1000 if deadline is None else deadline
    budget[GROW] = grow
    return budget


def _grow(budget: Budget) -> None:
    """Grant the allowance of the evidence the expression reads, once (see GROW)."""
    measure: Measure | None = budget[GROW]
    if measure is None:
        return
    budget[GROW] = None
    started = time.monotonic()
    limits: CelBudgets = budget[_LIMITS]
    grown = limits.scaled(measure())
    budget[_LIMITS] = grown
    budget[_LEFT] += grown.steps - limits.steps
    budget[MEMORY] += grown.memory - limits.memory
    # The time measuring took is not the rule's.
    budget[_DEADLINE] += (grown.milliseconds - limits.milliseconds) / 1000 + time.monotonic() - started


def deadline_of(budget: Budget) -> float:
    return float(budget[_DEADLINE])


def _check(budget: Budget) -> None:
    """Called by :func:`iterate` when the steps pass a checkpoint: the step budget, then the clock."""
    if budget[_LEFT] < 0:
        _grow(budget)
        if budget[_LEFT] < 0:
            limits: CelBudgets = budget[_LIMITS]
            raise CostLimitExceeded(
                f"CEL step budget exceeded: the rule visits more than {limits.steps:,} elements "
                f"(the cel_max_steps setting{_GROWN})"
            )
    budget[_NEXT_CHECK] = max(budget[_LEFT] - _CLOCK_EVERY_STEPS, 0)
    _check_clock(budget)


def _check_clock(budget: Budget) -> None:
    if time.monotonic() > budget[_DEADLINE]:
        _grow(budget)
        if time.monotonic() > budget[_DEADLINE]:
            limits: CelBudgets = budget[_LIMITS]
            raise TimeBudgetExceeded(
                f"CEL time budget exceeded: the rule ran longer than {limits.milliseconds:,} ms "
                f"(the cel_max_ms setting{_GROWN}), so this result depended on the machine's speed "
                "and load, not on the evidence"
            )


def charge(budget: Budget, size: int) -> None:
    """Charge ``size`` units of memory built (characters, bytes, list elements or map entries)."""
    budget[MEMORY] -= size
    if budget[MEMORY] < 0:
        _grow(budget)
        if budget[MEMORY] < 0:
            limits: CelBudgets = budget[_LIMITS]
            raise MemoryBudgetExceeded(
                f"CEL memory budget exceeded: the rule builds more than {limits.memory:,} characters, "
                f"bytes or elements (the cel_max_memory setting{_GROWN})"
            )
    budget[_NEXT_CLOCK] -= 1
    if budget[_NEXT_CLOCK] <= 0:
        budget[_NEXT_CLOCK] = _CLOCK_EVERY_CHARGES
        _check_clock(budget)


def spend(budget: Budget, steps: int) -> None:
    """Charge ``steps`` of work that is not a loop over a container (an extension function's sort,
    flatten or set comparison); a macro's loop charges itself through :func:`iterate`."""
    budget[_LEFT] -= steps
    if budget[_LEFT] < budget[_NEXT_CHECK]:
        _check(budget)


def charged(value: Any, budget: Budget | None) -> Any:
    """A value some function built, charged by its size (for functions whose output is not bounded by
    their input: custom and extension functions)."""
    # By the value's class, remembered: whether a class is (a subclass of) a sized one never changes.
    if budget is not None:
        sized = _SIZED.get(type(value))
        if sized is None:
            sized = _sized(value)
        if sized:
            charge(budget, len(value))
    return value


def _sized(value: Any) -> bool:
    """Whether charged() charges a value whose class it has not met (remembered, for a few hundred)."""
    sized = isinstance(value, str | bytes | list | tuple | dict)
    if len(_SIZED) < _SIZED_CLASSES:
        _SIZED[type(value)] = sized
    return sized


def iterate(container: Any, cost: Budget) -> Iterable[Any]:
    """The elements of a list or the keys of a map, charged to the step budget before the first one."""
    kind = type(container)
    if kind is list or kind is tuple or isinstance(container, list | tuple):
        items: Iterable[Any] = container
        count = len(container)
    elif kind is dict:
        items = map_keys(container)
        count = len(container)
    else:
        raise CelError(f"cannot iterate over {type_name(container)}")
    cost[_LEFT] -= count
    if cost[_LEFT] < cost[_NEXT_CHECK]:
        _check(cost)
    return items
