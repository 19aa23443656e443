"""Text from inputs made safe to show on a terminal: the one place control characters are neutralised.

Evidence values, file names, pack entries and messages built from them are untrusted. Written raw to
a terminal (or a CI log that renders ANSI), an escape sequence could recolour, move the cursor, erase
or retitle, a carriage return or newline could forge a line of output, and a bidirectional override
could show text in an order other than the one it has. :func:`terminal_safe` replaces each such
character with a visible escape (``\\x1b``, ``\\n``, ``\\u202e``), so the text keeps its meaning
and loses its power. Output that assay styles itself adds its own escape codes after this step.
"""

from __future__ import annotations

import re

# C0 controls, DEL and the C1 controls (U+009B is CSI on terminals that read 8-bit controls), the
# Unicode line and paragraph separators, and the bidirectional marks, embeddings, overrides and isolates.
_OTHERS = "\x7f-\x9f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_ANY_UNSAFE = re.compile(f"[\x00-\x1f{_OTHERS}]")
# The same, but for the line feed and the tab that separate lines and columns assay laid out itself.
_MULTILINE_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f{_OTHERS}]")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_LATIN1_END = 0x100


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < _LATIN1_END else f"\\u{code:04x}"


def terminal_safe(text: str, *, multiline: bool = False) -> str:
    """``text`` with every control, line-separator and bidi-control character shown as an escape.

    With ``multiline``, line feeds and tabs are kept (for text whose lines assay laid out, such as a
    rendered report); everything else, carriage returns included, is still escaped.
    """
    pattern = _MULTILINE_UNSAFE if multiline else _ANY_UNSAFE
    return pattern.sub(_escape, text)
