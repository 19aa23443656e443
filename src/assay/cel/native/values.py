"""The native backend's value model: CEL's types over plain Python values, and their range checks.

Values stay plain Python: None, bool, int, :class:`Uint`, float, str, bytes, list, dict, datetime
(timestamps) and timedelta (durations). This module names their CEL types, checks the ranges CEL
gives integers, timestamps and durations, and finds map entries by CEL's key equality. The runtime
helpers and the code generator (which places type values and decoded literals in its constant table)
both build on it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from assay.errors import CelError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1


class Uint(int):
    """A CEL ``uint``: plain Python ints are CEL ``int``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"{int(self)}u"


class CelType:
    """A CEL type as a value (``type(1) == int``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CelType) and other.name == self.name

    def __hash__(self) -> int:
        return hash(("CelType", self.name))

    def __repr__(self) -> str:
        return self.name


class ExtValue:
    """A value of an extension library's own type (an optional, an IP address, a CIDR range).

    Operators and conversions ask the value itself: each subclass gives its CEL type and equality,
    and overrides the operations it supports; the others are errors.
    """

    __slots__ = ()
    cel_type: CelType

    def cel_equals(self, other: Any) -> bool:
        raise NotImplementedError

    def cel_string(self) -> str:
        raise CelError(f"no such overload: string on {self.cel_type.name}")

    def cel_select(self, field: str) -> Any:
        raise CelError(f"cannot select field {field!r} from {self.cel_type.name}")  # noqa: S608 - a message

    def cel_index(self, key: Any) -> Any:
        raise CelError(f"no such overload: [] on {self.cel_type.name}")

    def cel_has(self, field: str) -> bool:
        raise CelError(f"has() cannot test field {field!r} on {self.cel_type.name}")


TYPES = {
    name: CelType(name)
    for name in ("int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type")
}
TYPES["google.protobuf.Timestamp"] = CelType("google.protobuf.Timestamp")
TYPES["google.protobuf.Duration"] = CelType("google.protobuf.Duration")
# The types of the extension libraries' values (see ExtValue).
TYPES.update({name: CelType(name) for name in ("optional_type", "net.IP", "net.CIDR")})

# The CEL type of a value, by its exact Python class: bool and Uint are int subclasses with types of
# their own, and a subclass of str or dict is not a value the backend knows.
_TYPE_BY_CLASS: dict[type, CelType] = {
    bool: TYPES["bool"],
    Uint: TYPES["uint"],
    int: TYPES["int"],
    float: TYPES["double"],
    str: TYPES["string"],
    bytes: TYPES["bytes"],
    list: TYPES["list"],
    tuple: TYPES["list"],
    dict: TYPES["map"],
    type(None): TYPES["null_type"],
}
# Then the classes whose subclasses are values too (aware datetimes of any tzinfo, for one).
_TYPE_BY_BASE: tuple[tuple[type, CelType], ...] = (
    (datetime, TYPES["google.protobuf.Timestamp"]),
    (timedelta, TYPES["google.protobuf.Duration"]),
    (CelType, TYPES["type"]),
)


def type_of(value: Any) -> CelType:
    """CEL's ``type()``: the type of a value, raising for a Python object that is no CEL value."""
    found = _TYPE_BY_CLASS.get(type(value))
    if found is not None:
        return found
    if isinstance(value, ExtValue):
        return value.cel_type
    for base, kind in _TYPE_BY_BASE:
        if isinstance(value, base):
            return kind
    raise CelError(f"unsupported value of Python type {type(value).__name__}")


def type_name(value: Any) -> str:
    """The CEL type name of a value for messages, or its Python class name when it has none."""
    try:
        return type_of(value).name
    except CelError:
        return type(value).__name__


def expect_bool(value: Any) -> bool:
    """The value when it is a bool; an error for anything else (``1 && true`` is an error)."""
    if value is True or value is False:
        return value
    raise CelError(f"expected a bool, got {type_name(value)}")


def is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float or kind is Uint


def check_int(value: int) -> int:
    if INT64_MIN <= value <= INT64_MAX:
        return value
    raise CelError("integer overflow")


def check_uint(value: int) -> Uint:
    if 0 <= value <= UINT64_MAX:
        return Uint(value)
    raise CelError("unsigned integer overflow")


_MIN_TIMESTAMP = datetime(1, 1, 1, tzinfo=UTC)
_MAX_TIMESTAMP = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
_MAX_DURATION = timedelta(seconds=315576000000)


def check_timestamp(value: datetime) -> datetime:
    if _MIN_TIMESTAMP <= value <= _MAX_TIMESTAMP:
        return value
    raise CelError("timestamp out of range")


def check_duration(value: timedelta) -> timedelta:
    if -_MAX_DURATION <= value <= _MAX_DURATION:
        return value
    raise CelError("duration out of range")


# "No such entry" for map lookups and "not a literal" for the literal decoder: None is a value.
MISSING = object()


def map_lookup(container: dict[Any, Any], key: Any) -> Any:
    """A map entry by CEL key equality (1, 1u and 1.0 find the same entry); MISSING if absent."""
    kind = type(key)
    if kind is str or kind is bool:
        value = container.get(key, MISSING)
        if value is not MISSING and kind is bool:
            # Python finds True under the key 1; CEL keeps bool and int keys apart.
            for existing in container:
                if existing is key:
                    return container[existing]
            return MISSING
        return value
    if is_number(key):
        if isinstance(key, float) and not key.is_integer():
            return MISSING
        for existing, value in container.items():
            if is_number(existing) and existing == key:
                return value
        return MISSING
    raise CelError(f"unsupported key type {type_name(key)}")
