"""The organisation report (:class:`assay.org.OrgReport`): terminal, JSON and Markdown.

Account names are folder names and findings quote evidence: both are untrusted. The terminal text
passes every value through :func:`~assay.safe_text.terminal_safe` on one line; the Markdown through
the gap report's cell escaping (pipes, brackets, HTML, line breaks, control characters).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from assay.model import ControlStatus, RequirementStatus
from assay.org import NOT_EVALUATED, AccountEntry, FrameworkSummary, OrgReport
from assay.render.markdown import _cell, _table
from assay.safe_text import terminal_safe

MAX_NAMED = 10  # accounts named in one line before "and N more"
MAX_FINDINGS = 20  # findings listed per control and account in Markdown
_BAD = (ControlStatus.FAIL.value, ControlStatus.ERROR.value)


def render_json(report: OrgReport) -> str:
    return json.dumps(report.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) every JSON organisation report validates against."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "org-report.schema.json",
        "title": "assay organisation report",
        **OrgReport.model_json_schema(mode="serialization"),
    }


# --- terminal ---------------------------------------------------------------------------------------


def render_terminal(report: OrgReport) -> str:
    s = report.summary
    lines = [
        _line(
            f"assay organisation report · {report.root} · {_when(report)} · backend {report.backend} "
            f"· assay {report.assay_version}"
        ),
        "",
        f"Accounts: {s['accounts']} · passing {s['passing']} · failing {s['failing']} "
        f"· not evaluated {s[NOT_EVALUATED]}",
    ]
    failing = [c for c in report.controls if c.failing_accounts]
    if failing:
        lines += ["", "Controls failing or erroring in some account:"]
        for control in sorted(failing, key=lambda c: (-len(c.failing_accounts), c.control)):
            counts = ", ".join(f"{k} {v}" for k, v in control.counts.items() if v)
            lines.append(_line(f"  {control.control} ({control.severity.value}) {control.title}: {counts}"))
            lines.append(_line(f"    in {_named(control.failing_accounts)}"))
    for framework in report.frameworks:
        lines += ["", *_terminal_framework(framework, s["evaluated"])]
    lines += ["", "Accounts:"]
    for account in report.accounts:
        lines.append(_line(f"  {account.account}: {_account_words(account)}"))
    return "\n".join(lines) + "\n"


def _terminal_framework(framework: FrameworkSummary, evaluated: int) -> list[str]:
    everywhere = sum(r.met == evaluated for r in framework.requirements) if evaluated else 0
    lines = [
        _line(
            f"{framework.name} {framework.version}: {len(framework.requirements)} requirements, "
            f"{everywhere} met in every evaluated account"
        )
    ]
    for requirement in framework.requirements:
        if requirement.not_met_accounts:
            lines.append(
                _line(
                    f"  {requirement.id} met in {requirement.met} of {evaluated}; "
                    f"not met in {_named(requirement.not_met_accounts)}"
                )
            )
    return lines


def _account_words(account: AccountEntry) -> str:
    if not account.evaluated:
        return f"NOT EVALUATED: {account.error}"
    counts = ", ".join(f"{k} {v}" for k, v in account.summary.items() if v)
    return f"{'FAILING' if account.failing else 'passing'} ({counts})"


def _line(text: str) -> str:
    """One line of the report: its indent kept, the rest folded onto one line and made safe."""
    indent = len(text) - len(text.lstrip(" "))
    return " " * indent + terminal_safe(" ".join(text.split()))


def _named(accounts: Sequence[str]) -> str:
    shown = ", ".join(accounts[:MAX_NAMED])
    more = len(accounts) - MAX_NAMED
    return shown + (f" and {more} more" if more > 0 else "")


def _when(report: OrgReport) -> str:
    text = report.generated_at.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# --- Markdown -----------------------------------------------------------------------------------------


def render_markdown(report: OrgReport) -> str:
    s = report.summary
    lines = [
        "# assay organisation report",
        "",
        f"{_cell(report.root)}, generated {_cell(_when(report))} by assay {_cell(report.assay_version)} "
        f"with the {_cell(report.backend)} backend.",
        "",
        "## Accounts",
        "",
        *_table(
            ["Accounts", "Evaluated", "Passing", "Failing", "Not evaluated"],
            [[str(s[key]) for key in ("accounts", "evaluated", "passing", "failing", NOT_EVALUATED)]],
            right=[0, 1, 2, 3, 4],
        ),
        "",
        *_table(
            ["Account", "Result", *(status.value for status in ControlStatus)],
            [
                [
                    a.account,
                    _account_result(a),
                    *(str(a.summary.get(st.value, 0)) if a.evaluated else "-" for st in ControlStatus),
                ]
                for a in report.accounts
            ],
            right=list(range(2, 2 + len(ControlStatus))),
        ),
        "",
        "## Controls across the organisation",
        "",
        *_table(
            ["Control", "Title", "Severity", *(st.value for st in ControlStatus), NOT_EVALUATED, "Failing"],
            [
                [
                    c.control,
                    c.title,
                    c.severity.value,
                    *(str(c.counts.get(st.value, 0)) for st in ControlStatus),
                    str(c.counts.get(NOT_EVALUATED, 0)),
                    _named(c.failing_accounts),
                ]
                for c in report.controls
            ],
            right=list(range(3, 4 + len(ControlStatus))),
        ),
    ]
    for framework in report.frameworks:
        lines += _markdown_framework(framework)
    for account in report.accounts:
        lines += _markdown_account(account)
    return "\n".join(lines) + "\n"


def _account_result(account: AccountEntry) -> str:
    if not account.evaluated:
        return f"not evaluated: {account.error}"
    return "failing" if account.failing else "passing"


def _markdown_framework(framework: FrameworkSummary) -> list[str]:
    statuses = [RequirementStatus.MET, RequirementStatus.MET_WITH_EXCEPTIONS, RequirementStatus.PARTIALLY_MET]
    statuses += [RequirementStatus.NOT_MET, RequirementStatus.NOT_ASSESSED]
    return [
        "",
        f"## {_cell(framework.name)} {_cell(framework.version)}: accounts meeting each requirement",
        "",
        *_table(
            ["Requirement", "Title", *(st.value for st in statuses), "Not met in"],
            [
                [
                    r.id,
                    r.title,
                    *(str(r.counts.get(st.value, 0)) for st in statuses),
                    _named(r.not_met_accounts),
                ]
                for r in framework.requirements
            ],
            right=list(range(2, 2 + len(statuses))),
        ),
    ]


def _markdown_account(account: AccountEntry) -> list[str]:
    lines = ["", f"## Account {_cell(account.account)}", "", f"Evidence: `{_code(account.evidence)}`", ""]
    if not account.evaluated:
        return [*lines, f"Not evaluated: {_cell(account.error or '')}"]
    bad = [c for c in account.controls if c.status.value in _BAD]
    if not bad:
        return [*lines, "No control fails or errors."]
    for control in bad:
        lines.append(f"- **{_cell(control.control)}** {control.status.value}: {_cell(control.reason or '')}")
        for finding in control.findings[:MAX_FINDINGS]:
            waived = f" (waived by {_cell(finding.waived_by)})" if finding.waived_by else ""
            lines.append(f"  - {_cell(finding.resource or '')}: {_cell(finding.message)}{waived}")
        shown = min(len(control.findings), MAX_FINDINGS)
        if control.findings_total > shown:
            lines.append(f"  - … and {control.findings_total - shown} more")
    return lines


def _code(text: str) -> str:
    return _cell(text).replace("`", "'")


Renderer = Callable[[OrgReport], str]
FORMATS: dict[str, tuple[str, Renderer]] = {
    "terminal": (".txt", render_terminal),
    "json": (".json", render_json),
    "markdown": (".md", render_markdown),
}


def format_for(name: str | None, output: str | None) -> str | None:
    """The organisation report's format: ``name``, else the one ``output``'s extension names, else None."""
    if name is not None:
        return name if name in FORMATS else None
    if output is None:
        return "terminal"
    return next((key for key, (extension, _) in FORMATS.items() if output.endswith(extension)), None)


def render(report: OrgReport, name: str) -> str:
    return FORMATS[name][1](report)
