"""Cost accounting: every loop step of an evaluation is counted against a limit, so no rule runs away.

Only an expression that iterates gets a :class:`Cost` (the generated code's ``C``); :func:`iterate`
is the one place that charges it, since every macro reaches its elements through it. Running out
raises :class:`CostLimitExceeded`, which no error-absorbing rule of CEL may swallow.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assay.cel.native.values import type_name
from assay.errors import CelError

DEFAULT_COST_LIMIT = 5_000_000


class CostLimitExceeded(CelError):
    """Raised when an evaluation takes more loop steps than allowed; never absorbed."""


class Cost:
    """The loop steps an evaluation has left."""

    __slots__ = ("left",)

    def __init__(self, limit: int) -> None:
        self.left = limit


def iterate(container: Any, cost: Cost) -> Iterable[Any]:
    """The elements of a list or the keys of a map, charged to the cost before the first one."""
    if isinstance(container, list | tuple):
        items: Iterable[Any] = container
        count = len(container)
    elif type(container) is dict:
        items = list(container)
        count = len(container)
    else:
        raise CelError(f"cannot iterate over {type_name(container)}")
    cost.left -= count
    if cost.left < 0:
        raise CostLimitExceeded("evaluation cost limit exceeded: the rule iterates over too many elements")
    return items
