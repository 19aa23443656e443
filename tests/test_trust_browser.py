"""The trust page in a real browser: headless Chromium at phone and desktop widths.

The page is loaded into an iframe of the exact width (a headless window cannot be narrower than
500 px), through ``srcdoc`` so the harness may read it; a small script in the test copy measures
every section heading and the document's scroll width and writes the numbers into the harness's
DOM, which ``--dump-dom`` prints. Skipped when ``chromium`` is not installed (``.ci/run`` installs it).
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assay.render.trust_page import render_html
from assay.trust import TrustConfig, build_trust_page

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not on PATH (apt-get install chromium)")

_MEASURE = """<script>
window.addEventListener("load", function () {
  var result = {width: window.innerWidth, scrollWidth: document.documentElement.scrollWidth, sections: []};
  document.querySelectorAll("main section").forEach(function (section) {
    var heading = section.querySelector("h2");
    var box = heading.getBoundingClientRect(), style = getComputedStyle(heading);
    result.sections.push({
      id: section.id,
      title: heading.textContent,
      visible: box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none",
      right: box.right
    });
  });
  parent.document.getElementById("measure").textContent = JSON.stringify(result);
});
</script>"""


@pytest.fixture(scope="module")
def example_page() -> str:
    from assay.engine import Engine
    from assay.gaps import build_report
    from assay.loaded_project import load_project
    from assay.loading.builtin import builtin_paths
    from assay.trust import load_trust_config

    inputs = load_project()
    assert inputs.evidence.snapshot_at is not None
    run = Engine(inputs.catalog).evaluate(
        inputs.evidence, now=inputs.evidence.snapshot_at, waivers=inputs.waivers, scope=inputs.scope
    )
    report = build_report(inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers)
    config = load_trust_config(builtin_paths().example / "trust.yaml")
    long_words = config.model_copy(update={"company": "Supercalifragilisticexpialidocious" * 3})
    assert isinstance(long_words, TrustConfig)
    return render_html(build_trust_page(report, long_words))


def _measure(page: str, width: int, tmp_path: Path) -> dict[str, object]:
    assert CHROMIUM is not None
    probe = page.replace("</body>", f"{_MEASURE}</body>")
    harness = tmp_path / f"harness-{width}.html"
    harness.write_text(
        '<!DOCTYPE html><html><body style="margin:0">'
        f'<iframe style="border:0;width:{width}px;height:800px" '
        f'srcdoc="{html.escape(probe, quote=True)}"></iframe>'
        '<pre id="measure"></pre></body></html>',
        encoding="utf-8",
    )
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / f'profile-{width}'}",
        f"--window-size={width + 100},900",
        "--virtual-time-budget=5000",
        "--dump-dom",
        harness.as_uri(),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    match = re.search(r'<pre id="measure">([^<]+)</pre>', done.stdout)
    assert match, f"no measurement from chromium (exit {done.returncode}): {done.stderr[-2000:]}"
    result: dict[str, object] = json.loads(html.unescape(match.group(1)))
    return result


@pytest.mark.parametrize("width", [375, 1280])
def test_every_section_is_visible_and_nothing_overflows(
    example_page: str, width: int, tmp_path: Path
) -> None:
    result = _measure(example_page, width, tmp_path)
    assert result["width"] == width
    sections = result["sections"]
    assert isinstance(sections, list)
    assert [s["id"] for s in sections] == [
        "infrastructure",
        "encryption",
        "access-control",
        "monitoring",
        "backups",
        "secure-development",
        "vulnerability-disclosure",
        "compliance",
    ]
    assert all(s["visible"] for s in sections), sections
    assert all(s["right"] <= width for s in sections), sections
    assert isinstance(result["scrollWidth"], int)
    assert result["scrollWidth"] <= width, result
