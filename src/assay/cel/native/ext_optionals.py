"""CEL's optional types: ``optional.of``, ``optional.none``, ``optional.ofNonZeroValue``,
``value()``, ``hasValue()``, ``or``, ``orValue``, ``optMap``, ``optFlatMap``, ``optional.unwrap``
and the syntax ``a.?b``, ``a[?k]``, ``[?x]`` and ``{?k: x}``.

An :class:`Optional` holds a value or none. Selecting a field of an optional, or indexing it, gives
an optional again (none stays none), so ``evidence.?config.timeout.orValue(30)`` reads a field that
real exports sometimes omit without an error. The runtime helpers at the end are what the code
:mod:`assay.cel.native.ext_codegen` generates calls; ``or``, ``orValue``, ``optMap`` and
``optFlatMap`` evaluate their argument only when they need it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from assay.cel.native.errors import no_overload
from assay.cel.native.ext_support import DYN, LIST, Extension, ExtensionMacro, overloads
from assay.cel.native.operators import eq, has
from assay.cel.native.values import MISSING, TYPES, ExtValue, Uint, map_lookup, type_name
from assay.errors import CelError

_ZERO_TIMESTAMP = datetime(1, 1, 1, tzinfo=UTC)


class Optional(ExtValue):
    """``optional.of(value)``, or ``optional.none()`` when ``value`` is MISSING."""

    __slots__ = ("value",)
    cel_type = TYPES["optional_type"]

    def __init__(self, value: Any = MISSING) -> None:
        self.value = value

    @property
    def has_value(self) -> bool:
        return self.value is not MISSING

    def cel_equals(self, other: Any) -> bool:
        if not isinstance(other, Optional):
            return False
        if not (self.has_value and other.has_value):
            return self.has_value is other.has_value
        return eq(self.value, other.value)

    def cel_select(self, field: str) -> Any:
        return opt_select(self, field)

    def cel_index(self, key: Any) -> Any:
        return opt_index(self, key)

    def cel_has(self, field: str) -> bool:
        return self.has_value and has(self.value, field)

    def __repr__(self) -> str:
        return f"optional.of({self.value!r})" if self.has_value else "optional.none()"


NONE = Optional()


def _of(value: Any) -> Optional:
    return Optional(value)


def _none() -> Optional:
    return NONE


def is_zero(value: Any) -> bool:
    """Whether a value is its type's zero value (``optional.ofNonZeroValue`` gives none for it)."""
    if value is None or value is False:
        return True
    kind = type(value)
    if kind in (int, Uint, float, str, bytes, list, tuple, dict):
        return not value
    if isinstance(value, timedelta):
        return value == timedelta(0)
    if isinstance(value, datetime):
        return value == _ZERO_TIMESTAMP
    return False


def _of_non_zero_value(value: Any) -> Optional:
    return NONE if is_zero(value) else Optional(value)


def _optional(name: str, value: Any) -> Optional:
    if isinstance(value, Optional):
        return value
    raise no_overload(name, value)


def _value(optional: Any) -> Any:
    if _optional("value", optional).has_value:
        return optional.value
    raise CelError("optional.none() dereference: the optional has no value")


def _has_value(optional: Any) -> bool:
    return _optional("hasValue", optional).has_value


def _unwrap(values: list[Any]) -> list[Any]:
    return [optional.value for optional in (_optional("unwrap", v) for v in values) if optional.has_value]


# --- runtime helpers for generated code --------------------------------------------------------------


def opt_select(target: Any, field: str) -> Optional:
    """``target.?field``: the field as an optional, none when absent (or when target is none)."""
    if isinstance(target, Optional):
        return opt_select(target.value, field) if target.has_value else NONE
    if type(target) is dict:
        return Optional(target[field]) if field in target else NONE
    raise CelError(f"cannot select field {field!r} from {type_name(target)}")  # noqa: S608 - a message


def opt_index(target: Any, key: Any) -> Optional:
    """``target[?key]``: the element or entry as an optional, none when there is none."""
    if isinstance(target, Optional):
        return opt_index(target.value, key) if target.has_value else NONE
    if isinstance(target, list | tuple):
        if type(key) is float and key.is_integer():
            key = int(key)
        if type(key) not in (int, Uint):
            raise no_overload("[?]", target, key)
        return Optional(target[key]) if 0 <= key < len(target) else NONE
    if type(target) is dict:
        value = map_lookup(target, key)
        return NONE if value is MISSING else Optional(value)
    raise no_overload("[?]", target, key)


def opt_or(target: Any, alternative: Callable[[], Any]) -> Any:
    """``a.or(b)``: a when it holds a value, else b (evaluated only then)."""
    return target if _optional("or", target).has_value else alternative()


def opt_or_value(target: Any, alternative: Callable[[], Any]) -> Any:
    """``a.orValue(b)``: a's value when it has one, else b (evaluated only then)."""
    return target.value if _optional("orValue", target).has_value else alternative()


def opt_select_or(target: Any, field: str, alternative: Callable[[], Any]) -> Any:
    """``target.?field.orValue(b)`` in one call: :func:`opt_or_value` of :func:`opt_select`, without the
    optional in between when ``target`` is a map."""
    if type(target) is dict:
        value = target.get(field, MISSING)
        return value if value is not MISSING else alternative()
    return opt_or_value(opt_select(target, field), alternative)


def opt_map(target: Any, transform: Callable[[Any], Any]) -> Optional:
    """``a.optMap(x, f)``: optional.of(f(a's value)), or none."""
    return Optional(transform(target.value)) if _optional("optMap", target).has_value else NONE


def opt_flat_map(target: Any, transform: Callable[[Any], Any]) -> Optional:
    """``a.optFlatMap(x, f)``: f(a's value), which must be an optional, or none."""
    if not _optional("optFlatMap", target).has_value:
        return NONE
    result = transform(target.value)
    if not isinstance(result, Optional):
        raise CelError(f"optFlatMap() must give an optional, not {type_name(result)}")
    return result


def opt_element(value: Any) -> tuple[Any, ...]:
    """``[?x]``: the elements x adds to a list literal (none adds nothing)."""
    if not isinstance(value, Optional):
        raise CelError(f"an optional list element ?x needs an optional value, not {type_name(value)}")
    return (value.value,) if value.has_value else ()


def opt_entry(key: Any, value: Any) -> tuple[tuple[Any, Any], ...]:
    """``{?k: x}``: the entries it adds to a map literal (none adds nothing)."""
    if not isinstance(value, Optional):
        raise CelError(f"an optional map entry ?k: x needs an optional value, not {type_name(value)}")
    return ((key, value.value),) if value.has_value else ()


RUNTIME = {
    "opt_select": opt_select,
    "opt_index": opt_index,
    "opt_or": opt_or,
    "opt_or_value": opt_or_value,
    "opt_select_or": opt_select_or,
    "opt_map": opt_map,
    "opt_flat_map": opt_flat_map,
    "opt_element": opt_element,
    "opt_entry": opt_entry,
}

FUNCTIONS = (
    Extension(
        "optional.of",
        "optionals",
        overloads("optional.of", ((DYN,), _of)),
        ("optional.of(<T>) -> <optional<T>>",),
        "An optional holding the value.",
    ),
    Extension(
        "optional.none",
        "optionals",
        overloads("optional.none", ((), _none)),
        ("optional.none() -> <optional<T>>",),
        "The optional holding no value.",
    ),
    Extension(
        "optional.ofNonZeroValue",
        "optionals",
        overloads("optional.ofNonZeroValue", ((DYN,), _of_non_zero_value)),
        ("optional.ofNonZeroValue(<T>) -> <optional<T>>",),
        "An optional holding the value, or none for null, false, 0, '', [], {} and the like.",
    ),
    Extension(
        "value",
        "optionals",
        overloads("value", ((DYN,), _value)),
        ("<optional<T>>.value() -> <T>",),
        "The optional's value; an error when it has none.",
    ),
    Extension(
        "hasValue",
        "optionals",
        overloads("hasValue", ((DYN,), _has_value)),
        ("<optional<T>>.hasValue() -> <bool>",),
        "Whether the optional holds a value.",
    ),
    Extension(
        "optional.unwrap",
        "optionals",
        overloads("optional.unwrap", ((LIST,), _unwrap)),
        ("optional.unwrap(<list<optional<T>>>) -> <list<T>>",),
        "The values of the optionals that hold one.",
    ),
    Extension(
        "unwrapOpt",
        "optionals",
        overloads("unwrapOpt", ((LIST,), _unwrap)),
        ("<list<optional<T>>>.unwrapOpt() -> <list<T>>",),
        "The values of the optionals that hold one.",
    ),
)

MACROS = (
    ExtensionMacro(
        "or",
        "optionals",
        ("<optional<T>>.or(<optional<T>>) -> <optional<T>>",),
        "The first optional that holds a value; the second is evaluated only when needed.",
    ),
    ExtensionMacro(
        "orValue",
        "optionals",
        ("<optional<T>>.orValue(<T>) -> <T>",),
        "The optional's value, or the default (evaluated only when needed).",
    ),
    ExtensionMacro(
        "optMap",
        "optionals",
        ("<optional<T>>.optMap(<var>, <expr>) -> <optional<U>>",),
        "optional.of(expr) with var bound to the value, or none.",
    ),
    ExtensionMacro(
        "optFlatMap",
        "optionals",
        ("<optional<T>>.optFlatMap(<var>, <expr>) -> <optional<U>>",),
        "expr (an optional) with var bound to the value, or none.",
    ),
    ExtensionMacro(
        "?.",
        "optionals",
        ("<map>.?<field> -> <optional>", "<map|list>[?<key>] -> <optional>"),
        "Select or index as an optional: none when the field, key or index is absent.",
    ),
    ExtensionMacro(
        "[?x]",
        "optionals",
        ("[?<optional>, ...]", "{?<key>: <optional>, ...}"),
        "A list element or map entry kept only when the optional holds a value.",
    ),
)
