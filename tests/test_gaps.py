"""The gap logic: a run's control results through one framework's requirements, counted and rolled up.

Each test builds a small catalog and a run by hand (no engine, no files), so the report's statuses,
counts, share met, exceptions and expiring waivers can be asserted exactly.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assay.gaps import ControlEntry, build_report, framework_report
from assay.loading.catalog import Catalog
from assay.model import (
    Control,
    ControlStatus,
    Framework,
    Mapping,
    Requirement,
    RequirementStatus,
    ScopeEntry,
    Severity,
    Waiver,
)
from assay.render import render
from assay.results import (
    ControlResult,
    Finding,
    RunResult,
    SourceLocation,
    WaiverRef,
    checked_finding,
    checked_location,
)

C = ControlStatus
R = RequirementStatus
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


def control(control_id: str, *, attested: bool = False) -> Control:
    evidence: dict[str, Any] = {"name": "people.review"} if attested else {"name": "aws.iam.users"}
    if attested:
        evidence["kind"] = "attestation"
    return Control.model_validate(
        {
            "id": control_id,
            "title": control_id,
            "claim": "A claim.",
            "description": "A description.",
            "severity": "high",
            "domain": "access",
            "evidence": [evidence],
            "rules": [{"id": "r", "assert": "true"}],
            "remediation": "Fix it.",
        }
    )


def requirement(requirement_id: str, **fields: object) -> Requirement:
    return Requirement.model_validate(
        {"id": requirement_id, "title": f"Requirement {requirement_id}", **fields}
    )


def mapping(requirement_id: str, control_id: str, coverage: str = "full", **fields: object) -> Mapping:
    values = {"framework": "fw", "requirement": requirement_id, "control": control_id, "coverage": coverage}
    return Mapping.model_validate({**values, "rationale": "Because.", **fields})


def catalog(controls: list[Control], requirements: list[Requirement], mappings: list[Mapping]) -> Catalog:
    framework = Framework(key="fw", name="A framework", version="1", requirements=tuple(requirements))
    return Catalog(controls=tuple(controls), frameworks={"fw": framework}, mappings=tuple(mappings))


def result(control_id: str, status: ControlStatus, waiver: Waiver | None = None) -> ControlResult:
    ref = WaiverRef.of(waiver) if waiver is not None else None
    return ControlResult(
        control=control_id,
        title=control_id,
        severity=Severity.HIGH,
        domain="access",
        status=status,
        waiver=ref,
    )


def run(*results: ControlResult, scope: tuple[ScopeEntry, ...] = ()) -> RunResult:
    return RunResult(now=NOW, backend="native", results=results, scope=scope)


def waiver(control_id: str, expires: date, ticket: str = "SEC-1") -> Waiver:
    return Waiver(
        control=control_id, justification="Accepted.", approver="CISO", ticket=ticket, expires=expires
    )


def test_each_requirement_gets_its_verdict_and_the_counts_add_up() -> None:
    requirements = [
        requirement("A"),  # met
        requirement("B"),  # not met
        requirement("C"),  # not covered
        requirement("D"),  # partially met
        requirement("E"),  # out of scope
    ]
    cat = catalog(
        [control("OK-01"), control("BAD-01"), control("PART-01")],
        requirements,
        [
            mapping("A", "OK-01"),
            mapping("B", "BAD-01"),
            mapping("B", "OK-01"),
            mapping("D", "PART-01", "partial"),
        ],
    )
    scope = ScopeEntry.model_validate(
        {"framework": "fw", "requirement": "E", "applicability": "not_applicable", "justification": "None."}
    )
    other = ScopeEntry.model_validate(  # another framework's entry with the same requirement id
        {"framework": "zz", "requirement": "A", "applicability": "not_applicable", "justification": "No."}
    )
    results = run(result("OK-01", C.PASS), result("BAD-01", C.FAIL), result("PART-01", C.PASS))
    report = framework_report(cat, cat.frameworks["fw"], results, [scope, other])
    statuses = {row.id: row.status for row in report.requirements}
    assert statuses == {
        "A": R.MET,
        "B": R.NOT_MET,
        "C": R.NOT_COVERED,
        "D": R.PARTIALLY_MET,
        "E": R.OUT_OF_SCOPE,
    }
    assert report.assessable == 5
    assert report.counts == {
        **{s.value: 0 for s in R},
        "met": 1,
        "not_met": 1,
        "not_covered": 1,
        "partially_met": 1,
        "out_of_scope": 1,
    }
    assert report.share_met == 0.25  # one met of the four in scope
    rows = {row.id: row for row in report.requirements}
    assert [(c.control, c.status) for c in rows["B"].controls] == [("BAD-01", C.FAIL), ("OK-01", C.PASS)]
    assert rows["D"].coverage == "partial"
    assert rows["E"].scope is not None
    assert rows["A"].scope is None


def test_headings_are_rolled_up_and_left_out_of_the_counts() -> None:
    requirements = [
        requirement("H", heading=True),
        requirement("H.1", parent="H"),
        requirement("H.2", parent="H"),
        requirement("P"),
        requirement("P.1", parent="P"),
    ]
    cat = catalog(
        [control("OK-01"), control("BAD-01")],
        requirements,
        [mapping("H.1", "OK-01"), mapping("H.2", "BAD-01"), mapping("P", "OK-01"), mapping("P.1", "BAD-01")],
    )
    report = framework_report(
        cat, cat.frameworks["fw"], run(result("OK-01", C.PASS), result("BAD-01", C.FAIL)), []
    )
    rows = {row.id: row for row in report.requirements}
    assert rows["H"].status is R.NOT_MET
    assert rows["H"].reason == "from its parts: H.2 is not_met"
    assert rows["P"].status is R.NOT_MET  # met by its own control, but a part is not
    assert report.assessable == 4
    assert report.counts["not_met"] == 3
    assert report.counts["met"] == 1
    assert report.share_met == 0.25


def test_share_met_is_none_when_nothing_is_in_scope() -> None:
    cat = catalog(
        [control("OK-01")], [requirement("A", effective_from="2030-01-01")], [mapping("A", "OK-01")]
    )
    report = framework_report(cat, cat.frameworks["fw"], run(result("OK-01", C.PASS)), [])
    assert report.requirements[0].status is R.BEST_PRACTICE
    assert report.counts["best_practice"] == 1
    assert report.share_met is None


def test_a_superseded_requirement_names_its_successor_and_dates_come_before_scope() -> None:
    cat = catalog(
        [control("OK-01")],
        [requirement("OLD", superseded_after="2025-03-31", successor="NEW"), requirement("NEW")],
        [mapping("OLD", "OK-01"), mapping("NEW", "OK-01")],
    )
    scope = ScopeEntry.model_validate(
        {"framework": "fw", "requirement": "OLD", "applicability": "not_applicable", "justification": "No."}
    )
    report = framework_report(cat, cat.frameworks["fw"], run(result("OK-01", C.PASS)), [scope])
    rows = {row.id: row for row in report.requirements}
    assert (rows["OLD"].status, rows["OLD"].successor) == (R.SUPERSEDED, "NEW")
    assert (rows["NEW"].status, rows["NEW"].successor) == (R.MET, None)


def test_a_waived_control_makes_an_exception_with_its_waiver() -> None:
    accepted = waiver("WAIVED-01", date(2026, 12, 31))
    cat = catalog([control("WAIVED-01"), control("FAILS-01")], [requirement("A"), requirement("B")], [
        mapping("A", "WAIVED-01"),
        mapping("B", "FAILS-01"),
    ])  # fmt: skip
    # FAILS-01 carries a partial waiver (some of its resources): not an exception of the requirement.
    results = run(result("WAIVED-01", C.WAIVED, accepted), result("FAILS-01", C.FAIL, accepted))
    report = framework_report(cat, cat.frameworks["fw"], results, [])
    rows = {row.id: row for row in report.requirements}
    assert rows["A"].status is R.MET_WITH_EXCEPTIONS
    assert [e.ticket for e in rows["A"].exceptions] == ["SEC-1"]
    assert rows["B"].status is R.NOT_MET
    assert rows["B"].controls[0].waiver is None
    assert rows["B"].exceptions == ()


def test_a_control_left_out_of_the_run_leaves_its_requirement_not_assessed() -> None:
    cat = catalog([control("OK-01"), control("GONE-01")], [requirement("A")], [
        mapping("A", "OK-01"),
        mapping("A", "GONE-01"),
    ])  # fmt: skip
    report = framework_report(cat, cat.frameworks["fw"], run(result("OK-01", C.PASS)), [])
    row = report.requirements[0]
    assert row.status is R.NOT_ASSESSED
    assert [(c.control, c.status) for c in row.controls] == [("OK-01", C.PASS), ("GONE-01", None)]


def test_attested_controls_do_not_count_when_system_evidence_is_required() -> None:
    cat = catalog([control("SAID-01", attested=True)], [requirement("A")], [mapping("A", "SAID-01")])
    results = run(result("SAID-01", C.PASS))
    relaxed = framework_report(cat, cat.frameworks["fw"], results, [])
    assert (relaxed.requirements[0].status, relaxed.requirements[0].attestation_only) == (R.MET, True)
    assert relaxed.requirements[0].controls[0].attestation_only
    strict = framework_report(cat, cat.frameworks["fw"], results, [], require_system_evidence=True)
    assert strict.requirements[0].status is R.PARTIALLY_MET


def test_each_control_entry_says_whether_it_rests_on_attestations_alone() -> None:
    # MIXED-01 reads an attestation and a system export: not attestation-only. SAID-01 is mapped to
    # nothing, so no requirement row could say it; its entry still does.
    mixed = control("MIXED-01").model_copy(
        update={"evidence": (*control("MIXED-01").evidence, *control("X-01", attested=True).evidence)}
    )
    cat = catalog([control("SAID-01", attested=True), mixed], [requirement("A")], [mapping("A", "MIXED-01")])
    report = build_report(cat, run(result("SAID-01", C.PASS), result("MIXED-01", C.PASS)))
    assert report.control("SAID-01").attestation_only is True
    assert report.control("MIXED-01").attestation_only is False
    assert report.control("SAID-01").requirements == ()


def test_a_together_statement_is_judged_on_the_controls_it_names() -> None:
    together = {"together": "The two halves add up.", "together_with": ["HALF-01", "HALF-02"]}
    cat = catalog(
        [control("HALF-01"), control("HALF-02"), control("OTHER-01")],
        [requirement("A"), requirement("B")],
        [
            mapping("A", "HALF-01", "partial", **together),
            mapping("A", "HALF-02", "partial", **together),
            mapping("B", "HALF-01", "partial"),
            mapping("B", "OTHER-01", "partial"),
        ],
    )
    both = run(result("HALF-01", C.PASS), result("HALF-02", C.PASS), result("OTHER-01", C.PASS))
    rows = {row.id: row for row in framework_report(cat, cat.frameworks["fw"], both, []).requirements}
    assert (rows["A"].status, rows["A"].coverage, rows["A"].together) == (
        R.MET,
        "full",
        "The two halves add up.",
    )
    assert (rows["B"].status, rows["B"].together) == (R.PARTIALLY_MET, None)
    one = run(result("HALF-01", C.PASS), result("HALF-02", C.NOT_ASSESSED), result("OTHER-01", C.PASS))
    row = framework_report(cat, cat.frameworks["fw"], one, []).requirements[0]
    assert (row.status, row.coverage) == (R.NOT_ASSESSED, "partial")


def test_waivers_expiring_within_thirty_days_are_listed_soonest_first() -> None:
    cat = catalog([control("OK-01")], [requirement("A")], [mapping("A", "OK-01")])
    waivers = [
        waiver("OK-01", date(2026, 12, 20), "LATER"),
        waiver("OK-01", date(2026, 12, 1), "SOON"),
        waiver("OK-01", date(2026, 12, 25), "EDGE"),  # the 30th day after: still active then
        waiver("OK-01", date(2026, 12, 24), "LAST"),  # the 29th: expired by then
        waiver("OK-01", date(2026, 11, 24), "GONE"),  # expired already
    ]
    report = build_report(cat, run(result("OK-01", C.PASS)), waivers=waivers)
    assert [(n.waiver.ticket, n.days_left) for n in report.waivers_expiring] == [
        ("SOON", 6),
        ("LATER", 25),
        ("LAST", 29),
    ]


def test_two_together_statements_are_both_shown() -> None:
    first = {"together": "Keys and rotation.", "together_with": ["KEY-01", "ROT-01"]}
    second = {"together": "Vault and audit.", "together_with": ["VAULT-01", "AUDIT-01"]}
    cat = catalog(
        [control("KEY-01"), control("ROT-01"), control("VAULT-01"), control("AUDIT-01")],
        [requirement("A")],
        [
            mapping("A", "KEY-01", "partial", **first),
            mapping("A", "ROT-01", "partial", **first),
            mapping("A", "VAULT-01", "partial", **second),
            mapping("A", "AUDIT-01", "partial", **second),
        ],
    )
    results = run(
        result("KEY-01", C.PASS),
        result("ROT-01", C.PASS),
        result("VAULT-01", C.PASS),
        result("AUDIT-01", C.PASS),
    )
    row = framework_report(cat, cat.frameworks["fw"], results, []).requirements[0]
    assert (row.status, row.coverage) == (R.MET, "full")
    assert row.together == "Keys and rotation.; Vault and audit."


def test_a_control_entry_holds_its_results_findings_as_they_are() -> None:
    """The report takes each result's findings over without dumping and validating each of them again,
    and each control's requirement statuses come from the one table of the run's requirement rows."""
    cat = catalog([control("FAILS-01"), control("OK-01")], [requirement("A"), requirement("B")], [
        mapping("A", "FAILS-01"),
        mapping("B", "OK-01"),
    ])  # fmt: skip
    findings = tuple(checked_finding("r", f"vol-{n}", f'vol-{n} "quoted" \\ {n}') for n in range(3))
    failing = result("FAILS-01", C.FAIL).with_findings(findings)
    report = build_report(cat, run(failing, result("OK-01", C.PASS)))
    entry = report.control("FAILS-01")
    assert all(held is made for held, made in zip(entry.findings, findings, strict=True))
    assert entry.model_dump(include={"findings"}) == failing.model_dump(include={"findings"})
    assert [(r.requirement, r.status) for r in entry.requirements] == [("A", R.NOT_MET)]
    assert [(r.requirement, r.status) for r in report.control("OK-01").requirements] == [("B", R.MET)]


_TEXT = st.text(st.characters(codec="utf-8"), max_size=8)
_ROWS = st.lists(
    st.tuples(
        _TEXT,
        st.none() | _TEXT,
        _TEXT,
        st.none() | _TEXT,
        st.none()
        | st.tuples(_TEXT, st.integers(1, 10**6), st.integers(1, 10**6), st.none() | st.integers(1)),
    ),
    max_size=6,
)


@settings(max_examples=100, deadline=None)
@given(_ROWS)
def test_a_report_of_findings_made_without_validation_is_the_report_of_validated_ones(
    rows: list[tuple[str, str | None, str, str | None, tuple[str, int, int, int | None] | None]],
) -> None:
    """The engine and locate make findings without validating them; the report, its JSON and the
    entries made the old way (each result dumped and validated again) are the same."""
    cat = catalog([control("FAILS-01")], [requirement("A")], [mapping("A", "FAILS-01")])
    fast = tuple(
        checked_finding(rule, resource, message, waived, checked_location(*place) if place else None)
        for rule, resource, message, waived, place in rows
    )
    validated = tuple(
        Finding(
            rule=rule,
            resource=resource,
            message=message,
            waived_by=waived,
            location=SourceLocation(path=place[0], line=place[1], column=place[2], end_column=place[3])
            if place
            else None,
        )
        for rule, resource, message, waived, place in rows
    )
    made = build_report(cat, run(result("FAILS-01", C.FAIL).with_findings(fast)))
    plain = build_report(cat, run(result("FAILS-01", C.FAIL).with_findings(validated)))
    assert made.model_dump_json() == plain.model_dump_json()
    assert render(made, "json") == render(plain, "json")
    entry = made.control("FAILS-01")
    assert ControlEntry.model_validate(entry.model_dump()) == entry  # the old way of making it
