"""Text from evidence, file names and control files cannot steer a terminal or a viewer through a report.

One report carries escape sequences, carriage returns, bidi overrides, HTML and Markdown link syntax in
every field a hostile input can reach; each text renderer must show it, never obey it.
"""

from __future__ import annotations

import re
import unicodedata

import pytest

from assay.gaps import EvidenceEntry, Report
from assay.model import ControlStatus
from assay.render import RenderOptions, render
from assay.results import Finding

# Clear the screen, print a forged green verdict, return to the line's start, override the direction.
FORGED = "\x1b[2J\x1b[32mOK: all controls pass\x1b[0m\r\nassay verify: pack.zip: OK\u202e\x9b31m"
LINK = "[Re-verify here](https://attacker.example/x) ![pixel](https://attacker.example/p.png)"
STYLE_CODES = re.compile(r"\x1b\[(?:[0-9;]*)m")


def steering(char: str) -> bool:
    return (unicodedata.category(char) == "Cc" and char not in "\n") or char == "\u202e"


@pytest.fixture(scope="module")
def hostile(sample_report: Report) -> Report:
    controls = list(sample_report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    controls[index] = controls[index].model_copy(
        update={
            "title": f"title {FORGED}",
            "findings": (Finding(rule="r", resource=f"vol-{FORGED}", message=f"{LINK} {FORGED}"),),
            "errors": (f"error {FORGED}",),
        }
    )
    evidence = (
        EvidenceEntry(
            name="aws.hostile",
            path=f"evidence/aws/{FORGED}.json",
            source=f"source {FORGED}",
            problem=f"problem {FORGED}",
            used_by=(controls[index].control,),
        ),
        *sample_report.evidence,
    )
    return sample_report.model_copy(
        update={"controls": tuple(controls), "evidence": evidence, "problems": (f"problem {FORGED}",)}
    )


@pytest.mark.parametrize("color", [False, True])
def test_the_terminal_report_shows_escape_codes_as_text(hostile: Report, color: bool) -> None:
    text = render(hostile, "terminal", RenderOptions(color=color, width=100))
    # line breaks fold into spaces (the layout is the renderer's); every other control shows as an escape
    assert "\\x1b[2J\\x1b[32mOK: all controls pass\\x1b[0m assay verify: pack.zip: OK\\u202e\\x9b31m" in text
    without_own_styles = STYLE_CODES.sub("", text) if color else text
    assert not [char for char in without_own_styles if steering(char)]
    assert not [line for line in text.splitlines() if line.startswith("assay verify")]
    if color:  # only the styles assay adds itself, never a screen clear or a forged colour run
        assert "\x1b[2J" not in text
        assert "\x1b[32mOK: all" not in text


def test_markdown_shows_controls_and_makes_no_links_or_images(hostile: Report) -> None:
    text = render(hostile, "markdown")
    assert not [char for char in text if steering(char)]
    assert "](https://attacker.example" not in text.replace("\\]", "")
    assert (
        "\\[Re-verify here\\](https://attacker.example/x) !\\[pixel\\](https://attacker.example/p.png)"
        in text
    )
    assert "\\\\x1b\\[2J" in text  # the escape shown (its backslash and bracket escaped for Markdown)


def test_html_shows_controls_as_text(hostile: Report) -> None:
    text = render(hostile, "html")
    assert not [char for char in text if steering(char) and char != "\t"]
    assert "\\x1b[2J\\x1b[32mOK: all controls pass" in text
    assert '<a href="https://attacker.example' not in text
