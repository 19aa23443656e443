"""The one YAML reader of assay: safe, strict, and position-keeping.

Every YAML file assay reads (controls, mappings, waivers, scope, YAML evidence) goes through
:func:`parse_yaml`. It builds plain Python values (dict, list, str, int, float, bool, None) from the
parser's event stream itself instead of using a PyYAML constructor, because that is the only way to
guarantee all of the following at once:

* no object construction of any kind: a tag other than the YAML core ones is an error, so
  ``!!python/object/apply`` can never run code;
* YAML 1.2 core-schema scalars: ``no``, ``on`` and ``yes`` stay strings, ``0777`` stays an int 777,
  dates stay strings (the models parse them), so compliance data is not silently misread;
* duplicate keys, merge keys and non-scalar keys are errors;
* caps on bytes, nesting depth and the number of nodes after alias expansion ("billion laughs"),
  enforced while building, iteratively, so no input can exhaust the stack or memory;
* the line and column of every key and value, addressed by its path from the document root.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.errors import Diagnostic, LoadError, Severity
from assay.lazy_regex import LazyRegex
from assay.lean_dataclasses import dataclass, frozen

if TYPE_CHECKING:  # PyYAML is imported when a file is parsed or written: a warm run reads its cache
    import yaml

PathKey = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS: set[str | None] = {
    f"{_CORE}{n}" for n in ("str", "int", "float", "bool", "null", "seq", "map")
}
_ALLOWED_TAGS |= {"!", None}

# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = LazyRegex(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = LazyRegex(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = LazyRegex(r"^(?:false|False|FALSE)$")
_INT10 = LazyRegex(r"^[-+]?[0-9]+$")
_INT8 = LazyRegex(r"^0o[0-7]+$")
_INT16 = LazyRegex(r"^0x[0-9a-fA-F]+$")
_FLOAT = LazyRegex(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = LazyRegex(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = LazyRegex(r"^\.(?:nan|NaN|NAN)$")


@frozen
class Limits:
    """Caps that keep hostile input from exhausting memory, stack or time."""

    max_bytes: int = 8 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 1_000_000


DEFAULT_LIMITS = Limits()


@frozen
class Position:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@frozen
class ScalarSource:
    """Where a string scalar's text starts and how it was written, to map offsets inside it."""

    position: Position
    style: str | None  # None plain, "'" or '"' quoted, "|" literal, ">" folded


@dataclass
class YamlDocument:
    """A parsed YAML file: its data and the position of every value and mapping key in it."""

    path: str
    data: Any
    values: dict[PathKey, Position] = field(default_factory=dict)
    keys: dict[PathKey, Position] = field(default_factory=dict)
    scalars: dict[PathKey, ScalarSource] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def position(self, path: PathKey, *, key: bool = False) -> Position:
        """The position of ``path``, or of its nearest ancestor that has one."""
        table = self.keys if key else self.values
        probe = path
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Position(1, 1))

    def locate_in_scalar(self, path: PathKey, line: int, column: int) -> Position:
        """Turn a 1-based line/column inside a string scalar into a position in the file.

        Exact for plain and quoted one-line scalars and for literal blocks (``|``), which is how
        CEL rules are written; for other styles the start of the scalar is the honest answer.
        """
        source = self.scalars.get(path)
        if source is None:
            return self.position(path)
        start = source.position
        if source.style in (None, "'", '"') and line == 1:
            offset = 0 if source.style is None else 1
            return Position(start.line, start.column + offset + column - 1)
        if source.style == "|":
            first = start.line + 1  # the block's text starts on the line after the "|"
            file_line = first + line - 1
            if file_line <= len(self.lines):
                # Every line of a literal block shares the first line's indentation.
                text = next((t for t in self.lines[first - 1 : file_line] if t.strip()), "")
                indent = len(text) - len(text.lstrip(" "))
                return Position(file_line, indent + column)
        return start


def _fail(path: str, position: Position, message: str) -> LoadError:
    return LoadError([Diagnostic(path, position.line, position.column, Severity.ERROR, message)])


def decode_utf8(raw: bytes, path: str) -> str:
    """Decode UTF-8 strictly; a bad byte is reported at its line and column."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise _fail(
            path,
            Position(line, column),
            f"not valid UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded",
        ) from None
    return text.removeprefix("\ufeff")


def read_capped(file: Path, limit: int, shown: str) -> bytes:
    """Read a file, refusing (before reading it) one larger than ``limit`` bytes."""
    try:
        size = file.stat().st_size
        if size > limit:
            raise _fail(shown, Position(1, 1), f"file is {size:,} bytes; the limit is {limit:,} bytes")
        with file.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise _fail(shown, Position(1, 1), f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:  # the file grew after stat()
        raise _fail(shown, Position(1, 1), f"file is larger than the limit of {limit:,} bytes")
    return data


def load_yaml_file(file: Path, *, shown: str | None = None, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Read and parse one YAML file; ``shown`` is the path printed in diagnostics."""
    name = shown if shown is not None else str(file)
    return parse_yaml(read_capped(file, limits.max_bytes, name), name, limits=limits)


def parse_yaml(source: bytes | str, path: str, *, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Parse one YAML document into plain values with positions, or raise :class:`LoadError`."""
    if isinstance(source, bytes):
        if len(source) > limits.max_bytes:
            raise _fail(
                path,
                Position(1, 1),
                f"file is {len(source):,} bytes; the limit is {limits.max_bytes:,} bytes",
            )
        source = decode_utf8(source, path)
    elif len(source.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        raise _fail(path, Position(1, 1), f"text is larger than the limit of {limits.max_bytes:,} bytes")
    import yaml

    builder = _Builder(path, limits)
    builder.doc.lines = source.splitlines()
    try:
        builder.consume(_events(source))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        raise _fail(path, position, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise _fail(path, Position(1, 1), f"invalid YAML: {exc}") from None
    return builder.doc


def _events(text: str) -> Iterator[yaml.Event]:
    import yaml

    # libyaml's parser is about ten times faster; the pure-Python one gives identical events. Only the
    # event stream of these loaders is used: their constructors never run.
    parser: yaml.BaseLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)(text)
    try:
        while parser.check_event():
            yield parser.get_event()  # type: ignore[no-untyped-call]
    finally:
        parser.dispose()


def _position(event: yaml.Event) -> Position:
    mark = event.start_mark
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def _infinity(text: str) -> float:
    return -math.inf if text.startswith("-") else math.inf


# Tried in order; the first pattern that matches decides the value. Anything else stays a string.
_PLAIN_RESOLVERS: tuple[tuple[LazyRegex, Callable[[str], Any]], ...] = (
    (_NULL, lambda _text: None),
    (_BOOL_TRUE, lambda _text: True),
    (_BOOL_FALSE, lambda _text: False),
    (_INT10, int),
    (_INT8, lambda text: int(text[2:], 8)),
    (_INT16, lambda text: int(text[2:], 16)),
    (_FLOAT, float),
    (_INF, _infinity),
    (_NAN, lambda _text: math.nan),
)


class NumberTooLong(ValueError):
    """A plain scalar that is a decimal integer longer than Python converts (4,300 digits)."""


def resolve_plain(text: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema (:class:`NumberTooLong` for an
    integer of more digits than Python converts)."""
    for pattern, convert in _PLAIN_RESOLVERS:
        if pattern.match(text):
            try:
                return convert(text)
            except ValueError:
                message = f"a number of {len(text):,} characters, longer than assay reads"
                raise NumberTooLong(message) from None
    return text


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    nodes_at_start: int
    pending_key: str | None = None
    pending_key_position: Position | None = None

    def mapping(self) -> dict[str, Any]:
        """The container, for a frame the caller knows is a mapping."""
        if not isinstance(self.container, dict):  # pragma: no cover - keys are only read inside mappings
            raise AssertionError("internal error in the YAML reader: a mapping was expected")
        return self.container

    def key(self) -> str:
        """The key whose value comes next, for a mapping frame the caller knows has one."""
        if self.pending_key is None:  # pragma: no cover - the parser sends a key before each value
            raise AssertionError("internal error in the YAML reader: a mapping value came without a key")
        return self.pending_key


class _Builder:
    """Turns parser events into plain values, checking every rule of the module docstring."""

    def __init__(self, path: str, limits: Limits) -> None:
        self.doc = YamlDocument(path=path, data=None)
        self.limits = limits
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}  # anchor -> (value, nodes it expands to)
        self.nodes = 0
        self.documents = 0

    def error(self, position: Position, message: str) -> LoadError:
        return _fail(self.doc.path, position, message)

    def count(self, amount: int, position: Position) -> None:
        self.nodes += amount
        if self.nodes > self.limits.max_nodes:
            raise self.error(
                position,
                f"document expands to more than {self.limits.max_nodes:,} nodes "
                "(aliases multiply their anchor's size); refusing it",
            )

    def check_tag(self, tag: str | None, position: Position) -> None:
        if tag not in _ALLOWED_TAGS:
            shown = "!!" + tag.removeprefix(_CORE) if tag and tag.startswith(_CORE) else tag
            raise self.error(position, f"tag {shown} is not allowed: only plain YAML data is accepted")

    def consume(self, events: Iterator[yaml.Event]) -> None:
        import yaml

        for event in events:
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise self.error(_position(event), "more than one YAML document in a file")
            elif isinstance(event, yaml.ScalarEvent):
                self.on_scalar(event)
            elif isinstance(event, yaml.AliasEvent):
                self.on_alias(event)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                self.on_start(event)
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.on_end(event)

    def child_path(self) -> PathKey:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.container, list):
            return (*top.path, len(top.container))
        return (*top.path, top.key())

    def expecting_key(self) -> bool:
        return (
            bool(self.stack)
            and isinstance(self.stack[-1].container, dict)
            and self.stack[-1].pending_key is None
        )

    def on_scalar(self, event: yaml.ScalarEvent) -> None:
        position = _position(event)
        self.check_tag(event.tag, position)
        self.count(1, position)
        style = event.style or None  # libyaml reports plain style as ""
        if event.tag is not None and event.tag != "!":
            value = self.tagged_scalar(event.tag, event.value, position)
        elif event.tag is None and event.implicit[0]:
            value = self.resolved(event.value, position)
        else:
            value = event.value
        if self.expecting_key():
            self.on_key(value, position, plain=event.tag is None and bool(event.implicit[0]))
            return
        path = self.child_path()
        if isinstance(value, str):
            self.doc.scalars[path] = ScalarSource(position, style)
        self.place(value, path, position)
        if event.anchor:
            self.anchors[event.anchor] = (value, 1)

    def resolved(self, text: str, position: Position) -> Any:
        try:
            return resolve_plain(text)
        except NumberTooLong as exc:
            raise _fail(self.doc.path, position, str(exc)) from None

    def tagged_scalar(self, tag: str, text: str, position: Position) -> Any:
        kind = tag.removeprefix(_CORE)
        if kind == "str":
            return text
        value = self.resolved(text, position)
        expected: dict[str, type | tuple[type, ...]] = {
            "int": int,
            "float": (int, float),
            "bool": bool,
            "null": type(None),
        }
        if (
            kind not in expected
            or not isinstance(value, expected[kind])
            or (kind in ("int", "float") and isinstance(value, bool))
        ):
            raise self.error(position, f"{text!r} is not a valid !!{kind}")
        return float(value) if kind == "float" and isinstance(value, int) else value

    def on_key(self, key: Any, position: Position, *, plain: bool) -> None:
        top = self.stack[-1]
        mapping = top.mapping()
        if not isinstance(key, str):
            # Keys are always strings in assay's formats; a YAML int key would be a silent retyping.
            key = _scalar_text(key)
        if key == "<<" and plain:
            raise self.error(position, "merge keys ('<<') are not supported; write the keys out")
        if key in mapping:
            first = self.doc.keys.get((*top.path, key))
            where = f" (first at line {first.line}, column {first.column})" if first else ""
            raise self.error(position, f"duplicate key {key!r}{where}")
        top.pending_key = key
        top.pending_key_position = position
        self.doc.keys[(*top.path, key)] = position

    def place(self, value: Any, path: PathKey, position: Position) -> None:
        self.doc.values[path] = position
        if not self.stack:
            self.doc.data = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
        else:
            top.container[top.key()] = value
            top.pending_key = None

    def on_alias(self, event: yaml.AliasEvent) -> None:
        position = _position(event)
        if self.expecting_key():
            raise self.error(position, "an alias cannot be used as a mapping key")
        if event.anchor not in self.anchors:
            raise self.error(position, f"alias *{event.anchor} refers to an unknown anchor")
        value, weight = self.anchors[event.anchor]
        self.count(weight, position)
        self.place(value, self.child_path(), position)

    def on_start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> None:
        import yaml

        position = _position(event)
        self.check_tag(event.tag, position)
        if self.expecting_key():
            raise self.error(position, "a mapping key must be a plain value, not a list or mapping")
        if len(self.stack) >= self.limits.max_depth:
            raise self.error(position, f"nesting is deeper than the limit of {self.limits.max_depth} levels")
        self.count(1, position)
        path = self.child_path()
        container: dict[str, Any] | list[Any] = {} if isinstance(event, yaml.MappingStartEvent) else []
        self.place(container, path, position)
        if isinstance(event, yaml.MappingStartEvent) and event.tag == f"{_CORE}seq":
            raise self.error(position, "!!seq tag on a mapping")
        if isinstance(event, yaml.SequenceStartEvent) and event.tag == f"{_CORE}map":
            raise self.error(position, "!!map tag on a sequence")
        # place() appended the container to its parent; now descend into it.
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))

    def on_end(self, event: yaml.MappingEndEvent | yaml.SequenceEndEvent) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_at_start + 1)


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@functools.cache
def _dumper() -> type[yaml.SafeDumper]:
    import yaml

    class Dumper(yaml.SafeDumper):
        """Writes YAML that :func:`parse_yaml` reads back to the same values."""

    Dumper.add_representer(str, _represent_str)
    return Dumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML decides quoting by YAML 1.1 rules; quote also what YAML 1.2 would read as non-strings.
    try:
        plain = resolve_plain(value) == value
    except NumberTooLong:  # digits only, and many: unquoted it would read as a number
        plain = False
    style = '"' if not plain or value != value.strip() else None
    if style is None and not value.replace("\n", "").isprintable():
        style = '"'  # NEL, LS, PS, CR and other specials would be folded or changed unquoted
    if "\n" in value and style is None:
        style = "|"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def dump_yaml(data: Any) -> str:
    """Serialise plain values as block-style YAML that round-trips through :func:`parse_yaml`."""
    import yaml

    return yaml.dump(data, Dumper=_dumper(), sort_keys=False, allow_unicode=True, width=100)
