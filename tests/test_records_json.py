"""Records written as JSON without pydantic: the values and the text pydantic's own dump gave."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from typing import Annotated, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from assay.gaps import Report
from assay.records import Record, Spec, record
from assay.records_json import datetime_text, duration_text, plain, plain_writable
from assay.render import render
from assay.requirement_text import RequirementParameter, RequirementPart

# Any text, lone surrogates too (orjson refuses them: the report is then written the plain way).
_TEXT = st.text(st.characters(codec=None), max_size=6)
_OFFSETS = st.timedeltas(
    min_value=-timedelta(hours=23, minutes=59), max_value=timedelta(hours=23, minutes=59)
)
_ZONES = st.none() | st.timezones() | st.builds(timezone, _OFFSETS) | st.just(UTC)
_DATETIMES = st.datetimes(timezones=_ZONES)


@settings(max_examples=300, deadline=None)
@given(_DATETIMES)
def test_datetimes_are_written_as_pydantic_writes_them(moment: datetime) -> None:
    assert datetime_text(moment) == TypeAdapter(datetime).dump_python(moment, mode="json")


@settings(max_examples=300, deadline=None)
@given(st.timedeltas() | st.timedeltas(min_value=-timedelta(days=3), max_value=timedelta(days=3)))
def test_durations_are_written_as_pydantic_writes_them(span: timedelta) -> None:
    assert duration_text(span) == TypeAdapter(timedelta).dump_python(span, mode="json")


# --- random reports ---------------------------------------------------------------------------------

_PARAMETERS = (
    RequirementParameter(id="ac-02_odp.01", label="personnel", values=("CISO",)),
    RequirementParameter(id="ac-02_odp.02", choices=("one", "two"), how_many="one-or-more"),
)
_PARTS = (
    RequirementPart(name="statement", prose="Do {{ insert: param, ac-02_odp.01 }}.", parts=(
        RequirementPart(name="item", label="a.", prose="é\u2028"),
    )),
    RequirementPart(name="guidance"),
)  # fmt: skip
_MODELS: dict[type[Any], tuple[Any, ...]] = {RequirementParameter: _PARAMETERS, RequirementPart: _PARTS}
_SCALARS: dict[Any, st.SearchStrategy[Any]] = {
    str: _TEXT,
    int: st.integers(),
    float: st.floats(),
    bool: st.booleans(),
    type(None): st.none(),
    datetime: _DATETIMES,
    date: st.dates(),
    timedelta: st.timedeltas(),
}


def _strategy(hint: Any) -> st.SearchStrategy[Any]:
    """Values of a record field's type: every record field filled, optional ones too."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in _SCALARS:
        return _SCALARS[hint]
    made = _WRAPPED.get(origin)
    if made is not None:
        return made(args)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return st.sampled_from(list(hint))
    if hint in _MODELS:
        return st.sampled_from(_MODELS[hint])
    return _records(hint)


_WRAPPED: dict[Any, Any] = {
    Annotated: lambda args: _strategy(args[0]),
    typing.Union: lambda args: st.one_of([_strategy(arg) for arg in args]),
    types.UnionType: lambda args: st.one_of([_strategy(arg) for arg in args]),
    typing.Literal: st.sampled_from,
    tuple: lambda args: st.lists(_strategy(args[0]), max_size=2).map(tuple),
    # A report's keys are status words and framework keys, never lone surrogates (pydantic wrote those
    # in keys, and only there, as U+FFFD).
    dict: lambda args: st.dictionaries(st.text(max_size=6), _strategy(args[1]), max_size=2),
}


def _records(cls: type[Any]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls, include_extras=True)
    fields = {
        field.name: st.deferred(lambda h=hints[field.name]: _strategy(h)) for field in dataclasses.fields(cls)
    }
    return st.builds(cls, **fields)


def _pydantic_text(report: Report) -> str:
    """The JSON report as assay wrote it before records: pydantic's dump, the json module's text."""
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=60, deadline=None)
@given(_records(Report))
def test_a_random_report_is_dumped_and_written_as_pydantic_did(report: Report) -> None:
    """Every field of every record of the report, with any text, number, date, datetime and zone."""
    assert json.dumps(plain(report)) == json.dumps(report.model_dump(mode="json"))  # NaN != NaN: as text
    assert render(report, "json") == _pydantic_text(report)


# --- a field's own serialiser -------------------------------------------------------------------------


def _days(span: timedelta) -> str:
    return f"{span.days}d"


@record
class _Spans(Record):
    every: Annotated[timedelta, Spec(serializer=_days)]
    maybe: Annotated[timedelta, Spec(serializer=_days)] | None = None
    plain_span: timedelta | None = None


@record
class _Nested(Record):
    spans: tuple[Annotated[timedelta, Spec(serializer=_days)], ...] = ()
    held: _Spans | None = None


@pytest.mark.parametrize(
    "made",
    [
        _Spans(every=timedelta(days=2)),
        _Spans(every=timedelta(days=2), maybe=timedelta(days=3), plain_span=timedelta(hours=5)),
        _Nested(spans=(timedelta(days=1),), held=_Spans(every=timedelta(0))),
    ],
)
def test_a_fields_own_serialiser_is_applied(made: Record) -> None:
    assert plain(made) == made.model_dump(mode="json")
    assert not plain_writable(type(made))  # so the JSON report would be written from plain values


def test_the_report_is_written_by_orjson_from_its_records() -> None:
    assert plain_writable(Report)
