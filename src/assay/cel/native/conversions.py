"""CEL's type conversion functions over plain values: ``int()``, ``uint()``, ``double()``,
``string()``, ``bytes()``, ``bool()``, ``timestamp()`` and ``duration()``.

Each follows the specification and agrees with cel-go and cel-cpp: numbers parse from ASCII digits
only (no white space, no underscores, no other scripts' digits); a double converts to an integer
only when it lies strictly inside the integer's range; ``string()`` writes doubles in their shortest
round-trip form the way C's ``%g`` lays them out (``1e+06``, ``0.0001``), and timestamps and
durations as the protobuf JSON mapping does (:mod:`~assay.cel.native.temporal`).

Also the way in from Python: :func:`is_plain` tells whether a value is already one the runtime takes
as it is (it is, for everything JSON gives and for the CEL kinds' own classes), and :func:`to_native`
converts any other value of a CEL kind (an ``IntEnum`` or ``StrEnum`` member, a tuple, an
``OrderedDict``, a ``bytearray``) to one, refusing what has no CEL kind (a set, an arbitrary object).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from assay.cel.native.errors import no_overload
from assay.cel.native.temporal import (
    NANOS_PER_SECOND,
    Duration,
    Timestamp,
    format_duration,
    format_timestamp,
    make_timestamp,
    parse_duration,
    parse_timestamp,
    shown,
    timestamp_nanos,
    to_timestamp_value,
)
from assay.cel.native.values import BoolKey, CelType, ExtValue, Uint, check_int, check_uint
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


# --- Python values into the runtime's values ----------------------------------------------------------

# Values of these exact classes are the runtime's own: nothing to convert. Ints are not range-checked
# here (neither on this way in nor by to_native): the operators check CEL's 64-bit ranges.
PLAIN_SCALARS = frozenset(
    {type(None), bool, int, Uint, float, str, bytes, datetime, timedelta, Timestamp, Duration, CelType}
)
_PLAIN_KEYS = frozenset({str, int, bool, Uint, BoolKey})


def is_plain(value: Any) -> bool:
    """Whether ``value`` is already a runtime value at every depth (:func:`to_native` would give it
    back unchanged). Fast for the common case: scalars and dicts and lists of them."""
    try:
        return _is_plain(value)
    except RecursionError:
        return False  # to_native reports it


def _is_plain(value: Any) -> bool:
    kind = type(value)
    if kind in PLAIN_SCALARS:
        return True
    if kind is dict:
        return _PLAIN_KEYS.issuperset(map(type, value)) and _all_plain(value.values())
    if kind is list:
        return _all_plain(value)
    return isinstance(value, ExtValue)


def _all_plain(values: Iterable[Any]) -> bool:
    # A set of the element classes is built at C speed; only containers need a look inside.
    if PLAIN_SCALARS.issuperset(map(type, values)):
        return True
    return all(map(_is_plain, values))


def native_value(value: Any) -> Any:
    """``value`` itself when it is plain, else :func:`to_native` of it."""
    return value if is_plain(value) else to_native(value)


def to_native(value: Any) -> Any:
    """A Python value as the runtime's value of the same CEL kind, at every depth: subclasses of the
    plain classes become the plain class (``IntEnum`` members ints, ``StrEnum`` members strings),
    tuples lists, other mappings dicts, ``bytearray`` and ``memoryview`` bytes. A value without a CEL
    kind, or a map key that CEL does not allow (int, uint, bool and string are), raises
    :class:`CelError`."""
    try:
        return _to_native(value)
    except RecursionError:
        raise CelError("the value is nested too deeply (or contains itself)") from None


def _to_native(value: Any) -> Any:
    kind = type(value)
    if kind in PLAIN_SCALARS or isinstance(value, datetime | timedelta | ExtValue | CelType):
        return value
    if isinstance(value, Mapping):
        return {_native_key(key): _to_native(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_to_native(item) for item in value]
    return _native_scalar(value)


def _native_scalar(value: Any) -> Any:
    # bool cannot be subclassed; an int subclass that is a Uint stays a uint.
    for base in (Uint, int, float, str):
        if isinstance(value, base):
            return base(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise CelError(f"a value of Python type {type(value).__name__} is not a CEL value")


def _native_key(key: Any) -> Any:
    if type(key) in _PLAIN_KEYS:
        return key
    if isinstance(key, int | str):
        return _native_scalar(key)
    kind = type(key).__name__
    raise CelError(f"a map key of Python type {kind} is not a CEL map key (int, uint, bool, string)")
