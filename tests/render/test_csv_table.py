from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest

from assay.gaps import Report
from assay.render import format_for_path, formats, render

HEADER = [
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
]


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def with_title(report: Report, title: str) -> Report:
    framework = report.frameworks[0]
    requirements = list(framework.requirements)
    requirements[0] = requirements[0].model_copy(update={"title": title})
    changed = framework.model_copy(update={"requirements": tuple(requirements)})
    return report.model_copy(update={"frameworks": (changed, *report.frameworks[1:])})


def test_csv_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.csv", render(sample_report, "csv"))  # byte for byte, CRLF line endings included


def test_csv_is_registered() -> None:
    assert formats()["csv"].extension == ".csv"
    assert format_for_path("matrix.csv") == "csv"


def test_one_row_per_requirement(sample_report: Report) -> None:
    text = render(sample_report, "csv")
    assert text.endswith("\r\n")
    assert text.count("\r\n") == text.count("\n")
    header, *body = rows(text)
    assert header == HEADER
    expected = [(f.key, r) for f in sample_report.frameworks for r in f.requirements]
    assert len(body) == len(expected)
    for row, (key, requirement) in zip(body, expected, strict=True):
        record = dict(zip(HEADER, row, strict=True))
        assert record["framework"] == key
        assert record["requirement"] == requirement.id
        assert record["title"] == requirement.title
        assert record["parent"] == (requirement.parent or "")
        assert record["heading"] == ("yes" if requirement.heading else "no")
        assert record["status"] == requirement.status.value
        controls = record["controls"].split("; ") if record["controls"] else []
        statuses = record["control_statuses"].split("; ") if record["control_statuses"] else []
        assert controls == [m.control for m in requirement.controls]
        assert len(statuses) == len(controls)
        coverages = record["control_coverages"].split("; ") if record["control_coverages"] else []
        assert coverages == [m.coverage for m in requirement.controls]
        assert record["coverage"] == (requirement.coverage or "")


def test_scope_columns(sample_report: Report) -> None:
    body = rows(render(sample_report, "csv"))[1:]
    row = next(r for r in body if r[:2] == ["soc2", "CC6.4"])
    assert row[5:] == [
        "out_of_scope",
        "",
        "inherited from AWS, proven by CRYPTO-02; complementary control IAM-01 did not pass",
        "",
        "",
        "",
        "inherited",
        "AWS",
        "CRYPTO-02",
        "IAM-01",
        "The company runs no data centre; AWS carries physical access.",
        "",
    ]


@pytest.mark.parametrize("title", ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_injection_is_defused(sample_report: Report, title: str) -> None:
    body = rows(render(with_title(sample_report, title), "csv"))[1:]
    assert body[0][2] == "'" + title


def test_ordinary_text_is_left_alone(sample_report: Report) -> None:
    body = rows(render(with_title(sample_report, 'Cost: 1+1, "quoted"\nnext line'), "csv"))[1:]
    assert body[0][2] == 'Cost: 1+1, "quoted"\nnext line'
