from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import format_for_path, formats, render
from assay.render.words import CONTROL_COVERAGE
from assay.results import Finding


def parse(report: Report) -> ET.Element:
    # The XML is assay's own JUnit output, rendered in this process, not untrusted input.
    return ET.fromstring(render(report, "junit"))  # noqa: S314


def test_junit_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.junit.xml", render(sample_report, "junit"))


def test_junit_is_registered() -> None:
    assert formats()["junit"].extension == ".xml"
    assert format_for_path("junit.xml") == "junit"


def test_counts_match_the_report(sample_report: Report) -> None:
    root = parse(sample_report)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    summary = sample_report.summary
    expected = {
        "tests": len(sample_report.controls),
        "failures": summary[ControlStatus.FAIL],
        "errors": summary[ControlStatus.ERROR],
        "skipped": summary[ControlStatus.NOT_ASSESSED] + summary[ControlStatus.WAIVED],
    }
    for element in (root, suite):
        assert {key: int(element.get(key, "-1")) for key in expected} == expected
    cases = suite.findall("testcase")
    assert len(cases) == expected["tests"]
    assert len(suite.findall("testcase/failure")) == expected["failures"]
    assert len(suite.findall("testcase/error")) == expected["errors"]
    assert len(suite.findall("testcase/skipped")) == expected["skipped"]
    assert suite.get("name") == "assay"
    assert suite.get("timestamp") == sample_report.generated_at.isoformat()


def test_each_control_is_a_testcase(sample_report: Report) -> None:
    cases = parse(sample_report).findall("testsuite/testcase")
    for control, case in zip(sample_report.controls, cases, strict=True):
        assert case.get("classname") == control.domain
        assert case.get("name") == f"{control.control}: {control.title}"
        properties = [(p.get("name"), p.get("value")) for p in case.findall("properties/property")]
        assert ("severity", control.severity.value) in properties
        mapped = [(k, r) for k, reqs in control.mappings.items() for r in reqs]
        covered = [
            (
                f"{m.framework} {m.requirement}",
                f"this control {CONTROL_COVERAGE[m.coverage]}; the requirement is "
                f"{m.status.value if m.status is not None else 'not reported'}",
            )
            for m in control.requirements
        ]
        assert [p for p in properties if p[0] != "severity"] == mapped + covered
        outcome = [child.tag for child in case if child.tag != "properties"]
        expected = {
            ControlStatus.PASS: [],
            ControlStatus.FAIL: ["failure"],
            ControlStatus.ERROR: ["error"],
            ControlStatus.NOT_ASSESSED: ["skipped"],
            ControlStatus.WAIVED: ["skipped"],
        }[control.status]
        assert outcome == expected
        if control.status in (ControlStatus.NOT_ASSESSED, ControlStatus.WAIVED):
            assert case.find("skipped").get("message") == control.reason  # type: ignore[union-attr]
        if control.status is ControlStatus.ERROR:
            assert case.find("error").get("message") == control.reason  # type: ignore[union-attr]


def test_failure_lists_the_findings(sample_report: Report) -> None:
    failure = parse(sample_report).find("testsuite/testcase[@classname='cryptography']/failure")
    assert failure is not None
    assert failure.get("message", "").startswith("2 failing findings")
    assert failure.text is not None
    assert "vol-002: EBS volume vol-002 is not encrypted" in failure.text
    assert "vol-003: EBS volume vol-003 is not encrypted" in failure.text


def test_text_that_xml_cannot_hold_is_replaced(sample_report: Report) -> None:
    controls = list(sample_report.controls)
    index = next(i for i, c in enumerate(controls) if c.status is ControlStatus.FAIL)
    finding = Finding(rule="r", resource="a\x00b", message='bell\x07 & <tag> "quoted"\nnext')
    controls[index] = controls[index].model_copy(update={"title": "ti\x1btle", "findings": (finding,)})
    root = parse(sample_report.model_copy(update={"controls": tuple(controls)}))
    case = root.findall("testsuite/testcase")[index]
    assert case.get("name") == f"{controls[index].control}: ti\ufffdtle"
    failure = case.find("failure")
    assert failure is not None
    assert failure.text is not None
    assert 'a\ufffdb: bell\ufffd & <tag> "quoted"\nnext' in failure.text
