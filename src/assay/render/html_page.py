"""The gap report as one self-contained HTML page that an auditor can open offline, read and print.

Nothing is fetched: styles are inline and there is no script, so the file stays readable when it is
archived or mailed, and cannot leak that it was opened. Every value from the report is escaped, since
titles, messages and evidence paths come from files anyone in the organisation may edit; control
characters are shown as escapes (``\\x1b``), so the page is also safe to read with ``cat``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from urllib.parse import quote

from assay.gaps import (
    ControlEntry,
    EvidenceEntry,
    FrameworkReport,
    Report,
    RequirementResult,
    WaiverNotice,
)
from assay.model import ControlStatus, RequirementStatus
from assay.render import RenderOptions
from assay.render.words import CONTROL_COVERAGE, STATUS_MEANINGS, coverage_words, requirement_notes
from assay.safe_text import terminal_safe

# Text colours on tinted backgrounds all keep a contrast ratio above 7:1 (WCAG AAA); the status word
# is always written out, so the colour is never the only carrier of meaning.
_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1a1a1a; background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid #1a1a1a; margin-bottom: 1rem; }
h1 { font-size: 1.8rem; margin: 0.5rem 0; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.75rem; border-bottom: 1px solid #8c8c8c; }
h3 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; }
h4 { font-size: 1rem; margin: 1rem 0 0.4rem; }
a { color: #0b4a9e; }
a:focus-visible { outline: 3px solid #0b4a9e; outline-offset: 2px; }
nav ol { padding-left: 1.5rem; }
.meta { color: #333; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
th, td { border: 1px solid #8c8c8c; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
thead th { background: #ececec; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.heading th, tr.heading td { background: #f3f3f3; font-weight: 600; }
ul.plain { list-style: none; margin: 0; padding: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
article.control { border-top: 1px solid #8c8c8c; padding-top: 0.25rem; }
.status { display: inline-block; padding: 0 0.4rem; border-radius: 0.25rem; border: 1px solid;
  font-weight: 600; white-space: nowrap; }
.s-good { color: #0b4d1c; background: #e3f4e6; }
.s-bad { color: #7d0e0e; background: #fde7e7; }
.s-open { color: #5a4100; background: #fff2cc; }
.s-waived { color: #1c3a70; background: #e6eefb; }
.s-none { color: #333; background: #eee; }
@page { margin: 15mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  a { color: inherit; text-decoration: none; }
  .status, thead th, tr.heading th, tr.heading td { background: none; }
  .scroll { overflow: visible; }
  section.framework, section#controls { break-before: page; page-break-before: always; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
}
"""

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


def render(report: Report, options: RenderOptions) -> str:
    when = _when(report.generated_at)
    out = [
        *page_head(f"assay gap report, {when}", report.assay_version, _CSS),
        "</head>",
        "<body>",
        "<header>",
        "<h1>assay gap report</h1>",
        f'<p class="meta">Generated {_e(when)} by assay {_e(report.assay_version)} '
        f"with the {_e(report.backend)} backend.</p>",
        "</header>",
    ]
    out += _contents(report)
    out.append("<main>")
    out += _summary(report)
    known = {control.control for control in report.controls}
    for framework in report.frameworks:
        out += _framework(framework, known)
    requirements = {(f.key, r.id) for f in report.frameworks for r in f.requirements}
    out += _controls(report.controls, requirements)
    out += _evidence(report.evidence, known)
    out += _waivers(report.waivers_expiring, report.expired_waivers, known)
    if report.problems:
        out += ['<section id="problems">', "<h2>Problems</h2>", "<ul>"]
        out += [f"<li>{_e(problem)}</li>" for problem in report.problems]
        out += ["</ul>", "</section>"]
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


def _contents(report: Report) -> list[str]:
    entries = [("summary", "Summary")]
    entries += [(_anchor("framework", f.key), f"{f.name} {f.version}") for f in report.frameworks]
    entries += [("controls", "Controls"), ("evidence", "Evidence freshness"), ("waivers", "Waivers")]
    if report.problems:
        entries.append(("problems", "Problems"))
    out = ['<nav aria-labelledby="contents-title">', '<h2 id="contents-title">Contents</h2>', "<ol>"]
    out += [f'<li><a href="#{_e(target)}">{_e(label)}</a></li>' for target, label in entries]
    out += ["</ol>", "</nav>"]
    return out


def _summary(report: Report) -> list[str]:
    out = ['<section id="summary">', "<h2>Summary</h2>"]
    out += _table(
        "Controls by status",
        ["Status", "Controls"],
        [[_status(status), str(report.summary.get(status, 0))] for status in ControlStatus]
        + [["<strong>total</strong>", f"<strong>{sum(report.summary.values())}</strong>"]],
        numeric=[1],
    )
    if report.frameworks:
        out += _table(
            "Requirements by framework and status",
            ["Framework", "Version", "Assessable", *(s.value for s in RequirementStatus), "Share met"],
            [
                [
                    f'<a href="#{_e(_anchor("framework", f.key))}">{_e(f.name)}</a>',
                    _e(f.version),
                    str(f.assessable),
                    *(str(f.counts.get(s, 0)) for s in RequirementStatus),
                    _share(f.share_met),
                ]
                for f in report.frameworks
            ],
            numeric=range(2, 4 + len(RequirementStatus)),
        )
        out.append('<dl class="meanings">')
        out += [
            f"<dt>{_status(status)}</dt><dd>{_e(meaning)}</dd>" for status, meaning in STATUS_MEANINGS.items()
        ]
        out.append("</dl>")
    out.append("</section>")
    return out


def _framework(framework: FrameworkReport, known: set[str]) -> list[str]:
    out = [
        f'<section class="framework" id="{_e(_anchor("framework", framework.key))}">',
        f"<h2>{_e(framework.name)} {_e(framework.version)}</h2>",
        f"<p>Framework key <code>{_e(framework.key)}</code>: {framework.assessable} assessable requirements, "
        f"{_share(framework.share_met)} of those in scope met.</p>",
    ]
    out += _table(
        f"{framework.name}: requirements by status",
        ["Status", "Requirements"],
        [[_status(status), str(framework.counts.get(status, 0))] for status in RequirementStatus],
        numeric=[1],
    )
    out += ["<h3>Requirements</h3>", '<div class="scroll">', "<table>"]
    out.append(f"<caption>{_e(framework.name)}: requirements and the controls behind them</caption>")
    out.append(
        "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in _REQUIREMENT_HEADERS) + "</tr></thead>"
    )
    out.append("<tbody>")
    parents = {r.id: r.parent for r in framework.requirements}
    for requirement in framework.requirements:
        out.append(_requirement_row(framework.key, requirement, _depth(requirement.id, parents), known))
    out += ["</tbody>", "</table>", "</div>", "</section>"]
    return out


_REQUIREMENT_HEADERS = ("Requirement", "Title", "Status", "Controls", "Notes")


def _requirement_row(key: str, requirement: RequirementResult, depth: int, known: set[str]) -> str:
    controls = []
    for mapped in requirement.controls:
        name = _control_link(mapped.control, known)
        status = _status(mapped.status) if mapped.status is not None else "not run"
        controls.append(f"<li>{name} {status} {_e(CONTROL_COVERAGE[mapped.coverage])}</li>")
    notes = [f"<li>{_e(note)}</li>" for note in requirement_notes(requirement)]
    words = coverage_words(requirement) if not requirement.heading else ""
    coverage = f'<br><span class="coverage">{_e(words)}</span>' if words else ""
    row_class = ' class="heading"' if requirement.heading else ""
    # Indentation shows the hierarchy; it is also spelt out by the parent id in the heading rows above.
    indent = f' style="padding-left: {0.5 + 1.25 * depth:g}em"' if depth else ""
    return (
        f'<tr id="{_e(_anchor("req", key, requirement.id))}"{row_class}>'
        f'<th scope="row"{indent}>{_e(requirement.id)}</th>'
        f"<td>{_e(requirement.title)}</td>"
        f"<td>{_status(requirement.status)}{coverage}</td>"
        f"<td>{_list(controls)}</td>"
        f"<td>{_list(notes)}</td></tr>"
    )


def control_facts(
    control: ControlEntry,
    requirements: set[tuple[str, str]],
    defined_in: Callable[[str, str], str] | None = None,
) -> list[tuple[str, str]]:
    """A control's facts as (label, HTML) pairs, shared by this report and the evidence pack's index.

    ``defined_in(file, "file:line")`` renders the source location (the pack links it to its copy).
    """
    facts = [
        ("Status", _status(control.status)),
        ("Severity", _e(control.severity.value)),
        ("Domain", _e(control.domain)),
        ("Claim", _e(control.claim)),
    ]
    if control.reason:
        facts.append(("Reason", _e(control.reason)))
    if control.file:
        where = f"{control.file}:{control.line}" if control.line is not None else control.file
        rendered = defined_in(control.file, where) if defined_in is not None else None
        facts.append(("Defined in", rendered or f"<code>{_e(where)}</code>"))
    if control.mappings:
        # A mapping into a framework left out of this report has no row to link to.
        links = [
            f'<a href="#{_e(_anchor("req", key, req))}">{_e(key)} {_e(req)}</a>'
            if (key, req) in requirements
            else f"{_e(key)} {_e(req)}"
            for key, reqs in control.mappings.items()
            for req in reqs
        ]
        facts.append(("Mappings", ", ".join(links)))
    if control.waiver is not None:
        waiver = control.waiver
        facts.append(
            (
                "Waiver",
                f"{_e(waiver.ticket)}, approved by {_e(waiver.approver)}, until {_day(waiver.expires)}: "
                f"{_e(waiver.justification)}",
            )
        )
    return facts


def findings_table(control: ControlEntry) -> list[str]:
    """A control's findings as a table, shared by this report and the evidence pack's index."""
    return _table(
        f"{control.control}: findings",
        ["Resource", "Rule", "Message", "Waived by"],
        [
            [
                _e(f.resource or "(the control as a whole)"),
                _e(f.rule),
                _e(f.message),
                _e(f.waived_by or ""),
            ]
            for f in control.findings
        ],
    )


def _controls(controls: Sequence[ControlEntry], requirements: set[tuple[str, str]]) -> list[str]:
    out = ['<section id="controls">', "<h2>Controls</h2>"]
    if not controls:
        out.append("<p>No control was evaluated.</p>")
    for control in controls:
        out += _control(control, requirements)
    out.append("</section>")
    return out


def _control(control: ControlEntry, requirements: set[tuple[str, str]]) -> list[str]:
    anchor = _anchor("control", control.control)
    out = [
        f'<article class="control" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-title">',
        f'<h3 id="{_e(anchor)}-title">{_e(control.control)}: {_e(control.title)}</h3>',
        '<dl class="facts">',
    ]
    facts = control_facts(control, requirements)
    facts += [
        ("Expired waiver", f"{_e(w.ticket)}, expired {_day(w.expires)}") for w in control.expired_waivers
    ]
    facts.append(("Remediation", _e(control.remediation)))
    out += [f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts]
    out.append("</dl>")
    title = f"{control.control}"
    if control.findings:
        out.append("<h4>Findings</h4>")
        out += findings_table(control)
    if control.errors:
        out += ["<h4>Errors</h4>", "<ul>"]
        out += [f"<li>{_e(error)}</li>" for error in control.errors]
        out.append("</ul>")
    if control.evidence:
        out.append("<h4>Evidence read</h4>")
        out += _table(
            f"{title}: evidence read",
            ["Evidence", "Path", "sha256", "Collected at", "Problem"],
            [
                [
                    _e(use.name),
                    _e(use.path or ""),
                    _hash(use.sha256, short=True),
                    _e(_when(use.collected_at)),
                    _e(use.problem or ""),
                ]
                for use in control.evidence
            ],
        )
    out.append("</article>")
    return out


def _evidence(entries: Sequence[EvidenceEntry], known: set[str]) -> list[str]:
    out = ['<section id="evidence">', "<h2>Evidence freshness</h2>"]
    if not entries:
        out.append("<p>No evidence was read.</p>")
    else:
        out += _table(
            "Evidence, its origin and its age at the time of the report",
            [
                "Evidence",
                "Source",
                "Path",
                "sha256",
                "Collected at",
                "As of",
                "Age (days)",
                "Used by",
                "Problem",
            ],
            [
                [
                    _e(entry.name),
                    _e(entry.source or ""),
                    _e(entry.path or ""),
                    _hash(entry.sha256, short=False),
                    _e(_when(entry.collected_at)),
                    _e(_when(entry.as_of)),
                    "" if entry.age_days is None else f"{entry.age_days:g}",
                    ", ".join(_control_link(c, known) for c in entry.used_by),
                    _e(entry.problem or ""),
                ]
                for entry in entries
            ],
            numeric=[6],
        )
    out.append("</section>")
    return out


def _waivers(expiring: Sequence[WaiverNotice], expired: Sequence[WaiverNotice], known: set[str]) -> list[str]:
    out = ['<section id="waivers">', "<h2>Waivers</h2>", "<h3>Expiring within 30 days</h3>"]
    out += _waiver_table("Waivers expiring within 30 days", expiring, known) if expiring else ["<p>None.</p>"]
    out.append("<h3>Expired</h3>")
    out += _waiver_table("Expired waivers", expired, known) if expired else ["<p>None.</p>"]
    out.append("</section>")
    return out


def _waiver_table(caption: str, notices: Sequence[WaiverNotice], known: set[str]) -> list[str]:
    return _table(
        caption,
        ["Control", "Ticket", "Approver", "Expires", "Days left", "Resources", "Justification"],
        [
            [
                _control_link(n.control, known),
                _e(n.waiver.ticket),
                _e(n.waiver.approver),
                _day(n.waiver.expires),
                str(n.days_left),
                _e(", ".join(n.waiver.resources)) if n.waiver.resources is not None else "all",
                _e(n.waiver.justification),
            ]
            for n in notices
        ],
        numeric=[4],
    )


def _table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()
) -> list[str]:
    """A table whose cells are HTML already escaped by the caller; caption and headers are plain text."""
    right = set(numeric)

    def cls(index: int) -> str:
        return ' class="num"' if index in right else ""

    out = ['<div class="scroll">', "<table>", f"<caption>{_e(caption)}</caption>", "<thead><tr>"]
    out += [f'<th scope="col"{cls(i)}>{_e(h)}</th>' for i, h in enumerate(headers)]
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td{cls(i)}>{cell}</td>" for i, cell in enumerate(row)) + "</tr>")
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
