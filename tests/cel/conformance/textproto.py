"""A small reader of protobuf's text format, enough for cel-spec's conformance files.

It gives an untyped tree: a :class:`Node` is a message body, a list of :class:`Field` entries in file
order, each holding a :class:`Scalar` (the raw token, with its position) or a nested :class:`Node`.
Whether a field exists, and what its scalar means (string, bytes, number, enum), is for the schema
(:mod:`tests.cel.conformance.protoschema`) to say. Every error names the file, line and column.

Grammar covered: ``#`` comments; ``name: scalar``, ``name: [a, b]``, ``name { ... }`` or
``name: < ... >``; field names in brackets for extensions and ``Any`` expansions
(``[type.googleapis.com/pkg.Message]``); separators ``,`` and ``;``; quoted strings in single or
double quotes with C escapes (adjacent strings join); numbers in decimal, hex and octal, signed, and
floating point with ``inf`` and ``nan``; identifiers for enums and booleans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r"""
    (?P<space>[ \t\r\n]+|\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<number>-?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fF]?)|-(?:inf|infinity|nan)\b)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<punct>[{}<>\[\]:,;/.-])
    """,
    re.VERBOSE,
)

_SIMPLE_ESCAPES = {
    "a": b"\a",
    "b": b"\b",
    "f": b"\f",
    "n": b"\n",
    "r": b"\r",
    "t": b"\t",
    "v": b"\v",
    "\\": b"\\",
    "'": b"'",
    '"': b'"',
    "?": b"?",
}
_ESCAPE = re.compile(
    r"\\(?:([0-7]{1,3})|[xX]([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S
)


class TextprotoError(ValueError):
    """A file that is not valid text format, with where."""

    def __init__(self, source: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{source}:{line}:{column}: {message}")
        self.source = source
        self.line = line
        self.column = column


@dataclass(frozen=True)
class Token:
    kind: str  # string, number, ident, punct, end
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Scalar:
    """A scalar as written: ``kind`` is string (``value`` is the unescaped bytes), number or ident."""

    kind: str
    value: bytes | str
    line: int
    column: int


@dataclass(frozen=True)
class Field:
    name: str
    value: Scalar | Node
    line: int
    column: int


@dataclass
class Node:
    """A message body: its fields in file order (a repeated field appears once per element)."""

    fields: list[Field] = field(default_factory=list)
    line: int = 1
    column: int = 1

    def all(self, name: str) -> list[Scalar | Node]:
        return [f.value for f in self.fields if f.name == name]


def unescape(text: str, fail: TextprotoError) -> bytes:
    """The bytes a quoted string stands for (``text`` without its quotes)."""

    def replace(match: re.Match[str]) -> str:
        octal, hexa, short, long, other = match.groups()
        if octal is not None:
            if int(octal, 8) > 255:
                raise fail
            return chr(int(octal, 8))
        if hexa is not None:
            return chr(int(hexa, 16))
        if short is not None or long is not None:
            code = int(short or long, 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise fail
            return "".join(chr(b) for b in chr(code).encode("utf-8"))
        if other in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[other].decode("latin-1")
        raise fail

    # Each character stands for one byte from here on: raw text is UTF-8 encoded first, escapes
    # produce the bytes they name.
    raw = "".join(chr(b) for b in text.encode("utf-8"))
    return _ESCAPE.sub(replace, raw).encode("latin-1")


def tokenize(text: str, source: str) -> list[Token]:
    tokens = []
    line, line_start, position = 1, 0, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        column = position - line_start + 1
        if match is None:
            raise TextprotoError(source, line, column, f"unexpected character {text[position]!r}")
        kind = match.lastgroup or "space"
        if kind != "space":
            tokens.append(Token(kind, match.group(), line, column))
        newlines = match.group().count("\n")
        if newlines:
            line += newlines
            line_start = match.start() + match.group().rindex("\n") + 1
        position = match.end()
    tokens.append(Token("end", "", line, position - line_start + 1))
    return tokens


class _Parser:
    def __init__(self, tokens: list[Token], source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.position = 0

    def peek(self) -> Token:
        return self.tokens[self.position]

    def take(self) -> Token:
        token = self.tokens[self.position]
        if token.kind != "end":
            self.position += 1
        return token

    def error(self, token: Token, message: str) -> TextprotoError:
        return TextprotoError(self.source, token.line, token.column, message)

    def expect(self, text: str) -> Token:
        token = self.take()
        if token.text != text or token.kind not in ("punct",):
            found = token.text or "end of file"
            raise self.error(token, f"expected {text!r}, found {found!r}")
        return token

    def message(self, closing: str) -> Node:
        start = self.peek()
        node = Node(line=start.line, column=start.column)
        while True:
            token = self.peek()
            if token.kind == "end":
                return node  # the caller says whether the end of the file may close this message
            if token.kind == "punct" and token.text == closing:
                return node
            self.field(node)
            if self.peek().text in (",", ";") and self.peek().kind == "punct":
                self.take()

    def field_name(self) -> Token:
        token = self.take()
        if token.kind == "ident":
            return token
        if token.kind == "punct" and token.text == "[":
            parts = []
            while not (self.peek().kind == "punct" and self.peek().text == "]"):
                part = self.take()
                if part.kind in {"end", "string"}:
                    raise self.error(part, "unterminated extension or Any type name")
                parts.append(part.text)
            self.take()
            return Token("ident", "[" + "".join(parts) + "]", token.line, token.column)
        found = token.text or "end of file"
        raise self.error(token, f"expected a field name, found {found!r}")

    def field(self, node: Node) -> None:
        name = self.field_name()
        colon = self.peek().kind == "punct" and self.peek().text == ":"
        if colon:
            self.take()
        token = self.peek()
        if token.kind == "punct" and token.text in ("{", "<"):
            node.fields.append(Field(name.text, self.body(), name.line, name.column))
        elif colon and token.kind == "punct" and token.text == "[":
            self.take()
            while not (self.peek().kind == "punct" and self.peek().text == "]"):
                node.fields.append(Field(name.text, self.value(), name.line, name.column))
                if self.peek().kind == "punct" and self.peek().text == ",":
                    self.take()
                elif not (self.peek().kind == "punct" and self.peek().text == "]"):
                    raise self.error(self.peek(), "expected ',' or ']' in a list of values")
            self.take()
        elif colon:
            node.fields.append(Field(name.text, self.scalar(), name.line, name.column))
        else:
            raise self.error(token, f"expected ':' or '{{' after field {name.text!r}")

    def body(self) -> Node:
        opening = self.take()
        closing = "}" if opening.text == "{" else ">"
        node = self.message(closing)
        end = self.peek()
        if end.kind == "end":
            raise self.error(end, f"message opened at {opening.line}:{opening.column} is never closed")
        self.take()
        node.line, node.column = opening.line, opening.column
        return node

    def value(self) -> Scalar | Node:
        token = self.peek()
        if token.kind == "punct" and token.text in ("{", "<"):
            return self.body()
        return self.scalar()

    def scalar(self) -> Scalar:
        token = self.take()
        if token.kind == "string":
            parts = [token]
            while self.peek().kind == "string":
                parts.append(self.take())
            value = b"".join(
                unescape(p.text[1:-1], self.error(p, "invalid escape sequence in string")) for p in parts
            )
            return Scalar("string", value, token.line, token.column)
        if token.kind in ("number", "ident"):
            return Scalar(token.kind, token.text, token.line, token.column)
        if token.kind == "punct" and token.text == "-" and self.peek().kind == "ident":
            name = self.take()
            return Scalar("number", "-" + name.text, token.line, token.column)
        found = token.text or "end of file"
        raise self.error(token, f"expected a value, found {found!r}")


def parse(text: str, source: str = "<textproto>") -> Node:
    """The tree of a text-format message; :class:`TextprotoError` (with line and column) if invalid."""
    parser = _Parser(tokenize(text, source), source)
    return parser.message("")
