"""The HTML gap report in a real browser: headless Chromium, driven by Playwright, at 1280 and 390 px wide.

Chromium is Debian's (``/usr/bin/chromium``, found on PATH), launched with ``--no-sandbox`` (the tests run
as root in CI); Playwright's own browser download is never used. The page is opened from a file, with
every request that is not for that file refused and recorded, so it is shown to work offline.

Checked at each width: nothing scrolls sideways; the status filters hide and show the right rows; no
heading or table header breaks inside a word; and accessibility rules written as assertions (the checks
axe-core would make that matter here): the language is set, every image has a text alternative, every
form control a label, headings go in order, a status is always written out, and the status colours keep
a contrast of at least 4.5:1 (computed here from the browser's computed styles). Printing shows every
row, hides the filters and starts each framework on a new page.

Screenshots go to the test's tmp folder, and also to ``$ASSAY_SCREENSHOTS`` when that is set, for a person
to look at.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import render
from assay.results import Finding
from tests.render.test_html_page import with_failing_control

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not on PATH (apt-get install chromium)")

WIDTHS = (1280, 390)
LONG_WORD = "Supercalifragilisticexpialidocious"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert CHROMIUM is not None
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_file(sample_report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample report (every status), with a long title and a long unbroken finding to wrap."""
    hostile = with_failing_control(
        sample_report,
        title=f"{LONG_WORD} {LONG_WORD}{LONG_WORD} <b>bold</b>",
        findings=(
            Finding(
                rule="no-long-lines",
                resource="arn:aws:s3:::" + "a" * 120,
                message="/".join(["evidence", "aws", "s3", "b" * 90, "bucket-policy.json"]),
            ),
        ),
    )
    path = tmp_path_factory.mktemp("report") / "report.html"
    path.write_text(render(hostile, "html"), encoding="utf-8")
    return path


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request: pytest.FixtureRequest, browser: Any, report_file: Path) -> Iterator[Any]:
    width: int = request.param
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=True)
    opened = context.new_page()
    outside: list[str] = []

    def refuse_the_network(route: Any) -> None:
        if route.request.url == report_file.as_uri():
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    opened.route("**/*", refuse_the_network)
    opened.goto(report_file.as_uri())
    yield opened
    assert outside == [], f"the page asked for {outside}"
    context.close()


def width_of(page: Any) -> int:
    viewport: dict[str, int] = page.viewport_size
    return viewport["width"]


def screenshot(page: Any, tmp_path: Path, name: str, **options: Any) -> None:
    path = tmp_path / f"{name}-{width_of(page)}.png"
    page.screenshot(path=str(path), **options)
    assert path.stat().st_size > 0
    keep = os.environ.get("ASSAY_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)


def test_nothing_scrolls_sideways_and_screenshots_are_saved(page: Any, tmp_path: Path) -> None:
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth})"
    )
    assert sizes["scroll"] <= width_of(page), sizes
    # No element pokes out of the page either (a table too wide would, inside its own scroll box or not).
    poking = page.evaluate(
        """() => [...document.querySelectorAll("main *")]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter(e => !e.closest(".scroll")
              || e.closest(".scroll").scrollWidth <= e.closest(".scroll").clientWidth)
            .map(e => e.tagName + " " + e.textContent.slice(0, 40))"""
    )
    assert poking == []
    screenshot(page, tmp_path, "report-top")
    for section in ("attention", "framework-soc2", "controls"):
        page.locator(f"#{section}").scroll_into_view_if_needed()
        page.evaluate(f"document.getElementById('{section}').scrollIntoView()")
        screenshot(page, tmp_path, f"report-{section}")
    screenshot(page, tmp_path, "report-full", full_page=True)


def visible_statuses(page: Any, table: str) -> list[str]:
    statuses: list[str] = page.evaluate(
        f"""() => [...document.querySelectorAll("{table} tbody tr")]
            .filter(row => getComputedStyle(row).display !== "none" && row.getClientRects().length > 0)
            .map(row => row.dataset.status)"""
    )
    return statuses


def test_the_status_filters_hide_the_other_rows(page: Any, sample_report: Report) -> None:
    framework = next(f for f in sample_report.frameworks if f.key == "soc2")
    table = "#framework-soc2 table"
    everything = visible_statuses(page, table)
    assert len(everything) == len(framework.requirements)
    assert set(everything) >= {"not_met", "met"}

    page.locator("#framework-soc2").get_by_label(re.compile(r"^not_met \(\d+\)$")).click()
    shown = visible_statuses(page, table)
    assert shown == ["not_met"] * framework.counts["not_met"]
    hidden = page.evaluate(
        f"""() => [...document.querySelectorAll("{table} tbody tr")]
            .filter(row => row.dataset.status !== "not_met")
            .every(row => getComputedStyle(row).display === "none")"""
    )
    assert hidden is True

    page.locator("#framework-soc2").get_by_label(re.compile(r"^needs attention")).click()
    shown = visible_statuses(page, table)
    assert set(shown) <= {"not_met", "not_assessed", "not_covered"}
    assert len(shown) == sum(framework.counts[s] for s in ("not_met", "not_assessed", "not_covered"))

    page.locator("#framework-soc2").get_by_label(re.compile(r"^all \(")).click()
    assert len(visible_statuses(page, table)) == len(framework.requirements)


# Words of headings, captions, legends, header cells and prose cells that lie on more than one line
# (a hyphen ends a word: "man-made" may wrap after "man-").
# Words longer than a phone's line (the hostile title's 68 letters) must break somewhere; they are left out.
SPLIT_WORDS = """() => {
  const broken = [];
  for (const element of document.querySelectorAll("h1, h2, h3, h4, th, caption, legend, td.words")) {
    if (element.getClientRects().length === 0) continue;
    const head = element.closest("thead");  // a narrow screen hides it: each row names its columns
    if (head && head.getBoundingClientRect().width <= 1) continue;
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/[^\\s-]+-?/g)) {  // a line may end after a hyphen
        if (match[0].length > 24) continue;
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) broken.push(element.tagName + ": " + match[0]);
      }
    }
  }
  return broken;
}"""


def test_headings_and_table_headers_never_break_inside_a_word(page: Any) -> None:
    """Each word of a heading, caption, legend, header cell or prose cell lies on one line (one rectangle)."""
    assert page.evaluate(SPLIT_WORDS) == []


def test_each_title_appears_once(page: Any, sample_report: Report) -> None:
    headings: list[str] = page.evaluate("() => [...document.querySelectorAll('h2')].map(h => h.textContent)")
    for framework in sample_report.frameworks:
        assert headings.count(framework.name) == 1
        assert not any(framework.version in heading for heading in headings)
    assert "Findings" not in page.evaluate(
        "() => [...document.querySelectorAll('h4')].map(h => h.textContent)"
    )


# --- accessibility, as assertions ---------------------------------------------------------------------


def test_the_language_is_set_and_every_image_and_control_is_named(page: Any) -> None:
    assert page.evaluate("document.documentElement.lang") == "en"
    unnamed_images = page.evaluate(
        """() => [...document.querySelectorAll("img, svg, [role=img]")].filter(e => {
            if (e.getAttribute("aria-hidden") === "true") return false;
            if (e.tagName === "IMG") return !(e.getAttribute("alt") || "").trim();
            const ids = (e.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean);
            const text = ids.map(id => (document.getElementById(id) || {}).textContent || "").join(" ");
            const label = (e.getAttribute("aria-label") || "").trim();
            return e.getAttribute("role") !== "img" || !(text.trim() || label);
          }).map(e => e.outerHTML.slice(0, 80))"""
    )
    assert unnamed_images == []
    assert page.locator("svg[role=img]").count() >= 2
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea, button")].filter(e =>
            !(e.labels && [...e.labels].some(l => l.textContent.trim()))
            && !(e.getAttribute("aria-label") || "").trim()
          ).map(e => e.outerHTML)"""
    )
    assert unlabelled == []
    assert page.locator("fieldset.filters input[type=radio]").count() > 0
    nameless_links = page.evaluate(
        "() => [...document.querySelectorAll('a')].filter(a => !a.textContent.trim()).map(a => a.outerHTML)"
    )
    assert nameless_links == []


def test_headings_go_in_order(page: Any) -> None:
    levels: list[int] = page.evaluate(
        "() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1
    assert levels.count(1) == 1
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []


def test_colour_is_never_the_only_signal(page: Any) -> None:
    wordless = page.evaluate(
        """() => [...document.querySelectorAll(".status")].filter(e => !e.textContent.trim()).length"""
    )
    assert wordless == 0
    untitled_segments = page.evaluate(
        """() => [...document.querySelectorAll("svg.bar rect")]
            .filter(r => !(r.querySelector("title") || {}).textContent).length"""
    )
    assert untitled_segments == 0
    # Every swatch stands beside the status word it colours.
    swatches = page.evaluate(
        """() => [...document.querySelectorAll(".swatch")].map(s => s.parentElement.textContent.trim())"""
    )
    assert swatches
    assert all(re.fullmatch(r"[a-z_]+(: \d+)?", text) for text in swatches), swatches


def _rgb(css: str) -> tuple[float, float, float]:
    match = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, ([\d.]+))?\)", css)
    assert match, css
    assert match.group(4) in (None, "1"), f"a translucent colour: {css}"
    red, green, blue = (int(match.group(i)) for i in (1, 2, 3))
    return red, green, blue


def _luminance(colour: tuple[float, float, float]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(v) for v in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The WCAG 2 contrast ratio of two computed CSS colours."""
    light, dark = sorted((_luminance(_rgb(first)), _luminance(_rgb(second))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_is_computed_and_enough(page: Any) -> None:
    assert round(contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    badges = page.evaluate(
        """() => {
          const seen = new Map();
          for (const e of document.querySelectorAll(".status")) {
            const style = getComputedStyle(e);
            seen.set(e.textContent + " " + e.className,
                     {text: e.textContent, color: style.color, background: style.backgroundColor});
          }
          return [...seen.values()];
        }"""
    )
    statuses = {badge["text"] for badge in badges}
    assert {s.value for s in ControlStatus} <= statuses
    low = [b for b in badges if contrast(b["color"], b["background"]) < 4.5]
    assert low == []
    page_colours = page.evaluate(
        """() => ({body: getComputedStyle(document.body).color,
                   background: getComputedStyle(document.body).backgroundColor,
                   link: getComputedStyle(document.querySelector("main a")).color})"""
    )
    assert contrast(page_colours["body"], page_colours["background"]) >= 4.5
    assert contrast(page_colours["link"], page_colours["background"]) >= 4.5
    # The bar's segments are graphics: WCAG asks 3:1 against what is next to them, the white page.
    fills = page.evaluate(
        """() => [...new Set([...document.querySelectorAll('svg.bar rect')]
            .map(r => getComputedStyle(r).fill))]"""
    )
    assert len(fills) >= 3
    assert [f for f in fills if contrast(f, page_colours["background"]) < 3] == []


def test_a_table_too_wide_can_be_scrolled_from_the_keyboard(page: Any) -> None:
    stuck = page.evaluate(
        """() => [...document.querySelectorAll(".scroll")]
            .filter(box => box.scrollWidth > box.clientWidth + 1)
            .filter(box => box.tabIndex < 0 && !box.querySelector("a, input"))
            .map(box => box.querySelector("caption").textContent)"""
    )
    assert stuck == []


# --- print --------------------------------------------------------------------------------------------


def test_print_shows_every_row_hides_the_filters_and_breaks_between_frameworks(
    page: Any, sample_report: Report, tmp_path: Path
) -> None:
    page.locator("#framework-soc2").get_by_label(re.compile(r"^not_met \(")).click()
    page.emulate_media(media="print")
    framework = next(f for f in sample_report.frameworks if f.key == "soc2")
    assert len(visible_statuses(page, "#framework-soc2 table")) == len(framework.requirements)
    assert page.evaluate(
        """() => [...document.querySelectorAll('fieldset.filters')]
            .every(f => getComputedStyle(f).display === 'none')"""
    )
    breaks = page.evaluate(
        "() => [...document.querySelectorAll('section.framework')].map(s => getComputedStyle(s).breakBefore)"
    )
    assert breaks == ["page"] * len(sample_report.frameworks)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    assert page.evaluate(SPLIT_WORDS) == []
    if width_of(page) == WIDTHS[0]:
        pdf = page.pdf(format="A4")
        (tmp_path / "report.pdf").write_bytes(pdf)
        pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
        assert pages > len(sample_report.frameworks)


@pytest.mark.skipif(not os.environ.get("ASSAY_AXE_JS"), reason="set ASSAY_AXE_JS to axe-core's axe.min.js")
def test_axe_core_finds_no_violation(page: Any) -> None:
    """axe-core itself, when a copy is at hand (``npm install axe-core``; it is not a test dependency)."""
    page.add_script_tag(content=Path(os.environ["ASSAY_AXE_JS"]).read_text(encoding="utf-8"))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .map(v => v.impact + " " + v.id + ": " + v.nodes[0].html.slice(0, 120))"""
    )
    assert violations == []
