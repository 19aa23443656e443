"""Finding wanted strings in an evidence file's bytes, and the line and column of a byte offset.

:mod:`assay.locate` searches the UTF-8 bytes of a file as read, never a decoded copy: a string of a
file of a million resources is hundreds of megabytes more, and ``bytes.find`` passes over the bytes
as fast as ``str.find`` over the text. A JSON string literal is compared as its bytes (without an
escape, a literal's bytes are its value's UTF-8); offsets are byte offsets, and columns, which reports
give in characters, are counted from the line's bytes (:class:`Lines`). UTF-8 never puts an ASCII
byte inside a multi-byte character, so a quote, a backslash or a line break found in the bytes is
the character itself.
"""

from __future__ import annotations

import functools
import json
import re
import weakref
from bisect import bisect_right
from itertools import accumulate, islice, repeat
from operator import add, methodcaller, sub

# A literal's byte offset and its length in characters (a column is in characters), by value.
Spans = dict[str, tuple[int, int]]

JSON_STRING = re.compile(rb'"(?:[^"\\\n]|\\.)*"')
_AFTER_KEY = re.compile(rb"\s*:")
# What may follow a closing quote in JSON text: a literal never starts with one of these.
_AFTER_STRING = frozenset(",:]} \t\r\n")
# The pattern looks ahead for the wanted strings' first characters, as many as keep it to this many
# different beginnings: a file of vol-0… ids then has its other literals passed over by the regex engine.
_LONGEST_BEGINNING = 8
_BEGINNINGS = 32
# Up to this many beginnings, a text without escapes is searched for each with bytes.find (one pass
# each, about six times as fast as the regex engine's one pass) rather than by the pattern.
_FOUND_BY_FIND = 4


def encoded(wanted: frozenset[str]) -> dict[bytes, str]:
    """The wanted strings by their UTF-8 bytes (a lone surrogate has none: it is only ever escaped)."""
    try:
        return dict(zip(map(str.encode, wanted), wanted, strict=True))
    except UnicodeEncodeError:
        pass
    found: dict[bytes, str] = {}
    for value in wanted:
        try:
            found[value.encode()] = value
        except UnicodeEncodeError:
            continue
    return found


def json_strings(raw: bytes, wanted: frozenset[str] | None) -> Spans:
    """The offset and length of the first literal of each wanted JSON string, values before keys."""
    beginnings = _beginnings(wanted)
    if wanted and beginnings and len(beginnings[0]) <= _FOUND_BY_FIND and b"\\" not in raw:
        return scan_plain(raw, wanted, beginnings[0])
    return scan_strings(raw, wanted, _literals_that_may_be(wanted))


def scan_plain(raw: bytes, wanted: frozenset[str], beginnings: tuple[str, ...]) -> Spans:
    """:func:`scan_strings` of bytes without a backslash, where every quote is a literal's edge and
    one followed by a wanted beginning opens a literal.

    Without an escape, ``"value"`` in the bytes is that literal and no other text: its opening quote
    is no closing one, which a wanted beginning never follows. The literals that start with a wanted
    beginning are listed by the regex engine, one pass a beginning (a literal two beginnings start is
    in both lists, either answers for it). When most of them are wanted (every resource of the file
    failing), each match gives its offset and whether it is a key (:func:`_found_each`); when few
    are (a few resources failing of a million), only their contents are listed and the wanted ones
    found by ``bytes.find`` (:func:`_listed`). The first few megabytes tell which is the case.
    """
    by_bytes = encoded(wanted)  # (one with a line break is never looked up: no literal has one)
    values: Spans = {}
    keys: Spans = {}
    sample = min(len(raw), _SAMPLE) or 1
    for beginning in encoded(frozenset(beginnings)):
        opening = b'"' + beginning
        literals = raw.count(opening, 0, sample) * len(raw) // sample  # about as many in the whole
        if literals <= _FOUND_EACH * len(by_bytes):
            _found_each(raw, beginning, by_bytes, (values, keys))
        else:
            _listed(raw, beginning, by_bytes, (values, keys))
    return {**keys, **values}


# Each literal of a beginning is taken apart when there are at most this many per wanted string.
_FOUND_EACH = 4
_SAMPLE = 1 << 22


def _found_each(raw: bytes, beginning: bytes, by_bytes: dict[bytes, str], seen: tuple[Spans, Spans]) -> None:
    """Every literal starting with ``beginning``, with its offset and whether a colon follows it (a
    key), listed by the regex engine and taken apart by functions mapped over the matches, a slice of
    the file at a time: most of them are wanted, so each is looked at, but in few steps of Python."""
    values, keys = seen
    matches = _keyed_literals(beginning).finditer(raw)
    while chunk := list(islice(matches, _CHUNK)):
        literals = list(map(_CONTENT, chunk))
        starts = list(map(re.Match.start, chunk))
        colons = list(map(_COLON, chunk))
        del chunk
        for literal, start, colon in zip(literals, starts, colons, strict=True):
            value = by_bytes.get(literal)
            if value is not None:
                kept = values if colon is None else keys
                if value not in kept:
                    kept[value] = (start, len(value) + 2)


_CONTENT = methodcaller("group", 1)
_COLON = methodcaller("group", 2)
_CHUNK = 1 << 12


@functools.lru_cache(maxsize=64)
def _keyed_literals(beginning: bytes) -> re.Pattern[bytes]:
    """The literals (without an escape) that start with ``beginning``, and the colon after a key."""
    return re.compile(rb'"(%s[^"\n]*)"(\s*:)?' % re.escape(beginning))


def _listed(raw: bytes, beginning: bytes, by_bytes: dict[bytes, str], seen: tuple[Spans, Spans]) -> None:
    """The literals starting with ``beginning`` listed by the regex engine, and each wanted one then
    found by ``bytes.find`` from the one before (the list gives them in the order of the file)."""
    values, keys = seen
    at = 0
    for literal in filter(by_bytes.__contains__, _plain_literals(beginning).findall(raw)):
        value = by_bytes[literal]
        if value in values:
            continue
        at = raw.find(b'"' + literal + b'"', at)
        kept = keys if _is_key(raw, at + len(literal) + 2) else values
        if value not in kept:
            kept[value] = (at, len(value) + 2)
        at += 1


@functools.lru_cache(maxsize=64)
def _plain_literals(beginning: bytes) -> re.Pattern[bytes]:
    """The contents of the literals (without an escape) that start with ``beginning``."""
    return re.compile(rb'"(%s[^"\n]*)"' % re.escape(beginning))


# What the byte after a closing quote says: a key (":") or a value; whitespace first needs the pattern.
_KEY_AFTER = {b":": True, b",": False, b"]": False, b"}": False}


def _is_key(raw: bytes, end: int) -> bool:
    """Whether the literal ending at ``end`` is a key: a colon follows it (after JSON whitespace)."""
    known = _KEY_AFTER.get(raw[end : end + 1])
    return known if known is not None else _AFTER_KEY.match(raw, end) is not None


def scan_strings(raw: bytes, wanted: frozenset[str] | None, literal: re.Pattern[bytes]) -> Spans:
    """The first literal of each wanted string (any, when ``wanted`` is None) among those ``literal``
    matches: each read as JSON when it holds an escape, else compared as its bytes."""
    by_bytes = encoded(wanted) if wanted is not None else None
    values: Spans = {}
    keys: Spans = {}
    for match in literal.finditer(raw):
        bytes_of = match.group()
        if b"\\" in bytes_of:
            try:
                value: str | None = json.loads(bytes_of)
            except ValueError:
                continue
            if wanted is not None and value not in wanted:
                continue
        elif by_bytes is not None:
            value = by_bytes.get(bytes_of[1:-1])
            if value is None:
                continue
        else:
            value = bytes_of[1:-1].decode()
        start = match.start()
        if literal is not JSON_STRING and raw[start - 1 : start] == b"\\" and _escaped(raw, start):
            continue  # a quote escaped inside a longer string: the match runs to that string's end
        seen = keys if _AFTER_KEY.match(raw, match.end()) else values
        if value is not None and value not in seen:
            seen[value] = (start, len(bytes_of.decode()))
    return {**keys, **values}


def _literals_that_may_be(wanted: frozenset[str] | None) -> re.Pattern[bytes]:
    """A pattern for the JSON string literals that may hold a wanted string: those starting with a
    wanted string's first characters, or with an escape among as many characters. A file of a million
    resources has tens of millions of literals, and a few wanted among them.

    The pattern finds a literal's opening quote only: a closing quote is followed by one of
    :data:`_AFTER_STRING`, and a quote inside a string is escaped (the caller skips those matches,
    each of which ends at the end of its string, where the scan goes on). Outside a string valid JSON
    has no backslash, so the lookahead for an escape never starts at a closing quote either.
    """
    beginnings = _beginnings(wanted)
    return JSON_STRING if beginnings is None else _literal_pattern(*beginnings)


def _beginnings(wanted: frozenset[str] | None) -> tuple[tuple[str, ...], int] | None:
    """The wanted strings' beginnings (of up to :data:`_LONGEST_BEGINNING` characters, as many as
    keep them to :data:`_BEGINNINGS`) and their length; None when every literal must be read."""
    if wanted is None:
        return None
    if wanted not in _BEGUN:
        _BEGUN[wanted] = _begun(wanted)
    return _BEGUN[wanted]


def _begun(wanted: frozenset[str]) -> tuple[tuple[str, ...], int] | None:
    length = _LONGEST_BEGINNING
    beginnings = {w[:length] for w in wanted}  # one pass over the wanted strings, then over fewer
    if "" in beginnings or not {b[0] for b in beginnings}.isdisjoint(_AFTER_STRING):
        return None
    while length > 1 and len(beginnings) > _BEGINNINGS:
        length -= 1
        beginnings = {w[:length] for w in beginnings}
    return tuple(sorted(beginnings)), length


# What is made of a set of wanted strings, kept while the set lives (several files are asked for it).
_BEGUN: weakref.WeakKeyDictionary[frozenset[str], tuple[tuple[str, ...], int] | None] = (
    weakref.WeakKeyDictionary()
)


@functools.lru_cache(maxsize=64)
def _literal_pattern(beginnings: tuple[str, ...], length: int) -> re.Pattern[bytes]:
    # A beginning whose bytes are no UTF-8 (a lone surrogate) is written escaped, found by the escape.
    written = sorted(encoded(frozenset(beginnings)))
    # A literal starts with a beginning's first character (its first byte) or with an escape.
    starts = {first[0] for first in encoded(frozenset(b[0] for b in beginnings))} | {ord("\\")}
    firsts = b"".join(re.escape(bytes([b])) for b in sorted(starts))
    ahead = rb"(?=[%s])" % firsts
    if length > 1:  # a wanted beginning, or an escape among its characters (of up to four bytes each)
        spelled = b"|".join(re.escape(w) for w in written) or b"(?!)"
        ahead += rb'(?:(?=%s)|(?=[^"\\\n]{0,%d}\\))' % (spelled, 4 * (length - 1))
    return re.compile(rb'"' + ahead + rb'[^"\\\n]*(?:\\.[^"\\\n]*)*"')


def _escaped(raw: bytes, offset: int) -> bool:
    """Whether the byte at ``offset`` follows an odd number of backslashes."""
    before = offset
    while before > 0 and raw[before - 1 : before] == b"\\":
        before -= 1
    return (offset - before) % 2 == 1


class Lines:
    """The line and column of a byte offset of UTF-8 text, counted from the offset asked before.

    A table of where every line starts costs an int object per line: hundreds of megabytes for an
    export of a million resources. Findings are asked for mostly in the order of the file (a rule
    walks its list in order), so counting the line breaks between one offset and the next (at C
    speed) goes over the text about once per rule. A text with a lone carriage return (old Mac
    endings, which also break lines) keeps the table. Columns are in characters: the bytes of an
    ASCII text, else the characters decoded from the line's start (or from the offset asked before,
    on the same line: a file written on one line is decoded about once, not once per finding).
    ``base`` is where the text starts (after a byte order mark).
    """

    def __init__(self, raw: bytes, base: int = 0, *, ascii_only: bool = True) -> None:
        self.raw, self.ascii_only, self.base = raw, ascii_only, base
        # the offset asked last, its line, that line's start and its column
        self.offset, self.line, self.start, self.column = base, 1, base, 1
        self.starts: list[int] | None = None
        if b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n"):
            self.starts = [base] + [match.end() for match in re.finditer(rb"\r\n|\r|\n", raw)]

    def at(self, offset: int) -> tuple[int, int]:
        line, start = self._line(offset)
        if self.ascii_only:
            column = offset - start + 1
        elif start == self.start and offset >= self.offset:
            column = self.column + len(self.raw[self.offset : offset].decode())
        else:
            column = 1 + len(self.raw[start:offset].decode())
        self.offset, self.line, self.start, self.column = offset, line, start, column
        return line, column

    def many(self, offsets: list[int]) -> list[tuple[int, int]]:
        """:meth:`at` of each of ``offsets``, in increasing order (the common case, in one tight loop)."""
        lines, columns = self.columns(offsets)
        return list(zip(lines, columns, strict=True))

    def columns(self, offsets: list[int]) -> tuple[list[int], list[int]]:
        """The lines and the columns of ``offsets`` (in increasing order), as :meth:`many` gives them.

        In an ASCII text the line breaks between one offset and the next are counted, and the last
        of them found, by bytes methods mapped over the offsets: no step of Python per offset."""
        if self.starts is not None or not self.ascii_only or not offsets or offsets[0] < self.offset:
            found = [self.at(offset) for offset in offsets]
            return [line for line, _ in found], [column for _, column in found]
        raw, breaks = self.raw, repeat(b"\n")
        if raw.find(b"\n", self.offset, offsets[-1]) < 0:  # all on the line of the offset asked before
            columns = list(map(add, offsets, repeat(self.column - self.offset)))
            self.offset, self.column = offsets[-1], columns[-1]
            return [self.line] * len(offsets), columns
        before = [self.offset, *offsets[:-1]]
        lines = list(accumulate(map(raw.count, breaks, before, offsets), initial=self.line))
        del lines[0]
        # the last line break before each offset (each search begins after the one before)
        last = list(accumulate(map(raw.rfind, breaks, before, offsets), max, initial=self.start - 1))
        del last[0]
        columns = list(map(sub, offsets, last))
        self.offset, self.line, self.start, self.column = offsets[-1], lines[-1], last[-1] + 1, columns[-1]
        return lines, columns

    def _line(self, offset: int) -> tuple[int, int]:
        """The line of ``offset`` and where that line starts."""
        if self.starts is not None:
            index = bisect_right(self.starts, offset) - 1
            return index + 1, self.starts[index]
        raw, line, start = self.raw, self.line, self.start
        if offset >= self.offset:
            breaks = raw.count(b"\n", self.offset, offset)
            if breaks:
                line += breaks
                start = raw.rfind(b"\n", self.offset, offset) + 1
        else:
            breaks = raw.count(b"\n", offset, self.offset)
            if breaks:
                line -= breaks
                found = raw.rfind(b"\n", 0, offset)
                start = found + 1 if found >= 0 else self.base
        return line, start
