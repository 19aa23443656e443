"""The verdict contract: how mapped controls, coverage, dates, scope and children decide a status."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.model import ControlStatus as C
from assay.model import Requirement, ScopeEntry
from assay.model import RequirementStatus as R
from assay.verdicts import (
    NOT_IN_SCOPE,
    Support,
    Verdict,
    combined,
    controls_verdict,
    coverage_of,
    dated_verdict,
    heading_verdict,
    rolled_up,
    scoped_verdict,
)


def full(status: C | None = C.PASS, control: str = "F-01", *, attested: bool = False) -> Support:
    return Support(control, status, "full", attested)


def part(status: C | None = C.PASS, control: str = "P-01", *, attested: bool = False) -> Support:
    return Support(control, status, "partial", attested)


def helps(status: C | None = C.PASS, control: str = "S-01") -> Support:
    return Support(control, status, "supporting")


PAIR = [frozenset({"P-01", "P-02"})]  # a "together: full" statement over the two partial controls


@pytest.mark.parametrize(
    ("controls", "together", "expected"),
    [
        ([], False, R.NOT_COVERED),
        ([full()], False, R.MET),
        ([full(), part()], False, R.MET),
        ([part()], False, R.PARTIALLY_MET),  # passing, but covering only part of it
        ([part(), part(control="P-02")], False, R.PARTIALLY_MET),
        ([part(), part(control="P-02")], True, R.MET),  # the mapping says they add up
        ([helps()], False, R.PARTIALLY_MET),  # only supporting controls: coverage none
        ([full(C.WAIVED)], False, R.MET_WITH_EXCEPTIONS),  # a waiver is an exception, never a pass
        ([full(), helps(C.WAIVED)], False, R.MET_WITH_EXCEPTIONS),
        ([part(), part(C.WAIVED, "P-02")], True, R.MET_WITH_EXCEPTIONS),
        ([full(), part(C.FAIL)], False, R.NOT_MET),
        ([full(), helps(C.ERROR)], False, R.NOT_MET),
        ([full(C.NOT_ASSESSED), part(C.ERROR)], False, R.NOT_MET),
        ([full(), part(C.NOT_ASSESSED)], False, R.NOT_ASSESSED),
        ([full(None)], False, R.NOT_ASSESSED),  # mapped control not part of this run
    ],
)
def test_status_from_controls_and_coverage(controls: list[Support], together: bool, expected: R) -> None:
    assert controls_verdict(controls, together=PAIR if together else ()).status is expected


@pytest.mark.parametrize(
    ("controls", "together", "expected"),
    [
        ([full()], False, "full"),
        ([full(C.FAIL), part()], False, "partial"),  # coverage counts the satisfied controls only
        ([part(), part(C.FAIL, "P-02")], True, "partial"),  # together needs every partial satisfied
        ([part(), part(control="P-02"), helps(C.FAIL)], True, "full"),
        ([helps()], False, "none"),
        ([full(C.NOT_ASSESSED)], False, "none"),
    ],
)
def test_coverage(controls: list[Support], together: bool, expected: str) -> None:
    assert coverage_of(controls, together=PAIR if together else ()) == expected


def test_a_together_statement_needs_every_control_it_names() -> None:
    # A project that keeps only one of the built-in controls a statement names: the statement's
    # other controls are not in the run, so the one present does not cover the requirement alone.
    present = [part()]
    assert coverage_of(present, together=PAIR) == "partial"
    assert controls_verdict(present, together=PAIR).status is R.PARTIALLY_MET
    # Two statements (a company's file beside the built-in one): either may make it full.
    both = [part(), part(control="P-02"), part(control="P-03")]
    other = [frozenset({"P-03", "P-04"}), *PAIR]
    assert coverage_of(both, together=other) == "full"


def test_each_verdict_says_why() -> None:
    assert controls_verdict([part()]).reason == "the controls that pass (or are waived) cover only part of it"
    assert controls_verdict([helps()]).reason == "only supporting controls are mapped to it"
    assert controls_verdict([full(), part(C.FAIL, "X-01")]).reason == "X-01 did not pass"
    assert controls_verdict([full(C.WAIVED, "W-01")]).reason == "W-01 is waived"
    assert controls_verdict([full()]).reason is None


def test_system_evidence_can_be_required() -> None:
    attested = [full(attested=True)]
    assert controls_verdict(attested).status is R.MET
    assert controls_verdict(attested).attestation_only
    strict = controls_verdict(attested, require_system_evidence=True)
    assert strict.status is R.PARTIALLY_MET
    assert "attestations" in (strict.reason or "")
    # A system-evidenced full control carries the requirement on its own.
    mixed = [full(attested=True), full(control="F-02")]
    assert controls_verdict(mixed, require_system_evidence=True).status is R.MET
    assert not controls_verdict(mixed).attestation_only
    # Partial controls adding up together: every one of them must rest on system evidence.
    pair = [part(), part(control="P-02", attested=True)]
    assert controls_verdict(pair, together=PAIR, require_system_evidence=True).status is R.PARTIALLY_MET
    assert controls_verdict(pair, together=PAIR).status is R.MET


def requirement(**fields: object) -> Requirement:
    return Requirement.model_validate({"id": "6.4.1", "title": "A requirement", **fields})


def test_dates_give_superseded_and_best_practice() -> None:
    old = requirement(superseded_after="2025-03-31", successor="6.4.2")
    assert dated_verdict(old, date(2025, 3, 31)) is None  # its last day: still in force
    superseded = dated_verdict(old, date(2025, 4, 1))
    assert superseded is not None
    assert superseded.status is R.SUPERSEDED
    assert superseded.reason == "superseded by 6.4.2 after 2025-03-31"
    new = requirement(effective_from="2025-04-01")
    early = dated_verdict(new, date(2025, 3, 31))
    assert early is not None
    assert early.status is R.BEST_PRACTICE
    assert "2025-04-01" in (early.reason or "")
    assert dated_verdict(new, date(2025, 4, 1)) is None
    assert not new.in_force(date(2025, 3, 31))
    assert new.in_force(date(2025, 4, 1))


def test_a_withdrawn_requirement_is_superseded_at_any_date() -> None:
    gone = requirement(withdrawn=True)
    for day in (date(1990, 1, 1), date(2099, 12, 31)):
        verdict = dated_verdict(gone, day)
        assert verdict is not None
        assert (verdict.status, verdict.reason) == (
            R.SUPERSEDED,
            "withdrawn from the framework with no successor",
        )
    # Withdrawn into another requirement, with no date known: superseded by it, at any date too.
    moved = dated_verdict(requirement(withdrawn=True, successor="6.4.2"), date(1990, 1, 1))
    assert moved is not None
    assert (moved.status, moved.reason) == (R.SUPERSEDED, "withdrawn from the framework, replaced by 6.4.2")
    # With its last day, the date decides as for any superseded requirement.
    dated = requirement(withdrawn=True, successor="6.4.2", superseded_after="2025-03-31")
    assert dated_verdict(dated, date(2025, 3, 31)) is None
    # A successor without a date is for withdrawn requirements only; a date always needs a successor.
    with pytest.raises(ValueError, match="unless the requirement is withdrawn"):
        requirement(successor="6.4.2")
    with pytest.raises(ValueError, match="go together"):
        requirement(withdrawn=True, superseded_after="2025-03-31")


def inherited(**fields: object) -> ScopeEntry:
    base = {
        "framework": "soc2",
        "requirement": "CC6.4",
        "applicability": "inherited",
        "provider": "AWS",
        "proven_by": "VENDOR-01",
        "justification": "AWS runs the data centres.",
    }
    return ScopeEntry.model_validate({**base, **fields})


def test_inherited_means_proven() -> None:
    entry = inherited(complementary_controls=["IAM-02"])
    proven = scoped_verdict(entry, {"VENDOR-01": C.PASS, "IAM-02": C.PASS})
    assert proven.status is R.OUT_OF_SCOPE
    for status in (C.FAIL, C.ERROR, C.NOT_ASSESSED, C.WAIVED):
        unproven = scoped_verdict(entry, {"VENDOR-01": status})
        assert unproven.status is R.NOT_ASSESSED, status
        assert f"VENDOR-01 (which proves AWS's assurance report was reviewed) is {status.value}" in (
            unproven.reason or ""
        )
    absent = scoped_verdict(entry, {})
    assert absent.status is R.NOT_ASSESSED
    assert "not part of this run" in (absent.reason or "")
    leaning = scoped_verdict(entry, {"VENDOR-01": C.PASS, "IAM-02": C.FAIL})
    assert leaning.status is R.OUT_OF_SCOPE
    assert "complementary control IAM-02 did not pass" in (leaning.reason or "")


def test_inherited_entries_name_their_provider_and_proof() -> None:
    with pytest.raises(ValueError, match="proven_by"):
        inherited(proven_by=None)
    with pytest.raises(ValueError, match="provider"):
        inherited(provider=None)
    with pytest.raises(ValueError, match="inherited requirements"):
        ScopeEntry.model_validate(
            {
                "framework": "soc2",
                "requirement": "CC6.4",
                "applicability": "not_applicable",
                "proven_by": "VENDOR-01",
                "justification": "x",
            }
        )


def test_not_applicable_is_out_of_scope_with_its_reason() -> None:
    entry = ScopeEntry.model_validate(
        {
            "framework": "gdpr",
            "requirement": "Art.10",
            "applicability": "not_applicable",
            "justification": "None.",
        }
    )
    verdict = scoped_verdict(entry, {})
    assert (verdict.status, verdict.reason) == (R.OUT_OF_SCOPE, "not applicable: None.")


@pytest.mark.parametrize(
    ("children", "expected"),
    [
        ([R.MET, R.NOT_MET], R.NOT_MET),
        ([R.MET, R.NOT_COVERED], R.NOT_COVERED),
        ([R.MET, R.PARTIALLY_MET], R.PARTIALLY_MET),
        ([R.MET, R.OUT_OF_SCOPE], R.MET),
        ([R.MET, R.MET_WITH_EXCEPTIONS], R.MET_WITH_EXCEPTIONS),
        ([R.BEST_PRACTICE, R.MET], R.MET),
        ([R.OUT_OF_SCOPE, R.SUPERSEDED], R.OUT_OF_SCOPE),
        ([R.NOT_ASSESSED, R.NOT_COVERED], R.NOT_ASSESSED),
        ([], R.NOT_COVERED),
    ],
)
def test_headings_roll_up_the_most_urgent_child(children: list[R], expected: R) -> None:
    assert rolled_up(children) is expected


@pytest.mark.parametrize(
    ("own", "children", "expected"),
    [
        # A HIPAA standard met by its own controls, with a required specification not met.
        (R.MET, {"(ii)(A)": R.MET, "(ii)(B)": R.NOT_MET}, R.NOT_MET),
        (R.MET, {"(ii)(A)": R.NOT_ASSESSED}, R.NOT_ASSESSED),
        (R.MET, {"(ii)(A)": R.NOT_COVERED}, R.PARTIALLY_MET),
        (R.MET, {"(ii)(A)": R.PARTIALLY_MET}, R.PARTIALLY_MET),
        (R.MET, {"(ii)(A)": R.MET_WITH_EXCEPTIONS}, R.MET_WITH_EXCEPTIONS),
        # An addressable specification documented as not reasonable (a scope entry) does not count.
        (R.MET, {"(ii)(A)": R.OUT_OF_SCOPE, "(ii)(B)": R.MET}, R.MET),
        (R.MET, {"(ii)(A)": R.BEST_PRACTICE}, R.MET),
        # A standard with no controls of its own takes its specifications' status.
        (R.NOT_COVERED, {"(ii)(A)": R.MET, "(ii)(B)": R.MET}, R.MET),
        (R.NOT_COVERED, {"(ii)(A)": R.MET, "(ii)(B)": R.PARTIALLY_MET}, R.PARTIALLY_MET),
        (R.NOT_MET, {"(ii)(A)": R.MET}, R.NOT_MET),
        (R.OUT_OF_SCOPE, {"(ii)(A)": R.NOT_MET}, R.OUT_OF_SCOPE),
    ],
)
def test_a_parent_is_never_better_than_its_children_allow(
    own: R, children: dict[str, R], expected: R
) -> None:
    verdict = combined(Verdict(own, "full"), children)
    assert verdict.status is expected
    if expected is not own and own is not R.NOT_COVERED:
        assert verdict.reason is not None
        assert any(child in verdict.reason for child in children)


@given(
    own=st.sampled_from(list(R)),
    children=st.dictionaries(st.text(min_size=1, max_size=3), st.sampled_from(list(R)), max_size=5),
)
def test_a_parent_is_never_met_while_a_child_is_not_met(own: R, children: dict[str, R]) -> None:
    status = combined(Verdict(own), children).status
    if R.NOT_MET in children.values() and own not in NOT_IN_SCOPE:
        assert status in (R.NOT_MET, R.NOT_ASSESSED)
    if status is R.MET:
        assert all(child in (R.MET, *NOT_IN_SCOPE) for child in children.values())


# --- exact verdicts: status, coverage, reason and the attestation flag together ----------------------

ONLY_PART = "the controls that pass (or are waived) cover only part of it"


@pytest.mark.parametrize(
    ("controls", "expected"),
    [
        ([], Verdict(R.NOT_COVERED, None, "no control is mapped to it")),
        ([full(C.FAIL, "A-01"), part(control="B-01"), part(C.ERROR, "C-01")],
         Verdict(R.NOT_MET, "partial", "A-01, C-01 did not pass")),
        ([full(), part(C.NOT_ASSESSED, "B-01"), part(None, "C-01")],
         Verdict(R.NOT_ASSESSED, "full", "B-01, C-01 could not be assessed")),
        ([part(attested=True)],
         Verdict(R.PARTIALLY_MET, "partial", ONLY_PART, True)),
        ([full(C.WAIVED, "A-01", attested=True), full(C.WAIVED, "B-01", attested=True)],
         Verdict(R.MET_WITH_EXCEPTIONS, "full", "A-01, B-01 are waived", True)),
        ([full(C.WAIVED, "A-01")], Verdict(R.MET_WITH_EXCEPTIONS, "full", "A-01 is waived")),
        ([full(attested=True)], Verdict(R.MET, "full", None, True)),
        ([full()], Verdict(R.MET, "full", None, False)),
    ],
)  # fmt: skip
def test_the_whole_verdict(controls: list[Support], expected: Verdict) -> None:
    assert controls_verdict(controls) == expected


def test_system_evidence_required_keeps_the_together_statement() -> None:
    """Two partial controls on system evidence that a statement adds up still meet it."""
    pair = [part(), part(control="P-02")]
    strict = controls_verdict(pair, together=PAIR, require_system_evidence=True)
    assert strict == Verdict(R.MET, "full", None, False)
    attested = [full(attested=True), full(C.WAIVED, "F-02", attested=True)]
    assert controls_verdict(attested, require_system_evidence=True) == Verdict(
        R.PARTIALLY_MET,
        "full",
        "its full coverage rests on attestations, and system evidence is required",
        True,
    )


def test_inherited_reasons_in_full() -> None:
    entry = inherited(complementary_controls=["IAM-02", "IAM-03", "IAM-04"])
    statuses = {"VENDOR-01": C.PASS, "IAM-02": C.FAIL, "IAM-03": C.PASS, "IAM-04": C.ERROR}
    assert scoped_verdict(entry, statuses) == Verdict(
        R.OUT_OF_SCOPE,
        None,
        "inherited from AWS, proven by VENDOR-01; complementary control IAM-02, IAM-04 did not pass",
    )
    assert scoped_verdict(entry, {}) == Verdict(
        R.NOT_ASSESSED,
        None,
        "inherited from AWS, but VENDOR-01 (which proves AWS's assurance report was reviewed) is not part "
        "of this run",
    )


def test_a_parent_keeps_its_own_more_urgent_status() -> None:
    """A parent not met keeps not met under a child not assessed (the more urgent of the two)."""
    own = Verdict(R.NOT_MET, "full", "A-01 did not pass")
    assert combined(own, {"(a)": R.NOT_ASSESSED}) is own
    worse = combined(Verdict(R.NOT_ASSESSED, "full", "B-01 could not be assessed"), {"(a)": R.NOT_MET})
    assert worse == Verdict(R.NOT_MET, "full", "(a) is not_met")


def test_a_parent_capped_by_its_children_keeps_its_coverage_and_attestation_flag() -> None:
    own = Verdict(R.MET, "full", None, True)
    assert combined(own, {"(a)": R.PARTIALLY_MET, "(b)": R.PARTIALLY_MET}) == Verdict(
        R.PARTIALLY_MET, "full", "(a), (b) are partially_met", True
    )


def test_a_parent_without_controls_takes_its_childrens_verdict_in_words() -> None:
    unmapped = Verdict(R.NOT_COVERED, None, "no control is mapped to it")
    assert combined(unmapped, {"(a)": R.MET, "(b)": R.NOT_COVERED}) == Verdict(
        R.NOT_COVERED, None, "from its parts: (b) is not_covered"
    )
    assert combined(unmapped, {"(a)": R.MET, "(b)": R.MET_WITH_EXCEPTIONS}) == Verdict(
        R.MET_WITH_EXCEPTIONS, None, None
    )


def test_a_heading_names_at_most_five_children() -> None:
    children = {f"1.{n}": R.NOT_MET for n in range(1, 8)} | {"1.9": R.MET}
    assert heading_verdict(children) == Verdict(
        R.NOT_MET, None, "from its parts: 1.1, 1.2, 1.3, 1.4, 1.5 and 2 more are not_met"
    )
    five = {f"1.{n}": R.NOT_ASSESSED for n in range(1, 6)}
    assert heading_verdict(five) == Verdict(
        R.NOT_ASSESSED, None, "from its parts: 1.1, 1.2, 1.3, 1.4, 1.5 are not_assessed"
    )
    assert heading_verdict({"1.1": R.PARTIALLY_MET, "1.2": R.MET}) == Verdict(
        R.PARTIALLY_MET, None, "from its parts: 1.1 is partially_met"
    )


def test_a_heading_of_met_children_or_of_none() -> None:
    assert heading_verdict({"1.1": R.MET, "1.2": R.MET_WITH_EXCEPTIONS}) == Verdict(R.MET_WITH_EXCEPTIONS)
    assert heading_verdict({"1.1": R.MET}) == Verdict(R.MET)
    assert heading_verdict({}) == Verdict(R.NOT_COVERED)
    assert heading_verdict({"1.1": R.OUT_OF_SCOPE, "1.2": R.SUPERSEDED}) == Verdict(
        R.OUT_OF_SCOPE, None, "from its parts: 1.1 is out_of_scope"
    )
