"""The native backend: CEL compiled to Python that works on the evidence's own values.

cel-python's parser (the reference grammar) gives the syntax tree; this module turns it into the
source of one Python function per expression, compiled once. Values stay plain Python: None, bool,
int, :class:`Uint`, float, str, bytes, list, dict, datetime (timestamps) and timedelta (durations).

Why two versions of each expression: CEL's ``&&``, ``||`` and the ``all``/``exists`` macros absorb
errors (``false && 1/0 == 1`` is false, and so is ``1/0 == 1 && false``). Honouring that costs
closures and try blocks on every evaluation. So each expression is compiled twice: a *fast* version
that uses Python's own short-circuit operators and raises on any error, and an *exact* version that
implements CEL's absorption rules. The exact one runs only when the fast one raised. Both are exact
whenever the fast one returns a value, because an error-free evaluation has nothing to absorb.

Safety: no text of the expression ever becomes Python code. Literals are placed in a constant
table; variables are looked up by name in the variables mapping; macro variables get generated
names. Every loop step is counted against a cost limit, so no rule can run away.

Where cel-python departs from the CEL specification this backend follows the specification; the
cases are listed in ``SPEC_DEPARTURES`` and each has a test.
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import lark
import re2  # type: ignore[import-untyped]
from celpy import celtypes
from celpy.evaluation import celbytes, celstr

from assay.cel.functions import DEFAULT_FUNCTIONS, FunctionRegistry
from assay.cel.reference import to_python
from assay.cel.syntax import arguments, bare_ident, dotted_chain, parse, unwrap
from assay.errors import CelError, CelSyntaxError, ConfigError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1
DEFAULT_COST_LIMIT = 5_000_000
MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})

SPEC_DEPARTURES = {
    "1 == 1.0": "true: the spec compares numbers across int, uint and double by value; cel-python errors",
    "1 < 1.5": "true: cross-type numeric ordering is defined by the spec; cel-python errors",
    "true == 1": "false: values of different types are unequal; cel-python says true (its bool is an int)",
    "[1, 2].map(x, x > 1, x * 10)": "[20]: the three-argument map (filter, then transform); cel-python fails",
    "'''a\nb'''": "a line break is kept: cel-python drops the line breaks of multi-line strings",
    "string(true)": "'true': cel-python gives Python's 'True'",
    "1u + 1": "an error: the spec has no arithmetic across uint and int; cel-python gives 2",
    "'a' in 'abc'": "an error: `in` is for lists and maps; cel-python tests for a substring",
    "1 && true": "an error: && takes bools; cel-python gives 1",
    "[1, 2][-1]": "an error: list indexes start at 0; cel-python counts from the end like Python",
}


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


TYPES = {
    name: CelType(name)
    for name in ("int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type")
}
TYPES["google.protobuf.Timestamp"] = CelType("google.protobuf.Timestamp")
TYPES["google.protobuf.Duration"] = CelType("google.protobuf.Duration")


class NativeUnsupported(CelSyntaxError):
    """Valid CEL the native compiler does not handle; the rule runs on the reference backend instead."""


class CostLimitExceeded(CelError):
    """Raised when an evaluation takes more loop steps than allowed; never absorbed."""


class _Cost:
    __slots__ = ("left",)

    def __init__(self, limit: int) -> None:
        self.left = limit


# --- runtime: type names and checks ---------------------------------------------------------------


def type_of(value: Any) -> CelType:
    kind = type(value)
    if kind is bool:
        return TYPES["bool"]
    if kind is Uint:
        return TYPES["uint"]
    if kind is int:
        return TYPES["int"]
    if kind is float:
        return TYPES["double"]
    if kind is str:
        return TYPES["string"]
    if kind is bytes:
        return TYPES["bytes"]
    if kind is list or kind is tuple:
        return TYPES["list"]
    if kind is dict:
        return TYPES["map"]
    if value is None:
        return TYPES["null_type"]
    if isinstance(value, datetime):
        return TYPES["google.protobuf.Timestamp"]
    if isinstance(value, timedelta):
        return TYPES["google.protobuf.Duration"]
    if isinstance(value, CelType):
        return TYPES["type"]
    raise CelError(f"unsupported value of Python type {kind.__name__}")


def _name(value: Any) -> str:
    try:
        return type_of(value).name
    except CelError:
        return type(value).__name__


def _no_overload(operator: str, *values: Any) -> CelError:
    return CelError(f"no such overload: {operator} on {', '.join(_name(v) for v in values)}")


def _bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    raise CelError(f"expected a bool, got {_name(value)}")


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is float or kind is Uint


def _check_int(value: int) -> int:
    if INT64_MIN <= value <= INT64_MAX:
        return value
    raise CelError("integer overflow")


def _check_uint(value: int) -> Uint:
    if 0 <= value <= UINT64_MAX:
        return Uint(value)
    raise CelError("unsigned integer overflow")


_MIN_TS = datetime(1, 1, 1, tzinfo=UTC)
_MAX_TS = datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
_MAX_DURATION = timedelta(seconds=315576000000)


def _check_ts(value: datetime) -> datetime:
    if _MIN_TS <= value <= _MAX_TS:
        return value
    raise CelError("timestamp out of range")


def _check_duration(value: timedelta) -> timedelta:
    if -_MAX_DURATION <= value <= _MAX_DURATION:
        return value
    raise CelError("duration out of range")


# --- runtime: operators ---------------------------------------------------------------------------


def eq(a: Any, b: Any) -> bool:
    """CEL equality: numbers compare by value across types; other types must match; never errors."""
    ka, kb = type(a), type(b)
    if ka is kb and (ka is str or ka is bool or ka is int or ka is bytes or a is None):
        return bool(a == b)
    if _is_number(a) and _is_number(b):
        return bool(a == b)
    if ka is bool or kb is bool:
        return False
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(eq(x, y) for x, y in zip(a, b, strict=True))
    if ka is dict and kb is dict:
        if len(a) != len(b):
            return False
        for key, value in a.items():
            other = _lookup(b, key)
            if other is _MISSING or not eq(value, other):
                return False
        return True
    if isinstance(a, datetime) and isinstance(b, datetime):
        return a == b
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return a == b
    if isinstance(a, CelType) and isinstance(b, CelType):
        return a == b
    return False


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def _comparable(a: Any, b: Any, operator: str) -> None:
    ka, kb = type(a), type(b)
    if _is_number(a) and _is_number(b):
        return
    if ka is kb and ka in (str, bytes, bool):
        return
    if isinstance(a, datetime) and isinstance(b, datetime):
        return
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return
    raise _no_overload(operator, a, b)


def lt(a: Any, b: Any) -> bool:
    _comparable(a, b, "<")
    return bool(a < b)


def le(a: Any, b: Any) -> bool:
    _comparable(a, b, "<=")
    return bool(a <= b)


def gt(a: Any, b: Any) -> bool:
    _comparable(a, b, ">")
    return bool(a > b)


def ge(a: Any, b: Any) -> bool:
    _comparable(a, b, ">=")
    return bool(a >= b)


def add(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return _check_int(a + b)
    if ka is Uint and kb is Uint:
        return _check_uint(a + b)
    if ka is float and kb is float:
        return a + b
    if ka is str and kb is str:
        return a + b
    if ka is bytes and kb is bytes:
        return a + b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return [*a, *b]
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return _check_ts(_shift(a, b))
    if isinstance(a, timedelta) and isinstance(b, datetime):
        return _check_ts(_shift(b, a))
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return _check_duration(a + b)
    raise _no_overload("+", a, b)


def _shift(moment: datetime, delta: timedelta) -> datetime:
    try:
        return moment + delta
    except OverflowError:
        raise CelError("timestamp out of range") from None


def sub(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return _check_int(a - b)
    if ka is Uint and kb is Uint:
        return _check_uint(a - b)
    if ka is float and kb is float:
        return a - b
    if isinstance(a, datetime) and isinstance(b, datetime):
        return _check_duration(a - b)
    if isinstance(a, datetime) and isinstance(b, timedelta):
        return _check_ts(_shift(a, -b))
    if isinstance(a, timedelta) and isinstance(b, timedelta):
        return _check_duration(a - b)
    raise _no_overload("-", a, b)


def mul(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if ka is int and kb is int:
        return _check_int(a * b)
    if ka is Uint and kb is Uint:
        return _check_uint(a * b)
    if ka is float and kb is float:
        return a * b
    raise _no_overload("*", a, b)


def div(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if (ka is int and kb is int) or (ka is Uint and kb is Uint):
        if b == 0:
            raise CelError("divide by zero")
        quotient = abs(a) // abs(b)  # CEL truncates toward zero; Python's // floors
        quotient = quotient if (a < 0) == (b < 0) else -quotient
        return _check_int(quotient) if ka is int else _check_uint(quotient)
    if ka is float and kb is float:
        if b == 0.0:
            if a == 0.0 or math.isnan(a):
                return math.nan
            return math.copysign(math.inf, a) * math.copysign(1.0, b)
        return a / b
    raise _no_overload("/", a, b)


def mod(a: Any, b: Any) -> Any:
    ka, kb = type(a), type(b)
    if (ka is int and kb is int) or (ka is Uint and kb is Uint):
        if b == 0:
            raise CelError("modulus by zero")
        remainder = abs(a) % abs(b)  # the sign of the dividend, as CEL (and C) define it
        remainder = -remainder if a < 0 else remainder
        return remainder if ka is int else Uint(remainder)
    raise _no_overload("%", a, b)


def neg(a: Any) -> Any:
    kind = type(a)
    if kind is int:
        return _check_int(-a)
    if kind is float:
        return -a
    if isinstance(a, timedelta):
        return _check_duration(-a)
    raise _no_overload("-", a)


def not_(a: Any) -> bool:
    if a is True or a is False:
        return not a
    raise _no_overload("!", a)


_MISSING = object()


def _lookup(container: dict[Any, Any], key: Any) -> Any:
    """A map entry by CEL key equality (1, 1u and 1.0 find the same entry); _MISSING if absent."""
    kind = type(key)
    if kind is str or kind is bool:
        value = container.get(key, _MISSING)
        if value is not _MISSING and kind is bool:
            # Python finds True under the key 1; CEL keeps bool and int keys apart.
            for existing in container:
                if existing is key:
                    return container[existing]
            return _MISSING
        return value
    if _is_number(key):
        if isinstance(key, float) and not key.is_integer():
            return _MISSING
        for existing, value in container.items():
            if _is_number(existing) and existing == key:
                return value
        return _MISSING
    raise CelError(f"unsupported key type {_name(key)}")


def index(container: Any, key: Any) -> Any:
    if isinstance(container, list | tuple):
        if type(key) is float and key.is_integer():
            key = int(key)
        if type(key) not in (int, Uint):
            raise _no_overload("[]", container, key)
        if not 0 <= key < len(container):
            raise CelError(f"index {key} out of range for a list of {len(container)}")
        return container[key]
    if type(container) is dict:
        value = _lookup(container, key)
        if value is _MISSING:
            raise CelError(f"no such key: {key!r}")
        return value
    raise _no_overload("[]", container, key)


def select(container: Any, field: str) -> Any:
    if type(container) is dict:
        try:
            return container[field]
        except KeyError:
            raise CelError(f"no such key: {field!r}") from None
    raise CelError(f"cannot select field {field!r} from {_name(container)}")


def has(container: Any, field: str) -> bool:
    if type(container) is dict:
        return field in container
    raise CelError(f"has() cannot test field {field!r} on {_name(container)}")


def in_(element: Any, container: Any) -> bool:
    if isinstance(container, list | tuple):
        return any(eq(element, item) for item in container)
    if type(container) is dict:
        return _lookup(container, element) is not _MISSING
    raise _no_overload("in", element, container)


def size(value: Any) -> int:
    if isinstance(value, str | bytes | list | tuple | dict):
        return len(value)
    raise _no_overload("size", value)


def iterate(container: Any, cost: _Cost) -> Iterable[Any]:
    if isinstance(container, list | tuple):
        items: Iterable[Any] = container
        count = len(container)
    elif type(container) is dict:
        items = list(container)
        count = len(container)
    else:
        raise CelError(f"cannot iterate over {_name(container)}")
    cost.left -= count
    if cost.left < 0:
        raise CostLimitExceeded("evaluation cost limit exceeded: the rule iterates over too many elements")
    return items


# --- runtime: macros, exact (error-absorbing) and fast ---------------------------------------------


def _quantify_exact(container: Any, predicate: Callable[[Any], Any], cost: _Cost, decisive: bool) -> bool:
    """all() (decisive False) and exists() (decisive True) with CEL's error rule: a decisive element
    wins over errors elsewhere; otherwise the first error stands; otherwise the other answer."""
    error: CelError | None = None
    for element in iterate(container, cost):
        try:
            if _bool(predicate(element)) is decisive:
                return decisive
        except CostLimitExceeded:
            raise
        except (CelError, *_PYTHON_ERRORS) as exc:
            error = error or _as_cel_error(exc)
    if error is not None:
        raise error
    return not decisive


def all_exact(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> bool:
    return _quantify_exact(container, predicate, cost, decisive=False)


def exists_exact(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> bool:
    return _quantify_exact(container, predicate, cost, decisive=True)


def all_fast(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> bool:
    return all(_bool(predicate(element)) for element in iterate(container, cost))


def exists_fast(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> bool:
    return any(_bool(predicate(element)) for element in iterate(container, cost))


def exists_one(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> bool:
    found = 0
    for element in iterate(container, cost):
        if _bool(predicate(element)):
            found += 1
    return found == 1


def map_(container: Any, transform: Callable[[Any], Any], cost: _Cost) -> list[Any]:
    return [transform(element) for element in iterate(container, cost)]


def filter_(container: Any, predicate: Callable[[Any], Any], cost: _Cost) -> list[Any]:
    return [element for element in iterate(container, cost) if _bool(predicate(element))]


def map_filter(
    container: Any, predicate: Callable[[Any], Any], transform: Callable[[Any], Any], cost: _Cost
) -> list[Any]:
    return [transform(element) for element in iterate(container, cost) if _bool(predicate(element))]


def _logical_exact(left: Callable[[], Any], right: Callable[[], Any], decisive: bool) -> bool:
    """&& (decisive False) and || (decisive True): either side's decisive value wins over an error
    on the other side, whichever side it is on."""
    try:
        first: bool | None = _bool(left())
        first_error = None
    except CostLimitExceeded:
        raise
    except (CelError, *_PYTHON_ERRORS) as exc:
        first, first_error = None, _as_cel_error(exc)
    if first is decisive:
        return decisive
    second = _bool(right())  # an error here stands: the left side did not decide
    if second is decisive:
        return decisive
    if first_error is not None:
        raise first_error
    return not decisive


def and_exact(left: Callable[[], Any], right: Callable[[], Any]) -> bool:
    return _logical_exact(left, right, decisive=False)


def or_exact(left: Callable[[], Any], right: Callable[[], Any]) -> bool:
    return _logical_exact(left, right, decisive=True)


def conditional(condition: Any, then: Callable[[], Any], otherwise: Callable[[], Any]) -> Any:
    return then() if _bool(condition) else otherwise()


# --- runtime: functions ---------------------------------------------------------------------------


def _to_int(value: Any) -> int:
    kind = type(value)
    if kind is int:
        return int(value)
    if kind is Uint:
        return _check_int(int(value))
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            raise CelError("cannot convert a non-finite double to int")
        return _check_int(int(value))
    if kind is str:
        if not re.fullmatch(r"[+-]?\d+", value):
            raise CelError(f"cannot convert {value!r} to int")
        return _check_int(int(value))
    if isinstance(value, datetime):
        return _check_int(int(value.timestamp()))
    raise _no_overload("int", value)


def _to_uint(value: Any) -> Uint:
    kind = type(value)
    if kind is int or kind is Uint:
        return _check_uint(int(value))
    if kind is float:
        if math.isnan(value) or math.isinf(value):
            raise CelError("cannot convert a non-finite double to uint")
        return _check_uint(int(value))
    if kind is str:
        if not re.fullmatch(r"\+?\d+", value):
            raise CelError(f"cannot convert {value!r} to uint")
        return _check_uint(int(value))
    raise _no_overload("uint", value)


def _to_double(value: Any) -> float:
    kind = type(value)
    if kind is float or kind is int or kind is Uint:
        return float(value)
    if kind is str:
        try:
            return float(value)
        except ValueError:
            raise CelError(f"cannot convert {value!r} to double") from None
    raise _no_overload("double", value)


def _to_string(value: Any) -> str:
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
        return str(to_python(celtypes.StringType(_to_reference(value))))
    raise _no_overload("string", value)


def _to_bytes(value: Any) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    raise _no_overload("bytes", value)


def _to_bool(value: Any) -> bool:
    if value is True or value is False:
        return value
    if type(value) is str:
        if value in ("true", "True", "TRUE", "t", "1"):
            return True
        if value in ("false", "False", "FALSE", "f", "0"):
            return False
        raise CelError(f"cannot convert {value!r} to bool")
    raise _no_overload("bool", value)


_RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)")


def _timestamp(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    if type(value) is str and _RFC3339.fullmatch(value):
        try:
            return _check_ts(datetime.fromisoformat(value).astimezone(UTC))
        except ValueError:
            pass  # an impossible date such as 02-30: let cel-python's parser report it
    if type(value) is str:
        try:
            return _check_ts(to_python(celtypes.TimestampType(value)))
        except (ValueError, TypeError, OverflowError) as exc:
            raise CelError(f"cannot convert {value!r} to a timestamp: {exc}") from None
    if type(value) is int:
        try:
            return _check_ts(datetime.fromtimestamp(value, tz=UTC))
        except (ValueError, OverflowError, OSError):
            raise CelError("timestamp out of range") from None
    raise _no_overload("timestamp", value)


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if type(value) is str:
        try:
            return _check_duration(to_python(celtypes.DurationType(value)))
        except (ValueError, TypeError, OverflowError) as exc:
            raise CelError(f"cannot convert {value!r} to a duration: {exc}") from None
    raise _no_overload("duration", value)


def _to_reference(value: Any) -> Any:
    """A plain value as a cel-python value, for the few conversions delegated to its types."""
    from celpy.adapter import json_to_cel

    if type(value) is Uint:
        return celtypes.UintType(int(value))
    if isinstance(value, bytes):
        return celtypes.BytesType(value)
    return json_to_cel(value)


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> Any:
    """Rules match the same few patterns against many resources: compile each once."""
    return re2.compile(pattern)


def _matches(text: Any, pattern: Any) -> bool:
    if type(text) is not str or type(pattern) is not str:
        raise _no_overload("matches", text, pattern)
    try:
        return _regex(pattern).search(text) is not None
    except re2.error as exc:
        raise CelError(f"invalid regular expression {pattern!r}: {exc}") from None


def _contains(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return part in text
    raise _no_overload("contains", text, part)


def _starts_with(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return text.startswith(part)
    raise _no_overload("startsWith", text, part)


def _ends_with(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return text.endswith(part)
    raise _no_overload("endsWith", text, part)


def _accessor(name: str) -> Callable[..., int]:
    def call(value: Any, zone: Any = None) -> int:
        if isinstance(value, datetime | timedelta):
            reference = _to_reference(value)
            method = getattr(reference, name, None)
            if method is not None:
                try:
                    args = () if zone is None else (celtypes.StringType(zone),)
                    return int(method(*args))
                except (ValueError, TypeError, KeyError) as exc:
                    raise CelError(f"{name}: {exc}") from None
        raise _no_overload(name, value)

    return call


ACCESSORS = (
    "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds",
)  # fmt: skip

BUILTINS: dict[str, Callable[..., Any]] = {
    "size": size,
    "int": _to_int,
    "uint": _to_uint,
    "double": _to_double,
    "string": _to_string,
    "bytes": _to_bytes,
    "bool": _to_bool,
    "dyn": lambda value: value,
    "type": type_of,
    "timestamp": _timestamp,
    "duration": _duration,
    "matches": _matches,
    "contains": _contains,
    "startsWith": _starts_with,
    "endsWith": _ends_with,
    **{name: _accessor(name) for name in ACCESSORS},
}

_PYTHON_ERRORS = (
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
    AttributeError,
)


def _as_cel_error(exc: BaseException) -> CelError:
    if isinstance(exc, CelError):
        return exc
    return CelError(f"{type(exc).__name__}: {exc}")


def _custom(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except CelError:
            raise
        except (*_PYTHON_ERRORS, RecursionError) as exc:
            raise CelError(f"{name}: {exc}") from None

    return call


def _raise(message: str) -> Any:
    raise CelError(message)


# --- the compiler ---------------------------------------------------------------------------------

_RELATIONS = {
    "relation_eq": "eq", "relation_ne": "ne", "relation_lt": "lt", "relation_le": "le",
    "relation_gt": "gt", "relation_ge": "ge", "relation_in": "in_",
}  # fmt: skip
_ARITHMETIC = {
    "addition_add": "add", "addition_sub": "sub",
    "multiplication_mul": "mul", "multiplication_div": "div", "multiplication_mod": "mod",
}  # fmt: skip
_FOLDABLE = frozenset({"timestamp", "duration"})  # pure and slow to parse: done once at compile time
_PY_ORDER = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_BOOLEAN_METHODS = frozenset({"all", "exists", "exists_one", "contains", "startsWith", "endsWith", "matches"})
_WRAPPERS = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication", "unary", "member",
     "primary", "paren_expr"}
)  # fmt: skip


def _unwrap_wrappers(node: lark.Tree[Any]) -> lark.Tree[Any]:
    """Skip precedence levels and parentheses that hold a single child."""
    while node.data in _WRAPPERS and len(node.children) == 1 and isinstance(node.children[0], lark.Tree):
        node = node.children[0]
    return node


class _Compiler:
    """Turns one parse tree into Python source. ``exact`` selects the error-absorbing version."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], exact: bool) -> None:
        self.functions = functions
        self.exact = exact
        self.constants: list[Any] = []
        self.scopes: list[dict[str, str]] = []
        self.counter = 0
        self.loops = False  # whether the expression iterates (and so needs a cost counter)

    def constant(self, value: Any) -> str:
        self.constants.append(value)
        return f"K[{len(self.constants) - 1}]"

    def literal(self, value: Any) -> str:
        # Small immutable values are safe inline (repr of bool/None/int is fixed text);
        # everything else, strings included, goes through the constant table.
        if value is None or value is True or value is False or (type(value) is int and abs(value) < 2**53):
            return repr(value)
        return self.constant(value)

    def compile(self, node: lark.Tree[Any] | lark.Token) -> str:
        if isinstance(node, lark.Token):
            raise CelSyntaxError(f"unexpected token {node.type}")
        handler = getattr(self, f"on_{node.data}", None)
        if handler is None:
            raise NativeUnsupported(f"unsupported syntax: {node.data}")
        return handler(node)  # type: ignore[no-any-return]

    def is_boolean(self, node: lark.Tree[Any]) -> bool:
        """Whether a node certainly yields a bool when it yields anything (so no check is needed)."""
        node = _unwrap_wrappers(node)
        if node.data in ("conditionalor", "conditionaland", "relation"):
            return len(node.children) == 2
        if node.data == "unary":
            operator = node.children[0]
            return isinstance(operator, lark.Tree) and operator.data == "unary_not"
        if node.data == "literal":
            token = node.children[0]
            return isinstance(token, lark.Token) and token.type == "BOOL_LIT"
        if node.data == "ident_arg":
            return str(node.children[0]) in ("has", "matches")
        if node.data == "member_dot_arg":
            return str(node.children[1]) in _BOOLEAN_METHODS
        return False

    def boolean(self, node: lark.Tree[Any]) -> str:
        code = self.compile(node)
        return code if self.is_boolean(node) else f"_bool({code})"

    # expr : conditionalor ["?" conditionalor ":" expr]
    def on_expr(self, node: lark.Tree[Any]) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        condition, then, otherwise = node.children
        return (
            f"(({self.compile(then)}) if _bool({self.compile(condition)}) else ({self.compile(otherwise)}))"
        )

    def on_conditionalor(self, node: lark.Tree[Any]) -> str:
        return self.logical(node, "or")

    def on_conditionaland(self, node: lark.Tree[Any]) -> str:
        return self.logical(node, "and")

    def logical(self, node: lark.Tree[Any], operator: str) -> str:
        """``||`` and ``&&``: Python's short circuit when fast, CEL's error absorption when exact."""
        if len(node.children) == 1:
            return self.compile(node.children[0])
        left, right = node.children
        if self.exact:
            return f"{operator}_exact(lambda: {self.compile(left)}, lambda: {self.compile(right)})"
        return f"({self.boolean(left)} {operator} {self.boolean(right)})"

    def on_relation(self, node: lark.Tree[Any]) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operation, right = node.children
        assert isinstance(operation, lark.Tree)
        left = operation.children[0]
        assert isinstance(left, lark.Tree)
        name = _RELATIONS[operation.data]
        if name in ("eq", "ne"):
            fast = self.literal_equality(left, right, negate=name == "ne")
            if fast is not None:
                return fast
        if not self.exact and name == "in_":
            fast = self.literal_membership(left, right)
            if fast is not None:
                return fast
        if not self.exact and name in _PY_ORDER:
            fast = self.literal_order(left, right, name)
            if fast is not None:
                return fast
        return f"{name}({self.compile(left)}, {self.compile(right)})"

    def literal_membership(self, left: lark.Tree[Any], right: Any) -> str | None:
        """``x in ['a', 'b']``: a set lookup is exact when x is a string and the list holds strings."""
        values = _string_list_literal(right)
        if values is None:
            return None
        self.counter += 1
        temp = f"t{self.counter}"
        members = self.constant(frozenset(values))
        listed = self.constant(list(values))
        # The condition binds the value first; the general operator runs only for non-strings.
        value = self.compile(left)
        return f"(({temp} in {members}) if ({temp} := {value}).__class__ is _str else in_({temp}, {listed}))"

    def literal_order(self, left: lark.Tree[Any], right: Any, name: str) -> str | None:
        """``x <= 16384``: Python's comparison is exact when x is a plain int (not a bool)."""
        literal = _literal_of(right)
        if type(literal) is not int or _literal_of(left) is not _MISSING:
            return None
        self.counter += 1
        temp = f"t{self.counter}"
        value = self.compile(left)
        operator = _PY_ORDER[name]
        # If the type test fails, or the comparison is false, the general operator decides.
        # If the value is not a plain int (or is a bool), the general operator decides.
        fast = f"{temp} {operator} {literal!r}"
        return f"(({fast}) if ({temp} := {value}).__class__ is _int else {name}({temp}, {literal!r}))"

    def literal_equality(self, left: lark.Tree[Any], right: Any, negate: bool) -> str | None:
        """``x == true``, ``x == null``, ``x == "s"``: Python identity/equality is exact for these."""
        if _literal_of(left) is not _MISSING and _literal_of(right) is not _MISSING:
            return None  # both constant: the general operator is exact and Python would warn about `is`
        for value_node, literal_node in ((left, right), (right, left)):
            literal = _literal_of(literal_node)
            if literal is _MISSING:
                continue
            other = self.compile(value_node)
            if literal is None or literal is True or literal is False:
                return f"({other} is {'not ' if negate else ''}{literal!r})"
            if type(literal) is str:
                return f"({other} {'!=' if negate else '=='} {self.constant(literal)})"
        for value_node, type_node in ((left, right), (right, left)):
            # type(x) == map: type values are singletons, so identity is equality.
            name = _type_ident(type_node)
            if name is not None and self.lookup(name) is None:
                other = self.compile(value_node)
                key, fixed = self.constant(name), self.constant(TYPES[name])
                kind = f"(V[{key}] if {key} in V else {fixed})"
                return f"({other} is {'not ' if negate else ''}{kind})"
        return None

    def on_addition(self, node: lark.Tree[Any]) -> str:
        return self.binary(node)

    def on_multiplication(self, node: lark.Tree[Any]) -> str:
        return self.binary(node)

    def binary(self, node: lark.Tree[Any]) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operation, right = node.children
        assert isinstance(operation, lark.Tree)
        return f"{_ARITHMETIC[operation.data]}({self.compile(operation.children[0])}, {self.compile(right)})"

    def on_unary(self, node: lark.Tree[Any]) -> str:
        if len(node.children) == 1:
            return self.compile(node.children[0])
        operator, operand = node.children
        assert isinstance(operator, lark.Tree)
        function = "not_" if operator.data == "unary_not" else "neg"
        return f"{function}({self.compile(operand)})"

    def on_member(self, node: lark.Tree[Any]) -> str:
        return self.compile(node.children[0])

    def on_primary(self, node: lark.Tree[Any]) -> str:
        return self.compile(node.children[0])

    def on_paren_expr(self, node: lark.Tree[Any]) -> str:
        return self.compile(node.children[0])

    def on_member_dot(self, node: lark.Tree[Any]) -> str:
        target, field = node.children
        chain = dotted_chain(node)
        qualified = chain.dotted if chain is not None else None
        if qualified is not None and qualified in TYPES and self.lookup(qualified.split(".")[0]) is None:
            return self.constant(TYPES[qualified])
        if self.exact:
            return f"select({self.compile(target)}, {self.constant(str(field))})"
        # Python indexing is CEL selection on a dict, and raises on anything else (then the exact
        # version runs and reports the error properly).
        return f"({self.compile(target)})[{self.constant(str(field))}]"

    def on_member_index(self, node: lark.Tree[Any]) -> str:
        target, key = node.children
        return f"index({self.compile(target)}, {self.compile(key)})"

    def on_member_object(self, node: lark.Tree[Any]) -> str:
        raise NativeUnsupported("message construction (Type{field: value}) is not supported natively")

    def on_ident(self, node: lark.Tree[Any]) -> str:
        name = str(node.children[0])
        bound = self.lookup(name)
        if bound is not None:
            return bound
        if name in TYPES:
            return (
                f"(V[{self.constant(name)}] if {self.constant(name)} in V else {self.constant(TYPES[name])})"
            )
        if self.exact:
            return f"variable(V, {self.constant(name)})"
        return f"V[{self.constant(name)}]"

    def on_dot_ident(self, node: lark.Tree[Any]) -> str:
        return f"variable(V, {self.constant(str(node.children[0]))})"

    def on_dot_ident_arg(self, node: lark.Tree[Any]) -> str:
        name, *rest = node.children
        return self.call(str(name), [self.compile(a) for a in _arguments(rest)])

    def lookup(self, name: str) -> str | None:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def on_literal(self, node: lark.Tree[Any]) -> str:
        value = _literal_of(node)
        if value is _MISSING:
            token = node.children[0]
            return f"_raise({self.constant(f'invalid literal {token}')})"
        return self.literal(value)

    def on_list_lit(self, node: lark.Tree[Any]) -> str:
        items = [self.compile(a) for a in _arguments(node.children)]
        return f"[{', '.join(items)}]"

    def on_map_lit(self, node: lark.Tree[Any]) -> str:
        if not node.children or node.children[0] is None:
            return "{}"
        inits = node.children[0]
        assert isinstance(inits, lark.Tree)
        parts = [self.compile(c) for c in inits.children if isinstance(c, lark.Tree)]
        pairs = ", ".join(f"({parts[i]}, {parts[i + 1]})" for i in range(0, len(parts), 2))
        return f"make_map([{pairs}])"

    def on_ident_arg(self, node: lark.Tree[Any]) -> str:
        name, *rest = node.children
        given = _arguments(rest)
        if str(name) == "has":
            if len(given) != 1:
                raise CelSyntaxError("has() takes one field selection")
            inner = unwrap(given[0])
            if inner.data != "member_dot":
                raise CelSyntaxError("has() needs a field selection such as has(a.b)")
            target, field = inner.children
            return f"has({self.compile(target)}, {self.constant(str(field))})"
        literals = [_literal_of(a) for a in given]
        folded = literals if all(v is not _MISSING for v in literals) else None
        return self.call(str(name), [self.compile(a) for a in given], folded)

    def on_member_dot_arg(self, node: lark.Tree[Any]) -> str:
        target, method, *rest = node.children
        given = _arguments(rest)
        name = str(method)
        if name in MACROS:
            return self.macro(name, target, given)
        return self.call(name, [self.compile(target), *(self.compile(a) for a in given)])

    def call(self, name: str, arguments: list[str], literals: list[Any] | None = None) -> str:
        if literals and name in _FOLDABLE and name in self.functions and len(literals) == 1:
            try:
                return self.constant(self.functions[name](literals[0]))
            except CelError as exc:
                return f"_raise({self.constant(exc.message)})"
        if name not in self.functions:
            raise NativeUnsupported(f"unknown function {name!r}")
        return f"F[{self.constant(name)}]({', '.join(arguments)})"

    def macro(self, name: str, target: Any, arguments: list[lark.Tree[Any]]) -> str:
        variable = bare_ident(arguments[0]) if arguments else None
        if variable is None or not 2 <= len(arguments) <= 3 or (len(arguments) == 3 and name != "map"):
            raise CelSyntaxError(f"{name}() takes a variable name and an expression")
        self.counter += 1
        self.loops = True
        local = f"v{self.counter}"
        container = self.compile(target)
        self.scopes.append({variable: local})
        try:
            bodies = [self.compile(a) for a in arguments[1:]]
        finally:
            self.scopes.pop()
        if name == "map" and len(bodies) == 2:
            return f"map_filter({container}, lambda {local}: {bodies[0]}, lambda {local}: {bodies[1]}, C)"
        if not self.exact and name in ("all", "exists") and self.is_boolean(arguments[1]):
            # The predicate can only give a bool, so Python's own any()/all() over map() are exact.
            python = "any" if name == "exists" else "all"
            return f"{python}(map(lambda {local}: {bodies[0]}, iterate({container}, C)))"
        kind = {
            "all": "all_exact" if self.exact else "all_fast",
            "exists": "exists_exact" if self.exact else "exists_fast",
        }
        runtime = kind.get(
            name, {"exists_one": "exists_one", "map": "map_", "filter": "filter_"}.get(name, name)
        )
        return f"{runtime}({container}, lambda {local}: {bodies[0]}, C)"


def _literal_of(node: Any) -> Any:
    """The value of a literal node (looking through single-child wrappers), or _MISSING."""
    while isinstance(node, lark.Tree) and node.data != "literal" and len(node.children) == 1:
        node = node.children[0]
    if not (isinstance(node, lark.Tree) and node.data == "literal"):
        return _MISSING
    token = node.children[0]
    assert isinstance(token, lark.Token)
    kind, text = token.type, token.value
    try:
        if kind == "INT_LIT":
            value = int(text, 16) if text.lstrip("-").startswith("0x") else int(text)
            if text.startswith("-0x"):
                value = -int(text[3:], 16)
            return value if INT64_MIN <= value <= INT64_MAX else _MISSING
        if kind == "UINT_LIT":
            body = text[:-1]
            value = int(body, 16) if body.startswith("0x") else int(body)
            return Uint(value) if 0 <= value <= UINT64_MAX else _MISSING
        if kind == "FLOAT_LIT":
            return float(text)
        if kind == "MLSTRING_LIT" and text[:1] not in "rR":
            # cel-python's decoder drops the line breaks of a multi-line string: decode line by line.
            lines = text[3:-3].split("\n")
            return "\n".join(str(celstr(lark.Token("STRING_LIT", f"'{line}'"))) for line in lines)
        if kind in ("STRING_LIT", "MLSTRING_LIT"):
            return str(celstr(token))
        if kind == "BYTES_LIT":
            return bytes(celbytes(token))
        if kind == "BOOL_LIT":
            return text == "true"
        if kind == "NULL_LIT":
            return None
    except (ValueError, UnicodeError):
        return _MISSING
    return _MISSING


def _string_list_literal(node: Any) -> list[str] | None:
    """The strings of a list literal made only of string literals, or None."""
    if not isinstance(node, lark.Tree):
        return None
    node = _unwrap_wrappers(node)
    if node.data != "list_lit":
        return None
    values = [_literal_of(item) for item in _arguments(node.children)]
    if not values or not all(type(v) is str for v in values):
        return None
    return values


def _type_ident(node: Any) -> str | None:
    """The name when a node is a bare type identifier such as ``map`` or ``string``."""
    if not isinstance(node, lark.Tree):
        return None
    inner = unwrap(node)
    if inner.data == "ident" and str(inner.children[0]) in TYPES:
        return str(inner.children[0])
    return None


def _arguments(rest: list[Any]) -> list[lark.Tree[Any]]:
    """The arguments among a call node's children (its optional exprlist)."""
    for child in rest:
        if isinstance(child, lark.Tree) and child.data == "exprlist":
            return arguments(child)
    return []


def make_map(pairs: list[tuple[Any, Any]]) -> dict[Any, Any]:
    result: dict[Any, Any] = {}
    for key, value in pairs:
        if type(key) not in (str, int, Uint, bool):
            raise CelError(f"unsupported map key type {_name(key)}")
        if _lookup(result, key) is not _MISSING:
            raise CelError(f"duplicate map key {key!r}")
        result[key] = value
    return result


def variable(variables: Mapping[str, Any], name: str) -> Any:
    try:
        return variables[name]
    except KeyError:
        raise CelError(f"undeclared reference to {name!r}") from None


_RUNTIME: dict[str, Any] = {
    name: globals()[name]
    for name in (
        "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod", "neg", "not_", "index",
        "select", "has", "in_", "all_exact", "exists_exact", "all_fast", "exists_fast", "exists_one",
        "map_", "filter_", "map_filter", "and_exact", "or_exact", "make_map", "variable", "_bool", "_raise",
        "iterate",
    )
}  # fmt: skip


class NativeProgram:
    """A compiled expression: ``run`` takes variables as plain values and returns a plain value."""

    def __init__(
        self,
        expression: str,
        fast: Callable[..., Any],
        exact: Callable[..., Any],
        cost_limit: int,
        loops: bool,
    ) -> None:
        self.expression = expression
        self._fast = fast
        self._exact = exact
        self._cost_limit = cost_limit
        self._loops = loops  # only an expression that iterates needs a cost counter

    def run(self, variables: Mapping[str, Any]) -> Any:
        try:
            return self._fast(variables, _Cost(self._cost_limit) if self._loops else None)
        except CostLimitExceeded:
            raise
        except (CelError, *_PYTHON_ERRORS, RecursionError):
            pass  # evaluate again with CEL's error-absorbing rules; the result or error is exact
        try:
            return self._exact(variables, _Cost(self._cost_limit))
        except CelError:
            raise
        except RecursionError:
            raise CelError("expression or data is nested too deeply to evaluate") from None
        except _PYTHON_ERRORS as exc:
            raise _as_cel_error(exc) from None

    evaluate = run


class FallbackProgram:
    """A rule the native compiler cannot handle, run by the reference backend over plain values.

    Each plain object is converted to cel-python's types once and remembered by identity (the object
    is kept alive in the memo so its id cannot be reused), so evidence shared by many evaluations is
    not converted again for each of them.
    """

    def __init__(self, program: Any, reason: str) -> None:
        self._program = program
        self.reason = reason
        self._memo: dict[int, tuple[Any, Any]] = {}

    def _convert(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float | str):
            return _to_reference(value)
        cached = self._memo.get(id(value))
        if cached is None or cached[0] is not value:
            cached = (value, _to_reference(value))
            self._memo[id(value)] = cached
        return cached[1]

    def run(self, variables: Mapping[str, Any]) -> Any:
        converted = {name: self._convert(value) for name, value in variables.items()}
        return to_python(self._program.run(converted))

    evaluate = run


class NativeBackend:
    """CEL compiled to Python over plain values; see the module docstring."""

    name = "native"

    def __init__(
        self, functions: FunctionRegistry = DEFAULT_FUNCTIONS, *, cost_limit: int = DEFAULT_COST_LIMIT
    ) -> None:
        table: dict[str, Callable[..., Any]] = dict(BUILTINS)
        for function in functions:
            if function.name in BUILTINS or function.name in MACROS or function.name == "has":
                raise ConfigError(f"custom function {function.name!r} would hide a standard CEL function")
            table[function.name] = _custom(function.implementation, function.name)
        self._functions = table
        self._cost_limit = cost_limit
        self._registry = functions
        self.fallbacks: dict[str, str] = {}  # expression -> why it runs on the reference backend

    def compile(self, expression: str) -> NativeProgram | FallbackProgram:
        tree = parse(expression)
        try:
            fast, loops = self._build(tree, exact=False)
            exact, _ = self._build(tree, exact=True)
        except NativeUnsupported as exc:
            from assay.cel.reference import ReferenceBackend

            self.fallbacks[expression] = exc.message
            return FallbackProgram(ReferenceBackend(self._registry).compile(expression), exc.message)
        return NativeProgram(expression, fast, exact, self._cost_limit, loops)

    def _build(self, tree: lark.Tree[Any], *, exact: bool) -> tuple[Callable[..., Any], bool]:
        compiler = _Compiler(self._functions, exact)
        try:
            body = compiler.compile(tree)
        except RecursionError:
            raise CelSyntaxError("expression is nested too deeply") from None
        source = f"def _program(V, C):\n    return {body}\n"
        namespace: dict[str, Any] = {
            "__builtins__": {},
            "K": tuple(compiler.constants),
            "F": self._functions,
            "_int": int,
            "_str": str,
            "any": any,
            "all": all,
            "map": map,
            **_RUNTIME,
        }
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # generated code is checked by tests, not by warnings
                code = compile(source, "<cel>", "exec")
        except (SyntaxError, RecursionError, MemoryError):
            raise CelSyntaxError("expression is too deeply nested to compile") from None
        exec(code, namespace)  # the source holds no text of the expression: see the module docstring
        return namespace["_program"], compiler.loops

    def native(self, value: Any) -> Any:
        return value

    def record(self, fields: Mapping[str, Any]) -> Any:
        return dict(fields)

    def python(self, value: Any) -> Any:
        return value

    def elements(self, value: Any) -> list[Any]:
        if isinstance(value, list):
            return value
        raise CelError(f"for_each must give a list, not {_name(value)}")
