"""The terminal summary: what a person at a prompt needs to act on, not the full matrix.

Status words are always printed, so the output reads the same without colour (pipes, CI logs, colour
blindness); colour only underlines them, and only when the caller asks for it. Every piece of text from
the report passes through :func:`~assay.safe_text.terminal_safe` before it is laid out, so the only
escape codes in the output are the ones added here.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from assay.gaps import ControlEntry, FrameworkReport, Report, WaiverNotice
from assay.model import ControlStatus, RequirementStatus
from assay.render import RenderOptions
from assay.render.words import REQUIREMENT_COVERAGE
from assay.safe_text import terminal_safe
from assay.verdicts import NOT_IN_SCOPE

# Below this, wrapping produces one word a line and stops helping anyone.
_MIN_WIDTH = 40
# A control that fails on hundreds of resources would bury the rest of the summary.
_MAX_DETAILS = 5

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_STYLES = {
    ControlStatus.PASS: "\x1b[32m",
    ControlStatus.FAIL: "\x1b[1;31m",
    ControlStatus.ERROR: "\x1b[1;35m",
    ControlStatus.NOT_ASSESSED: "\x1b[33m",
    ControlStatus.WAIVED: "\x1b[36m",
    RequirementStatus.MET: "\x1b[32m",
    RequirementStatus.MET_WITH_EXCEPTIONS: "\x1b[36m",
    RequirementStatus.PARTIALLY_MET: "\x1b[36m",
    RequirementStatus.NOT_MET: "\x1b[1;31m",
    RequirementStatus.NOT_ASSESSED: "\x1b[33m",
    RequirementStatus.NOT_COVERED: "\x1b[33m",
    RequirementStatus.OUT_OF_SCOPE: "\x1b[2m",
    RequirementStatus.SUPERSEDED: "\x1b[2m",
    RequirementStatus.BEST_PRACTICE: "\x1b[2m",
}
_EXPIRED_STYLE = "\x1b[31m"
_EXPIRING_STYLE = "\x1b[33m"


class _Writer:
    """Collects lines, wrapping each to the width and styling only where colour is wanted."""

    def __init__(self, options: RenderOptions) -> None:
        self.width = max(options.width, _MIN_WIDTH)
        self.color = options.color
        self.lines: list[str] = []

    def style(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    def blank(self) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, text: str) -> None:
        self.blank()
        self.lines.append(self.style(_clip(text, self.width), _BOLD))

    def item(
        self, text: str, *, indent: int = 2, badge: str = "", badge_style: str = "", label: str = ""
    ) -> None:
        """One wrapped entry. With a badge or label, continuation lines hang under the text after them,
        so a wrapped title never lines up with the details printed below it."""
        label = _one_line(label)  # a control id, from a file; the badge is a status word of assay's
        lead = " " * indent + "".join(part + " " for part in (badge, label) if part)
        # An unusually long label must not leave the continuation lines without room.
        hang = min(len(lead) if badge or label else indent + 2, self.width // 2)
        wrapped = textwrap.wrap(
            _one_line(text),
            width=self.width,
            initial_indent=lead,
            subsequent_indent=" " * hang,
            break_on_hyphens=False,
        ) or [lead.rstrip()]
        if badge and badge_style and self.color:
            word = badge.rstrip()
            first = wrapped[0]
            wrapped[0] = first[:indent] + self.style(word, badge_style) + first[indent + len(word) :]
        self.lines.extend(wrapped)

    def segments(self, parts: Sequence[tuple[str, str]], *, indent: int = 2) -> None:
        """Short (text, style) parts joined by dots, packed so that no part is split across lines."""
        rows: list[list[tuple[str, str]]] = [[]]
        used = indent
        for text, style in parts:
            # A part wider than a line can only be cut, never wrapped, without splitting it.
            text = _clip(text, self.width - indent - 2)
            needed = len(text) + (3 if rows[-1] else 0)
            if rows[-1] and used + needed > self.width:
                rows.append([])
                used, needed = indent + 2, len(text)
            rows[-1].append((text, style))
            used += needed
        for number, row in enumerate(rows):
            lead = " " * (indent if number == 0 else indent + 2)
            self.lines.append(lead + " · ".join(self.style(t, s) if s else t for t, s in row))

    def text(self) -> str:
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def render(report: Report, options: RenderOptions) -> str:
    out = _Writer(options)
    out.item(
        f"assay gap report · {_timestamp(report.generated_at)} · backend {report.backend} "
        f"· assay {report.assay_version}",
        indent=0,
    )
    _summary(out, report)
    _frameworks(out, report.frameworks)
    _failing(out, report.controls)
    _not_assessed(out, report.controls)
    _waived(out, report.controls)
    _waivers(out, report.waivers_expiring, report.expired_waivers)
    _problems(out, report)
    return out.text()


def _summary(out: _Writer, report: Report) -> None:
    out.blank()
    total = sum(report.summary.values())
    out.segments(
        [(f"Controls: {total}", _BOLD)]
        + [
            (f"{report.summary.get(s, 0)} {s.value}", _STYLES[s] if report.summary.get(s) else "")
            for s in ControlStatus
        ],
        indent=0,
    )


def _frameworks(out: _Writer, frameworks: Sequence[FrameworkReport]) -> None:
    if not frameworks:
        return
    out.heading("Frameworks")
    for framework in frameworks:
        share = "n/a" if framework.share_met is None else _percent(framework.share_met)
        in_scope = framework.assessable - sum(framework.counts.get(s, 0) for s in NOT_IN_SCOPE)
        counts = [s for s in RequirementStatus if framework.counts.get(s) or s is RequirementStatus.MET]
        out.segments(
            # The key first: it is what --framework takes, and it keeps the line short. Statuses no
            # requirement has are left out: nine words of zeros would hide the ones that matter.
            [(f"{framework.key}: {share} of {in_scope} in scope met", "")]
            + [
                (f"{framework.counts.get(s, 0)} {s.value}", _STYLES[s] if framework.counts.get(s) else "")
                for s in counts
            ]
        )
        covered = Counter(
            r.coverage for r in framework.requirements if not r.heading and r.coverage is not None
        )
        if covered:
            words = [
                f"{n} {REQUIREMENT_COVERAGE[k]}" for k, n in sorted(covered.items(), key=_coverage_order)
            ]
            out.item("coverage: " + " · ".join(words), indent=4)


def _coverage_order(item: tuple[str, int]) -> int:
    return list(REQUIREMENT_COVERAGE).index(item[0])


def _failing(out: _Writer, controls: Sequence[ControlEntry]) -> None:
    failing = [c for c in controls if c.status in (ControlStatus.FAIL, ControlStatus.ERROR)]
    if not failing:
        return
    # Most severe first: the reader of a summary should meet the critical gaps before the rest.
    failing.sort(key=lambda c: -c.severity.rank)
    out.heading("Failing controls")
    badge_width = max(len(c.status.value) for c in failing)
    for control in failing:
        out.item(
            f"{control.title} [{control.severity.value}]",
            badge=control.status.value.ljust(badge_width),
            badge_style=_STYLES[control.status],
            label=control.control,
        )
        details: list[str] = []
        for finding in control.findings:
            where = f"{finding.resource}: " if finding.resource else ""
            waived = f" (waived: {finding.waived_by})" if finding.waived_by else ""
            details.append(f"{where}{finding.message}{waived}")
        details.extend(control.errors)
        if control.reason and control.reason not in details:
            details.insert(0, control.reason)
        _details(out, details, indent=4 + badge_width)


def _not_assessed(out: _Writer, controls: Sequence[ControlEntry]) -> None:
    pending = [c for c in controls if c.status is ControlStatus.NOT_ASSESSED]
    if not pending:
        return
    out.heading("Not assessed")
    for control in pending:
        out.item(control.title, label=control.control)
        _details(out, [control.reason or "no reason recorded"], indent=4)


def _waived(out: _Writer, controls: Sequence[ControlEntry]) -> None:
    waived = [c for c in controls if c.status is ControlStatus.WAIVED]
    if not waived:
        return
    out.heading("Waived")
    for control in waived:
        out.item(control.title, label=control.control)
        if control.waiver is not None:
            waiver = control.waiver
            note = f"{waiver.ticket} until {waiver.expires.isoformat()}, approved by {waiver.approver}"
        else:
            note = control.reason or "no waiver recorded"
        _details(out, [note], indent=4)


def _waivers(out: _Writer, expiring: Sequence[WaiverNotice], expired: Sequence[WaiverNotice]) -> None:
    if not expiring and not expired:
        return
    out.heading("Waivers")
    for notice in expiring:
        days = f"in {notice.days_left} day{'' if notice.days_left == 1 else 's'}"
        out.item(
            f"{notice.control} {notice.waiver.ticket} expires {notice.waiver.expires.isoformat()} ({days})",
            badge="expiring",
            badge_style=_EXPIRING_STYLE,
        )
    for notice in expired:
        ago = -notice.days_left
        out.item(
            f"{notice.control} {notice.waiver.ticket} expired {notice.waiver.expires.isoformat()} "
            f"({ago} day{'' if ago == 1 else 's'} ago)",
            badge="expired ",
            badge_style=_EXPIRED_STYLE,
        )


def _problems(out: _Writer, report: Report) -> None:
    problems = [
        f"{entry.name}: {entry.problem} (used by {', '.join(entry.used_by) or 'no control'})"
        for entry in report.evidence
        if entry.problem
    ]
    problems.extend(report.problems)
    if not problems:
        return
    out.heading("Evidence problems")
    for problem in problems:
        out.item(problem)


def _details(out: _Writer, details: Sequence[str], *, indent: int) -> None:
    for detail in details[:_MAX_DETAILS]:
        out.item(detail, indent=indent)
    if len(details) > _MAX_DETAILS:
        out.item(f"… and {len(details) - _MAX_DETAILS} more", indent=indent)


def _one_line(text: str) -> str:
    # A message with its own line breaks would escape the hanging indent; textwrap joins on spaces.
    # Whitespace breaks are folded first, then whatever controls remain are shown as escapes.
    return terminal_safe(" ".join(text.split()))


def _clip(text: str, width: int) -> str:
    text = _one_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _percent(share: float) -> str:
    return f"{share * 100:.1f}%"


def _timestamp(moment: datetime) -> str:
    text = moment.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text
