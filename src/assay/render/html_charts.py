"""The parts of the HTML gap report that show a framework at a glance, and let a reader narrow it down.

* :func:`coverage_bar`: an inline SVG bar of a framework's requirements by status, one segment per
  status in proportion to its count. It is an image with a text alternative that says every count, and
  its legend writes each status and count out, so neither colour nor the picture carries anything alone.
* :func:`status_filter`: radio buttons that show only the requirement rows of one status. Pure CSS
  (``:has()``), no script: it works from a file, inside an evidence pack and with scripts blocked; a
  browser without ``:has()`` simply shows every row. Printing always shows every row.

Nothing here fetches anything; every value is escaped the way :mod:`assay.render.html_page` escapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from assay.model import ControlStatus, RequirementStatus
from assay.render.html_base import _e

# Segment colours. Each keeps a contrast of at least 3:1 with the white page (WCAG 1.4.11, for graphics),
# and the legend names every status, so the colour is never the only way to tell them apart.
BAR_COLOURS: dict[RequirementStatus, str] = {
    RequirementStatus.MET: "#1e7b34",
    RequirementStatus.MET_WITH_EXCEPTIONS: "#2f6db5",
    RequirementStatus.PARTIALLY_MET: "#806400",
    RequirementStatus.NOT_MET: "#c0262d",
    RequirementStatus.NOT_ASSESSED: "#a65300",
    RequirementStatus.NOT_COVERED: "#5f5f5f",
    RequirementStatus.OUT_OF_SCOPE: "#858585",
    RequirementStatus.SUPERSEDED: "#7a5c99",
    RequirementStatus.BEST_PRACTICE: "#3f7778",
}
# What an auditor looks at first: the requirements a gap is in.
ATTENTION: tuple[RequirementStatus, ...] = (
    RequirementStatus.NOT_MET,
    RequirementStatus.NOT_ASSESSED,
    RequirementStatus.NOT_COVERED,
)
# Controls in the order the report lists them: what is wrong first.
CONTROL_ORDER: dict[ControlStatus, int] = {
    ControlStatus.FAIL: 0,
    ControlStatus.ERROR: 1,
    ControlStatus.NOT_ASSESSED: 2,
    ControlStatus.WAIVED: 3,
    ControlStatus.PASS: 4,
}
_WIDTH = 1000  # the bar's viewBox width: segments are whole units of it


def _filter_rule(value: str, statuses: Sequence[RequirementStatus]) -> str:
    shown = "".join(f':not([data-status="{s.value}"])' for s in statuses)
    return f'.filterable:has(input[value="{value}"]:checked) tbody tr{shown} {{ display: none; }}'


CHART_CSS = (
    """
figure.coverage { margin: 0.75rem 0 1rem; }
svg.bar { display: block; width: 100%; height: 1.5rem; border: 1px solid #1a1a1a; }
ul.bars { list-style: none; margin: 0.5rem 0 1rem; padding: 0; }
ul.bars li { margin: 0 0 0.75rem; }
ul.legend { list-style: none; margin: 0.4rem 0 0; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.2rem 1rem; }
ul.legend li { white-space: nowrap; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em;
  border: 1px solid #1a1a1a; }
svg.bar, .swatch { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
fieldset.filters { border: 1px solid #8c8c8c; border-radius: 0.25rem; margin: 0.5rem 0;
  padding: 0.3rem 0.6rem 0.5rem; display: flex; flex-wrap: wrap; gap: 0.3rem 0.9rem; align-items: center; }
fieldset.filters legend { font-weight: 600; padding: 0 0.25rem; }
fieldset.filters label { white-space: nowrap; cursor: pointer; }
fieldset.filters input { margin: 0 0.25rem 0 0; accent-color: #0b4a9e; }
fieldset.filters input:focus-visible { outline: 3px solid #0b4a9e; outline-offset: 2px; }
.filterable:has(fieldset.filters input:not([value="all"]):checked) tbody tr.heading { display: none; }
"""
    + "\n".join(
        f".b-{status.value} {{ fill: {colour}; background: {colour}; }}"
        for status, colour in BAR_COLOURS.items()
    )
    + "\n"
    + "\n".join(_filter_rule(status.value, (status,)) for status in RequirementStatus)
    + "\n"
    + _filter_rule("attention", ATTENTION)
    + """
@media print {
  fieldset.filters { display: none; }
  .filterable tbody tr, .filterable tbody tr.heading { display: table-row !important; }
}
"""
)


def coverage_bar(label: str, counts: Mapping[str, int], ident: str) -> str:
    """An SVG bar of ``counts`` (status word -> requirements), with ``label`` and every count as its text."""
    total = sum(counts.get(s.value, 0) for s in RequirementStatus)
    words = "; ".join(f"{s.value} {counts[s.value]}" for s in RequirementStatus if counts.get(s.value))
    alternative = f"{label}: {total} requirements" + (f": {words}" if words else "")
    out = [
        f'<svg class="bar" role="img" aria-labelledby="{_e(ident)}" viewBox="0 0 {_WIDTH} 20" '
        'preserveAspectRatio="none" focusable="false">',
        f'<title id="{_e(ident)}">{_e(alternative)}</title>',
    ]
    x = 0
    for status, width in _widths(counts, total):
        out.append(
            f'<rect class="b-{status.value}" x="{x}" y="0" width="{width}" height="20">'
            f"<title>{_e(status.value)}: {counts[status.value]}</title></rect>"
        )
        x += width
    out.append("</svg>")
    return "".join(out)


def _widths(counts: Mapping[str, int], total: int) -> list[tuple[RequirementStatus, int]]:
    """Whole-unit segment widths that add up to the bar (largest remainder), for the statuses present."""
    present = [s for s in RequirementStatus if counts.get(s.value, 0) > 0]
    if not total or not present:
        return []
    exact = {s: counts[s.value] * _WIDTH / total for s in present}
    widths = {s: int(exact[s]) for s in present}
    by_remainder = sorted(present, key=lambda s: exact[s] - widths[s], reverse=True)
    for status in by_remainder[: _WIDTH - sum(widths.values())]:
        widths[status] += 1
    return [(s, widths[s]) for s in present]


def legend(counts: Mapping[str, int], *, numbers: bool = True) -> str:
    """Every status that occurs, its colour and (with ``numbers``) its count, written out."""
    items = [
        f'<li><span class="swatch b-{s.value}" aria-hidden="true"></span>{s.value}'
        f"{f': {counts[s.value]}' if numbers else ''}</li>"
        for s in RequirementStatus
        if counts.get(s.value)
    ]
    return f'<ul class="legend">{"".join(items)}</ul>' if items else "<p>No requirements.</p>"


def status_filter(key: str, counts: Mapping[str, int]) -> list[str]:
    """The radio buttons above a framework's requirement table (inside its ``div.filterable``)."""
    name = "show-" + quote(key, safe="")
    total = sum(counts.get(s.value, 0) for s in RequirementStatus)
    attention = sum(counts.get(s.value, 0) for s in ATTENTION)
    choices = [("all", f"all ({total})")]
    if attention:
        choices.append(("attention", f"needs attention ({attention})"))
    choices += [(s.value, f"{s.value} ({counts[s.value]})") for s in RequirementStatus if counts.get(s.value)]
    out = ['<fieldset class="filters">', "<legend>Show requirements</legend>"]
    for value, text in choices:
        ident = f"{name}-{value}"
        checked = " checked" if value == "all" else ""
        out.append(
            f'<label for="{_e(ident)}"><input type="radio" name="{_e(name)}" id="{_e(ident)}" '
            f'value="{value}"{checked}>{_e(text)}</label>'
        )
    out.append("</fieldset>")
    return out
