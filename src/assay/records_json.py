"""Records as JSON values, exactly as pydantic's ``model_dump(mode="json")`` gives them, without pydantic.

The gap report is a tree of records (:mod:`assay.report_records`); writing it used to import pydantic
and build a serialiser for every class (about 0.2 s of an everyday ``assay check``). Here:

- :func:`plain` turns a record into dicts, lists and scalars: fields in their order under their Python
  names, tuples as lists, enums as their values, dates, datetimes and durations as pydantic writes them
  (``2026-11-25T10:00:00Z``, ``P1DT2H``), a field's own serialiser (``Spec(serializer=...)``) applied;
- :func:`json_default` is what orjson calls for the values it leaves to its caller, so a record can be
  written by orjson directly (it writes dataclasses, enums and tuples itself);
- :func:`plain_writable` says whether a record class (and every record it holds) has no field whose
  serialiser orjson would not apply: then orjson's text of the record is the text of :func:`plain`'s.

Anything else (a pydantic model held by a record, a value of a type a report never holds) is left to
pydantic, imported then.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import Enum
from types import NoneType, UnionType
from typing import Annotated, Any

from assay.records import Record, Spec

__all__ = ["datetime_text", "duration_text", "json_default", "plain", "plain_writable"]

_SCALARS = (str, int, float, bool, NoneType)
_DAYS_A_YEAR = 365  # pydantic writes 400 days as P1Y35D


# A field's way out: its name, and its serialiser with whether it applies to None too.
_Field = tuple[str, Callable[[Any], Any] | None, bool]
_PLANS: dict[type[Any], tuple[_Field, ...] | None] = {}
_WRITABLE: dict[type[Any], bool] = {}


def plain(value: Any) -> Any:
    """``value`` as the plain JSON values ``model_dump(mode="json")`` gives for it."""
    if isinstance(value, _SCALARS) and not isinstance(value, Enum):
        return value
    if isinstance(value, Record):
        return _record(value)
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dict) and all(type(key) is str for key in value):
        return {key: plain(item) for key, item in value.items()}
    return json_default(value)


def _record(value: Record) -> Any:
    fields = _plan(type(value))
    if fields is None:
        return _pydantic(value)
    out: dict[str, Any] = {}
    for name, serialiser, with_none in fields:
        item = getattr(value, name)
        if serialiser is not None and (with_none or item is not None):
            out[name] = serialiser(item)
        else:
            out[name] = plain(item)
    return out


def json_default(value: Any) -> Any:
    """orjson's ``default``: a datetime, date or duration as pydantic writes it, anything else orjson
    does not write itself (a pydantic model) as pydantic's JSON mode gives it."""
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_text(value)
    if isinstance(value, Record):
        return _record(value)
    return _pydantic(value)


def datetime_text(value: datetime) -> str:
    """``value`` as pydantic writes a datetime: ISO 8601, ``Z`` for UTC, microseconds when not zero."""
    text = value.replace(tzinfo=None).isoformat()
    offset = value.utcoffset()
    if offset is None:
        return text
    if offset.microseconds or offset.seconds % 60:  # pydantic's own rounding of odd offsets
        written: str = _pydantic(value)
        return written
    minutes = (offset.days * 86400 + offset.seconds) // 60
    if minutes == 0:
        return text + "Z"
    sign = "-" if minutes < 0 else "+"
    hours, minutes = divmod(abs(minutes), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


def duration_text(value: timedelta) -> str:
    """``value`` as pydantic writes a duration: ISO 8601 (``P1Y35D``, ``PT1H1M1.5S``, ``-PT1S``)."""
    sign = "-" if value < timedelta(0) else ""
    value = abs(value)
    years, days = divmod(value.days, _DAYS_A_YEAR)
    hours, rest = divmod(value.seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    date_part = (f"{years}Y" if years else "") + (f"{days}D" if days else "")
    time_part = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if seconds or value.microseconds:
        fraction = f".{value.microseconds:06d}".rstrip("0") if value.microseconds else ""
        time_part += f"{seconds}{fraction}S"
    if not (date_part or time_part):
        return "PT0S"
    return f"{sign}P{date_part}" + (f"T{time_part}" if time_part else "")


def plain_writable(cls: type[Any]) -> bool:
    """Whether orjson writes records of ``cls`` as :func:`plain` does: no record reachable from it has
    a field with its own serialiser (orjson would write the raw value)."""
    if cls not in _WRITABLE:
        _WRITABLE[cls] = _writable(cls, set())
    return _WRITABLE[cls]


def _writable(cls: type[Any], seen: set[type[Any]]) -> bool:
    if cls in seen:
        return True
    seen.add(cls)
    fields = _plan(cls)
    if fields is None or any(serialiser is not None for _, serialiser, _ in fields):
        return False
    hints = typing.get_type_hints(cls)
    return all(_writable(held, seen) for hint in hints.values() for held in _records_in(hint))


def _records_in(hint: Any) -> list[type[Any]]:
    if isinstance(hint, type):
        return [hint] if issubclass(hint, Record) else []
    return [found for arg in typing.get_args(hint) for found in _records_in(arg)]


# --- a record class's fields ---------------------------------------------------------------------


def _plan(cls: type[Any]) -> tuple[_Field, ...] | None:
    """Each field's name and serialiser; None when a serialiser sits where this module does not apply
    it (inside a tuple or a mapping): such a record is left to pydantic."""
    if cls not in _PLANS:
        _PLANS[cls] = _made_plan(cls)
    return _PLANS[cls]


def _made_plan(cls: type[Any]) -> tuple[_Field, ...] | None:
    try:
        hints = typing.get_type_hints(cls, include_extras=True)
    except (NameError, TypeError):  # an annotation that does not resolve: pydantic would fail too
        return None
    fields: list[_Field] = []
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        own = _spec_serialiser(hint)
        if own is not None:
            fields.append((field.name, own, True))
            continue
        args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, UnionType) else ()
        found = [each for each in map(_spec_serialiser, args) if each is not None]
        if len(found) == 1 and NoneType in args:  # Annotated[T, Spec(serializer=...)] | None
            fields.append((field.name, found[0], False))
        elif _has_serialiser(hint):  # deeper, inside a tuple or a mapping
            return None
        else:
            fields.append((field.name, None, False))
    return tuple(fields)


def _spec_serialiser(hint: Any) -> Callable[[Any], Any] | None:
    if typing.get_origin(hint) is not Annotated:
        return None
    found = [mark.serializer for mark in hint.__metadata__ if isinstance(mark, Spec) and mark.serializer]
    return found[0] if found else None


def _has_serialiser(hint: Any) -> bool:
    if _spec_serialiser(hint) is not None:
        return True
    return any(_has_serialiser(arg) for arg in typing.get_args(hint))


def _pydantic(value: Any) -> Any:
    """What pydantic's JSON mode gives for a value this module does not write itself."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    from pydantic_core import to_jsonable_python

    return to_jsonable_python(value)
