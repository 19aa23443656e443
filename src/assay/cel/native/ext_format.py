"""``<string>.format(<list>)`` of CEL's strings extension library: printf-style formatting.

Clauses: ``%s`` (any value but an extension type; lists and maps formatted element by element, map
entries sorted by their formatted key), ``%d`` (ints, uints and doubles), ``%f`` and ``%e`` (with a
precision such as ``%.3f``; six digits by default), ``%b`` (ints, uints and bools), ``%o``, ``%x``
and ``%X`` (ints and uints; strings and bytes in hex too) and ``%%``. Doubles that are not finite
print as ``NaN``, ``Infinity`` and ``-Infinity``. A clause without an argument, or an argument of a
type its clause does not take, is an error that names the problem.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from assay.cel.native.ext_support import LIST, STRING, Budget, Extension, built, entries, overloads, work
from assay.cel.native.values import CelType, Uint, type_name
from assay.errors import CelError

_DEFAULT_PRECISION = 6
_MAX_PRECISION = 100  # a larger precision only pads with zeros, and a huge one would exhaust memory


def _not_finite(value: float) -> str | None:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return None


def _shortest(value: float) -> str:
    """A double in its shortest exact form without an exponent (Go's 'f' format, precision -1)."""
    special = _not_finite(value)
    if special is not None:
        return special
    return format(Decimal(repr(value)).normalize(), "f")


def _timestamp(value: datetime) -> str:
    moment = value.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}".rstrip("0")
    return text + "Z"


def _duration(value: timedelta) -> str:
    seconds = Decimal(value.days * 86400 + value.seconds) + Decimal(value.microseconds) / Decimal(10**6)
    return format(seconds.normalize(), "f") + "s"


def _error(clause: str, takes: str, value: Any) -> CelError:
    return CelError(f"error during formatting: {clause} {takes}, was given {type_name(value)}")


def _string(value: Any) -> str:  # noqa: PLR0911 - one return per kind of value
    kind = type(value)
    if kind is str:
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is Uint:
        return str(int(value))
    if kind is float:
        return _shortest(value)
    if value is None:
        return "null"
    if kind is bytes:
        return bytes(value).decode("utf-8", errors="replace")
    return _composite_string(value)


def _composite_string(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_string(element) for element in value) + "]"
    if type(value) is dict:
        texts = sorted((_string(key), _string(element)) for key, element in entries(value))
        return "{" + ", ".join(f"{key}: {element}" for key, element in texts) + "}"
    if isinstance(value, datetime):
        return _timestamp(value)
    if isinstance(value, timedelta):
        return _duration(value)
    if isinstance(value, CelType):
        return value.name
    kinds = "strings, bools, bytes, ints, doubles, maps, lists, types, durations, and timestamps"
    takes = f"can only be used on {kinds}"
    raise _error("string clause", takes, value)


def _decimal(value: Any) -> str:
    kind = type(value)
    if kind is int or kind is Uint:
        return str(int(value))
    if kind is float:
        return _shortest(value)
    raise _error("decimal clause", "can only be used on integers", value)


def _floating(clause: str, letter: str) -> Callable[[Any, int], str]:
    def render(value: Any, precision: int) -> str:
        kind = type(value)
        if kind is int or kind is Uint:
            value = float(value)
        elif kind is not float:
            raise _error(clause, "can only be used on doubles", value)
        return _not_finite(value) or format(value, f".{precision}{letter}")

    return render


def _integer(clause: str, takes: str, letter: str, *, bools: bool = False) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        kind = type(value)
        if bools and kind is bool:
            return "1" if value else "0"
        if kind is int or kind is Uint:
            return format(int(value), letter)
        raise CelError(f"error during formatting: {clause} {takes}, was given {type_name(value)}")

    return render


def _hex(upper: bool) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        kind = type(value)
        if kind is int or kind is Uint:
            text = format(int(value), "x")
        elif kind is str or kind is bytes:
            text = (value.encode("utf-8", errors="replace") if kind is str else value).hex()
        else:
            raise CelError(
                "error during formatting: only integers, byte buffers, and strings can be formatted as hex, "
                f"was given {type_name(value)}"
            )
        return text.upper() if upper else text

    return render


_PLAIN: dict[str, Callable[[Any], str]] = {
    "s": _string,
    "d": _decimal,
    "b": _integer("only integers and bools", "can be formatted as binary", "b", bools=True),
    "o": _integer("octal clause", "can only be used on integers", "o"),
    "x": _hex(upper=False),
    "X": _hex(upper=True),
}
_WITH_PRECISION = {
    "f": _floating("fixed-point clause", "f"),
    "e": _floating("scientific clause", "e"),
}


def _precision(text: str, at: int) -> tuple[int, int]:
    """The precision written at ``text[at:]`` (``.3``) and where the clause's letter is."""
    if at >= len(text) or text[at] != ".":
        return _DEFAULT_PRECISION, at
    end = at + 1
    while end < len(text) and text[end] in "0123456789":
        end += 1
    if end == at + 1 or end >= len(text):
        raise CelError("could not parse formatting clause: could not find end of precision specifier")
    precision = int(text[at + 1 : end])
    if precision > _MAX_PRECISION:
        raise CelError(f"could not parse formatting clause: precision {precision} exceeds the maximum, 100")
    return precision, end


def _clause(text: str, at: int, value: Any) -> tuple[str, int]:
    """The formatted value of the clause whose ``%`` is at ``text[at - 1]``, and where it ends."""
    precision, at = _precision(text, at)
    if at >= len(text):
        raise CelError("could not parse formatting clause: unexpected end of string")
    letter = text[at]
    if letter in _PLAIN:
        return _PLAIN[letter](value), at + 1
    if letter in _WITH_PRECISION:
        return _WITH_PRECISION[letter](value, precision), at + 1
    raise CelError(f'could not parse formatting clause: unrecognized formatting clause "{letter}"')


def _format(cost: Budget, text: str, arguments: list[Any]) -> str:
    work(cost, len(arguments))
    parts: list[str] = []
    used = 0
    at = 0
    while at < len(text):
        percent = text.find("%", at)
        if percent < 0:
            parts.append(text[at:])
            break
        parts.append(text[at:percent])
        if text.startswith("%%", percent):
            parts.append("%")
            at = percent + 2
            continue
        if used >= len(arguments):
            raise CelError(f"index {used} out of range")
        rendered, at = _clause(text, percent + 1, arguments[used])
        built(cost, len(rendered))
        parts.append(rendered)
        used += 1
    return "".join(parts)


FUNCTIONS = (
    Extension(
        "format",
        "strings",
        overloads("format", ((STRING, LIST), _format), costed=True),
        ("<string>.format(<list>) -> <string>",),
        "printf-style: %s, %d, %f, %e, %b, %o, %x, %X and %%, e.g. '%.2f%%'.format([99.5]).",
        costed=True,
    ),
)
