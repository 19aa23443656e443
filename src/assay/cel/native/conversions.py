"""CEL's type conversion functions over plain values: ``int()``, ``uint()``, ``double()``,
``string()``, ``bytes()``, ``bool()``, ``timestamp()`` and ``duration()``.

Each follows the specification and agrees with cel-go and cel-cpp: numbers parse from ASCII digits
only (no white space, no underscores, no other scripts' digits); a double converts to an integer
only when it lies strictly inside the integer's range; ``string()`` writes doubles in their shortest
round-trip form the way C's ``%g`` lays them out (``1e+06``, ``0.0001``), and timestamps and
durations as the protobuf JSON mapping does (:mod:`~assay.cel.native.temporal`).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from assay.cel.native.errors import no_overload
from assay.cel.native.temporal import (
    NANOS_PER_SECOND,
    format_duration,
    format_timestamp,
    make_timestamp,
    parse_duration,
    parse_timestamp,
    shown,
    timestamp_nanos,
    to_timestamp_value,
)
from assay.cel.native.values import ExtValue, Uint, check_int, check_uint
from assay.errors import CelError

_INT_TEXT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_UINT_TEXT = re.compile(r"\+?[0-9]+", re.ASCII)
_DOUBLE_TEXT = re.compile(
    r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.ASCII | re.IGNORECASE
)
_MAX_NUMBER_TEXT = 400  # longer number texts are refused before Python parses them
_TWO_TO_63 = 2.0**63
_TWO_TO_64 = 2.0**64
# %g switches to an exponent below 1e-4 and from 1e+06 on (for shortest output, as C and Go do).
_SMALLEST_PLAIN_EXPONENT = -4
_LARGEST_PLAIN_EXPONENT = 6


def to_int(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is Uint:
        return check_int(int(value))
    if kind is float:
        if not -_TWO_TO_63 < value < _TWO_TO_63:  # NaN fails this too
            raise CelError("double out of int range")
        return int(value)
    if kind is str:
        if len(value) > _MAX_NUMBER_TEXT or not _INT_TEXT.fullmatch(value):
            raise CelError(f"cannot convert {shown(value)} to int")
        return check_int(int(value))
    if isinstance(value, datetime):
        return timestamp_nanos(value) // NANOS_PER_SECOND
    raise no_overload("int", value)


def to_uint(value: Any) -> Uint:
    kind = type(value)
    if kind is int or kind is Uint:
        return check_uint(int(value))
    if kind is float:
        if not 0.0 <= value < _TWO_TO_64:  # NaN fails this too
            raise CelError("double out of uint range")
        return Uint(int(value))
    if kind is str:
        if len(value) > _MAX_NUMBER_TEXT or not _UINT_TEXT.fullmatch(value):
            raise CelError(f"cannot convert {shown(value)} to uint")
        return check_uint(int(value))
    raise no_overload("uint", value)


def to_double(value: Any) -> float:
    kind = type(value)
    if kind is float or kind is int or kind is Uint:
        return float(value)
    if kind is str:
        if len(value) > _MAX_NUMBER_TEXT or not _DOUBLE_TEXT.fullmatch(value):
            raise CelError(f"cannot convert {shown(value)} to double")
        return float(value)
    raise no_overload("double", value)


def format_double(value: float) -> str:
    """A double as CEL's ``string()`` writes it: the shortest digits that read back to the same
    double, laid out as ``%g`` does (``1.5``, ``100000``, ``1e+06``, ``1.23456789e+08``, ``1e-05``)."""
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    sign, digits, exponent = Decimal(repr(value)).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    if not isinstance(exponent, int):  # pragma: no cover - a finite Decimal has an int exponent
        raise CelError(f"cannot format {value!r}")
    # The exponent of the first digit in scientific notation.
    point = len(digits) + exponent - 1 if text != "0" else 0
    minus = "-" if sign else ""
    if _SMALLEST_PLAIN_EXPONENT <= point < _LARGEST_PLAIN_EXPONENT:
        if point < 0:
            return f"{minus}0.{'0' * (-point - 1)}{text}"
        whole, fraction = text[: point + 1].ljust(point + 1, "0"), text[point + 1 :]
        return f"{minus}{whole}{'.' + fraction if fraction else ''}"
    mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
    return f"{minus}{mantissa}e{'-' if point < 0 else '+'}{abs(point):02d}"


def _bytes_to_string(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise CelError("bytes are not valid UTF-8") from None


# string() by the exact class of its argument; timestamps and durations (any subclass) after these.
_TO_STRING: dict[type, Any] = {
    str: str,
    bool: lambda value: "true" if value else "false",
    int: str,
    Uint: lambda value: str(int(value)),
    float: format_double,
    bytes: _bytes_to_string,
}


def to_string(value: Any) -> str:
    convert = _TO_STRING.get(type(value))
    if convert is not None:
        return str(convert(value))
    if isinstance(value, datetime):
        return format_timestamp(value)
    if isinstance(value, timedelta):
        return format_duration(value)
    if isinstance(value, ExtValue):
        return value.cel_string()
    raise no_overload("string", value)


def to_bytes(value: Any) -> bytes:
    if type(value) is bytes:
        return value
    if type(value) is str:
        return value.encode("utf-8")
    raise no_overload("bytes", value)


_TRUE_TEXTS = frozenset({"true", "True", "TRUE", "t", "1"})
_FALSE_TEXTS = frozenset({"false", "False", "FALSE", "f", "0"})


def to_bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    if type(value) is str:
        if value in _TRUE_TEXTS:
            return True
        if value in _FALSE_TEXTS:
            return False
        raise CelError(f"cannot convert {shown(value)} to bool")
    raise no_overload("bool", value)


def to_timestamp(value: Any) -> datetime:
    """``timestamp()`` of an RFC 3339 string, of seconds since the epoch, or of a timestamp.

    ``timestamp('now')`` is an error like any other text that is not RFC 3339: rules read the
    evaluation time from the ``now`` variable.
    """
    if type(value) is str:
        return parse_timestamp(value)
    if isinstance(value, datetime):
        return to_timestamp_value(value)
    if type(value) is int:
        if abs(value) > 2**62:  # far outside the range; spare the multiplication
            raise CelError("timestamp out of range")
        return make_timestamp(value * NANOS_PER_SECOND)
    raise no_overload("timestamp", value)


def to_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if type(value) is str:
        return parse_duration(value)
    raise no_overload("duration", value)
