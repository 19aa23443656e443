from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assay.gaps import Report
from assay.loading.catalog import load_catalog
from assay.model import ControlStatus, Requirement, RequirementParameter, RequirementPart
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


# --- what an auditor reads first, the coverage bars, the filters --------------------------------------


def control_order(text: str) -> list[str]:
    section = text[text.index('<section id="controls">') :]
    return re.findall(r'<article class="control" id="control-([^"]+)"', section)


def test_failures_errors_and_not_assessed_controls_come_first(sample_report: Report) -> None:
    text = render(sample_report, "html")
    statuses = {c.control: c.status for c in sample_report.controls}
    order = [statuses[c].value for c in control_order(text)]
    assert order == sorted(order, key=["fail", "error", "not_assessed", "waived", "pass"].index)
    assert order[0] == "fail"
    attention = text[text.index('<section id="attention">') :]
    attention = attention[: attention.index("</section>")]
    listed = re.findall(r'<a href="#control-([^"]+)">', attention)
    wanted = [c for c in control_order(text) if statuses[c].value in ("fail", "error", "not_assessed")]
    assert listed == wanted
    assert text.index('id="attention"') < text.index('class="framework"')
    assert '<li><a href="#attention">Needs attention</a></li>' in text


def test_every_framework_has_an_inline_svg_coverage_bar(sample_report: Report) -> None:
    text = render(sample_report, "html")
    for framework in sample_report.frameworks:
        section = text[text.index(f'id="framework-{framework.key}"') :]
        section = section[: section.index("</section>")]
        bar = re.search(r'<svg class="bar" role="img" aria-labelledby="([^"]+)".*?</svg>', section)
        assert bar is not None
        title = re.search(rf'<title id="{re.escape(bar.group(1))}">([^<]+)</title>', bar.group(0))
        assert title is not None
        for status, count in framework.counts.items():
            if count:
                assert f"{status} {count}" in title.group(1)
                assert f"{status}: {count}</li>" in section  # the legend writes it out too
        widths = [
            int(w) for w in re.findall(r'<rect class="b-[a-z_]+" x="\d+" y="0" width="(\d+)"', bar.group(0))
        ]
        assert sum(widths) == 1000
        assert len(widths) == sum(1 for count in framework.counts.values() if count)


def test_requirement_rows_carry_their_status_for_the_filters(sample_report: Report) -> None:
    text = render(sample_report, "html")
    for framework in sample_report.frameworks:
        for requirement in framework.requirements:
            assert re.search(
                rf'<tr id="req-{re.escape(framework.key)}:{re.escape(requirement.id)}"[^>]* '
                rf'data-status="{requirement.status.value}">',
                text,
            )
        present = [s for s, count in framework.counts.items() if count]
        values = re.findall(rf'name="show-{framework.key}" id="[^"]+" value="([a-z_]+)"', text)
        assert values == ["all", "attention", *present]
    # The filter is CSS: one rule per status hides the other rows; print shows them all again.
    assert '.filterable:has(input[value="not_met"]:checked) tbody tr:not([data-status="not_met"])' in text
    assert "display: table-row !important" in text[text.index("@media print {\n  fieldset.filters") :]


def test_each_title_appears_once(sample_report: Report) -> None:
    text = render(sample_report, "html")
    for framework in sample_report.frameworks:
        assert f"{framework.name} {framework.version}" not in text
        assert text.count(f">{framework.name}</h2>") == 1
        assert f"{framework.name}: requirements by status" not in text
    assert "<h4>Findings</h4>" not in text
    assert "<h4>Evidence read</h4>" not in text


def test_headers_may_wrap_only_between_words(sample_report: Report) -> None:
    text = render(sample_report, "html")
    assert '<th scope="col" class="num">met_<wbr>with_<wbr>exceptions</th>' in text
    css = text[text.index("<style>") : text.index("</style>")]
    assert "th { overflow-wrap: normal; word-break: normal; hyphens: manual; }" in css
    assert "h1, h2, h3, h4 { overflow-wrap: break-word; hyphens: manual; }" in css
    # Prose cells keep their words whole too; paths, hashes and resource ids may break anywhere.
    assert "td.words { overflow-wrap: break-word;" in css
    assert '<td class="words" data-label="Title">' in text


class Loads(HTMLParser):
    """Every attribute that makes a browser fetch something, and every script or style element."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            fetching = name in ("src", "href", "action", "srcset", "poster", "data", "xlink:href")
            if fetching and value and not value.startswith("#"):
                self.loads.append(f"{tag} {name}={value}")
        if tag in ("script", "link", "img", "iframe", "object", "embed"):
            self.loads.append(tag)


def test_hostile_names_load_nothing_and_stay_escaped(sample_report: Report) -> None:
    framework = sample_report.frameworks[0].model_copy(
        update={
            "key": '"><script src="https://evil.example/x.js"></script>',
            "name": '<img src="https://evil.example/p.png"> Evil',
            "version": "<style>@import url(https://evil.example/s.css)</style>",
        }
    )
    hostile = with_failing_control(
        sample_report.model_copy(update={"frameworks": (framework, *sample_report.frameworks[1:])}),
        findings=(
            Finding(rule="r", resource="x", message='<link rel="stylesheet" href="http://evil.example/">'),
        ),
        reason='<a href="https://evil.example/">click</a>',
    )
    text = render(hostile, "html")
    loads = Loads()
    loads.feed(text)
    assert loads.loads == []
    assert outline(text).mismatched == []
    assert "&lt;img src=&quot;https://evil.example/p.png&quot;&gt; Evil" in text
    page = outline(text)
    assert len(page.ids) == len(set(page.ids))
    assert set(page.links) <= set(page.ids)


# --- a requirement's wording and parameters (OSCAL catalogs) ---------------------------------------------

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference" / "oscal"
MODERATE = REFERENCE / "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog-min.json"


def with_requirement_text(report: Report, requirement: Requirement) -> Report:
    """``report`` whose first framework's first non-heading row carries ``requirement``'s text."""
    framework = report.frameworks[0]
    rows = list(framework.requirements)
    index = next(i for i, row in enumerate(rows) if not row.heading)
    rows[index] = rows[index].model_copy(
        update={"parameters": requirement.parameters, "parts": requirement.parts}
    )
    changed = framework.model_copy(update={"requirements": tuple(rows)})
    return report.model_copy(update={"frameworks": (changed, *report.frameworks[1:])})


@pytest.mark.skipif(not MODERATE.is_file(), reason=f"NIST's OSCAL reference files are not here ({REFERENCE})")
def test_a_requirements_text_and_parameters_fold_under_its_title(
    sample_report: Report, tmp_path: Path
) -> None:
    copy = tmp_path / "nist-800-53-moderate.json"
    shutil.copyfile(MODERATE, copy)
    nist = load_catalog(None, [copy]).frameworks["nist-800-53-moderate"]
    ac2 = next(r for r in nist.requirements if r.id == "ac-2")
    text = render(with_requirement_text(sample_report, ac2), "html")
    assert text.count("<details>") == 1
    assert "<summary>Text and parameters</summary>" in text
    assert ">c. Require [Assignment: prerequisites and criteria] for group and role membership;</p>" in text
    assert 'margin: 0.25em 0 0 1.25em">1. Authorized users of the system;</p>' in text
    assert "<dt><code>ac-02_odp.10</code></dt><dd>[Assignment: frequency]</dd>" in text
    assert outline(text).mismatched == []
    # Rows without parts (every built-in framework's) show no fold.
    assert "<details>" not in render(sample_report, "html")


def test_a_catalogs_hostile_text_stays_escaped(sample_report: Report) -> None:
    hostile = Requirement(
        id="t-1",
        title="T",
        parameters=(RequirementParameter(id="p", values=(HOSTILE,)),),
        parts=(RequirementPart(name="statement", prose="Do {{ insert: param, p }} <b>now</b>"),),
    )
    text = render(with_requirement_text(sample_report, hostile), "html")
    assert "Do &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "&lt;b&gt;now&lt;/b&gt;" in text
    assert "<script" not in text
    assert outline(text).mismatched == []
