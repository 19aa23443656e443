"""CEL's math extension library: ``math.greatest`` and ``math.least``, rounding, ``abs``, ``sign``,
the tests for infinite and NaN doubles, ``sqrt``, and the bitwise operations on ints and uints.

``greatest`` and ``least`` take numbers of any of the three kinds (or one list of them), compare
them by value and give the winning argument unchanged, of its own kind. Bitwise operations work on
the 64-bit two's-complement form: shifts of 64 bits or more give 0, a right shift fills with zeros,
and a negative shift is an error.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from assay.cel.native.errors import no_overload
from assay.cel.native.ext_support import DOUBLE, INT, NUMBERS, UINT, Extension, overloads
from assay.cel.native.values import INT64_MIN, UINT64_MAX, Uint, is_number
from assay.errors import CelError

_BITS = 64
_SIGN_BIT = 2**63


def _extreme(name: str, pick: Callable[[Any, Any], bool]) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        values = args[0] if len(args) == 1 and isinstance(args[0], list | tuple) else args
        if not values:
            raise CelError(f"{name} needs at least one number")
        for value in values:
            if not is_number(value):
                raise no_overload(name, value)
        best = values[0]
        for value in values[1:]:
            if pick(value, best):
                best = value
        return best

    return call


def _integral(round_: Callable[[float], int]) -> Callable[[float], float]:
    def call(value: float) -> float:
        if not math.isfinite(value):
            return value
        return math.copysign(float(round_(value)), value)  # keeps the sign of -0.0 and of -0.5 -> -0.0

    return call


def _round(value: float) -> float:
    """Half away from zero (1.5 -> 2.0, -1.5 -> -2.0); exact, unlike adding 0.5."""
    if not math.isfinite(value):
        return value
    whole = float(math.trunc(value))
    if abs(value - whole) >= 0.5:  # noqa: PLR2004 - a half
        whole += math.copysign(1.0, value)
    return math.copysign(whole, value)


def _abs(value: Any) -> Any:
    if type(value) is int and value == INT64_MIN:
        raise CelError("integer overflow in math.abs")
    return type(value)(abs(value))


def _sign(value: Any) -> Any:
    if type(value) is float and math.isnan(value):
        return value
    sign = (value > 0) - (value < 0)
    return type(value)(sign)


def _sqrt(value: Any) -> float:
    number = float(value)
    return math.sqrt(number) if number >= 0 else math.nan


def _signed(value: int) -> int:
    """A 64-bit pattern as an int64."""
    value &= UINT64_MAX
    return value - 2**_BITS if value & _SIGN_BIT else value


def _bitwise(operation: Callable[[int, int], int]) -> Callable[[Any, Any], Any]:
    def call(left: Any, right: Any) -> Any:
        result = operation(int(left), int(right))
        return Uint(result & UINT64_MAX) if type(left) is Uint else _signed(result)

    return call


def _bit_not(value: Any) -> Any:
    return Uint(UINT64_MAX ^ value) if type(value) is Uint else ~value


def _shift(left: bool) -> Callable[[Any, int], Any]:
    def call(value: Any, offset: int) -> Any:
        if offset < 0:
            raise CelError(f"math.bitShift{'Left' if left else 'Right'}() negative offset: {offset}")
        if offset >= _BITS:
            return type(value)(0)
        pattern = int(value) & UINT64_MAX
        shifted = (pattern << offset if left else pattern >> offset) & UINT64_MAX
        return Uint(shifted) if type(value) is Uint else _signed(shifted)

    return call


def _on_double(name: str, function: Callable[[float], Any]) -> Any:
    return overloads(name, ((DOUBLE,), function))


def _on_numbers(name: str, function: Callable[[Any], Any]) -> Any:
    return overloads(name, *(((kind,), function) for kind in NUMBERS))


def _on_integers(name: str, function: Callable[..., Any], second: str | None = None) -> Any:
    """Overloads for (int, int) and (uint, uint), or with ``second`` as the second argument's type."""
    return overloads(name, ((INT, second or INT), function), ((UINT, second or UINT), function))


_MATH: tuple[tuple[str, Any, tuple[str, ...], str], ...] = (
    (
        "greatest",
        _extreme("math.greatest", lambda a, b: a > b),
        ("math.greatest(<number>, ...) -> <number>", "math.greatest(<list<number>>) -> <number>"),
        "The greatest of the numbers (ints, uints and doubles compared by value).",
    ),
    (
        "least",
        _extreme("math.least", lambda a, b: a < b),
        ("math.least(<number>, ...) -> <number>", "math.least(<list<number>>) -> <number>"),
        "The least of the numbers (ints, uints and doubles compared by value).",
    ),
    (
        "ceil",
        _on_double("math.ceil", _integral(math.ceil)),
        ("math.ceil(<double>) -> <double>",),
        "Round up to a whole number.",
    ),
    (
        "floor",
        _on_double("math.floor", _integral(math.floor)),
        ("math.floor(<double>) -> <double>",),
        "Round down to a whole number.",
    ),
    (
        "round",
        _on_double("math.round", _round),
        ("math.round(<double>) -> <double>",),
        "Round to the nearest whole number, halves away from zero.",
    ),
    (
        "trunc",
        _on_double("math.trunc", _integral(math.trunc)),
        ("math.trunc(<double>) -> <double>",),
        "Drop the fraction.",
    ),
    (
        "abs",
        _on_numbers("math.abs", _abs),
        ("math.abs(<number>) -> <number>",),
        "The absolute value; an error for the least int.",
    ),
    (
        "sign",
        _on_numbers("math.sign", _sign),
        ("math.sign(<number>) -> <number>",),
        "-1, 0 or 1, of the argument's kind.",
    ),
    (
        "isInf",
        _on_double("math.isInf", math.isinf),
        ("math.isInf(<double>) -> <bool>",),
        "Whether the double is infinite.",
    ),
    (
        "isNaN",
        _on_double("math.isNaN", math.isnan),
        ("math.isNaN(<double>) -> <bool>",),
        "Whether the double is NaN.",
    ),
    (
        "isFinite",
        _on_double("math.isFinite", math.isfinite),
        ("math.isFinite(<double>) -> <bool>",),
        "Whether the double is neither infinite nor NaN.",
    ),
    (
        "sqrt",
        _on_numbers("math.sqrt", _sqrt),
        ("math.sqrt(<number>) -> <double>",),
        "The square root; NaN for a negative number.",
    ),
    (
        "bitOr",
        _on_integers("math.bitOr", _bitwise(lambda a, b: a | b)),
        ("math.bitOr(<int>, <int>) -> <int>", "math.bitOr(<uint>, <uint>) -> <uint>"),
        "Bitwise or.",
    ),
    (
        "bitAnd",
        _on_integers("math.bitAnd", _bitwise(lambda a, b: a & b)),
        ("math.bitAnd(<int>, <int>) -> <int>", "math.bitAnd(<uint>, <uint>) -> <uint>"),
        "Bitwise and.",
    ),
    (
        "bitXor",
        _on_integers("math.bitXor", _bitwise(lambda a, b: a ^ b)),
        ("math.bitXor(<int>, <int>) -> <int>", "math.bitXor(<uint>, <uint>) -> <uint>"),
        "Bitwise exclusive or.",
    ),
    (
        "bitNot",
        overloads("math.bitNot", ((INT,), _bit_not), ((UINT,), _bit_not)),
        ("math.bitNot(<int>) -> <int>", "math.bitNot(<uint>) -> <uint>"),
        "Bitwise not (ones' complement).",
    ),
    (
        "bitShiftLeft",
        _on_integers("math.bitShiftLeft", _shift(left=True), INT),
        ("math.bitShiftLeft(<int>, <int>) -> <int>", "math.bitShiftLeft(<uint>, <int>) -> <uint>"),
        "Shift the bits left; 0 from 64 bits on.",
    ),
    (
        "bitShiftRight",
        _on_integers("math.bitShiftRight", _shift(left=False), INT),
        ("math.bitShiftRight(<int>, <int>) -> <int>", "math.bitShiftRight(<uint>, <int>) -> <uint>"),
        "Shift the bits right, filling with zeros; 0 from 64 bits on.",
    ),
)

FUNCTIONS = tuple(
    Extension(f"math.{name}", "math", implementation, signatures, doc)
    for name, implementation, signatures, doc in _MATH
)
