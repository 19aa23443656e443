"""The requirement matrix as CSV: one row per requirement of every framework, for spreadsheets.

Spreadsheets run a cell that starts with a formula character as a formula, and the report carries
text that anyone who edits a control or a mapping can set, so such cells are defused with a leading
apostrophe (the convention spreadsheets themselves use for "this is text").
"""

from __future__ import annotations

import csv
import io

from assay.gaps import Report, RequirementResult, exception_text
from assay.render import RenderOptions

HEADER = (
    "framework",
    "requirement",
    "title",
    "parent",
    "heading",
    "status",
    "coverage",
    "reason",
    "controls",
    "control_statuses",
    "control_coverages",
    "applicability",
    "provider",
    "proven_by",
    "complementary_controls",
    "justification",
    "exceptions",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Lists inside one cell; the two list columns line up entry by entry.
_LIST_SEPARATOR = "; "


def render(report: Report, options: RenderOptions) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for framework in report.frameworks:
        for requirement in framework.requirements:
            writer.writerow([_defused(cell) for cell in _row(framework.key, requirement)])
    return buffer.getvalue()


def _row(framework: str, requirement: RequirementResult) -> list[str]:
    scope = requirement.scope
    return [
        framework,
        requirement.id,
        requirement.title,
        requirement.parent or "",
        "yes" if requirement.heading else "no",
        requirement.status.value,
        requirement.coverage or "",
        requirement.reason or "",
        _LIST_SEPARATOR.join(m.control for m in requirement.controls),
        _LIST_SEPARATOR.join(
            m.status.value if m.status is not None else "not run" for m in requirement.controls
        ),
        _LIST_SEPARATOR.join(m.coverage for m in requirement.controls),
        scope.applicability if scope is not None else "",
        (scope.provider or "") if scope is not None else "",
        (scope.proven_by or "") if scope is not None else "",
        _LIST_SEPARATOR.join(c.control for c in scope.complementary_controls) if scope is not None else "",
        scope.justification if scope is not None else "",
        _LIST_SEPARATOR.join(
            exception_text(m.control, m.waiver) for m in requirement.controls if m.waiver is not None
        ),
    ]


def _defused(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell
