from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
import xmlschema

from assay.gaps import Report
from assay.model import ControlStatus
from assay.render import format_for_path, formats, render
from assay.render.words import CONTROL_COVERAGE
from assay.results import Finding

# The schema Jenkins' xunit plugin validates JUnit reports against, kept in the project's shared
# reference folder beside the repository (MIT licence, see its README).
JUNIT_XSD = Path(__file__).resolve().parents[3] / "shared" / "reference" / "junit" / "junit-10.xsd"


def parse(report: Report) -> ET.Element:
    # The XML is assay's own JUnit output, rendered in this process, not untrusted input.
    return ET.fromstring(render(report, "junit"))  # noqa: S314


@pytest.fixture(scope="module")
def junit_schema() -> xmlschema.XMLSchema:
    if not JUNIT_XSD.is_file():
        pytest.skip(f"the JUnit schema is not at {JUNIT_XSD}")
    return xmlschema.XMLSchema(str(JUNIT_XSD))


def hostile(report: Report) -> Report:
    """The sample report with text no XML may hold, markup, and a finding on every failing control."""
    controls = list(report.controls)
    for index, control in enumerate(controls):
        finding = Finding(rule="r", resource="a\x00b]]>", message='bell\x07 & <tag> "quoted"\nnext\ud800')
        update: dict[str, object] = {"title": "ti\x1btle </testcase>", "reason": "why\x0c <skipped/>"}
        if control.status is ControlStatus.FAIL:
            update["findings"] = (finding, finding.waived("T-1"))
        controls[index] = control.model_copy(update=update)
    return report.model_copy(update={"controls": tuple(controls)})


def test_junit_matches_golden(sample_report: Report, golden: Callable[[str, str], None]) -> None:
    golden("report.junit.xml", render(sample_report, "junit"))


def test_junit_is_registered() -> None:
    assert formats()["junit"].extension == ".xml"
    assert format_for_path("junit.xml") == "junit"


def test_valid_against_the_jenkins_junit_schema(
    sample_report: Report, junit_schema: xmlschema.XMLSchema
) -> None:
    empty = sample_report.model_copy(update={"controls": ()})
    for report in (sample_report, hostile(sample_report), empty):
        junit_schema.validate(render(report, "junit"))


def test_the_schema_check_catches_what_the_old_output_had(junit_schema: xmlschema.XMLSchema) -> None:
    # The two departures the old renderer made: a skipped count on <testsuites> and properties in a case.
    old = (
        '<testsuites name="assay" tests="1" failures="0" errors="0" skipped="1">'
        '<testsuite name="assay" tests="1" failures="0" errors="0">'
        '<testcase name="c"><properties><property name="a" value="b"/></properties></testcase>'
        "</testsuite></testsuites>"
    )
    assert not junit_schema.is_valid(old)
    assert not junit_schema.is_valid(old.replace(' skipped="1"', ""))
    assert junit_schema.is_valid(
        old.replace(' skipped="1"', "")
        .replace("<properties>", "")
        .replace('<property name="a" value="b"/></properties>', "")
    )


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
    assert {key: int(suite.get(key, "-1")) for key in expected} == expected
    assert {key: int(root.get(key, "-1")) for key in expected if key != "skipped"} == {
        key: value for key, value in expected.items() if key != "skipped"
    }
    assert root.get("skipped") is None
    cases = suite.findall("testcase")
    assert len(cases) == expected["tests"]
    assert len(suite.findall("testcase/failure")) == expected["failures"]
    assert len(suite.findall("testcase/error")) == expected["errors"]
    assert len(suite.findall("testcase/skipped")) == expected["skipped"]
    assert suite.get("name") == "assay"
    assert suite.get("timestamp") == "2026-11-25T12:00:00"


def test_each_control_is_a_testcase(sample_report: Report) -> None:
    cases = parse(sample_report).findall("testsuite/testcase")
    for control, case in zip(sample_report.controls, cases, strict=True):
        assert case.get("classname") == control.domain
        assert case.get("name") == f"{control.control}: {control.title}"
        assert case.find("properties") is None
        out = case.findtext("system-out", "").splitlines()
        assert out[:2] == [f"status: {control.status.value}", f"severity: {control.severity.value}"]
        mapped = [f"{k}:{r}" for k, reqs in control.mappings.items() for r in reqs]
        assert out[2] == f"requirements: {' '.join(mapped)}"
        assert out[3:] == [
            f"{m.framework}:{m.requirement}: this control {CONTROL_COVERAGE[m.coverage]}; the requirement is "
            f"{m.status.value if m.status is not None else 'not reported'}"
            for m in control.requirements
        ]
        outcome = [child.tag for child in case if child.tag != "system-out"]
        expected = {
            ControlStatus.PASS: [],
            ControlStatus.FAIL: ["failure"],
            ControlStatus.ERROR: ["error"],
            ControlStatus.NOT_ASSESSED: ["skipped"],
            ControlStatus.WAIVED: ["skipped"],
        }[control.status]
        assert outcome == expected
        if control.status in (ControlStatus.NOT_ASSESSED, ControlStatus.WAIVED):
            skipped = case.find("skipped")
            assert skipped is not None
            assert skipped.get("message") == skipped.text == control.reason
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
    report = hostile(sample_report)
    root = parse(report)
    index = next(i for i, c in enumerate(report.controls) if c.status is ControlStatus.FAIL)
    case = root.findall("testsuite/testcase")[index]
    assert case.get("name") == f"{report.controls[index].control}: ti\ufffdtle </testcase>"
    failure = case.find("failure")
    assert failure is not None
    assert failure.text is not None
    assert 'a\ufffdb]]>: bell\ufffd & <tag> "quoted"\nnext\ufffd' in failure.text
    assert "(waived: T-1)" in failure.text


# --- the formats CI servers document ---------------------------------------------------------------


def gitlab_problems(root: ET.Element) -> list[str]:
    """What GitLab's unit test report parser needs (docs.gitlab.com, "Unit test reports").

    It reads <testsuites>/<testsuite>/<testcase>: the case's classname is the suite column and its
    name the test, duplicate test names after the first are ignored, time is seconds, and the text
    of <failure>, <error> or <skipped> is what it shows (the message, stack trace or reason: their
    attributes are not read), with <system-out> of the test case.
    """
    problems = []
    if root.tag not in ("testsuites", "testsuite"):
        problems.append(f"root is <{root.tag}>")
    seen: set[tuple[str, str]] = set()
    for case in root.iter("testcase"):
        key = (case.get("classname", ""), case.get("name", ""))
        if not all(key):
            problems.append(f"test case without classname or name: {key}")
        if key in seen:
            problems.append(f"duplicate test case {key}: GitLab keeps only the first")
        seen.add(key)
        if not re.fullmatch(r"\d+(\.\d+)?", case.get("time", "0")):
            problems.append(f"{key}: time {case.get('time')!r} is not seconds")
        outcomes = [child for child in case if child.tag in ("failure", "error", "skipped")]
        if len(outcomes) > 1:
            problems.append(f"{key}: several outcomes {[child.tag for child in outcomes]}")
        problems += [f"{key}: <{child.tag}> without text to show" for child in outcomes if not child.text]
    return problems


def azure_problems(root: ET.Element) -> list[str]:
    """What Azure DevOps' PublishTestResults@2 reads from JUnit (its "result formats mapping").

    The run takes its title and start from each <testsuite>'s name and timestamp and its duration
    from time; each <testcase> gives a result's title (name), storage (classname) and duration (time);
    a <failure> or <error> gives the outcome Failed and the error message from its message attribute,
    <skipped> gives NotExecuted, and <system-out> is the console log.
    """
    problems = []
    for suite in root.iter("testsuite"):
        for attribute in ("name", "tests", "failures", "errors", "time", "timestamp"):
            if not suite.get(attribute):
                problems.append(f"testsuite without {attribute}")
        try:
            datetime.fromisoformat(suite.get("timestamp", ""))
        except ValueError:
            problems.append(f"testsuite timestamp {suite.get('timestamp')!r} is not ISO 8601")
        cases = suite.findall("testcase")
        for attribute, tag in (("tests", None), ("failures", "failure"), ("errors", "error")):
            count = len(cases) if tag is None else len(suite.findall(f"testcase/{tag}"))
            if suite.get(attribute) != str(count):
                problems.append(f"testsuite {attribute}={suite.get(attribute)} but it holds {count}")
        for case in cases:
            if not case.get("name") or not case.get("classname") or case.get("time") is None:
                problems.append(f"test case without name, classname or time: {case.attrib}")
            for outcome in case.findall("failure") + case.findall("error"):
                if not outcome.get("message"):
                    problems.append(f"{case.get('name')}: <{outcome.tag}> without a message")
    return problems


def test_gitlab_and_azure_devops_read_it(sample_report: Report) -> None:
    for report in (sample_report, hostile(sample_report)):
        root = parse(report)
        assert gitlab_problems(root) == []
        assert azure_problems(root) == []


def test_the_ci_checks_catch_a_broken_report() -> None:
    broken = ET.fromstring(  # noqa: S314 (a constant written here)
        '<testsuites><testsuite name="s" tests="3" failures="0" errors="0" time="0">'
        '<testcase classname="c" name="n" time="1,5"><failure/><error message="m"/></testcase>'
        '<testcase classname="c" name="n" time="0"/><testcase name="x"/></testsuite></testsuites>'
    )
    gitlab = gitlab_problems(broken)
    assert any("duplicate" in p for p in gitlab)
    assert any("not seconds" in p for p in gitlab)
    assert any("several outcomes" in p for p in gitlab)
    assert any("without classname" in p for p in gitlab)
    assert any("<failure> without text" in p for p in gitlab)
    azure = azure_problems(broken)
    assert "testsuite without timestamp" in azure
    assert any("failures=0 but it holds 1" in p for p in azure)
    assert any("without a message" in p for p in azure)
