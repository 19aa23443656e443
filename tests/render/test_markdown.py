from __future__ import annotations

import re
from collections.abc import Callable

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import format_for_path, formats, render
from assay.results import Finding

UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def with_failing_control(report: Report, **changes: object) -> Report:
    controls = list(report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    controls[index] = controls[index].model_copy(update=changes)
    return report.model_copy(update={"controls": tuple(controls)})


def tables(text: str) -> list[list[str]]:
    found: list[list[str]] = []
    previous = ""
    for line in text.splitlines():
        if line.startswith("|"):
            if not previous.startswith("|"):
                found.append([])
            found[-1].append(line)
        previous = line
    return found


def test_markdown_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.md", render(sample_report, "markdown"))


def test_markdown_is_registered() -> None:
    assert formats()["markdown"].extension == ".md"
    assert format_for_path("report.md") == "markdown"


def test_every_requirement_has_a_row(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    for framework in sample_report.frameworks:
        assert f"## {framework.name} {framework.version}" in text
        for requirement in framework.requirements:
            assert any(requirement.id in row and requirement.title in row for row in rows)


def test_out_of_scope_and_heading_rows(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    assert (
        "| ↳ CC6.4 | Limit physical access to facilities and protected assets | out_of_scope |  | "
        "inherited from AWS, proven by CRYPTO-02 (pass): The company runs no data centre" in text
    )
    # Inherited, but the control proving the provider's report was reviewed did not pass.
    assert (
        "| ↳ A.7.1 | Define and use security perimeters to protect areas | not_assessed |  | not_assessed: "
        "inherited from AWS, but GOV-01 (which proves AWS's assurance report was reviewed) is not_assessed"
    ) in text
    assert "| **CC6** | **Logical and physical access controls** | not_met |" in text


def test_control_sections_carry_the_details(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    for control in sample_report.controls:
        assert f"### {control.control}: {control.title}" in text
        assert f"- **Claim:** {control.claim}" in text
        assert f"- **Remediation:** {control.remediation}" in text
    assert "| vol-002 | volume-encrypted | EBS volume vol-002 is not encrypted |  |" in text
    assert "`f72fc1a1644d`" in text
    assert "| NET-01 | SEC-7 | Dana Whitfield | 2026-12-10 | 15 |" in text
    assert "| CRYPTO-02 | SEC-3 | Dana Whitfield | 2026-01-31 | -298 |" in text


def test_links_point_at_anchors(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    targets = set(re.findall(r"\]\(#([^)]+)\)", text))
    anchors = set(re.findall(r'<a name="([^"]+)"></a>', text))
    assert targets
    assert targets <= anchors


def test_tables_stay_rectangular(sample_report: Report) -> None:
    text = render(sample_report, "markdown")
    for table in tables(text):
        widths = {len(UNESCAPED_PIPE.findall(line)) for line in table}
        assert len(widths) == 1, table


def test_cells_escape_pipes_newlines_and_html(sample_report: Report) -> None:
    hostile = with_failing_control(
        sample_report,
        title="a | b\nc <script>alert(1)</script>",
        findings=(Finding(rule="r", resource="x|y", message="line one\r\nline two | more"),),
    )
    text = render(hostile, "markdown")
    assert "a \\| b<br>c &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "| x\\|y | r | line one<br>line two \\| more |  |" in text
    assert "<script>" not in text
    for table in tables(text):
        assert len({len(UNESCAPED_PIPE.findall(line)) for line in table}) == 1, table
