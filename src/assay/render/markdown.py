"""The full gap report as GitHub Markdown, for a pull request, a wiki page or an audit folder.

Text from the report is untrusted: a pipe would split a table cell, a newline would end the table,
raw HTML would be interpreted by some viewers, brackets would make a link or an image that fetches a
URL, and control characters would reach whoever reads the file in a terminal, so every value passes
through :func:`_cell`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from assay.gaps import ControlEntry, FrameworkReport, Report, RequirementResult, WaiverNotice
from assay.model import ControlStatus, RequirementStatus
from assay.render import RenderOptions
from assay.render.words import STATUS_MEANINGS, coverage_words, mapped_words, requirement_notes
from assay.safe_text import terminal_safe

_NEWLINES = re.compile(r"\r\n|\r|\n")
# An ampersand is only special when it starts something a viewer would read as an entity.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def render(report: Report, options: RenderOptions) -> str:
    lines: list[str] = [
        "# assay gap report",
        "",
        f"Generated {_when(report.generated_at)} by assay {_cell(report.assay_version)} "
        f"with the {_cell(report.backend)} backend.",
    ]
    lines += _summary(report)
    for framework in report.frameworks:
        lines += _framework(framework, report)
    lines += _controls(report.controls)
    lines += _evidence(report)
    lines += _waivers(report.waivers_expiring, report.expired_waivers)
    if report.problems:
        lines += ["", "## Problems", ""]
        lines += [f"- {_cell(problem)}" for problem in report.problems]
    return "\n".join(lines) + "\n"


def _summary(report: Report) -> list[str]:
    lines = ["", "## Summary", ""]
    lines += _table(
        ["Control status", "Controls"],
        [[status.value, str(report.summary.get(status, 0))] for status in ControlStatus]
        + [["**total**", f"**{sum(report.summary.values())}**"]],
        right=[1],
    )
    if report.frameworks:
        lines.append("")
        lines += _table(
            ["Framework", "Version", "Assessable", *(s.value for s in RequirementStatus), "Share met"],
            [
                [
                    _link(f.name, _framework_anchor(f)),
                    f.version,
                    str(f.assessable),
                    *(str(f.counts.get(s, 0)) for s in RequirementStatus),
                    _share(f.share_met),
                ]
                for f in report.frameworks
            ],
            right=list(range(2, 4 + len(RequirementStatus))),  # the counts and the share
            raw=[0],
        )
        lines += ["", "What the requirement statuses mean:", ""]
        lines += [f"- `{status.value}`: {meaning}" for status, meaning in STATUS_MEANINGS.items()]
    return lines


def _framework(framework: FrameworkReport, report: Report) -> list[str]:
    lines = ["", f'<a name="{_framework_anchor(framework)}"></a>', ""]
    lines += [f"## {_cell(framework.name)} {_cell(framework.version)}", ""]
    lines.append(
        f"Framework key `{framework.key}`: {framework.assessable} assessable requirements, "
        f"{_share(framework.share_met)} of those in scope met."
    )
    lines.append("")
    lines += _table(
        ["Status", "Requirements"],
        [[status.value, str(framework.counts.get(status, 0))] for status in RequirementStatus],
        right=[1],
    )
    lines += ["", "### Requirements", ""]
    known = {control.control for control in report.controls}
    rows = [_requirement_row(requirement, known) for requirement in framework.requirements]
    lines += _table(["Requirement", "Title", "Status", "Controls", "Notes"], rows, raw=[0, 1, 3])
    return lines


def _requirement_row(requirement: RequirementResult, known: set[str]) -> list[str]:
    controls = []
    for mapped in requirement.controls:
        words = mapped_words(mapped)
        if mapped.control in known:
            link = _link(mapped.control, _control_anchor(mapped.control))
            words = link + _cell(words[len(mapped.control) :])
        else:
            words = _cell(words)
        controls.append(words)
    notes = requirement_notes(requirement)
    ident, title = _cell(requirement.id), _cell(requirement.title)
    if requirement.heading:
        # Headings group the rows below them; bold sets them apart within a single table.
        ident, title = f"**{ident}**", f"**{title}**"
    elif requirement.parent is not None:
        ident = f"↳ {ident}"
    status = requirement.status.value
    if requirement.coverage is not None and not requirement.heading:
        status += f" ({coverage_words(requirement)})"
    return [ident, title, status, ", ".join(controls), "; ".join(notes)]


def _controls(controls: Sequence[ControlEntry]) -> list[str]:
    lines = ["", "## Controls"]
    for control in controls:
        lines += ["", f'<a name="{_control_anchor(control.control)}"></a>', ""]
        lines += [f"### {_cell(control.control)}: {_cell(control.title)}", ""]
        lines += [f"- **{label}:** {value}" for label, value in _control_facts(control)]
        lines += _control_details(control)
    return lines


def _control_facts(control: ControlEntry) -> list[tuple[str, str]]:
    """The labelled facts listed under a control's heading, already escaped."""
    facts = [
        ("Status", f"**{control.status.value}**"),
        ("Severity", control.severity.value),
        ("Domain", _cell(control.domain)),
        ("Claim", _cell(control.claim)),
    ]
    if control.reason:
        facts.append(("Reason", _cell(control.reason)))
    if control.file:
        where = f"{control.file}:{control.line}" if control.line is not None else control.file
        facts.append(("Defined in", _cell(where)))
    if control.mappings:
        facts.append(
            (
                "Mappings",
                "; ".join(f"{_cell(k)} {_cell(', '.join(v))}" for k, v in control.mappings.items()),
            )
        )
    if control.waiver is not None:
        waiver = control.waiver
        facts.append(
            (
                "Waiver",
                f"{_cell(waiver.ticket)} approved by {_cell(waiver.approver)} until "
                f"{_day(waiver.expires)}: {_cell(waiver.justification)}",
            )
        )
    facts += [
        ("Expired waiver", f"{_cell(w.ticket)} (expired {_day(w.expires)})") for w in control.expired_waivers
    ]
    facts.append(("Remediation", _cell(control.remediation)))
    return facts


def _control_details(control: ControlEntry) -> list[str]:
    """The control's findings, errors and evidence read, each a subsection when there are any."""
    lines: list[str] = []
    if control.findings:
        lines += ["", "#### Findings", ""]
        lines += _table(
            ["Resource", "Rule", "Message", "Waived by"],
            [[f.resource or "(control)", f.rule, f.message, f.waived_by or ""] for f in control.findings],
        )
    if control.errors:
        lines += ["", "#### Errors", ""]
        lines += [f"- {_cell(error)}" for error in control.errors]
    if control.evidence:
        lines += ["", "#### Evidence read", ""]
        lines += _table(
            ["Evidence", "Path", "sha256", "Collected at", "Problem"],
            [
                [use.name, use.path or "", _short(use.sha256), _when(use.collected_at), use.problem or ""]
                for use in control.evidence
            ],
        )
    return lines


def _evidence(report: Report) -> list[str]:
    lines = ["", "## Evidence freshness", ""]
    if not report.evidence:
        return [*lines, "No evidence was read."]
    rows = [
        [
            entry.name,
            entry.source or "",
            entry.path or "",
            _short(entry.sha256),
            _when(entry.collected_at),
            _when(entry.as_of),
            "" if entry.age_days is None else f"{entry.age_days:g}",
            ", ".join(entry.used_by),
            entry.problem or "",
        ]
        for entry in report.evidence
    ]
    headers = [
        "Evidence",
        "Source",
        "Path",
        "sha256",
        "Collected at",
        "As of",
        "Age (days)",
        "Used by",
        "Problem",
    ]
    return lines + _table(headers, rows, right=[6])


def _waivers(expiring: Sequence[WaiverNotice], expired: Sequence[WaiverNotice]) -> list[str]:
    lines = ["", "## Waivers", "", "### Expiring within 30 days", ""]
    lines += _waiver_table(expiring) if expiring else ["None."]
    lines += ["", "### Expired", ""]
    lines += _waiver_table(expired) if expired else ["None."]
    return lines


def _waiver_table(notices: Sequence[WaiverNotice]) -> list[str]:
    return _table(
        ["Control", "Ticket", "Approver", "Expires", "Days left", "Resources", "Justification"],
        [
            [
                n.control,
                n.waiver.ticket,
                n.waiver.approver,
                _day(n.waiver.expires),
                str(n.days_left),
                ", ".join(n.waiver.resources) if n.waiver.resources is not None else "all",
                n.waiver.justification,
            ]
            for n in notices
        ],
        right=[4],
    )


def _table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[int] = (),
    raw: Sequence[int] = (),
) -> list[str]:
    """A GFM table. Columns in ``raw`` already hold Markdown made by this module; the rest is escaped."""
    rule = ["---:" if i in right else "---" for i in range(len(headers))]
    lines = [_row(headers), _row(rule)]
    for row in rows:
        lines.append(_row([cell if i in raw else _cell(cell) for i, cell in enumerate(row)]))
    return lines


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _cell(text: str) -> str:
    """Text made safe for a table cell or a single Markdown line."""
    text = terminal_safe(_NEWLINES.sub("\n", text), multiline=True)
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\n", "<br>")


def _link(text: str, anchor: str) -> str:
    return f"[{_cell(text)}](#{anchor})"


def _control_anchor(control_id: str) -> str:
    return "control-" + _slug(control_id)


def _framework_anchor(framework: FrameworkReport) -> str:
    return "framework-" + _slug(framework.key)


def _slug(text: str) -> str:
    # Lower-case like GitHub's own heading anchors; anything unusual becomes a hyphen.
    return re.sub(r"[^a-z0-9_.-]", "-", text.lower())


def _share(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f}%"


def _short(sha256: str | None) -> str:
    return f"`{sha256[:12]}`" if sha256 and re.fullmatch(r"[0-9a-fA-F]+", sha256) else (sha256 or "")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(day: date) -> str:
    return day.isoformat()
