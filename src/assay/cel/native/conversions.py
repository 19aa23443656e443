"""CEL's type conversion functions over plain values: ``int()``, ``uint()``, ``double()``,
``string()``, ``bytes()``, ``bool()``, ``timestamp()`` and ``duration()``.

Most are plain Python with CEL's range checks. Formatting doubles, timestamps and durations as
strings, and parsing timestamp and duration strings beyond the common RFC 3339 form, are delegated
to cel-python's own types through :func:`to_reference`, so the two backends agree on those formats.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from celpy import celtypes
from celpy.adapter import json_to_cel

from assay.cel.native.errors import no_overload
from assay.cel.native.values import ExtValue, Uint, check_duration, check_int, check_timestamp, check_uint
from assay.cel.reference import to_python
from assay.errors import CelError


def to_reference(value: Any) -> Any:
    """A plain value as a cel-python value, for the few conversions delegated to its types."""
    if type(value) is Uint:
        return celtypes.UintType(int(value))
    if isinstance(value, bytes):
        return celtypes.BytesType(value)
    return json_to_cel(value)


def to_int(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is Uint:
        return check_int(int(value))
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            raise CelError("cannot convert a non-finite double to int")
        return check_int(int(value))
    if kind is str:
        if not re.fullmatch(r"[+-]?\d+", value):
            raise CelError(f"cannot convert {value!r} to int")
        return check_int(int(value))
    if isinstance(value, datetime):
        return check_int(int(value.timestamp()))
    raise no_overload("int", value)


def to_uint(value: Any) -> Uint:
    kind = type(value)
    if kind is int or kind is Uint:
        return check_uint(int(value))
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            raise CelError("cannot convert a non-finite double to uint")
        return check_uint(int(value))
    if kind is str:
        if not re.fullmatch(r"\+?\d+", value):
            raise CelError(f"cannot convert {value!r} to uint")
        return check_uint(int(value))
    raise no_overload("uint", value)


def to_double(value: Any) -> float:
    kind = type(value)
    if kind is float or kind is int or kind is Uint:
        return float(value)
    if kind is str:
        try:
            return float(value)
        except ValueError:
            raise CelError(f"cannot convert {value!r} to double") from None
    raise no_overload("double", value)


def to_string(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is Uint:
        return str(int(value))
    if kind is bytes:
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            raise CelError("bytes are not valid UTF-8") from None
    if kind is float or isinstance(value, datetime | timedelta):
        return str(to_python(celtypes.StringType(to_reference(value))))
    if isinstance(value, ExtValue):
        return value.cel_string()
    raise no_overload("string", value)


def to_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
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
        raise CelError(f"cannot convert {value!r} to bool")
    raise no_overload("bool", value)


_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)")


def to_timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if type(value) is str and _RFC3339.fullmatch(value):
        try:
            return check_timestamp(datetime.fromisoformat(value).astimezone(UTC))
        except ValueError:
            pass  # an impossible date such as 02-30: let cel-python's parser report it
    if type(value) is str:
        try:
            return check_timestamp(to_python(celtypes.TimestampType(value)))
        except (ValueError, TypeError, OverflowError) as exc:
            raise CelError(f"cannot convert {value!r} to a timestamp: {exc}") from None
    if type(value) is int:
        try:
            return check_timestamp(datetime.fromtimestamp(value, tz=UTC))
        except (ValueError, OverflowError, OSError):
            raise CelError("timestamp out of range") from None
    raise no_overload("timestamp", value)


def to_duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if type(value) is str:
        try:
            return check_duration(to_python(celtypes.DurationType(value)))
        except (ValueError, TypeError, OverflowError) as exc:
            raise CelError(f"cannot convert {value!r} to a duration: {exc}") from None
    raise no_overload("duration", value)
