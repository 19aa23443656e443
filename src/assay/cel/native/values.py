"""The native backend's value model: CEL's types over plain Python values, and their range checks.

Values stay plain Python: None, bool, int, :class:`Uint`, float, str, bytes, list, dict, datetime
(timestamps) and timedelta (durations). This module names their CEL types, checks the ranges CEL
gives integers (timestamps and durations are :mod:`~assay.cel.native.temporal`'s), and finds map
entries by CEL's key equality, keeping bool keys apart from int keys (:class:`BoolKey`). The runtime
helpers and the code generator (which places type values and decoded literals in its constant table)
both build on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
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


# "No such entry" for map lookups and "not a literal" for the literal decoder: None is a value.
MISSING = object()


class BoolKey:
    """A bool key of a map that also has the int key 1 (or 0): Python's dict holds ``True`` and ``1`` as
    one key, CEL holds them apart. Only :func:`make_map` creates these; lookups and iteration see the
    bool. There are two, :data:`BOOL_KEYS` ``[True]`` and ``[False]``, compared by identity."""

    __slots__ = ("value",)

    def __init__(self, value: bool) -> None:
        self.value = value

    def __repr__(self) -> str:
        return "true" if self.value else "false"


BOOL_KEYS = {True: BoolKey(True), False: BoolKey(False)}


def map_lookup(container: dict[Any, Any], key: Any) -> Any:
    """A map entry by CEL key equality (1, 1u and 1.0 find the same entry; true does not); MISSING if
    absent."""
    kind = type(key)
    if kind is str:
        return container.get(key, MISSING)
    if kind is BoolKey or kind is bool:
        return _bool_lookup(container, key.value if kind is BoolKey else key)
    if is_number(key):
        if isinstance(key, float) and not key.is_integer():
            return MISSING
        for existing, value in container.items():
            if is_number(existing) and existing == key:
                return value
        return MISSING
    raise CelError(f"unsupported key type {type_name(key)}")


def _bool_lookup(container: dict[Any, Any], key: bool) -> Any:
    wrapped = container.get(BOOL_KEYS[key], MISSING)
    if wrapped is not MISSING or key not in container:
        return wrapped
    # Python finds True under the key 1; CEL keeps bool and int keys apart.
    for existing, value in container.items():
        if existing is key:
            return value
    return MISSING


def map_keys(container: dict[Any, Any]) -> list[Any]:
    """The keys of a map as CEL sees them (bool keys unwrapped)."""
    keys = list(container)
    if any(type(key) is BoolKey for key in keys):
        return [key.value if type(key) is BoolKey else key for key in keys]
    return keys
