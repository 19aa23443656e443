from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import RenderOptions, format_for_path, formats, render
from assay.results import Finding

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def terminal(report: Report, *, color: bool = False, width: int = 100) -> str:
    return render(report, "terminal", RenderOptions(color=color, width=width))


def test_terminal_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.txt", terminal(sample_report))


def test_terminal_with_colour_matches_golden(
    sample_report: Report, golden: Callable[[str, str], None]
) -> None:
    golden("report-color.txt", terminal(sample_report, color=True))


def test_terminal_is_registered() -> None:
    assert formats()["terminal"].extension == ".txt"
    assert format_for_path("out/report.txt") == "terminal"


def test_no_escape_codes_without_colour(sample_report: Report) -> None:
    assert "\x1b[" not in terminal(sample_report, color=False)


def test_colour_only_adds_escape_codes(sample_report: Report) -> None:
    coloured = terminal(sample_report, color=True)
    assert "\x1b[" in coloured
    assert ANSI.sub("", coloured) == terminal(sample_report, color=False)


@pytest.mark.parametrize("width", [40, 57, 80, 120])
def test_lines_fit_the_width(sample_report: Report, width: int) -> None:
    text = terminal(sample_report, width=width)
    too_long = [line for line in text.splitlines() if len(line) > width]
    assert too_long == []
    # Narrow output wraps instead of dropping content.
    assert "older than the 100d the control allows" in " ".join(text.split())


def test_summary_counts_and_framework_lines(sample_report: Report) -> None:
    text = terminal(sample_report)
    assert "Controls: 6 · 1 pass · 1 fail · 1 error · 2 not_assessed · 1 waived" in text
    soc2 = sample_report.framework("soc2")
    line = next(line for line in text.splitlines() if "soc2:" in line)
    assert "soc2: 1.7% of 60 in scope met" in line
    assert f"{soc2.counts['not_assessed']} not_assessed" in line
    assert "1 out_of_scope" in text  # wrapped onto the next line at the default width


def test_lists_what_needs_attention(sample_report: Report) -> None:
    text = terminal(sample_report)
    assert "vol-002: EBS volume vol-002 is not encrypted" in text
    assert "no such overload: > on string, int" in text
    assert "evidence aws.cloudtrail.trails is missing" in text
    assert "SEC-7 until 2026-12-10, approved by Dana Whitfield" in text
    assert "expiring NET-01 SEC-7 expires 2026-12-10 (in 15 days)" in text
    assert "CRYPTO-02 SEC-3 expired 2026-01-31 (298 days ago)" in text
    assert "aws.cloudtrail.trails: missing (used by LOG-01)" in text
    # Passing controls are not part of the summary.
    assert "CRYPTO-02 EBS encryption is on by default" not in text


def test_long_finding_lists_are_cut_short(sample_report: Report) -> None:
    controls = list(sample_report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    findings = tuple(Finding(rule="r", resource=f"vol-{n:03}", message="not encrypted") for n in range(12))
    controls[index] = controls[index].model_copy(update={"findings": findings})
    text = terminal(sample_report.model_copy(update={"controls": tuple(controls)}))
    assert "vol-004: not encrypted" in text
    assert "vol-005" not in text
    assert "… and 7 more" in text


def test_multi_line_messages_keep_the_layout(sample_report: Report) -> None:
    controls = list(sample_report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.NOT_ASSESSED)
    controls[index] = controls[index].model_copy(update={"reason": "first line\nsecond line"})
    text = terminal(sample_report.model_copy(update={"controls": tuple(controls)}))
    assert "first line second line" in text
