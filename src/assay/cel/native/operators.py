"""CEL's operators over plain values: the functions generated code calls for ``==``, ``<``, ``+``,
``[]``, ``.field``, ``in`` and the rest, with CEL's typing rules rather than Python's.

Equality never errors and compares numbers by value across int, uint and double; ordering and
arithmetic need operands of matching types (numbers may mix for ordering) and raise "no such
overload" otherwise; integer results are checked against CEL's 64-bit ranges, and timestamps and
durations are computed to the nanosecond (:mod:`~assay.cel.native.temporal`). Concatenation charges
what it builds to the evaluation's memory budget. ``make_map`` and
``variable`` build map literals and read free variables for the exact variant.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from assay.cel.native.cost import MEMORY, Budget, charge
from assay.cel.native.errors import no_overload
from assay.cel.native.temporal import (
    add_to_timestamp,
    compare_temporal,
    duration_sum,
    timestamp_difference,
)
from assay.cel.native.values import (
    BOOL_KEYS,
    INT64_MIN,
    MISSING,
    CelType,
    ExtValue,
    Uint,
    check_int,
    check_uint,
    is_number,
    map_lookup,
    type_name,
)
from assay.errors import CelError

# Values of these types are equal exactly when Python says so, within one type.
_EQUAL_BY_PYTHON = (CelType,)


def compare_numbers(a: Any, b: Any) -> int | None:
    """-1, 0 or 1 for two numbers of any of CEL's numeric types; None when a NaN is involved.

    int and uint compare exactly; a double against either compares with the integer converted to
    a double, as cel-go and cel-cpp do (so ``9223372036854775807 == 9223372036854775808.0``).
    """
    if type(a) is float or type(b) is float:
        x, y = float(a), float(b)
        if math.isnan(x) or math.isnan(y):
            return None
        return int(x > y) - int(x < y)
    return int(a > b) - int(a < b)


def eq(a: Any, b: Any) -> bool:
    """CEL equality: numbers compare by value across types; other types must match; never errors."""
    ka, kb = type(a), type(b)
    if ka is kb and (ka is str or ka is bool or ka is int or ka is bytes or a is None):
        return bool(a == b)
    if is_number(a) and is_number(b):
        return compare_numbers(a, b) == 0
    if ka is bool or kb is bool:
        return False
    return _eq_composite(a, b)


def _eq_composite(a: Any, b: Any) -> bool:
    """Equality of lists, maps, timestamps, durations and types (the rarer cases, off the hot path)."""
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b, strict=True))
    if type(a) is dict and type(b) is dict:
        return _eq_maps(a, b)
    if (isinstance(a, datetime) and isinstance(b, datetime)) or (
        isinstance(a, timedelta) and isinstance(b, timedelta)
    ):
        return compare_temporal(a, b) == 0
    if isinstance(a, ExtValue):
        return a.cel_equals(b)
    for kind in _EQUAL_BY_PYTHON:
        if isinstance(a, kind) and isinstance(b, kind):
            return bool(a == b)
    return False


def _eq_maps(a: dict[Any, Any], b: dict[Any, Any]) -> bool:
    if len(a) != len(b):
        return False
    for key, value in a.items():
        other = map_lookup(b, key)
        if other is MISSING or not eq(value, other):
            return False
    return True


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def _order(a: Any, b: Any, operator: str) -> int | None:
    """-1, 0 or 1 for two values CEL can order (None when a NaN is involved); else no overload."""
    ka, kb = type(a), type(b)
    if is_number(a) and is_number(b):
        return compare_numbers(a, b)
    if ka is kb and ka in (str, bytes, bool):
        return int(a > b) - int(a < b)
    if (isinstance(a, datetime) and isinstance(b, datetime)) or (
        isinstance(a, timedelta) and isinstance(b, timedelta)
    ):
        return compare_temporal(a, b)
    raise no_overload(operator, a, b)


def lt(a: Any, b: Any) -> bool:
    ka = type(a)
    if ka is type(b) and (ka is int or ka is str or ka is timedelta):
        return bool(a < b)
    order = _order(a, b, "<")
    return order is not None and order < 0


def le(a: Any, b: Any) -> bool:
    ka = type(a)
    if ka is type(b) and (ka is int or ka is str or ka is timedelta):
        return bool(a <= b)
    order = _order(a, b, "<=")
    return order is not None and order <= 0


def gt(a: Any, b: Any) -> bool:
    ka = type(a)
    if ka is type(b) and (ka is int or ka is str or ka is timedelta):
        return bool(a > b)
    order = _order(a, b, ">")
    return order is not None and order > 0


def ge(a: Any, b: Any) -> bool:
    ka = type(a)
    if ka is type(b) and (ka is int or ka is str or ka is timedelta):
        return bool(a >= b)
    order = _order(a, b, ">=")
    return order is not None and order >= 0


def add(a: Any, b: Any, budget: Budget | None = None) -> Any:
    """``+``: arithmetic, and concatenation charged to the memory budget."""
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return check_int(a + b)
    if ka is kb and (ka is str or ka is bytes):  # (before the rarer numbers: messages concatenate)
        if budget is not None:
            budget[MEMORY] -= len(a) + len(b)  # charge(), inlined for the common case
            if budget[MEMORY] < 0:
                charge(budget, 0)  # raises
        return a + b
    if ka is Uint and kb is Uint:
        return check_uint(a + b)
    if ka is float and kb is float:
        return a + b
    if (ka is list or isinstance(a, list | tuple)) and (kb is list or isinstance(b, list | tuple)):
        if budget is not None:
            charge(budget, len(a) + len(b))
        return [*a, *b]
    return _add_time(a, b)


def _add_time(a: Any, b: Any) -> Any:
    """``+`` on timestamps and durations (the rarer cases, off the hot path)."""
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return add_to_timestamp(a, b)
    if isinstance(a, timedelta) and isinstance(b, datetime):
        return add_to_timestamp(b, a)
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return duration_sum(a, b)
    raise no_overload("+", a, b)


def sub(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return check_int(a - b)
    if ka is datetime and kb is datetime:  # now - t: the usual way rules measure age
        return timestamp_difference(a, b)
    if ka is Uint and kb is Uint:
        return check_uint(a - b)
    if ka is float and kb is float:
        return a - b
    return _sub_time(a, b)


def _sub_time(a: Any, b: Any) -> Any:
    """``-`` on timestamps and durations of any class (the rarer cases, off the hot path)."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return timestamp_difference(a, b)
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return add_to_timestamp(a, b, sign=-1)
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return duration_sum(a, b, sign=-1)
    raise no_overload("-", a, b)


def mul(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return check_int(a * b)
    if ka is Uint and kb is Uint:
        return check_uint(a * b)
    if ka is float and kb is float:
        return a * b
    raise no_overload("*", a, b)


def div(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if (ka is int and kb is int) or (ka is Uint and kb is Uint):
        if b == 0:
            raise CelError("divide by zero")
        quotient = abs(a) // abs(b)  # CEL truncates toward zero; Python's // floors
        quotient = quotient if (a < 0) == (b < 0) else -quotient
        return check_int(quotient) if ka is int else check_uint(quotient)
    if ka is float and kb is float:
        if b == 0.0:
            if a == 0.0 or math.isnan(a):
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    raise no_overload("/", a, b)


def mod(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if (ka is int and kb is int) or (ka is Uint and kb is Uint):
        if b == 0:
            raise CelError("modulus by zero")
        if ka is int and a == INT64_MIN and b == -1:
            raise CelError("integer overflow")  # the quotient, -INT64_MIN, does not fit: CEL says so
        remainder = abs(a) % abs(b)  # the sign of the dividend, as CEL (and C) define it
        remainder = -remainder if a < 0 else remainder
        return remainder if ka is int else Uint(remainder)
    raise no_overload("%", a, b)


def neg(a: Any) -> Any:
    """Unary ``-``: for int and double only, as the specification lists it."""
    kind = type(a)
    if kind is int:
        return check_int(-a)
    if kind is float:
        return -a
    raise no_overload("-", a)


def not_(a: Any) -> bool:
    if a is True or a is False:
        return not a
    raise no_overload("!", a)


def index(container: Any, key: Any) -> Any:
    if isinstance(container, list | tuple):
        if type(key) is float and key.is_integer():
            key = int(key)
        if type(key) not in (int, Uint):
            raise no_overload("[]", container, key)
        if not 0 <= key < len(container):
            raise CelError(f"index {key} out of range for a list of {len(container)}")
        return container[key]
    if type(container) is dict:
        value = map_lookup(container, key)
        if value is MISSING:
            raise CelError(f"no such key: {key!r}")
        return value
    if isinstance(container, ExtValue):
        return container.cel_index(key)
    raise no_overload("[]", container, key)


def select(container: Any, field: str) -> Any:
    if type(container) is dict:
        try:
            return container[field]
        except KeyError:
            raise CelError(f"no such key: {field!r}") from None
    if isinstance(container, ExtValue):
        return container.cel_select(field)
    message = f"cannot select field {field!r} from {type_name(container)}"  # noqa: S608 - not SQL: a message
    raise CelError(message)


def has(container: Any, field: str) -> bool:
    if type(container) is dict:
        return field in container
    if isinstance(container, ExtValue):
        return container.cel_has(field)
    raise CelError(f"has() cannot test field {field!r} on {type_name(container)}")


def in_(element: Any, container: Any) -> bool:
    if isinstance(container, list | tuple):
        return any(eq(element, item) for item in container)
    if type(container) is dict:
        return map_lookup(container, element) is not MISSING
    raise no_overload("in", element, container)


def size(value: Any) -> int:
    if isinstance(value, str | bytes | list | tuple | dict):
        return len(value)
    raise no_overload("size", value)


def make_map(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    """A map literal: keys must be strings, ints, uints or bools, and distinct by CEL equality.

    Python's dict holds ``True`` and ``1`` as one key; when a literal has both, its bool keys are
    stored as :class:`~assay.cel.native.values.BoolKey` so that both entries are kept.
    """
    result: dict[Any, Any] = {}
    for key, _ in pairs:
        if type(key) not in (str, int, Uint, bool):
            raise CelError(f"unsupported map key type {type_name(key)}")
        if map_lookup(result, key) is not MISSING:
            raise CelError(f"duplicate map key {key!r}")
        result[BOOL_KEYS[key] if type(key) is bool else key] = None
    bools = [key for key, _ in pairs if type(key) is bool]
    numbers = [key for key, _ in pairs if type(key) is int or type(key) is Uint]
    wrap = any(flag == number for flag in bools for number in numbers)
    return {(BOOL_KEYS[key] if wrap and type(key) is bool else key): value for key, value in pairs}


def variable(variables: Mapping[str, Any], name: str) -> Any:
    """A free variable, or CEL's error for an undeclared one (the fast variant indexes directly)."""
    try:
        return variables[name]
    except KeyError:
        raise CelError(f"undeclared reference to {name!r}") from None
