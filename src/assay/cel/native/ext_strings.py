"""CEL's strings extension library: ``charAt``, ``indexOf``, ``lastIndexOf``, ``lowerAscii``,
``upperAscii``, ``replace``, ``split``, ``substring``, ``trim``, ``join`` and ``strings.quote``.

Positions count Unicode code points, as CEL's do (Python's ``str`` indexes the same way). Where
cel-go and the conformance suite differ, the suite decides: an ``indexOf`` or ``lastIndexOf`` offset
past the end of the string is an error. ``format`` is in :mod:`assay.cel.native.ext_format` and
``reverse`` (strings and lists) in :mod:`assay.cel.native.ext_lists`.
"""

from __future__ import annotations

from typing import Any

from assay.cel.native.ext_support import INT, LIST, STRING, Budget, Extension, built, overloads
from assay.errors import CelError

# White space as Go's unicode.IsSpace defines it (the Unicode White_Space property), which cel-go's
# trim() uses: zero-width spaces and U+180E are not white space; U+001C to U+001F are not either.
_WHITE_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_QUOTED = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
           "\\": "\\\\", '"': '\\"'}  # fmt: skip
_SURROGATES = range(0xD800, 0xE000)


def _out_of_range(index: int) -> CelError:
    return CelError(f"index out of range: {index}")


def _char_at(text: str, index: int) -> str:
    if not 0 <= index <= len(text):
        raise _out_of_range(index)
    return text[index : index + 1]


def _index_of(text: str, part: str, offset: int = 0) -> int:
    if not 0 <= offset <= len(text):
        raise _out_of_range(offset)
    return text.find(part, offset)


def _last_index_of(text: str, part: str, offset: int | None = None) -> int:
    if offset is None:
        return text.rfind(part)
    if not 0 <= offset <= len(text):
        raise _out_of_range(offset)
    # The last match that starts at or before the offset.
    return text.rfind(part, 0, offset + len(part))


def _lower_ascii(text: str) -> str:
    return text.translate(_LOWER)


def _upper_ascii(text: str) -> str:
    return text.translate(_UPPER)


def _replace(cost: Budget, text: str, old: str, new: str, limit: int = -1) -> str:
    found = len(text) + 1 if old == "" else text.count(old)
    count = found if limit < 0 else min(limit, found)
    built(cost, len(text) + count * len(new))  # before building it: the result may be large
    return text.replace(old, new, count)


def _split(cost: Budget, text: str, separator: str, limit: int = -1) -> list[str]:
    built(cost, len(text))
    if limit == 0:
        return []
    if separator == "":  # one element per character; the last holds the rest when limited
        if limit < 0 or limit >= len(text):
            return list(text)
        return [*text[: limit - 1], text[limit - 1 :]]
    return text.split(separator) if limit < 0 else text.split(separator, limit - 1)


def _substring(text: str, start: int, end: int | None = None) -> str:
    if end is None:
        end = len(text)
    elif start > end:
        raise CelError(f"invalid substring range. start: {start}, end: {end}")
    for index in (start, end):
        if not 0 <= index <= len(text):
            raise _out_of_range(index)
    return text[start:end]


def _trim(text: str) -> str:
    return text.strip(_WHITE_SPACE)


def _join(cost: Budget, parts: list[Any], separator: str = "") -> str:
    for part in parts:
        if type(part) is not str:
            raise CelError(f"join: invalid input: {part!r}")
    built(cost, sum(len(part) for part in parts) + len(separator) * len(parts))
    return separator.join(parts)


def _quote(cost: Budget, text: str) -> str:
    built(cost, 2 * len(text))
    quoted = "".join(
        _QUOTED.get(character, "\ufffd" if ord(character) in _SURROGATES else character) for character in text
    )
    return f'"{quoted}"'


FUNCTIONS = (
    Extension(
        "charAt",
        "strings",
        overloads("charAt", ((STRING, INT), _char_at)),
        ("<string>.charAt(<int>) -> <string>",),
        "The character at a position; '' at the end; an error beyond it.",
    ),
    Extension(
        "indexOf",
        "strings",
        overloads("indexOf", ((STRING, STRING), _index_of), ((STRING, STRING, INT), _index_of)),
        ("<string>.indexOf(<string>) -> <int>", "<string>.indexOf(<string>, <int>) -> <int>"),
        "Where a substring first occurs (from an offset), or -1.",
    ),
    Extension(
        "lastIndexOf",
        "strings",
        overloads("lastIndexOf", ((STRING, STRING), _last_index_of), ((STRING, STRING, INT), _last_index_of)),
        ("<string>.lastIndexOf(<string>) -> <int>", "<string>.lastIndexOf(<string>, <int>) -> <int>"),
        "Where a substring last occurs (starting at or before an offset), or -1.",
    ),
    Extension(
        "lowerAscii",
        "strings",
        overloads("lowerAscii", ((STRING,), _lower_ascii)),
        ("<string>.lowerAscii() -> <string>",),
        "ASCII letters in lower case; other characters unchanged.",
    ),
    Extension(
        "upperAscii",
        "strings",
        overloads("upperAscii", ((STRING,), _upper_ascii)),
        ("<string>.upperAscii() -> <string>",),
        "ASCII letters in upper case; other characters unchanged.",
    ),
    Extension(
        "replace",
        "strings",
        overloads(
            "replace",
            ((STRING, STRING, STRING), _replace),
            ((STRING, STRING, STRING, INT), _replace),
            costed=True,
        ),
        (
            "<string>.replace(<string>, <string>) -> <string>",
            "<string>.replace(<string>, <string>, <int>) -> <string>",
        ),
        "Replace every occurrence, or at most n (all when n is negative).",
        costed=True,
    ),
    Extension(
        "split",
        "strings",
        overloads("split", ((STRING, STRING), _split), ((STRING, STRING, INT), _split), costed=True),
        ("<string>.split(<string>) -> <list<string>>", "<string>.split(<string>, <int>) -> <list<string>>"),
        "Split on a separator, into at most n parts (all when n is negative, none when 0).",
        costed=True,
    ),
    Extension(
        "substring",
        "strings",
        overloads("substring", ((STRING, INT), _substring), ((STRING, INT, INT), _substring)),
        ("<string>.substring(<int>) -> <string>", "<string>.substring(<int>, <int>) -> <string>"),
        "The characters from a start position up to an end position (exclusive).",
    ),
    Extension(
        "trim",
        "strings",
        overloads("trim", ((STRING,), _trim)),
        ("<string>.trim() -> <string>",),
        "Remove leading and trailing Unicode white space.",
    ),
    Extension(
        "join",
        "strings",
        overloads("join", ((LIST,), _join), ((LIST, STRING), _join), costed=True),
        ("<list<string>>.join() -> <string>", "<list<string>>.join(<string>) -> <string>"),
        "Concatenate a list of strings, with a separator between them.",
        costed=True,
    ),
    Extension(
        "strings.quote",
        "strings",
        overloads("strings.quote", ((STRING,), _quote), costed=True),
        ("strings.quote(<string>) -> <string>",),
        "The string in double quotes, with escapes for quotes, backslashes and control characters.",
        costed=True,
    ),
)
