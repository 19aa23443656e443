"""Results are frozen; they change only through named functions."""

from __future__ import annotations

import pydantic
import pytest

from assay.model import ControlStatus, Severity
from assay.results import ControlResult, Finding, WaiverRef


def result() -> ControlResult:
    return ControlResult(
        control="CRYPTO-01",
        title="EBS volumes are encrypted",
        severity=Severity.HIGH,
        domain="cryptography",
        status=ControlStatus.FAIL,
        findings=(Finding(rule="encrypted", resource="vol-1", message="vol-1 is not encrypted"),),
    )


def test_a_result_cannot_be_changed_in_place() -> None:
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        result().status = ControlStatus.PASS  # type: ignore[misc]


def test_named_updates_give_new_results() -> None:
    original = result()
    passed = original.with_status(ControlStatus.PASS)
    assert (original.status, passed.status) == (ControlStatus.FAIL, ControlStatus.PASS)
    assert passed.findings == original.findings  # kept unless given
    waiver = WaiverRef(ticket="SEC-1", approver="CTO", justification="Migrating.", expires="2027-01-01")
    waived = original.with_findings(tuple(f.waived("SEC-1") for f in original.findings)).with_waiver(
        waiver, status=ControlStatus.WAIVED, reason="waived by SEC-1"
    )
    assert (waived.status, waived.reason, waived.waiver) == (ControlStatus.WAIVED, "waived by SEC-1", waiver)
    assert [f.waived_by for f in waived.findings] == ["SEC-1"]
    assert original.findings[0].waived_by is None


def test_counts_are_plain_status_words() -> None:
    from assay.results import RunResult

    run = RunResult(now="2026-11-25T00:00:00Z", backend="native", results=(result(),))
    assert run.counts == {"pass": 0, "fail": 1, "error": 0, "not_assessed": 0, "waived": 0}
    assert all(type(key) is str for key in run.counts)
