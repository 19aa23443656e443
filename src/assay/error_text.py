"""What an evaluation error may say: a fixed vocabulary of kinds, and no value from evidence.

A CEL backend's error message is free text, and some of it quotes what it evaluated: cel-python's
undeclared-reference message holds a repr of the whole activation (every evidence document the
control reads), a failed conversion quotes its value, a missing key names it. The engine never passes
such text on. :func:`describe` maps a backend's message to one of :data:`KINDS` and keeps only
details known to be safe: names written in the rule's own expression (its functions, variables,
fields and string literals), CEL type names and operators. A message it does not recognise becomes
the generic kind. :func:`schema_problem` does the same for evidence that does not fit its schema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field
from datetime import datetime, timedelta
from typing import Any

from assay.cel.rulecache import analyse
from assay.errors import CelError
from assay.lazy_regex import LazyRegex
from assay.lean_dataclasses import frozen

GENERIC = "evaluation error"
# Every kind an evaluation error can have; the details after the kind are names from the expression,
# CEL types and operators only.
KINDS = (
    "unknown function",
    "undeclared reference",
    "no such key",
    "no such field",
    "no such overload",
    "division by zero",
    "overflow",
    "overflow or invalid value",
    "type conversion",
    "index out of range",
    "invalid argument",
    "invalid regular expression",
    "duplicate map key",
    "invalid map key type",
    "type error",
    "wrong result type",
    "function failed",
    "nested too deeply",
    "budget exceeded",
    GENERIC,
)

# CEL type names as the backends spell them (native names, cel-python's classes), as CEL names.
_TYPES = {
    **{name: name for name in ("int", "uint", "double", "bool", "string", "bytes", "list", "map", "type")},
    "null": "null",
    "null_type": "null",
    "timestamp": "timestamp",
    "duration": "duration",
    "google.protobuf.Timestamp": "timestamp",
    "google.protobuf.Duration": "duration",
    **{
        f"{name.capitalize()}Type": name
        for name in (
            "int",
            "uint",
            "double",
            "bool",
            "string",
            "bytes",
            "list",
            "map",
            "timestamp",
            "duration",
        )
    },
    "NullType": "null",
    "TypeType": "type",
}
# Operators as the backends name them, as CEL writes them.
_OPERATORS = {
    **{op: op for op in ("==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "!", "in", "[]")},
    "unary_neg": "-",
    "unary_not": "!",
    "_[_]": "[]",
    "_+_": "+",
    "_-_": "-",
    "_*_": "*",
    "_/_": "/",
    "_%_": "%",
    "_==_": "==",
    "_!=_": "!=",
    "_<_": "<",
    "_<=_": "<=",
    "_>_": ">",
    "_>=_": ">=",
    "!_": "!",
    "-_": "-",
    "@in": "in",
    "size": "size",
}
# Python's exceptions as the native backend words them ("KeyError: 'x'"), by the kind they are.
_PYTHON_ERRORS = {
    "KeyError": "no such key",
    "IndexError": "index out of range",
    "ZeroDivisionError": "division by zero",
    "OverflowError": "overflow",
    "TypeError": "no such overload",
    "AttributeError": "no such overload",
    "ValueError": "overflow or invalid value",
}
_BUDGETS = (  # the budget, the setting that sets it, the words that name it in errors, what it means
    ("step", "cel_max_steps", ("step", "cost", "iterat"), ""),
    ("memory", "cel_max_memory", ("memory", "size", "bytes"), ""),
    ("time", "cel_max_ms", ("time", "clock", "second"), ": the result depended on time, not on the data"),
)
_CEL_CLASS = LazyRegex(r"celpy\.celtypes\.(\w+)'")
_QUOTED = LazyRegex(r"^'([^'\\]*)'$")

Position = tuple[int, int]


class ResultTypeError(CelError):
    """A rule expression gave a value of the wrong type; the message names types only."""


@frozen
class RuleError:
    """An evaluation error as reports may show it: a kind, a safe detail, a position in the expression."""

    kind: str
    detail: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind


@frozen
class Written:
    """The names an expression's author wrote, each with its first position in the expression."""

    functions: Mapping[str, Position] = field(default_factory=dict)
    variables: Mapping[str, Position] = field(default_factory=dict)
    fields: Mapping[str, Position] = field(default_factory=dict)  # selected fields and string literals

    @classmethod
    def of(cls, expression: str) -> Written:
        # The analysis lint reads too, from the rule cache: a warm run explains an error without parsing.
        try:
            analysis = analyse(expression)
        except CelError:
            return cls()
        functions: dict[str, Position] = {}
        for name, line, column in analysis.calls:
            functions.setdefault(name, (line, column))
        variables: dict[str, Position] = {}
        for reference in analysis.references:
            variables.setdefault(reference.names[0], (reference.line, reference.column))
        fields: dict[str, Position] = {}
        for text, line, column in analysis.fields:
            fields.setdefault(text, (line, column))
        return cls(functions, variables, fields)

    def at(self, names: Mapping[str, Position], name: str, kind: str, detail: str) -> RuleError:
        line, column = names[name]
        return RuleError(kind, detail, line, column)


def _type(text: str) -> str:
    return _TYPES.get(text.strip(), "value")


def _types(texts: Iterable[str]) -> str:
    return ", ".join(_type(t) for t in texts)


def _operator(text: str, written: Written) -> str | None:
    if text in _OPERATORS:
        return _OPERATORS[text]
    return text if text in written.functions else None


def _named(kind: str, quoted: str | None, names: Mapping[str, Position], written: Written) -> RuleError:
    """The kind, naming ``quoted`` (a repr such as ``'x'``) only when the author wrote that name."""
    match = _QUOTED.match(quoted or "")
    if match is not None and match.group(1) in names:
        return written.at(names, match.group(1), kind, repr(match.group(1)))
    return RuleError(kind)


class RuleFailure(Exception):
    """A rule expression (``key``) failed, for the element ``resource`` of a for_each rule if any."""

    def __init__(self, key: str, error: CelError, resource: str | None = None) -> None:
        super().__init__(key)
        self.key = key
        self.error = error
        self.resource = resource


@contextmanager
def failing(key: str, resource: str | None = None) -> Iterator[None]:
    """Turn a CEL error inside the block into a :class:`RuleFailure` of the expression ``key``."""
    try:
        yield
    except CelError as exc:
        raise RuleFailure(key, exc, resource) from None


_PLAIN_TYPES = {
    bool: "bool",
    int: "int",
    float: "double",
    str: "string",
    bytes: "bytes",
    list: "list",
    dict: "map",
    type(None): "null",
    datetime: "timestamp",
    timedelta: "duration",
}


def cel_type(value: Any) -> str:
    """The CEL name of a plain value's type, for messages that must not show the value."""
    return next((name for kind, name in _PLAIN_TYPES.items() if type(value) is kind), "value")


# --- the messages each backend gives, one handler per shape ------------------------------------------

Handler = Callable[[re.Match[str], Written], RuleError]


def _undeclared(match: re.Match[str], written: Written) -> RuleError:
    name = match.group("name")
    if name in written.functions:
        return written.at(written.functions, name, "unknown function", repr(name))
    if name in written.variables:
        return written.at(written.variables, name, "undeclared reference", repr(name))
    return RuleError("undeclared reference")


def _no_such_key(match: re.Match[str], written: Written) -> RuleError:
    return _named("no such key", match.group("key"), written.fields, written)


def _overload(match: re.Match[str], written: Written) -> RuleError:
    operator = _operator(match.group("op"), written)
    if operator is None:
        return RuleError("no such overload")
    raw = match.group("types")
    kinds = _CEL_CLASS.findall(raw) or re.split(r",\s*|\s+and\s+", raw)
    return RuleError("no such overload", f"{operator} on {_types(kinds)}")


def _selection(match: re.Match[str], written: Written) -> RuleError:
    named = _named("no such field", match.groupdict().get("field"), written.fields, written)
    detail = f"{named.detail or 'a field'} on {_type(match.group('type'))}"
    return RuleError("no such field", detail, named.line, named.column)


def _conversion(match: re.Match[str], _written: Written) -> RuleError:
    return RuleError("type conversion", f"cannot convert to {match.group('target')}")


def _python_error(match: re.Match[str], _written: Written) -> RuleError:
    return RuleError(_PYTHON_ERRORS[match.group("error")])


def _function(match: re.Match[str], written: Written) -> RuleError:
    name = match.group("name")
    if name in written.functions:
        return written.at(written.functions, name, "function failed", f"{name}()")
    return RuleError(GENERIC)


def _out_of_range(match: re.Match[str], _written: Written) -> RuleError:
    return RuleError("overflow", f"{match.group('what')} out of range")


def _fixed(kind: str, detail: str = "") -> Handler:
    return lambda _match, _written: RuleError(kind, detail)


def _typed(kind: str, words: str) -> Handler:
    return lambda match, _written: RuleError(kind, f"{words} {_type(match.group('type'))}")


_SHAPES: tuple[tuple[LazyRegex, Handler], ...] = tuple(
    (LazyRegex(pattern, re.DOTALL), handler)
    for pattern, handler in (
        (r"undeclared reference to '(?P<name>[\w.]+)'.*", _undeclared),
        (r"no such (?:key|member in mapping)(?:: (?P<key>.*))?", _no_such_key),
        (r"no such overload: (?P<op>\S+) on (?P<types>[\w., ]+)", _overload),
        (r"no operator (?P<op>\S+) for (?P<types>[\w ]+)", _overload),
        (r"found no matching overload for (?P<op>\S+) applied to (?P<types>.*)", _overload),
        (r"no such overload|no operator .*", _fixed("no such overload")),
        (r"(?:divide|modulus|modulus or divide) by zero", _fixed("division by zero")),
        (r"(?:unsigned )?integer overflow", _fixed("overflow", "integer out of range")),
        (r"(?P<what>timestamp|duration) out of range", _out_of_range),
        (r"return error for overflow", _fixed("overflow or invalid value")),
        (r"cannot convert .*? to (?P<target>a timestamp|a duration|int|uint|double|bool)\b.*", _conversion),
        (r"bytes are not valid UTF-8", _fixed("type conversion", "bytes are not valid UTF-8")),
        (r"index .* out of range.*", _fixed("index out of range")),
        (r"invalid_argument", _fixed("invalid argument")),
        (r"(?:invalid regular expression|match error).*", _fixed("invalid regular expression")),
        (r"cannot select field (?P<field>'[^']*') from (?P<type>[\w.]+)", _selection),
        (r"has\(\) cannot test field (?P<field>'[^']*') on (?P<type>[\w.]+)", _selection),
        (
            r".* with type: '<class 'celpy\.celtypes\.(?P<type>\w+)'>' does not support field selection",
            _selection,
        ),
        (r"(?:duplicate map key|Duplicate key).*", _fixed("duplicate map key")),
        (r"unsupported (?:map )?key type (?P<type>[\w.]+)", _typed("invalid map key type", "not")),
        (r"expected a bool, got (?P<type>[\w.]+)", _typed("type error", "expected a bool, got")),
        (r"cannot iterate over (?P<type>[\w.]+)", _typed("type error", "cannot iterate over")),
        (
            r"for_each must give a list, not (?P<type>[\w.]+)",
            _typed("wrong result type", "for_each must give a list, not"),
        ),
        (r".*nested too deeply.*", _fixed("nested too deeply")),
        (
            r"invalid time zone .*",
            _fixed("invalid argument", "not a time zone (an IANA name such as Europe/Paris, or +HH:MM)"),
        ),
        # The extension libraries' errors, some of which quote the value they could not read.
        (r"IP Address .*parse error.*", _fixed("invalid argument", "not an IP address")),
        (r"network address parse error.*", _fixed("invalid argument", "not a network address in CIDR form")),
        (
            r"(?:IP Address|CIDR) with zone value is not allowed",
            _fixed("invalid argument", "a zone is not allowed"),
        ),
        (
            r"IPv4-mapped IPv6 address is not allowed",
            _fixed("invalid argument", "an IPv4-mapped IPv6 address"),
        ),
        (r"optional\.none\(\) dereference.*", _fixed("invalid argument", "the optional has no value")),
        (
            r"(?:error during formatting|could not parse formatting clause).*",
            _fixed("invalid argument", "format()"),
        ),
        (r"invalid substring range.*|cannot slice\(.*", _fixed("index out of range")),
        (r"index out of range: .*", _fixed("index out of range")),
        (r"base64\.decode: .*", _fixed("invalid argument", "base64.decode(): not base64 text")),
        (r"(?P<name>math\.\w+)(?:\(\))? (?:needs|negative) .*", _fixed("invalid argument")),
        (r"integer overflow in (?P<name>[\w.]+)", _fixed("overflow", "integer out of range")),
        (
            r".* must give (?:a map|an optional), not (?P<type>[\w.]+)",
            _typed("wrong result type", "the function must give another type, not"),
        ),
        (
            r"an optional (?:list element|map entry) .* needs an optional value, not (?P<type>[\w.]+)",
            _typed("type error", "expected an optional, got"),
        ),
        (rf"(?P<error>{'|'.join(_PYTHON_ERRORS)}): .*", _python_error),
        (r"(?P<name>\w+): .*", _function),
    )
)


def describe(error: CelError, expression: str) -> RuleError:
    """What a CEL error raised while evaluating ``expression`` may say in a report."""
    if isinstance(error, ResultTypeError):
        return RuleError("wrong result type", error.message)
    budget = _budget(error)
    if budget is not None:
        return budget
    message = error.message
    written: Written | None = None
    for pattern, handler in _SHAPES:
        match = pattern.fullmatch(message)
        if match is not None:
            written = written or Written.of(expression)
            return handler(match, written)
    return RuleError(GENERIC)


def _budget(error: CelError) -> RuleError | None:
    """A budget (steps, memory, time) the evaluation ran out of, named by the words of its error."""
    name = type(error).__name__.lower()
    text = error.message.lower()
    named = any(word in name for word in ("limit", "budget", "timeout", "exceeded"))
    if not (named or "budget" in text or "limit exceeded" in text):
        return None
    for budget, setting, words, meaning in _BUDGETS:
        if any(word in text or word in name for word in words):
            return RuleError("budget exceeded", f"the {budget} budget (the {setting} setting){meaning}")
    return RuleError("budget exceeded")


# --- evidence that does not fit its schema -----------------------------------------------------------

_SCHEMA_WORDS: dict[str | None, str] = {
    None: "has a property the schema forbids",  # a `false` subschema: the property may not be there at all
    "additionalProperties": "has a property the schema does not allow",
    "enum": "is not one of the values the schema allows",
    "const": "is not the value the schema requires",
    "uniqueItems": "has duplicate items",
}
SCHEMA_PROBLEM_MAX = 200  # characters: a path, what was expected and what was found, never a document


def schema_problem(error: Any, schema: Any) -> str:
    """Where and how evidence fails its schema, naming schema text only: never an evidence value.

    ``error`` is a :class:`jsonschema.ValidationError`. Object keys in the path are shown when the
    schema names them (``$.Volumes[3].Encrypted``), else as ``*``: a key from evidence may be a secret.
    What was found is told by its JSON type alone. The text is at most :data:`SCHEMA_PROBLEM_MAX`
    characters; a deep path loses its beginning first.
    """
    known = _schema_names(schema)
    path = "$" + "".join(
        f"[{part}]" if isinstance(part, int) else f".{part}" if part in known else ".*"
        for part in error.absolute_path
    )
    words = _schema_words(error)
    room = SCHEMA_PROBLEM_MAX - len(words) - len(": ")
    if len(path) > room:
        path = "$…" + path[len(path) - max(room - len("$…"), 0) :]
    return f"{path}: {words}"[:SCHEMA_PROBLEM_MAX]


_JSON_TYPES = (
    (type(None), "null"), (dict, "object"), (bool, "boolean"), (int, "integer"), (float, "number"),
    (str, "string"), (list, "array"),
)  # fmt: skip


def json_type(value: Any) -> str:
    """The JSON type of a parsed value, as a schema names it: a word about the value, never the value."""
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "value")


_ENUM_SHOWN = 8  # allowed values named in an enum's message, at most
_NOTHING_FOUND = {"required", "additionalProperties", "uniqueItems", None}  # the words say what was found


def _schema_words(error: Any) -> str:
    words = _expected(error.validator, error.validator_value, error.instance)
    if error.validator in _NOTHING_FOUND:
        return words
    if error.validator in ("minItems", "maxItems", "minProperties", "maxProperties"):
        return f"{words}, found {len(error.instance)}"  # how many, never what
    return f"{words}, found {json_type(error.instance)}"


def _expected(validator: Any, value: Any, instance: Any) -> str:
    if validator == "type":
        kinds = value if isinstance(value, list) else [value]
        return f"must be of type {' or '.join(str(k) for k in kinds)}"
    if validator == "required" and isinstance(instance, dict):
        missing = [name for name in value if name not in instance]
        return f"is missing the required property {missing[0]!r}" if missing else "is missing a property"
    if validator == "enum" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        more = ", ..." if len(value) > _ENUM_SHOWN else ""
        allowed = ", ".join(repr(v) for v in value[:_ENUM_SHOWN]) + more
        return f"is not one of the values the schema allows ({allowed})"
    if validator in _SCHEMA_WORDS:
        return _SCHEMA_WORDS[validator]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return f"fails {validator} {value!r}"
    return f"fails the schema's {validator!r} rule"


def _schema_names(schema: Any) -> frozenset[str]:
    """Every property name a schema declares (``properties`` keys and ``required`` names), at any depth."""
    names: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            properties = node.get("properties")
            if isinstance(properties, dict):
                names.update(k for k in properties if isinstance(k, str))
            required = node.get("required")
            if isinstance(required, list):
                names.update(k for k in required if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(names)
