"""Frozen records that cost nothing to import: plain dataclasses, validated by pydantic only on demand.

A record class is a ``@record`` dataclass (frozen, slotted, keyword-only) deriving from :class:`Record`.
Its field annotations are strings (``from __future__ import annotations``) whose constraints are
:class:`Spec` markers, so defining the class imports no pydantic. Pydantic is imported, and a
validator built, the first time a file has to be checked (:meth:`Record.model_validate`) or a schema
written (:meth:`Record.model_json_schema`). Why: importing pydantic and building the validators of the
catalog, result and report types took about 0.22 s of a 0.57 s everyday ``assay check``, which reads
everything from the validated cache and never needs them.

Records keep the pydantic methods callers use (``model_validate``, ``model_dump``, ``model_dump_json``,
``model_copy``, ``model_json_schema``), with pydantic's meaning.

:func:`to_data` and :func:`from_data` carry records through the on-disk cache as tagged JSON values
(never pickle): a record is rebuilt by calling its class, so its own invariants (``__post_init__``)
hold, but its field types are not checked again; the cache entry was checked when it was written and
is authenticated when it is read.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self, TypeVar, dataclass_transform

from assay.lean_dataclasses import build

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = ["JsonValue", "Record", "Spec", "from_data", "record", "to_data"]

R = TypeVar("R", bound="Record")

_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}
_CLASSES: dict[str, type[Record]] = {}


def _public_name(name: str) -> str:
    # A field named after a Python keyword carries a trailing underscore (``assert_``); files and
    # reports spell it without (``assert``).
    return name.removesuffix("_")


class Record:
    """Base of every record: immutable, unknown keys are errors, validated only when asked."""

    __slots__ = ()
    # pydantic reads this when it builds the validator (its configuration for stdlib dataclasses).
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "alias_generator": _public_name,
    }

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # ``dataclass(slots=True)`` makes a second class: the last one made under a name is the record.
        _CLASSES[f"{cls.__module__}:{cls.__qualname__}"] = cls

    @classmethod
    def model_validate(cls, data: Any) -> Self:
        """Check ``data`` (a mapping, as read from a file) and build the record; raises pydantic's
        ``ValidationError`` with every problem."""
        made: Self = adapter(cls).validate_python(data)
        return made

    @classmethod
    def model_validate_json(cls, text: str | bytes) -> Self:
        """:meth:`model_validate` on JSON text."""
        made: Self = adapter(cls).validate_json(text)
        return made

    @classmethod
    def model_json_schema(cls, *, by_alias: bool = True, mode: str = "validation") -> dict[str, Any]:
        """The record's JSON Schema, as pydantic writes it."""
        schema: dict[str, Any] = adapter(cls).json_schema(by_alias=by_alias, mode=mode)  # type: ignore[arg-type]
        return schema

    def model_dump(self, **options: Any) -> dict[str, Any]:
        """The record as plain values; ``options`` as pydantic's (``mode``, ``by_alias``, ...)."""
        dumped: dict[str, Any] = adapter(type(self)).dump_python(self, **options)
        return dumped

    def model_dump_json(self, **options: Any) -> str:
        """The record as JSON text; ``options`` as pydantic's (``indent``, ``by_alias``, ...)."""
        return adapter(type(self)).dump_json(self, **options).decode()

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Self:
        """A copy with ``update``'s fields replaced (not validated, as in pydantic)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]


@dataclass_transform(frozen_default=True, kw_only_default=True)
def record(cls: type[R]) -> type[R]:
    """Make ``cls`` a record: a frozen, slotted, keyword-only dataclass."""
    return build(cls, kw_only=True, slots=True)


def adapter(cls: type[Any]) -> TypeAdapter[Any]:
    """The pydantic validator and serialiser of a record class, built once per process."""
    built = _ADAPTERS.get(cls)
    if built is None:
        from pydantic import TypeAdapter

        built = _ADAPTERS[cls] = TypeAdapter(cls)
    return built


# --- field constraints ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class Spec:
    """What a field's annotation says beyond its type, applied by pydantic when it validates.

    ``Annotated[str, Spec(pattern=r"^[A-Z]+$", description="...")]``. The constraints are pydantic's
    own (``StringConstraints``, ``Field``'s ``ge``/``le``/``min_length``, ``BeforeValidator``,
    ``AfterValidator``, ``PlainSerializer``, ``WithJsonSchema``), made only when a validator is built.
    """

    description: str | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    strip_whitespace: bool = False
    ge: int | None = None
    le: int | None = None
    before: Callable[[Any], Any] | None = None
    after: Callable[[Any], Any] | None = None
    serializer: Callable[[Any], Any] | None = None
    # Not hashed (a dict): ``Duration | None`` hashes its annotation's markers when it builds the union.
    json_schema: dict[str, Any] | None = dataclasses.field(default=None, hash=False)
    json_value: bool = False  # any JSON value (pydantic's JsonValue); the annotated type is Any

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return handler(self._pydantic_type(source))

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        if self.description is not None:
            schema = {**schema, "description": self.description}
        return schema

    def _pydantic_type(self, source: Any) -> Any:
        import annotated_types
        import pydantic

        if self.json_value:
            return pydantic.JsonValue
        marks: list[Any] = []
        if self.before is not None:
            marks.append(pydantic.BeforeValidator(self.before))
        if self.pattern is not None or self.strip_whitespace:
            strings = pydantic.StringConstraints(
                pattern=self.pattern, strip_whitespace=self.strip_whitespace or None
            )
            marks.append(strings)
        sizes = [(self.min_length, annotated_types.MinLen), (self.max_length, annotated_types.MaxLen)]
        sizes += [(self.ge, annotated_types.Ge), (self.le, annotated_types.Le)]
        marks += [make(value) for value, make in sizes if value is not None]
        if self.after is not None:
            marks.append(pydantic.AfterValidator(self.after))
        if self.serializer is not None:
            marks.append(pydantic.PlainSerializer(self.serializer, return_type=str))
        if self.json_schema is not None:
            marks.append(pydantic.WithJsonSchema(self.json_schema))
        return Annotated[(source, *marks)] if marks else source


JsonValue = Annotated[Any, Spec(json_value=True)]
"""Any JSON value: pydantic's ``JsonValue`` when validated."""


# --- the cache's form ---------------------------------------------------------------------------------

_RECORD, _TUPLE, _MAP, _DATE, _DATETIME, _SECONDS, _ENUM = "$r", "$t", "$m", "$d", "$dt", "$s", "$e"


def to_data(value: Any) -> Any:
    """``value`` (records, tuples, dicts, lists, dates, datetimes, durations, enums, JSON scalars) as
    JSON-ready values that :func:`from_data` turns back into an equal value."""
    # (A str enum's member is a str too: it is written with its class.)
    if (isinstance(value, str | int | float | bool) or value is None) and not isinstance(value, Enum):
        return value
    for kind, write in _WRITERS:
        if isinstance(value, kind):
            return write(value)
    raise TypeError(f"a record cannot hold a {type(value).__name__}")


def _class_name(cls: type[Any]) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _record_data(value: Record) -> dict[str, Any]:
    # A field left at its default is not written: the class gives it back when the record is rebuilt,
    # and a warm run decodes and walks less (most of a requirement's fields are at their defaults).
    cls = type(value)
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape(cls)
    names, defaults = shape
    fields: dict[str, Any] = {}
    for name in names:
        written = to_data(getattr(value, name))
        if name not in defaults or _text(written) != defaults[name]:
            fields[name] = written
    return {_RECORD: _class_name(cls), "f": fields}


def _shape(cls: type[Any]) -> tuple[tuple[str, ...], dict[str, str]]:
    """A record class's field names, and the JSON text of the :func:`to_data` form of each default."""
    names: list[str] = []
    defaults: dict[str, str] = {}
    for field in dataclasses.fields(cls):
        names.append(field.name)
        if field.default is not dataclasses.MISSING:
            defaults[field.name] = _text(to_data(field.default))
        elif field.default_factory is not dataclasses.MISSING:
            defaults[field.name] = _text(to_data(field.default_factory()))
    return tuple(names), defaults


_SHAPES: dict[type[Any], tuple[tuple[str, ...], dict[str, str]]] = {}


def _text(written: Any) -> str:
    # Compared as JSON text: True is not 1, nor 1.0 the 1 of an int field.
    return json.dumps(written, sort_keys=True)


def _map_data(value: dict[Any, Any]) -> dict[str, Any]:
    if not all(isinstance(key, str) for key in value):
        raise TypeError("a record's mapping keys are strings")
    return {_MAP: {key: to_data(item) for key, item in value.items()}}


# datetime before date: a datetime is a date too.
_WRITERS: tuple[tuple[type[Any], Callable[[Any], Any]], ...] = (
    (Record, _record_data),
    (Enum, lambda value: {_ENUM: _class_name(type(value)), "v": value.value}),
    (tuple, lambda value: {_TUPLE: [to_data(item) for item in value]}),
    (list, lambda value: [to_data(item) for item in value]),
    (dict, _map_data),
    (datetime, lambda value: {_DATETIME: value.isoformat()}),
    (date, lambda value: {_DATE: value.isoformat()}),
    (timedelta, lambda value: {_SECONDS: [value.days, value.seconds, value.microseconds]}),
)


def _seconds(item: list[int]) -> timedelta:
    days, seconds, microseconds = item
    return timedelta(days=days, seconds=seconds, microseconds=microseconds)


# A JSON scalar stands for itself: tested before a call, as most of a record's values are scalars.
_SCALARS = frozenset({str, int, float, bool, type(None)})

_READERS: dict[str, Callable[[Any], Any]] = {
    _TUPLE: lambda item: tuple([each if type(each) in _SCALARS else from_data(each) for each in item]),
    _MAP: lambda item: {
        key: each if type(each) in _SCALARS else from_data(each) for key, each in item.items()
    },
    _DATE: date.fromisoformat,
    _DATETIME: datetime.fromisoformat,
    _SECONDS: _seconds,
}


def from_data(data: Any) -> Any:
    """The value :func:`to_data` made ``data`` from. Raises ``ValueError`` on anything else."""
    if type(data) in _SCALARS:
        return data
    if isinstance(data, list):
        return [item if type(item) in _SCALARS else from_data(item) for item in data]
    if not isinstance(data, dict):
        return data
    if len(data) == 1:
        ((tag, item),) = data.items()
        read = _READERS.get(tag)
        if read is not None:
            return read(item)
    elif len(data) == 2 and _RECORD in data and "f" in data:  # noqa: PLR2004 (tag and fields)
        cls = _record_class(data[_RECORD])
        fields = data["f"]
        return cls(
            **{name: item if type(item) in _SCALARS else from_data(item) for name, item in fields.items()}
        )
    elif len(data) == 2 and _ENUM in data and "v" in data:  # noqa: PLR2004 (tag and value)
        return _named_class(data[_ENUM], Enum)(data["v"])
    raise ValueError(f"not a value to_data writes: {sorted(data)!r}")


def _record_class(name: str) -> type[Record]:
    found = _CLASSES.get(name)
    if found is None:
        named: type[Record] = _named_class(name, Record)
        return named
    return found


def _named_class(name: str, base: type[Any]) -> Any:
    """The class ``module:qualname``, imported if need be, when it is assay's own and a ``base``."""
    module, _, qualname = name.partition(":")
    if not (module == "assay" or module.startswith("assay.")):
        raise ValueError(f"{name!r} is not one of assay's classes")
    found: Any = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part, None)
    if base is Record:
        found = _CLASSES.get(name, found)
    if not (isinstance(found, type) and issubclass(found, base)):
        raise ValueError(f"{name!r} is not one of assay's {base.__name__} classes")
    return found
