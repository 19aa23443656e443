"""The trust page renderers: golden files from the acme fixture, and the page's structure."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest

from assay.gaps import Report
from assay.render.trust_page import render_html, render_markdown, render_withheld
from assay.trust import SecurityTxtConfig, TrustConfig, TrustPage, build_trust_page

CONFIG = TrustConfig(
    company="Acme <Corp>",
    introduction="How Acme keeps your data safe.",
    canonical_url="https://acme.example/security",
    security_txt=SecurityTxtConfig(contact=("mailto:security@acme.example",), expires="2027-06-30T00:00:00Z"),  # type: ignore[arg-type]
)


@pytest.fixture(scope="module")
def page(sample_report: Report) -> TrustPage:
    return build_trust_page(sample_report, CONFIG)


def test_html_golden(page: TrustPage, golden: Callable[[str, str], None]) -> None:
    golden("trust.html", render_html(page))


def test_markdown_golden(page: TrustPage, golden: Callable[[str, str], None]) -> None:
    golden("trust.md", render_markdown(page))


def test_withheld_golden(page: TrustPage, golden: Callable[[str, str], None]) -> None:
    golden("trust-withheld.md", render_withheld(page))


def test_withheld_claims_are_not_on_the_public_page(page: TrustPage) -> None:
    public = render_html(page) + render_markdown(page)
    assert page.withheld
    for item in page.withheld:
        assert item.claim not in public
        assert item.claim in render_withheld(page)


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.headings: list[int] = []
        self.assets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("script", "img", "iframe", "object", "embed", "video", "audio", "source"):
            self.assets.append(tag)
        if tag == "link" and dict(attrs).get("rel") != "canonical":
            self.assets.append(f"link rel={dict(attrs).get('rel')}")


def test_html_is_self_contained_with_landmarks_and_ordered_headings(page: TrustPage) -> None:
    text = render_html(page)
    outline = _Outline()
    outline.feed(text)
    assert outline.assets == []
    assert "url(" not in text
    assert "@import" not in text
    for landmark in ("header", "nav", "main", "footer"):
        assert outline.tags.count(landmark) == 1
    assert outline.headings[0] == 1
    assert outline.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:], strict=False))
    assert "Acme &lt;Corp&gt;" in text
    assert "<Corp>" not in text
    assert ":focus-visible" in text
    # no fixed widths: only the 1 px box of the visually hidden nav heading
    assert re.findall(r"(?<![-\w])width:\s*(\d+)px", text) == ["1"]


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("#1a1a1a", "#ffffff"),  # body text
        ("#ffffff", "#10243e"),  # header
        ("#0b3d91", "#ffffff"),  # links
        ("#0b3d91", "#f4f6f8"),  # section links in the nav
        ("#454545", "#ffffff"),  # evidence dates
        ("#333333", "#ffffff"),  # footer
        ("#0b5d1e", "#ffffff"),  # check marks
    ],
)
def test_colours_meet_wcag_aa_contrast(foreground: str, background: str) -> None:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 7.0  # AAA for normal text
