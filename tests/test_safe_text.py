"""Terminal-safe text: nothing from an input can steer the terminal that shows it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.safe_text import terminal_safe

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def steers_a_terminal(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in BIDI_CONTROLS


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("\x1b[2J\x1b[1;32mOK", "\\x1b[2J\\x1b[1;32mOK"),  # clear the screen, then green
        ("pack.zip\nassay verify: pack.zip: OK", "pack.zip\\nassay verify: pack.zip: OK"),
        ("FAILED\r   OK", "FAILED\\r   OK"),  # overwrite the line from its start
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),  # an OSC sequence retitling the window
        ("\x9b31m", "\\x9b31m"),  # the 8-bit CSI
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("tab\there", "tab\\there"),
        ("vol-1 ünïcode ✓", "vol-1 ünïcode ✓"),
    ],
)
def test_escape_sequences_are_shown_not_obeyed(hostile: str, shown: str) -> None:
    assert terminal_safe(hostile) == shown


def test_multiline_keeps_line_feeds_and_tabs_only() -> None:
    assert terminal_safe("a\tb\nc\r\nd\x1b[0m", multiline=True) == "a\tb\nc\\r\nd\\x1b[0m"


@given(st.text())
def test_no_character_that_steers_a_terminal_survives(text: str) -> None:
    assert not any(steers_a_terminal(char) for char in terminal_safe(text))
    assert not any(
        steers_a_terminal(char) and char not in "\n\t" for char in terminal_safe(text, multiline=True)
    )


@given(st.text(st.characters(blacklist_categories=["Cc", "Zl", "Zp", "Cs"])))
def test_text_without_such_characters_is_unchanged(text: str) -> None:
    if not any(char in BIDI_CONTROLS for char in text):
        assert terminal_safe(text) == text
