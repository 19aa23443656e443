"""The reference backend: cel-python's interpreter, behind :class:`assay.cel.backend.Backend`."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from types import UnionType
from typing import Any

import celpy
from celpy import celtypes
from celpy.evaluation import CELEvalError

from assay.cel.functions import DEFAULT_FUNCTIONS, FunctionRegistry
from assay.cel.native.temporal import to_timestamp_value
from assay.cel.native.values import TYPES, BoolKey, CelType, Uint
from assay.cel.syntax import environment, parse
from assay.errors import CelError, CelSyntaxError

# cel-python logs every evaluation error it raises; assay reports them itself, with positions.
logging.getLogger("celpy").addHandler(logging.NullHandler())
logging.getLogger("celpy").propagate = False


# cel-python's scalar types and their plain conversions, in the order they are tried: BoolType is an
# int subclass there, so it goes first, and UintType before IntType's plain int.
_SCALARS: tuple[tuple[type | UnionType, Callable[[Any], Any]], ...] = (
    (celtypes.BoolType, bool),
    (celtypes.TimestampType, to_timestamp_value),
    (celtypes.DurationType, lambda value: timedelta(value.days, value.seconds, value.microseconds)),
    (celtypes.UintType, lambda value: Uint(int(value))),
    (celtypes.IntType, int),
    (celtypes.DoubleType, float),
    (celtypes.StringType, str),
    (celtypes.BytesType, bytes),
)
# cel-python's type values (classes) and the CEL types they stand for.
_TYPE_NAMES = {
    type(None): "null_type",  # type(null) in cel-python (NullType, below, stands for it when converting back)
    celtypes.BoolType: "bool", celtypes.IntType: "int", celtypes.UintType: "uint",
    celtypes.DoubleType: "double", celtypes.StringType: "string", celtypes.BytesType: "bytes",
    celtypes.ListType: "list", celtypes.MapType: "map", celtypes.NullType: "null_type",
    celtypes.TimestampType: "google.protobuf.Timestamp", celtypes.DurationType: "google.protobuf.Duration",
    celtypes.TypeType: "type",
}  # fmt: skip


def to_python(value: Any) -> Any:
    """A cel-python value as a plain Python value of the same CEL kind, lists and maps element by
    element: a uint stays :class:`~assay.cel.native.values.Uint`, bytes stay bytes, types become
    :class:`~assay.cel.native.values.CelType`."""
    for kind, convert in _SCALARS:
        if isinstance(value, kind):
            return convert(value)
    if isinstance(value, celtypes.ListType | list | tuple):
        return [to_python(v) for v in value]
    if isinstance(value, celtypes.MapType | dict):
        return {to_python(k): to_python(v) for k, v in value.items()}
    if isinstance(value, type) and value in _TYPE_NAMES:
        return TYPES[_TYPE_NAMES[value]]
    return value


_TO_REFERENCE: dict[type, Callable[[Any], Any]] = {
    bool: celtypes.BoolType,
    int: celtypes.IntType,
    Uint: lambda value: celtypes.UintType(int(value)),
    float: celtypes.DoubleType,
    str: celtypes.StringType,
    bytes: celtypes.BytesType,
    type(None): lambda value: None,
    BoolKey: lambda value: celtypes.BoolType(value.value),
}


def to_reference(value: Any) -> Any:
    """A plain Python value as cel-python's value of the same CEL kind, lists and maps element by
    element (uint, bytes, timestamps and durations included; nanoseconds beyond the microsecond are
    lost, as cel-python's types hold microseconds)."""
    convert = _TO_REFERENCE.get(type(value))
    if convert is not None:
        return convert(value)
    if isinstance(value, list | tuple):
        return celtypes.ListType([to_reference(v) for v in value])
    if isinstance(value, dict):
        return celtypes.MapType({to_reference(k): to_reference(v) for k, v in value.items()})
    if isinstance(value, datetime):
        return celtypes.TimestampType(value if value.tzinfo is not None else value.replace(tzinfo=UTC))
    if isinstance(value, timedelta):
        return celtypes.DurationType(value)
    if isinstance(value, CelType):
        kinds = {name: kind for kind, name in _TYPE_NAMES.items()}
        if value.name in kinds:
            return kinds[value.name]
    raise CelError(f"a value of Python type {type(value).__name__} is not a CEL value")


def _string(value: Any) -> Any:
    """``string()``, with CEL's spelling of bools (cel-python writes Python's ``True``)."""
    if isinstance(value, celtypes.BoolType):
        return celtypes.StringType("true" if value else "false")
    return celtypes.StringType(value)


_OPERATORS = {
    "relation_eq": "==",
    "relation_ne": "!=",
    "relation_lt": "<",
    "relation_le": "<=",
    "relation_gt": ">",
    "relation_ge": ">=",
    "relation_in": "in",
    "addition_add": "+",
    "addition_sub": "-",
    "multiplication_mul": "*",
    "multiplication_div": "/",
    "multiplication_mod": "%",
}
_NO_OVERLOAD = re.compile(r"found no matching overload for Token\('RULE', '(\w+)'\) applied to '\((.*)\)'")
_CEL_CLASS = re.compile(r"<class 'celpy\.celtypes\.(\w+)Type'>")


# cel-python raises CELEvalError(message, exception class, exception args): the third holds the cause.
_CAUSE = 2


def _error_message(error: CELEvalError) -> str:
    args = error.args
    message = str(args[0]) if args else "evaluation error"
    if message == "evaluation error" and len(args) > _CAUSE and args[_CAUSE]:
        inner = args[_CAUSE]
        message = str(inner[0]) if isinstance(inner, tuple) and inner else str(inner)
    overload = _NO_OVERLOAD.search(message)
    if overload:
        operator = _OPERATORS.get(overload.group(1), overload.group(1))
        kinds = [k.lower() for k in _CEL_CLASS.findall(overload.group(2))]
        message = f"no operator {operator} for {' and '.join(kinds) or overload.group(2)}"
    return message


def _adapt(implementation: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a plain-Python custom function for cel-python's value types."""

    @functools.wraps(implementation)
    def call(*args: Any) -> Any:
        try:
            return to_reference(implementation(*(to_python(a) for a in args)))
        except CelError as exc:
            return CELEvalError(exc.message, type(exc), (exc.message,))
        except (TypeError, ValueError, AttributeError, OverflowError, RecursionError) as exc:
            return CELEvalError(f"{implementation.__name__.lstrip('_')}: {exc}", type(exc), exc.args)

    return call


class ReferenceProgram:
    def __init__(self, runner: celpy.Runner, expression: str) -> None:
        self._runner = runner
        self.expression = expression

    def run(self, variables: Mapping[str, Any]) -> Any:
        try:
            # ``string`` the function is overridden (see _string); ``string`` the type stays the type.
            result = self._runner.evaluate({"string": celtypes.StringType, **variables})
        except CELEvalError as exc:
            raise CelError(_error_message(exc)) from None
        except RecursionError:
            raise CelError("expression or data is nested too deeply to evaluate") from None
        except Exception as exc:
            raise CelError(f"cel-python could not evaluate this: {type(exc).__name__}: {exc}") from None
        if isinstance(result, CELEvalError):
            raise CelError(_error_message(result))
        return result


class ReferenceBackend:
    """cel-python's InterpretedRunner: the semantics every other backend is checked against."""

    name = "reference"

    def __init__(self, functions: FunctionRegistry = DEFAULT_FUNCTIONS) -> None:
        self._functions: dict[str, Any] = {"string": _string}
        self._functions.update({f.name: _adapt(f.implementation) for f in functions})

    def compile(self, expression: str) -> ReferenceProgram:
        tree = parse(expression)
        from assay.cel.native.extensions import extension_features  # the native package imports this one

        used = extension_features(tree, self._functions)
        if used:
            raise CelSyntaxError(
                f"the rule uses {', '.join(used)} from CEL's extension libraries, which the reference "
                "backend (cel-python) lacks: run it on the native backend"
            )
        return ReferenceProgram(environment().program(tree, functions=self._functions), expression)

    def native(self, value: Any) -> Any:
        return to_reference(value)

    def record(self, fields: Mapping[str, Any]) -> Any:
        return celtypes.MapType({celtypes.StringType(k): v for k, v in fields.items()})

    def python(self, value: Any) -> Any:
        return to_python(value)

    def elements(self, value: Any) -> list[Any]:
        if isinstance(value, celtypes.ListType | list):
            return list(value)
        raise CelError(f"for_each must give a list, not {type_name(value)}")


def type_name(value: Any) -> str:
    """The CEL type name of a cel-python value, for messages."""
    names = {
        celtypes.BoolType: "bool",
        celtypes.IntType: "int",
        celtypes.UintType: "uint",
        celtypes.DoubleType: "double",
        celtypes.StringType: "string",
        celtypes.BytesType: "bytes",
        celtypes.MapType: "map",
        celtypes.ListType: "list",
        celtypes.TimestampType: "timestamp",
        celtypes.DurationType: "duration",
    }
    if value is None:
        return "null"
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    return type(value).__name__
