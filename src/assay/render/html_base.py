"""The building blocks every self-contained HTML page of assay shares: the gap report, the evidence
pack's index and the trust page.

Every value is escaped here (:func:`_e`): titles, messages and evidence paths come from files anyone in
the organisation may edit, and control characters are shown as escapes (``\\x1b``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from assay.model import ControlStatus, RequirementParameter, RequirementPart, RequirementStatus
from assay.requirement_text import parameter_text, part_lines
from assay.safe_text import terminal_safe

_STATUS_CLASS = {
    ControlStatus.PASS: "s-good",
    ControlStatus.FAIL: "s-bad",
    ControlStatus.ERROR: "s-bad",
    ControlStatus.NOT_ASSESSED: "s-open",
    ControlStatus.WAIVED: "s-waived",
    RequirementStatus.MET: "s-good",
    RequirementStatus.MET_WITH_EXCEPTIONS: "s-open",
    RequirementStatus.PARTIALLY_MET: "s-open",
    RequirementStatus.NOT_MET: "s-bad",
    RequirementStatus.NOT_ASSESSED: "s-open",
    RequirementStatus.NOT_COVERED: "s-open",
    RequirementStatus.OUT_OF_SCOPE: "s-none",
    RequirementStatus.SUPERSEDED: "s-none",
    RequirementStatus.BEST_PRACTICE: "s-none",
}


def page_head(title: str, version: str, css: str, extra: Sequence[str] = ()) -> list[str]:
    """The start of every self-contained page assay writes, up to (not including) ``</head>``."""
    return [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="assay {_e(version)}">',
        f"<title>{_e(title)}</title>",
        *extra,
        f"<style>{css}</style>",
    ]


def _table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    numeric: Iterable[int] = (),
    *,
    cards: bool = False,
    words: Iterable[int] = (),
) -> list[str]:
    """A table whose cells are HTML already escaped by the caller; caption and headers are plain text.

    With ``cards``, each cell names its column (``data-label``) and a narrow screen shows each row as a card.
    The ``words`` columns hold prose: a narrow column wraps it between words, never inside one.
    """
    right, prose = set(numeric), set(words)

    def cls(index: int) -> str:
        names = [name for name, given in (("num", right), ("words", prose)) if index in given]
        return f' class="{" ".join(names)}"' if names else ""

    table = '<table class="cards">' if cards else "<table>"
    out = ['<div class="scroll">', table, f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    # A status word in a header may wrap after its underscores, never inside a word.
    out += [f'<th scope="col"{cls(i)}>{_e(h).replace("_", "_<wbr>")}</th>' for i, h in enumerate(headers)]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        labels = [f' data-label="{_e(h)}"' if cards else "" for h in headers]
        out.append(
            "<tr>" + "".join(f"<td{cls(i)}{labels[i]}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>"
        )
    out += ["</tbody>", "</table>", "</div>"]
    return out


def _depth(requirement_id: str, parents: dict[str, str | None]) -> int:
    depth, seen = 0, {requirement_id}
    parent = parents.get(requirement_id)
    # A parent cycle should be rejected by the catalog, but a report built by hand could hold one.
    while parent is not None and parent in parents and parent not in seen:
        seen.add(parent)
        depth += 1
        parent = parents.get(parent)
    return depth


def _anchor(kind: str, *parts: str) -> str:
    """A unique element id: each part is percent-encoded, so the ':' between parts cannot occur inside one."""
    return f"{kind}-" + ":".join(quote(part, safe="") for part in parts)


def _control_link(control_id: str, known: set[str]) -> str:
    """A link to the control's entry, or its bare id when the report holds no such entry."""
    if control_id not in known:
        return _e(control_id)
    return f'<a href="#{_e(_anchor("control", control_id))}">{_e(control_id)}</a>'


def _status(status: ControlStatus | RequirementStatus) -> str:
    return f'<span class="status {_STATUS_CLASS[status]}">{_e(status.value)}</span>'


def _list(items: Sequence[str]) -> str:
    return f'<ul class="plain">{"".join(items)}</ul>' if items else ""


def _hash(sha256: str | None, *, short: bool) -> str:
    if not sha256:
        return ""
    if short:
        return f'<code title="{_e(sha256)}">{_e(sha256[:12])}</code>'
    return f"<code>{_e(sha256)}</code>"


def _share(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(day: date) -> str:
    return day.isoformat()


def _e(text: str) -> str:
    return html.escape(terminal_safe(text, multiline=True), quote=True)


def requirement_text(parameters: Sequence[RequirementParameter], parts: Sequence[RequirementPart]) -> str:
    """A requirement's wording and parameters (an OSCAL catalog's), folded away under its title."""
    if not parts and not parameters:
        return ""
    out = ["<details><summary>Text and parameters</summary>"]
    out += [
        f'<p class="part" style="margin: 0.25em 0 0 {1.25 * depth:g}em">{_e(line)}</p>'
        for depth, line in part_lines(parts, parameters)
    ]
    known = {p.id: p for p in parameters}
    if parameters:
        out.append("<dl>")
        out += [
            f"<dt><code>{_e(p.id)}</code></dt><dd>{_e(parameter_text(p, known))}</dd>" for p in parameters
        ]
        out.append("</dl>")
    return "".join([*out, "</details>"])
