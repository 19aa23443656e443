"""The trust page's logic: only passing controls' claims are published, everything else is withheld."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from assay.errors import LoadError
from assay.gaps import ControlEntry, FrameworkReport, MappedControlStatus, Report, RequirementResult
from assay.loading.builtin import builtin_paths
from assay.model import ControlStatus, RequirementStatus, Severity
from assay.results import EvidenceUse, Finding, WaiverRef
from assay.trust import (
    DOMAIN_SECTIONS,
    SECTIONS,
    TrustConfig,
    build_trust_page,
    load_trust_config,
    section_of,
)
from tests.render.conftest import make_sample_report

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
COLLECTED = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
CONFIG = TrustConfig(company="Acme")


def control(
    control_id: str,
    status: ControlStatus,
    *,
    domain: str = "cryptography",
    evidence: str = "aws.ec2.volumes",
    collected_at: datetime | None = COLLECTED,
    **extra: object,
) -> ControlEntry:
    return ControlEntry(
        control=control_id,
        title=control_id,
        severity=Severity.HIGH,
        domain=domain,
        status=status,
        claim=f"Claim of {control_id}.",
        remediation="Fix it.",
        evidence=(EvidenceUse(name=evidence, collected_at=collected_at),),
        **extra,  # type: ignore[arg-type]
    )


def report(*controls: ControlEntry, frameworks: tuple[FrameworkReport, ...] = ()) -> Report:
    return Report(
        assay_version="0",
        generated_at=NOW,
        backend="native",
        summary={},
        frameworks=frameworks,
        controls=controls,
        evidence=(),
    )


def framework(key: str, *rows: tuple[str, RequirementStatus, tuple[ControlStatus, ...]]) -> FrameworkReport:
    return FrameworkReport(
        key=key,
        name=key.upper(),
        version="1",
        assessable=len(rows),
        counts={},
        share_met=None,
        requirements=tuple(
            RequirementResult(
                id=rid,
                title=rid,
                status=status,
                controls=tuple(
                    MappedControlStatus(control=f"C-{i}", status=s, coverage="full", rationale="-")
                    for i, s in enumerate(statuses)
                ),
            )
            for rid, status, statuses in rows
        ),
    )


def test_a_passing_control_publishes_its_claim_with_the_evidence_date() -> None:
    page = build_trust_page(report(control("CRYPTO-01", ControlStatus.PASS)), CONFIG)
    [claim] = page.section("encryption").claims
    assert (claim.control, claim.claim, claim.collected_at) == ("CRYPTO-01", "Claim of CRYPTO-01.", COLLECTED)
    assert page.withheld == ()


def test_the_oldest_evidence_date_is_shown() -> None:
    entry = control("CRYPTO-01", ControlStatus.PASS).model_copy(
        update={
            "evidence": (
                EvidenceUse(name="a.b", collected_at=COLLECTED),
                EvidenceUse(name="a.c", collected_at=datetime(2026, 10, 1, tzinfo=UTC)),
            )
        }
    )
    [claim] = build_trust_page(report(entry), CONFIG).section("encryption").claims
    assert claim.collected_at == datetime(2026, 10, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        (
            control(
                "CRYPTO-01",
                ControlStatus.FAIL,
                findings=(Finding(rule="r", resource="vol-1", message="EBS volume vol-1 is not encrypted"),),
            ),
            "the control fails: vol-1: EBS volume vol-1 is not encrypted",
        ),
        (
            control("CRYPTO-01", ControlStatus.ERROR, reason="no such overload"),
            "the control could not be evaluated: no such overload",
        ),
        (
            control("CRYPTO-01", ControlStatus.NOT_ASSESSED, reason="evidence aws.ec2.volumes is missing"),
            "the control was not assessed: evidence aws.ec2.volumes is missing",
        ),
        (
            control(
                "CRYPTO-01",
                ControlStatus.WAIVED,
                waiver=WaiverRef(
                    ticket="SEC-1", approver="CTO", justification="later", expires=date(2026, 12, 1)
                ),
            ),
            "the control fails; waiver SEC-1 (approved by CTO, until 2026-12-01) accepts that, "
            "but a waiver is not proof",
        ),
        (
            control("CRYPTO-01", ControlStatus.PASS, collected_at=None),
            "its evidence has no collection date, so the page could not say how current it is",
        ),
        (
            control("CRYPTO-01", ControlStatus.PASS, domain="astrology"),
            "its domain 'astrology' has no section on the page; map it under 'domains' in the trust config",
        ),
    ],
    ids=["fail", "error", "not_assessed", "waived", "undated", "unknown-domain"],
)
def test_a_claim_not_proven_is_withheld_with_its_reason(entry: ControlEntry, reason: str) -> None:
    page = build_trust_page(report(entry), CONFIG)
    assert all(not section.claims for section in page.sections)
    [item] = page.withheld
    assert (item.item, item.claim, item.status, item.reason) == (
        "CRYPTO-01",
        "Claim of CRYPTO-01.",
        entry.status.value,
        reason,
    )


def test_every_builtin_domain_lands_in_a_section() -> None:
    from assay.loading.catalog import builtin_catalog

    domains = {c.domain for c in builtin_catalog().controls}
    assert domains <= set(DOMAIN_SECTIONS)
    assert all(section_of(d) in SECTIONS for d in domains)
    assert set(DOMAIN_SECTIONS.values()) == set(SECTIONS)  # and no section is left without a domain


def test_custom_domains_by_first_word_or_by_config() -> None:
    assert section_of("identity") == "access-control"
    assert section_of("logging") == "monitoring"
    assert section_of("governance") == "compliance"
    assert section_of("astrology") is None
    assert section_of("astrology", {"astrology": "monitoring"}) == "monitoring"


def test_frameworks_count_only_requirements_whose_controls_all_pass() -> None:
    soc2 = framework(
        "soc2",
        ("A", RequirementStatus.MET, (ControlStatus.PASS,)),
        (
            "B",
            RequirementStatus.MET_WITH_EXCEPTIONS,
            (ControlStatus.PASS, ControlStatus.WAIVED),
        ),  # met only by a waiver: the gap report's status says so, and the page does not count it
        ("C", RequirementStatus.NOT_MET, (ControlStatus.FAIL,)),
        ("D", RequirementStatus.OUT_OF_SCOPE, ()),
    )
    [statement] = build_trust_page(report(frameworks=(soc2,)), CONFIG).frameworks
    assert (statement.met, statement.in_scope, statement.share) == (1, 3, 1 / 3)


SOC2 = framework("soc2", ("A", RequirementStatus.MET, (ControlStatus.PASS,)))


def test_a_soc2_report_is_named_only_when_its_attestation_control_passes() -> None:
    gov = control(
        "GOV-02", ControlStatus.PASS, domain="governance-assurance", evidence="attestations.soc2_report"
    )
    page = build_trust_page(report(gov, frameworks=(SOC2,)), CONFIG)
    [statement] = page.attestations
    assert (statement.statement, statement.controls, statement.collected_at) == (
        "SOC 2 Type 2 report, current",
        ("GOV-02",),
        COLLECTED,
    )


@pytest.mark.parametrize("status", [ControlStatus.FAIL, ControlStatus.NOT_ASSESSED, ControlStatus.WAIVED])
def test_a_soc2_report_that_is_not_proven_current_is_withheld(status: ControlStatus) -> None:
    gov = control("GOV-02", status, domain="governance-assurance", evidence="attestations.soc2_report")
    page = build_trust_page(report(gov, frameworks=(SOC2,)), CONFIG)
    assert page.attestations == ()
    assert [(w.item, w.reason) for w in page.withheld if w.item.startswith("attestations.")] == [
        ("attestations.soc2_report", f"GOV-02 is {status.value}")
    ]


def test_no_attestation_evidence_means_no_statement() -> None:
    page = build_trust_page(report(control("CRYPTO-01", ControlStatus.PASS), frameworks=(SOC2,)), CONFIG)
    assert page.attestations == ()
    assert page.withheld == ()


def test_the_bundled_example_publishes_its_current_reports() -> None:
    from assay.engine import Engine
    from assay.gaps import build_report
    from assay.loaded_project import load_project

    inputs = load_project()
    assert inputs.evidence.snapshot_at is not None
    run = Engine(inputs.catalog).evaluate(
        inputs.evidence, now=inputs.evidence.snapshot_at, waivers=inputs.waivers, scope=inputs.scope
    )
    built = build_report(inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers)
    page = build_trust_page(built, load_trust_config(builtin_paths().example / "trust.yaml"))
    assert [s.framework for s in page.attestations] == ["soc2", "iso27001", "pci-dss"]
    published = {c.control for s in page.sections for c in s.claims}
    withheld = {w.item for w in page.withheld}
    assert published.isdisjoint(withheld)
    assert all(built.control(c).status is ControlStatus.PASS for c in published)
    assert {"CRYPTO-01", "IAM-02", "IAM-03", "NET-01"} <= withheld


def test_the_acme_fixture_withholds_every_status_but_pass() -> None:
    page = build_trust_page(make_sample_report(), CONFIG)
    assert [c.control for s in page.sections for c in s.claims] == ["CRYPTO-02"]
    assert {w.status for w in page.withheld} == {"fail", "error", "not_assessed", "waived"}


def test_config_errors_point_at_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "trust.yaml"
    path.write_text(
        "company: Acme\ncompnay: typo\nsecurity_txt:\n  contact: []\n  expires: 2027-01-01T00:00:00Z\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as caught:
        load_trust_config(path, "trust.yaml")
    assert [str(d) for d in caught.value.diagnostics] == [
        "trust.yaml:2:1: error: compnay: unknown key 'compnay'; did you mean 'company'?",
        "trust.yaml:4:12: error: security_txt > contact: "
        "Tuple should have at least 1 item after validation, not 0",
    ]


def test_a_single_contact_may_be_a_string() -> None:
    config = TrustConfig.model_validate(
        {
            "company": "Acme",
            "canonical_url": "https://acme.example/security",
            "security_txt": {"contact": "mailto:a@b.example", "expires": "2027-01-01T00:00:00Z"},
        }
    )
    assert config.security_txt is not None
    assert config.security_txt.contact == ("mailto:a@b.example",)
    assert config.page_title == "Acme security"
