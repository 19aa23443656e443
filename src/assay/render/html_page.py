"""The gap report as one self-contained HTML page that an auditor can open offline, read and print.

What needs attention comes first: after the summary, the controls that fail, error or could not be
assessed, and the controls section lists them before the rest. Each framework has a coverage bar and a
requirement table that can be filtered by status (:mod:`assay.render.html_charts`); printing gives one
framework per page with every row shown.

Nothing is fetched: styles are inline and there is no script, so the file stays readable when it is
archived or mailed, and cannot leak that it was opened. Every value from the report is escaped, since
titles, messages and evidence paths come from files anyone in the organisation may edit; control
characters are shown as escapes (``\\x1b``), so the page is also safe to read with ``cat``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

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
from assay.render.html_base import (
    _anchor,
    _control_link,
    _day,
    _depth,
    _e,
    _hash,
    _list,
    _share,
    _status,
    _when,
    page_head,
    requirement_text,
)
from assay.render.html_base import _table as _base_table
from assay.render.html_charts import ATTENTION, CHART_CSS, CONTROL_ORDER, coverage_bar, legend, status_filter
from assay.render.words import CONTROL_COVERAGE, STATUS_MEANINGS, coverage_words, requirement_notes

# Text colours on tinted backgrounds all keep a contrast ratio above 7:1 (WCAG AAA); the status word
# is always written out, so the colour is never the only carrier of meaning.
_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: #1a1a1a; background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { border-bottom: 2px solid #1a1a1a; margin-bottom: 1rem; }
h1, h2, h3, h4 { overflow-wrap: break-word; hyphens: manual; }
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
th, td { border: 1px solid #8c8c8c; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
td { overflow-wrap: anywhere; }
td.words { overflow-wrap: break-word; min-width: 7em; }
th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
thead th { background: #ececec; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.heading th, tr.heading td { background: #f3f3f3; font-weight: 600; }
ul.plain { list-style: none; margin: 0; padding: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2rem 1rem;
  margin: 0.5rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: break-word; }
@media (max-width: 40rem) {
  body { padding: 0.75rem 0.75rem 2rem; }
  table.cards, .cards caption, .cards tbody, .cards tr, .cards th, .cards td { display: block; }
  .cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  .cards tr { border: 1px solid #8c8c8c; border-radius: 0.25rem; margin: 0 0 0.6rem; }
  .cards th, .cards td { border: 0; padding: 0.2rem 0.5rem; overflow-wrap: break-word; }
  .cards td.num { text-align: left; }
  .cards td:empty { display: none; }
  .cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; }
  dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dl.facts dd { margin-bottom: 0.4rem; }
}
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


def render(report: Report, options: RenderOptions) -> str:
    when = _when(report.generated_at)
    out = [
        *page_head(f"assay gap report, {when}", report.assay_version, _CSS + CHART_CSS),
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
    out += _attention(report.controls)
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
    if _needing_attention(report.controls):
        entries.append(("attention", "Needs attention"))
    entries += [(_anchor("framework", f.key), f.name) for f in report.frameworks]
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
        out += ["<h3>Requirements by framework</h3>", '<ul class="bars">']
        out += [
            f'<li><a href="#{_e(_anchor("framework", f.key))}">{_e(f.name)}</a>: '
            f"{_share(f.share_met)} of the requirements in scope met"
            f"{coverage_bar(f.name, f.counts, _anchor('summary-bar', f.key))}</li>"
            for f in report.frameworks
        ]
        present = {
            s.value: sum(f.counts.get(s.value, 0) for f in report.frameworks) for s in RequirementStatus
        }
        out += ["</ul>", f'<div class="meta">Colours in the bars: {legend(present, numbers=False)}</div>']
        out += _table(
            "Requirements by framework and status",
            ["Framework", "Assessable", *(s.value for s in RequirementStatus), "Share met"],
            [
                [
                    f'<a href="#{_e(_anchor("framework", f.key))}">{_e(f.name)}</a>',
                    str(f.assessable),
                    *(str(f.counts.get(s, 0)) for s in RequirementStatus),
                    _share(f.share_met),
                ]
                for f in report.frameworks
            ],
            numeric=range(1, 3 + len(RequirementStatus)),
        )
        out.append('<dl class="meanings">')
        out += [
            f"<dt>{_status(status)}</dt><dd>{_e(meaning)}</dd>" for status, meaning in STATUS_MEANINGS.items()
        ]
        out.append("</dl>")
    out.append("</section>")
    return out


def _needing_attention(controls: Sequence[ControlEntry]) -> list[ControlEntry]:
    """The failing, erroring and not assessed controls, in that order, the most severe first within each."""
    wanted = [c for c in controls if CONTROL_ORDER[c.status] < CONTROL_ORDER[ControlStatus.WAIVED]]
    return sorted(wanted, key=lambda c: (CONTROL_ORDER[c.status], -c.severity.rank))


def _attention(controls: Sequence[ControlEntry]) -> list[str]:
    wanted = _needing_attention(controls)
    if not wanted:
        return []
    rows = []
    for control in wanted:
        why = control.reason or (control.errors[0] if control.errors else "")
        if control.findings:
            why = control.findings[0].message
            if len(control.findings) > 1:
                why += f" (and {len(control.findings) - 1} more findings)"
        link = f'<a href="#{_e(_anchor("control", control.control))}">{_e(control.control)}</a>'
        rows.append([link, _status(control.status), _e(control.severity.value), _e(control.title), _e(why)])
    out = ['<section id="attention">', "<h2>Needs attention</h2>"]
    out.append("<p>Controls that fail, could not run or could not be assessed, the most severe first.</p>")
    out += _table("Controls needing attention", ["Control", "Status", "Severity", "Title", "Why"], rows)
    out.append("</section>")
    return out


def _framework(framework: FrameworkReport, known: set[str]) -> list[str]:
    anchor = _anchor("framework", framework.key)
    gaps = [r for r in framework.requirements if not r.heading and r.status in ATTENTION[:2]]
    out = [
        f'<section class="framework" id="{_e(anchor)}" aria-labelledby="{_e(anchor)}-title">',
        f'<h2 id="{_e(anchor)}-title">{_e(framework.name)}</h2>',
        f'<p class="meta">Version {_e(framework.version)}, framework key <code>{_e(framework.key)}</code>: '
        f"{framework.assessable} assessable requirements, "
        f"{_share(framework.share_met)} of those in scope met.</p>",
        '<figure class="coverage">',
        coverage_bar(framework.name, framework.counts, _anchor("bar", framework.key)),
        f"<figcaption>{legend(framework.counts)}</figcaption>",
        "</figure>",
    ]
    if gaps:
        links = ", ".join(
            f'<a href="#{_e(_anchor("req", framework.key, r.id))}">{_e(r.id)}</a> ({_e(r.status.value)})'
            for r in gaps
        )
        out.append(f"<p>Not met or not assessed: {links}.</p>")
    out += ['<div class="filterable">', *status_filter(framework.key, framework.counts)]
    out += ['<div class="scroll">', '<table class="cards">']
    out.append("<caption>Requirements and the controls behind them</caption>")
    out.append(
        "<thead><tr>" + "".join(f'<th scope="col">{h}</th>' for h in _REQUIREMENT_HEADERS) + "</tr></thead>"
    )
    out.append("<tbody>")
    parents = {r.id: r.parent for r in framework.requirements}
    for requirement in framework.requirements:
        out.append(_requirement_row(framework.key, requirement, _depth(requirement.id, parents), known))
    out += ["</tbody>", "</table>", "</div>", "</div>", "</section>"]
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
    text = requirement_text(requirement.parameters, requirement.parts)
    row_class += f' data-status="{_e(requirement.status.value)}"'
    # Indentation shows the hierarchy; it is also spelt out by the parent id in the heading rows above.
    indent = f' style="padding-left: {0.5 + 1.25 * depth:g}em"' if depth else ""
    return (
        f'<tr id="{_e(_anchor("req", key, requirement.id))}"{row_class}>'
        f'<th scope="row"{indent}>{_e(requirement.id)}</th>'
        f'<td class="words" data-label="Title">{_e(requirement.title)}{text}</td>'
        f'<td data-label="Status">{_status(requirement.status)}{coverage}</td>'
        f'<td data-label="Controls">{_list(controls)}</td>'
        f'<td class="words" data-label="Notes">{_list(notes)}</td></tr>'
    )


def _table(
    caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()
) -> list[str]:
    """This report's tables turn into cards on a narrow screen (the pack index keeps plain tables).

    Columns of prose keep their words whole; the others (paths, hashes, resource ids) may break anywhere.
    """
    words = [i for i, header in enumerate(headers) if header in _PROSE_COLUMNS]
    return _base_table(caption, headers, rows, numeric, cards=True, words=words)


_PROSE_COLUMNS = frozenset({"Title", "Justification", "Severity", "Status"})


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


def findings_table(control: ControlEntry, *, cards: bool = False) -> list[str]:
    """A control's findings as a table, shared by this report and the evidence pack's index."""
    return _base_table(
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
        cards=cards,
    )


def _controls(controls: Sequence[ControlEntry], requirements: set[tuple[str, str]]) -> list[str]:
    out = ['<section id="controls">', "<h2>Controls</h2>"]
    if not controls:
        out.append("<p>No control was evaluated.</p>")
    # What needs attention first: fail, error, not_assessed, waived, then pass; the most severe first.
    for control in sorted(controls, key=lambda c: (CONTROL_ORDER[c.status], -c.severity.rank)):
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
    if control.findings:  # the table's caption names it: no heading repeating it
        out += findings_table(control, cards=True)
    if control.errors:
        out += ["<h4>Errors</h4>", "<ul>"]
        out += [f"<li>{_e(error)}</li>" for error in control.errors]
        out.append("</ul>")
    if control.evidence:
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
