from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import format_for_path, formats, render
from assay.results import Finding

HOSTILE = "<script>alert(1)</script>"
VOID = {"meta", "br", "hr", "img", "link", "input", "col", "wbr"}


class Outline(HTMLParser):
    """What the tests look at: element nesting, ids, fragment links and headings."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.tags: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.headings: list[int] = []
        self.mismatched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if (values.get("href") or "").startswith("#"):
            self.links.append((values["href"] or "")[1:])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.mismatched.append(tag)


def outline(text: str) -> Outline:
    parser = Outline()
    parser.feed(text)
    parser.close()
    return parser


def with_failing_control(report: Report, **changes: object) -> Report:
    controls = list(report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    controls[index] = controls[index].model_copy(update=changes)
    return report.model_copy(update={"controls": tuple(controls)})


def test_html_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.html", render(sample_report, "html"))


def test_html_is_registered() -> None:
    assert formats()["html"].extension == ".html"
    assert format_for_path("report.html") == "html"


def test_document_structure(sample_report: Report) -> None:
    text = render(sample_report, "html")
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">')
    page = outline(text)
    assert page.mismatched == []
    assert page.open == []
    for landmark in ("header", "nav", "main"):
        assert page.tags.count(landmark) == 1
    assert page.headings[0] == 1
    assert page.headings.count(1) == 1
    # Headings never skip a level on the way down.
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))


def test_ids_are_unique_and_every_link_lands(sample_report: Report) -> None:
    page = outline(render(sample_report, "html"))
    assert len(page.ids) == len(set(page.ids))
    assert set(page.links) <= set(page.ids)
    for control in sample_report.controls:
        assert f"control-{control.control}" in page.links
    for framework in sample_report.frameworks:
        assert f"framework-{framework.key}" in page.links
    assert "controls" in page.links


def test_requirement_rows_link_to_their_controls(sample_report: Report) -> None:
    text = render(sample_report, "html")
    row = next(line for line in text.splitlines() if line.startswith('<tr id="req-soc2:CC6.1"'))
    for control in ("CRYPTO-01", "CRYPTO-02", "IAM-01"):
        assert f'<a href="#control-{control}">{control}</a>' in row
    assert '<span class="status s-bad">error</span>' in row


def test_no_external_assets(sample_report: Report) -> None:
    text = render(sample_report, "html")
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:[a-z]+:)?//""", text, re.IGNORECASE)
    assert "http://" not in text
    assert "https://" not in text
    for marker in ("<link", "<script", "<img", "<iframe", "@import", "url("):
        assert marker not in text


def test_print_stylesheet_breaks_between_frameworks(sample_report: Report) -> None:
    text = render(sample_report, "html")
    print_rules = text[text.index("@media print") :]
    assert "section.framework" in print_rules
    assert "break-before: page" in print_rules


def test_status_is_written_out(sample_report: Report) -> None:
    text = render(sample_report, "html")
    for control in sample_report.controls:
        article = text[text.index(f'<article class="control" id="control-{control.control}"') :]
        article = article[: article.index("</article>")]
        assert f">{control.status.value}</span>" in article


def test_hostile_text_is_escaped(sample_report: Report) -> None:
    hostile = with_failing_control(
        sample_report,
        title=HOSTILE,
        findings=(Finding(rule="r", resource='"><img src=x>', message=HOSTILE),),
    )
    text = render(hostile, "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&quot;&gt;&lt;img src=x&gt;" in text
    assert "<script" not in text
    assert "<img" not in text
    assert outline(text).mismatched == []
