"""Controls as JUnit test cases, so any CI system that shows test results shows compliance too.

A control maps onto a test case: fail is a failure, error an error, and not_assessed and waived are
skipped (neither proved nor disproved). The output keeps to the JUnit schema that Jenkins validates
against (``junit-10.xsd``), which GitLab and Azure DevOps read too: a test case there has no
properties, so each control's severity and mapped requirements ride along in its ``system-out``, which
every one of them shows beside the test, one ``key: value`` line each so a script can read them back.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC

from assay.gaps import ControlEntry, Report
from assay.model import ControlStatus
from assay.render import RenderOptions
from assay.render.words import CONTROL_COVERAGE

# XML 1.0 cannot carry most control characters, even escaped; ElementTree would write them anyway and
# produce a file no parser accepts, so they are replaced before they reach the tree.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The report measures no durations; "0" keeps consumers that require the attribute satisfied.
_NO_TIME = "0"
_SKIPPED = (ControlStatus.NOT_ASSESSED, ControlStatus.WAIVED)


def render(report: Report, options: RenderOptions) -> str:
    counts = {
        "tests": len(report.controls),
        "failures": sum(c.status is ControlStatus.FAIL for c in report.controls),
        "errors": sum(c.status is ControlStatus.ERROR for c in report.controls),
    }
    skipped = sum(c.status in _SKIPPED for c in report.controls)
    # Ant's schema, which some readers still hold to, wants the time stamp in UTC with no offset.
    moment = report.generated_at
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    timestamp = moment.isoformat(timespec="seconds")
    # The schema gives <testsuites> no skipped count: only the suite carries it.
    root = ET.Element("testsuites", _attributes(name="assay", **counts, time=_NO_TIME))
    suite = ET.SubElement(
        root,
        "testsuite",
        _attributes(name="assay", **counts, skipped=skipped, time=_NO_TIME, timestamp=timestamp),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("assay_version", report.assay_version),
        ("backend", report.backend),
        ("frameworks", " ".join(f.key for f in report.frameworks)),
    ):
        ET.SubElement(properties, "property", _attributes(name=name, value=value))
    for control in report.controls:
        _testcase(suite, control)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _testcase(suite: ET.Element, control: ControlEntry) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        _attributes(classname=control.domain, name=f"{control.control}: {control.title}", time=_NO_TIME),
    )
    if control.status is ControlStatus.FAIL:
        open_findings = [f for f in control.findings if f.waived_by is None]
        message = f"{len(open_findings)} failing finding{'' if len(open_findings) == 1 else 's'}"
        if open_findings:
            message += f", first: {_finding(open_findings[0].resource, open_findings[0].message)}"
        lines = [
            _finding(f.resource, f.message) + (f" (waived: {f.waived_by})" if f.waived_by else "")
            for f in control.findings
        ]
        lines += ["", f"Remediation: {control.remediation}"]
        failure = ET.SubElement(case, "failure", _attributes(message=message, type=control.status.value))
        failure.text = _clean("\n".join(lines))
    elif control.status is ControlStatus.ERROR:
        message = control.reason or (
            control.errors[0] if control.errors else "the control could not be evaluated"
        )
        error = ET.SubElement(case, "error", _attributes(message=message, type=control.status.value))
        error.text = _clean("\n".join(control.errors or (message,)))
    elif control.status in _SKIPPED:
        reason = control.reason or control.status.value
        # GitLab shows the element's text as the reason, Jenkins and Azure DevOps the attribute: both.
        ET.SubElement(case, "skipped", _attributes(message=reason)).text = _clean(reason)
    ET.SubElement(case, "system-out").text = _clean("\n".join(system_out_lines(control)))


def system_out_lines(control: ControlEntry) -> list[str]:
    """What a test case's ``system-out`` says of its control: ``key: value`` lines.

    ``status`` and ``severity``, then ``requirements`` (``framework:id`` words), then a line per mapped
    requirement: how much of it this control covers and the requirement's status in this run.
    """
    lines = [f"status: {control.status.value}", f"severity: {control.severity.value}"]
    mapped = [f"{framework}:{req}" for framework, reqs in control.mappings.items() for req in reqs]
    lines.append(f"requirements: {' '.join(mapped)}")
    for requirement in control.requirements:
        status = requirement.status.value if requirement.status is not None else "not reported"
        lines.append(
            f"{requirement.framework}:{requirement.requirement}: this control "
            f"{CONTROL_COVERAGE[requirement.coverage]}; the requirement is {status}"
        )
    return lines


def _finding(resource: str | None, message: str) -> str:
    return f"{resource}: {message}" if resource else message


def _attributes(**values: str | int) -> dict[str, str]:
    return {key: _clean(str(value)) for key, value in values.items()}


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
