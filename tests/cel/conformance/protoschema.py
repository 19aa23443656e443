"""The schema of the conformance files, read from cel-spec's own ``.proto`` files, and typed reading.

:func:`load_schema` reads the messages and enums of the given ``.proto`` files (the subset of the
language they use: messages, nested messages and enums, oneofs, maps, repeated fields, options and
reserved ranges, which are skipped). :meth:`Schema.typed` then turns an untyped text-format tree into
plain values, checking it against the schema as it goes: every field must exist in its message, a
singular field and the members of a oneof may be set once, each scalar must suit its field's type.

The well-known types the files use (``google.protobuf.Any``, ``Duration``, ``Timestamp``...) are not
in cel-spec's folder; :data:`WELL_KNOWN` declares the few fields of theirs that are read here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.cel.conformance.textproto import Node, Scalar, TextprotoError

WELL_KNOWN = """
syntax = "proto3";
package google.protobuf;
message Any { string type_url = 1; bytes value = 2; }
message Empty {}
enum NullValue { NULL_VALUE = 0; }
message Duration { int64 seconds = 1; int32 nanos = 2; }
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message Struct { map<string, Value> fields = 1; }
message Value {
  oneof kind {
    NullValue null_value = 1; double number_value = 2; string string_value = 3; bool bool_value = 4;
    Struct struct_value = 5; ListValue list_value = 6;
  }
}
message ListValue { repeated Value values = 1; }
"""

_INTEGERS = {
    "int32": (-(2**31), 2**31 - 1),
    "sint32": (-(2**31), 2**31 - 1),
    "sfixed32": (-(2**31), 2**31 - 1),
    "int64": (-(2**63), 2**63 - 1),
    "sint64": (-(2**63), 2**63 - 1),
    "sfixed64": (-(2**63), 2**63 - 1),
    "uint32": (0, 2**32 - 1),
    "fixed32": (0, 2**32 - 1),
    "uint64": (0, 2**64 - 1),
    "fixed64": (0, 2**64 - 1),
}
SCALARS = {*_INTEGERS, "double", "float", "bool", "string", "bytes"}
_TOKEN = re.compile(r"\s+|//[^\n]*|/\*.*?\*/|(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[\w.]+|.)", re.S)


@dataclass(frozen=True)
class FieldType:
    name: str
    type: str  # a scalar name or the full name of a message or enum
    repeated: bool = False
    oneof: str | None = None


@dataclass
class MessageType:
    name: str
    fields: dict[str, FieldType] = field(default_factory=dict)
    map_entry: bool = False


@dataclass(frozen=True)
class AnyValue:
    """A ``google.protobuf.Any`` written in expanded form: its type and its body (typed when known)."""

    type_name: str
    body: dict[str, Any] | Node


class SchemaError(ValueError):
    """A ``.proto`` file this reader does not understand, or a type it cannot resolve."""


class _ProtoReader:
    """Reads one ``.proto`` file's declarations into the schema under construction."""

    def __init__(self, text: str, schema: Schema, source: str) -> None:
        self.tokens = [m.group(1) for m in _TOKEN.finditer(text) if m.group(1)]
        self.position = 0
        self.schema = schema
        self.source = source
        self.package = ""
        self.pending: list[tuple[MessageType, str, FieldType]] = []  # fields whose type is unresolved

    def take(self) -> str:
        if self.position >= len(self.tokens):
            raise SchemaError(f"{self.source}: unexpected end of file")
        self.position += 1
        return self.tokens[self.position - 1]

    def skip_statement(self) -> None:
        depth = 0
        while True:
            token = self.take()
            depth += {"{": 1, "}": -1}.get(token, 0)
            if (token == ";" and depth == 0) or (token == "}" and depth == 0):
                return

    def read(self) -> None:
        while self.position < len(self.tokens):
            token = self.take()
            if token == "package":
                self.package = self.take()
                self.take()
            elif token == "message":
                self.message(self.package)
            elif token == "enum":
                self.enum(self.package)
            else:  # syntax, import, option, service, extend
                self.skip_statement()

    def resolve(self) -> None:
        """Give each field of a message or enum type its type's full name, once every file is read."""
        for message, scope, kind in self.pending:
            message.fields[kind.name] = FieldType(
                kind.name, self.schema.resolve(kind.type, scope), kind.repeated, kind.oneof
            )

    def message(self, scope: str) -> None:
        name = f"{scope}.{self.take()}".lstrip(".")
        message = MessageType(name)
        self.schema.messages[name] = message
        self.take()  # {
        self.body(message, None)

    def body(self, message: MessageType, oneof: str | None) -> None:
        while (token := self.take()) != "}":
            if token == "message":
                self.message(message.name)
            elif token == "enum":
                self.enum(message.name)
            elif token == "oneof":
                group = self.take()
                self.take()  # {
                self.body(message, group)
            elif token in ("option", "reserved", "extensions", "extend"):
                self.position -= 1
                self.skip_statement()
            elif token == "map":
                self.map_field(message)
            else:
                repeated = token == "repeated"
                kind = self.take() if token in ("repeated", "optional", "required") else token
                self.field(message, FieldType(self.take(), kind, repeated, oneof))

    def field(self, message: MessageType, kind: FieldType) -> None:
        self.skip_statement()  # = number [options];
        if kind.type in SCALARS:
            message.fields[kind.name] = kind
        else:
            self.pending.append((message, message.name, kind))

    def map_field(self, message: MessageType) -> None:
        _, key, _, value, _ = (self.take() for _ in range(5))  # < key , value >
        name = self.take()
        entry = MessageType(f"{message.name}.{name}$entry", map_entry=True)
        self.schema.messages[entry.name] = entry
        entry.fields["key"] = FieldType("key", key)
        if value in SCALARS:
            entry.fields["value"] = FieldType("value", value)
        else:
            self.pending.append((entry, message.name, FieldType("value", value)))
        self.field(message, FieldType(name, entry.name, repeated=True))

    def enum(self, scope: str) -> None:
        name = f"{scope}.{self.take()}".lstrip(".")
        self.take()  # {
        values: dict[str, int] = {}
        while (token := self.take()) != "}":
            if token not in ("option", "reserved") and self.take() == "=":
                values[token] = _integer(self.take())
            self.skip_statement()
        self.schema.enums[name] = values


class Schema:
    def __init__(self) -> None:
        self.messages: dict[str, MessageType] = {}
        self.enums: dict[str, dict[str, int]] = {}

    def resolve(self, name: str, scope: str) -> str:
        """The full name of a type named ``name`` inside ``scope``, by protobuf's scoping rules."""
        if name.startswith("."):
            candidates = [name[1:]]
        else:
            parts = scope.split(".")
            candidates = [".".join([*parts[:i], name]) for i in range(len(parts), -1, -1)]
        for candidate in candidates:
            if candidate in self.messages or candidate in self.enums:
                return candidate
        raise SchemaError(f"type {name!r} used in {scope} is not declared")

    def typed(self, node: Node, message: str, source: str) -> dict[str, Any]:
        """The tree ``node`` as a message of type ``message``: a dict of its set fields."""
        kind = self.messages[message]
        result: dict[str, Any] = {}
        oneofs: dict[str, str] = {}
        for entry in node.fields:
            declared = kind.fields.get(entry.name)
            if message == "google.protobuf.Any" and entry.name.startswith("["):
                return {"any": self._any(entry.name, entry.value, source, entry.line, entry.column)}
            if declared is None:
                raise TextprotoError(
                    source, entry.line, entry.column, f"{message} has no field {entry.name!r}"
                )
            value = self._value(declared, entry.value, source)
            if declared.oneof is not None:
                previous = oneofs.setdefault(declared.oneof, entry.name)
                if previous != entry.name:
                    raise TextprotoError(
                        source, entry.line, entry.column, f"{entry.name!r} and {previous!r} are one of"
                    )
            if declared.repeated:
                result.setdefault(entry.name, []).append(value)
            elif entry.name in result:
                raise TextprotoError(source, entry.line, entry.column, f"{entry.name!r} is set twice")
            else:
                result[entry.name] = value
        for name, declared in kind.fields.items():
            entry_type = self.messages.get(declared.type)
            if name in result and entry_type is not None and entry_type.map_entry:
                result[name] = {e.get("key"): e.get("value") for e in result[name]}
        return result

    def _any(self, name: str, body: Scalar | Node, source: str, line: int, column: int) -> AnyValue:
        type_name = name.strip("[]").rsplit("/", 1)[-1]
        if not isinstance(body, Node):
            raise TextprotoError(source, line, column, f"the Any {name} needs a message body")
        if type_name in self.messages:
            return AnyValue(type_name, self.typed(body, type_name, source))
        return AnyValue(type_name, body)

    def _value(self, declared: FieldType, value: Scalar | Node, source: str) -> Any:
        if declared.type in self.messages:
            if not isinstance(value, Node):
                raise TextprotoError(
                    source, value.line, value.column, f"{declared.name!r} is a message: write {{ ... }}"
                )
            return self.typed(value, declared.type, source)
        if isinstance(value, Node):
            raise TextprotoError(source, value.line, value.column, f"{declared.name!r} is not a message")
        try:
            return self._scalar(declared.type, value)
        except ValueError as exc:
            raise TextprotoError(source, value.line, value.column, f"{declared.name!r}: {exc}") from None

    def _scalar(self, kind: str, value: Scalar) -> Any:
        if kind in ("string", "bytes"):
            if value.kind != "string" or not isinstance(value.value, bytes):
                raise ValueError(f"a {kind} must be quoted, not {value.value!r}")
            return value.value.decode("utf-8") if kind == "string" else value.value
        if kind in self.enums:
            return self._enum(kind, value)
        if value.kind == "string":
            raise ValueError(f"a {kind} is not quoted")
        text = str(value.value)
        if kind == "bool":
            return _bool(text)
        if kind in ("double", "float"):
            return _float(text)
        low, high = _INTEGERS[kind]
        number = _integer(text)
        if not low <= number <= high:
            raise ValueError(f"{text} is out of range for {kind}")
        return number

    def _enum(self, kind: str, value: Scalar) -> str:
        text = str(value.value)
        if value.kind == "ident" and text in self.enums[kind]:
            return text
        by_number = {number: name for name, number in self.enums[kind].items()}
        if value.kind == "number" and text.lstrip("-").isdigit() and int(text) in by_number:
            return by_number[int(text)]
        raise ValueError(f"{text!r} is not a value of enum {kind}")


def _bool(text: str) -> bool:
    if text in ("true", "True", "t", "1"):
        return True
    if text in ("false", "False", "f", "0"):
        return False
    raise ValueError(f"{text!r} is not a bool")


def _integer(text: str) -> int:
    body = text.lstrip("-")
    sign = -1 if text.startswith("-") else 1
    if body[:2] in ("0x", "0X"):
        return sign * int(body[2:], 16)
    if len(body) > 1 and body.startswith("0") and body.isdigit():
        return sign * int(body, 8)
    if not body.isdigit():
        raise ValueError(f"{text!r} is not an integer")
    return sign * int(body)


def _float(text: str) -> float:
    lowered = text.lower().lstrip("-")
    if lowered in ("inf", "infinity", "nan"):
        number = math.inf if lowered != "nan" else math.nan
        return -number if text.startswith("-") else number
    if lowered[:2] == "0x":
        raise ValueError(f"{text!r} is not a floating-point number")
    return float(text.rstrip("fF"))


def load_schema(paths: list[Path]) -> Schema:
    """The messages and enums of the given ``.proto`` files, with the well-known types they import."""
    schema = Schema()
    texts = [("<well-known types>", WELL_KNOWN)] + [(str(p), p.read_text(encoding="utf-8")) for p in paths]
    readers = [_ProtoReader(text, schema, source) for source, text in texts]
    for reader in readers:
        reader.read()
    for reader in readers:
        reader.resolve()
    return schema
