"""Results are frozen; they change only through named functions."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.model import ControlStatus, Severity
from assay.records import record
from assay.results import ControlResult, Finding, SourceLocation, WaiverRef, checked_finding, checked_location


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
    with pytest.raises(dataclasses.FrozenInstanceError):
        result().status = ControlStatus.PASS  # type: ignore[misc]


def test_named_updates_give_new_results() -> None:
    original = result()
    passed = original.with_status(ControlStatus.PASS)
    assert (original.status, passed.status) == (ControlStatus.FAIL, ControlStatus.PASS)
    assert passed.findings == original.findings  # kept unless given
    waiver = WaiverRef(ticket="SEC-1", approver="CTO", justification="Migrating.", expires=date(2027, 1, 1))
    waived = original.with_findings(tuple(f.waived("SEC-1") for f in original.findings)).with_waiver(
        waiver, status=ControlStatus.WAIVED, reason="waived by SEC-1"
    )
    assert (waived.status, waived.reason, waived.waiver) == (ControlStatus.WAIVED, "waived by SEC-1", waiver)
    assert [f.waived_by for f in waived.findings] == ["SEC-1"]
    assert original.findings[0].waived_by is None


def test_counts_are_plain_status_words() -> None:
    from assay.results import RunResult

    run = RunResult(now=datetime(2026, 11, 25, tzinfo=UTC), backend="native", results=(result(),))
    assert run.counts == {"pass": 0, "fail": 1, "error": 0, "not_assessed": 0, "waived": 0}
    assert all(type(key) is str for key in run.counts)


# --- findings made without validation ---------------------------------------------------------------

_texts = st.text(max_size=12)
_locations = st.none() | st.builds(
    SourceLocation,
    path=_texts,
    line=st.integers(1, 10**6),
    column=st.integers(1, 10**6),
    end_column=st.none() | st.integers(1, 10**6),
)


@given(_texts, st.none() | _texts, _texts, st.none() | _texts, _locations)
def test_a_finding_made_without_validation_is_the_validated_one(
    rule: str, resource: str | None, message: str, waived_by: str | None, place: SourceLocation | None
) -> None:
    validated = Finding(rule=rule, resource=resource, message=message, waived_by=waived_by, location=place)
    fast = checked_finding(rule, resource, message, waived_by, place)
    assert fast == validated
    assert validated == fast
    assert fast.model_dump() == validated.model_dump()
    assert fast.model_dump_json() == validated.model_dump_json()
    assert repr(fast) == repr(validated)
    assert fast.row == (rule, resource, message, waived_by, place)
    # named updates agree with pydantic's own copies
    assert fast.waived("T-1") == validated.model_copy(update={"waived_by": "T-1"})
    assert fast.located(None) == validated.model_copy(update={"location": None})
    if place is not None:
        fast_place = checked_location(place.path, place.line, place.column, place.end_column)
        assert fast_place == place
        assert fast_place.model_dump_json() == place.model_dump_json()
    # a worker process or Dask sends it back pickled, as a plain tuple
    for made in (fast, validated):
        copied = pickle.loads(pickle.dumps(made))  # noqa: S301 - our own bytes
        assert type(copied) is Finding
        assert copied == validated
        assert copied.model_dump_json() == validated.model_dump_json()


def test_a_finding_made_without_validation_is_frozen_and_placed_only_at_a_location() -> None:
    made = checked_finding("encrypted", "vol-1", "vol-1 is not encrypted")
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.message = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError, match="SourceLocation"):
        made.located({"path": "a.json", "line": 1})  # type: ignore[arg-type]
    # a result holding such findings validates, dumps and rebuilds like one holding validated findings
    held = result().with_findings((made,))
    assert ControlResult.model_validate_json(held.model_dump_json()) == held


def test_pickled_findings_are_small() -> None:
    """A pool returns every finding pickled: its class is written once, then each finding is little
    more than its values (no field names, no pydantic state)."""
    made = [
        checked_finding(
            "encrypted", f"vol-{i}", f"vol-{i} is not encrypted", None, checked_location("e.json", i, 7, 12)
        )
        for i in range(1, 1001)
    ]
    plain = [(f.rule, f.resource, f.message, f.waived_by, dataclasses.astuple(f.location or f)) for f in made]
    assert len(pickle.dumps(made)) < 1.15 * len(pickle.dumps(plain))
    assert pickle.loads(pickle.dumps(made)) == made  # noqa: S301 - our own bytes


def test_named_updates_refuse_values_of_the_wrong_kind() -> None:
    """The updates no longer validate the whole result: each checks what it is given."""
    original = result()
    with pytest.raises(TypeError, match="status"):
        original.with_status("pass")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="findings"):
        original.with_findings([])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="findings"):
        original.with_findings(({"rule": "r", "message": "m"},))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="waiver"):
        original.with_waiver("SEC-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="location"):
        original.with_location(("a.json", 1), ())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="expired_waivers"):
        original.with_expired_waivers((original,))  # type: ignore[arg-type]
    assert original.with_reason(None) == original


@record
class _OwnFinding(Finding):
    """A plug-in's own kind of finding."""

    severity: str = "low"


def test_a_subclass_of_finding_pickles_as_itself() -> None:
    own = _OwnFinding(rule="r", resource="x", message="m", severity="high")
    copied = pickle.loads(pickle.dumps(own))  # noqa: S301 - our own bytes
    assert type(copied) is _OwnFinding
    assert copied == own


def test_a_result_crosses_from_a_pytest_worker_as_tagged_json_and_comes_back_equal() -> None:
    """The pytest plugin's xdist workers send each result as the cache's tagged JSON (no pydantic)."""
    import json

    from assay.records import from_data, to_data
    from assay.results import EvidenceUse

    located = checked_finding("r", "vol-\ud800", "é\n", "SEC-1", checked_location("e.json", 2, 3, None))
    waiver = WaiverRef(
        ticket="SEC-1", approver="CTO", justification="j", expires=date(2027, 1, 1), resources=("a",)
    )
    made = (
        result()
        .with_findings((located,))
        .with_waiver(waiver, status=ControlStatus.WAIVED, reason="r")
        .with_expired_waivers((waiver,))
        .with_location(SourceLocation(path="c.yaml", line=1), (located,))
    )
    made = dataclasses.replace(
        made, evidence=(EvidenceUse(name="e", collected_at=datetime(2026, 1, 1, tzinfo=UTC), problem="p"),)
    )
    back = from_data(json.loads(json.dumps(to_data(made))))
    assert back == made
    assert type(back.findings[0]) is Finding
    assert back.model_dump(mode="json") == made.model_dump(mode="json")
