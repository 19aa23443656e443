"""The OSCAL assessment-results renderer: what each part of the document says, and that it is stable."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from assay.gaps import Report, build_report
from assay.loading.catalog import load_catalog
from assay.model import ControlStatus, RequirementStatus, Severity
from assay.render import format_for_path, formats, render_text
from assay.render.oscal_text import line, stable_uuid, token
from assay.results import ControlResult, EvidenceUse, Finding, RunResult
from tests.render.conftest import make_sample_report

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
HOSTILE_RESOURCE = "db-1\n\x1b[31mrm -rf /\u2028 "

CONTROLS = """
controls:
  - id: SYS-01
    title: Volumes are encrypted
    claim: Our disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence: [{name: aws.volumes}]
    rules: [{id: encrypted, assert: 'true'}]
    remediation: Encrypt the volume.
  - id: ATT-01
    title: Access is reviewed
    claim: Managers review access every quarter.
    description: The access review attestation is current.
    severity: medium
    domain: identity-access
    evidence: [{name: attestations.review, kind: attestation}]
    rules: [{id: attested, assert: 'true'}]
    remediation: Hold the review.
"""
MAPPINGS = {
    "soc2.yaml": """
framework: soc2
mappings:
  - requirement: CC6.1
    controls: [{control: SYS-01, coverage: full, rationale: Test.}]
  - requirement: CC6.2
    controls: [{control: ATT-01, coverage: full, rationale: Test.}]
""",
    "gdpr.yaml": """
framework: gdpr
mappings:
  - requirement: Art.5(1)(f)
    controls: [{control: SYS-01, coverage: full, rationale: Test.}]
""",
}


def constructed_report(
    tmp_path: Path, *, sha: str = "ab" * 32, frameworks: tuple[str, ...] = ("soc2", "gdpr")
) -> Report:
    """A run where the system control fails on a hostile resource name and the attested one passes."""
    (tmp_path / "controls").mkdir(parents=True)
    (tmp_path / "mappings").mkdir()
    (tmp_path / "controls" / "c.yaml").write_text(CONTROLS, encoding="utf-8")
    for name, text in MAPPINGS.items():
        (tmp_path / "mappings" / name).write_text(text, encoding="utf-8")
    catalog = load_catalog([tmp_path / "controls"], [tmp_path / "mappings"])
    evidence = EvidenceUse(
        name="aws.volumes",
        sha256=sha,
        path="evidence/aws/volumes 1.json",
        collected_at=datetime(2026, 11, 20, 8, 0),  # naive: taken as UTC
    )
    failing = ControlResult(
        control="SYS-01",
        title="Volumes are encrypted",
        severity=Severity.HIGH,
        domain="cryptography",
        status=ControlStatus.FAIL,
        findings=(
            Finding(rule="encrypted", resource=HOSTILE_RESOURCE, message="volume is\nnot encrypted"),
            Finding(rule="encrypted", resource="db-2", message="waived one", waived_by="T-1"),
        ),
        evidence=(evidence,),
    )
    attested = ControlResult(
        control="ATT-01",
        title="Access is reviewed",
        severity=Severity.MEDIUM,
        domain="identity-access",
        status=ControlStatus.PASS,
        evidence=(EvidenceUse(name="attestations.review"),),
    )
    run = RunResult(now=NOW, backend="native", results=(failing, attested))
    return build_report(catalog, run, frameworks=list(frameworks))


def document(report: Report) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(render_text(report, "oscal"))
    return parsed


def props_of(element: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in element.get("props", [])}


def test_oscal_is_registered_with_its_own_extension() -> None:
    assert formats()["oscal"].extension == ".oscal.json"
    assert format_for_path("results.oscal.json") == "oscal"
    assert format_for_path("results.json") == "json"


def test_metadata_names_assay_its_version_and_the_run_time(tmp_path: Path) -> None:
    report = constructed_report(tmp_path)
    results = document(report)["assessment-results"]
    metadata = results["metadata"]
    assert metadata["oscal-version"] == "1.1.2"
    assert metadata["last-modified"] == "2026-11-25T12:00:00+00:00"
    assert props_of(metadata)["assay-version"] == report.assay_version
    assert props_of(metadata)["run-time"] == "2026-11-25T12:00:00+00:00"
    (result,) = results["results"]
    assert result["start"] == "2026-11-25T12:00:00+00:00"
    plan = results["import-ap"]["href"].removeprefix("#")
    assert plan in {r["uuid"] for r in results["back-matter"]["resources"]}


def test_an_observation_per_control_with_its_method_evidence_and_failing_subjects(tmp_path: Path) -> None:
    result = document(constructed_report(tmp_path))["assessment-results"]["results"][0]
    observations = {props_of(o)["control-id"]: o for o in result["observations"]}
    assert set(observations) == {"SYS-01", "ATT-01"}
    system, attested = observations["SYS-01"], observations["ATT-01"]
    assert system["methods"] == ["TEST"]
    assert attested["methods"] == ["EXAMINE"]
    (evidence,) = system["relevant-evidence"]
    assert evidence["href"] == "evidence/aws/volumes%201.json"
    assert props_of(evidence)["sha256"] == "ab" * 32
    assert system["collected"] == "2026-11-20T08:00:00+00:00"  # the evidence's date, not the run's
    assert attested["collected"] == "2026-11-25T12:00:00+00:00"  # no dated evidence: the run's time
    # The failing resource is a subject (the waived one is not), one line, defined in the result.
    (subject,) = system["subjects"]
    assert subject["title"] == "db-1 [31mrm -rf /"
    items = {i["uuid"]: i for i in result["local-definitions"]["inventory-items"]}
    assert props_of(items[subject["subject-uuid"]])["resource-id"] == "db-1 [31mrm -rf /"
    assert "\n" not in json.dumps([p["value"] for p in system["props"]])


def methods(report: Report) -> dict[str, list[str]]:
    result = document(report)["assessment-results"]["results"][0]
    return {props_of(o)["control-id"]: o["methods"] for o in result["observations"]}


def rows_claiming(report: Report, attested: dict[str, bool]) -> Report:
    """``report`` with every mapping row's ``attestation_only`` replaced by a claim of the test's own."""
    frameworks = tuple(
        framework.model_copy(
            update={
                "requirements": tuple(
                    row.model_copy(
                        update={
                            "controls": tuple(
                                c.model_copy(update={"attestation_only": attested[c.control]})
                                for c in row.controls
                            )
                        }
                    )
                    for row in framework.requirements
                )
            }
        )
        for framework in report.frameworks
    )
    return report.model_copy(update={"frameworks": frameworks})


def test_the_method_comes_from_the_controls_own_evidence_never_from_the_mapping_rows(tmp_path: Path) -> None:
    # Only GDPR is reported: ATT-01 maps onto SOC 2 alone, so no requirement row of this report names it.
    unmapped = constructed_report(tmp_path / "gdpr", frameworks=("gdpr",))
    assert all(c.control != "ATT-01" for f in unmapped.frameworks for r in f.requirements for c in r.controls)
    assert methods(unmapped) == {"SYS-01": ["TEST"], "ATT-01": ["EXAMINE"]}
    # Rows that say the opposite of the controls' evidence do not move the method either.
    report = constructed_report(tmp_path / "both")
    lying = rows_claiming(report, {"SYS-01": True, "ATT-01": False})
    rows = {r.id: r for r in lying.framework("soc2").requirements}
    assert [c.attestation_only for c in rows["CC6.1"].controls + rows["CC6.2"].controls] == [True, False]
    assert methods(lying) == {"SYS-01": ["TEST"], "ATT-01": ["EXAMINE"]}


def test_the_evidence_file_is_a_back_matter_resource_with_its_hash(tmp_path: Path) -> None:
    results = document(constructed_report(tmp_path))["assessment-results"]
    system = results["results"][0]["observations"][0]
    link = system["relevant-evidence"][0]["links"][0]["href"].removeprefix("#")
    resource = next(r for r in results["back-matter"]["resources"] if r["uuid"] == link)
    (rlink,) = resource["rlinks"]
    assert rlink["hashes"] == [{"algorithm": "SHA-256", "value": "ab" * 32}]


def test_a_finding_per_requirement_targets_it_with_its_status(tmp_path: Path) -> None:
    report = constructed_report(tmp_path)
    result = document(report)["assessment-results"]["results"][0]
    findings = {(props_of(f)["framework"], props_of(f)["requirement-id"]): f for f in result["findings"]}
    expected = {(f.key, r.id) for f in report.frameworks for r in f.requirements if not r.heading}
    assert set(findings) == expected
    observations = {props_of(o)["control-id"]: o["uuid"] for o in result["observations"]}
    failing = findings[("soc2", "CC6.1")]
    assert failing["target"]["type"] == "objective-id"
    assert failing["target"]["target-id"] == "CC6.1"
    assert failing["target"]["status"]["state"] == "not-satisfied"
    assert failing["target"]["status"]["reason"] == "fail"
    assert failing["related-observations"] == [{"observation-uuid": observations["SYS-01"]}]
    assert len(failing["related-risks"]) == 1
    met = findings[("soc2", "CC6.2")]
    assert met["target"]["status"]["state"] == "satisfied"
    assert props_of(met)["status"] == RequirementStatus.MET.value
    # A requirement id that is not an OSCAL token is made one; the exact id stays in a property.
    gdpr = findings[("gdpr", "Art.5(1)(f)")]
    assert gdpr["target"]["target-id"] == "Art.5_1__f_"
    uncovered = next(f for f in result["findings"] if props_of(f)["status"] == "not_covered")
    assert uncovered["target"]["status"] == {
        "state": "not-satisfied",
        "reason": "other",
        "remarks": "not_covered: no control is mapped to it",
    }
    assert "related-observations" not in uncovered  # OSCAL forbids empty arrays


def test_a_risk_per_failing_control_with_its_remediation(tmp_path: Path) -> None:
    result = document(constructed_report(tmp_path))["assessment-results"]["results"][0]
    (risk,) = result["risks"]
    assert props_of(risk)["control-id"] == "SYS-01"
    assert risk["status"] == "open"
    assert risk["remediations"][0]["description"] == "Encrypt the volume."
    assert risk["statement"] == "- volume is not encrypted"  # the waived finding is not a risk
    assert risk["related-observations"][0]["observation-uuid"] == result["observations"][0]["uuid"]


def test_uuids_are_unique_version_5_and_the_same_for_the_same_inputs(tmp_path: Path) -> None:
    first = render_text(make_sample_report(), "oscal")
    assert first == render_text(make_sample_report(), "oscal")
    defined = re.findall(r'"uuid": "([^"]+)"', first)
    assert all(UUID.match(u) for u in defined)
    assert len(defined) == len(set(defined))
    references = set(re.findall(r'"(?:observation|risk|subject)-uuid": "([^"]+)"', first))
    assert references <= set(defined)


def test_the_document_uuid_follows_its_content(tmp_path: Path) -> None:
    one = document(constructed_report(tmp_path / "one"))["assessment-results"]
    other = document(constructed_report(tmp_path / "other", sha="cd" * 32))["assessment-results"]
    assert one["uuid"] != other["uuid"]  # other evidence, another document
    observations = [
        {props_of(o)["control-id"]: o["uuid"] for o in d["results"][0]["observations"]} for d in (one, other)
    ]
    assert observations[0]["ATT-01"] == observations[1]["ATT-01"]  # unchanged: the same UUID
    assert observations[0]["SYS-01"] != observations[1]["SYS-01"]  # it read other evidence


@given(st.text())
def test_token_always_gives_an_oscal_token(text: str) -> None:
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.\-]*", token(text))


@given(st.text())
def test_line_always_gives_one_printable_line(text: str) -> None:
    flat = line(text)
    assert flat
    assert flat == flat.strip()
    assert not re.search(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", flat)


def test_stable_uuid_depends_on_every_part() -> None:
    assert stable_uuid("a", {"b": 1}) == stable_uuid("a", {"b": 1})
    assert stable_uuid("a", {"b": 1}) != stable_uuid("a", {"b": 2})
