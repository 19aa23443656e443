from __future__ import annotations

import pytest

from assay.gaps import Report, requirement_status, rolled_up
from assay.model import ControlStatus as C
from assay.model import RequirementStatus as R


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([], R.NOT_COVERED),
        ([C.PASS], R.MET),
        ([C.PASS, C.WAIVED], R.MET_WITH_EXCEPTIONS),  # a waiver is an exception, never a pass
        ([C.WAIVED], R.MET_WITH_EXCEPTIONS),
        ([C.PASS, C.FAIL], R.NOT_MET),
        ([C.NOT_ASSESSED, C.ERROR], R.NOT_MET),
        ([C.PASS, C.NOT_ASSESSED], R.NOT_ASSESSED),
        ([None], R.NOT_ASSESSED),  # mapped control not part of this run
    ],
)
def test_requirement_status_contract(statuses: list[C | None], expected: R) -> None:
    assert requirement_status(statuses) is expected


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([R.MET, R.NOT_MET], R.NOT_MET),
        ([R.MET, R.NOT_COVERED], R.NOT_COVERED),
        ([R.MET, R.OUT_OF_SCOPE], R.MET),
        ([R.MET, R.MET_WITH_EXCEPTIONS], R.MET_WITH_EXCEPTIONS),
        ([R.MET_WITH_EXCEPTIONS, R.NOT_COVERED], R.NOT_COVERED),
        ([R.OUT_OF_SCOPE, R.OUT_OF_SCOPE], R.OUT_OF_SCOPE),
        ([R.NOT_ASSESSED, R.NOT_COVERED], R.NOT_ASSESSED),
        ([], R.NOT_COVERED),
    ],
)
def test_headings_roll_up_the_most_urgent_child(children: list[R], expected: R) -> None:
    assert rolled_up(children) is expected


def test_sample_report_counts_and_share(sample_report: Report) -> None:
    soc2 = sample_report.framework("soc2")
    assert soc2.assessable == 61  # the built-in SOC 2 catalog: its 13 headings are not counted
    assert soc2.counts[R.MET] == 1
    assert soc2.counts[R.OUT_OF_SCOPE] == 1
    assert soc2.share_met == round(1 / 60, 4)
    rows = {r.id: r for r in soc2.requirements}
    assert rows["CC6"].heading
    assert rows["CC6"].status is R.NOT_MET
    assert rows["CC6.4"].scope is not None
    assert rows["CC6.4"].scope.provider == "AWS"
    gaps = [g.id for g in soc2.gaps()]
    assert {"CC6.1", "CC6.7", "CC4.1", "CC7.2"} <= set(gaps)
    assert "CC6.6" not in gaps  # NET-01 is waived: an exception, listed, but not a gap
    cc66 = rows["CC6.6"]
    assert cc66.status is R.MET_WITH_EXCEPTIONS
    assert [(w.ticket, w.approver) for w in cc66.exceptions] == [("SEC-7", cc66.exceptions[0].approver)]
    assert len(gaps) == 58  # every in-scope criterion but the one met and the one met with an exception
    assert rows["CC4.1"].controls[0].rationale == "The quarterly audit is the separate evaluation."


def test_sample_report_waivers_and_evidence_table(sample_report: Report) -> None:
    assert [(n.control, n.days_left) for n in sample_report.waivers_expiring] == [("NET-01", 15)]
    assert [n.waiver.ticket for n in sample_report.expired_waivers] == ["SEC-3"]
    table = {row.name: row for row in sample_report.evidence}
    assert table["aws.ec2.volumes"].age_days == 5.2
    assert table["aws.ec2.volumes"].used_by == ("CRYPTO-01",)
    assert table["aws.cloudtrail.trails"].problem == "missing"
    entry = sample_report.control("CRYPTO-01")
    assert entry.file == "controls/controls.yaml"
    assert entry.line == 2
    assert entry.mappings == {"iso27001": ("A.8.24",), "soc2": ("CC6.1",)}


@pytest.mark.parametrize(
    ("now", "expected"),
    [("2025-03-31T23:00:00Z", "met"), ("2025-04-01T00:00:00Z", "superseded")],
)
def test_pci_6_4_1_is_superseded_by_6_4_2_after_31_march_2025(now: str, expected: str) -> None:
    """PCI DSS v4.0.1 retires 6.4.1 and 10.7.1 after 31 March 2025; their successors are named."""
    import assay

    outcome = assay.run(assay.Project().with_values({"now": now}, "test"))
    rows = {r.id: r for r in outcome.report.framework("pci-dss").requirements}
    assert rows["6.4.1"].status.value == expected
    assert rows["6.4.1"].successor == ("6.4.2" if expected == "superseded" else None)
    if expected == "superseded":
        assert rows["10.7.1"].status is R.SUPERSEDED
        assert rows["10.7.1"].successor == "10.7.2"
        assert rows["10"].status is not R.SUPERSEDED  # a heading rolls up from the rest of its children
