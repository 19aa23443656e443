"""Issue #13 on the bundled example: the verdicts an auditor reads, end to end through the pipeline."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from assay.gaps import Report
from assay.loading.builtin import builtin_paths
from assay.model import ControlStatus, RequirementStatus
from assay.pipeline import run
from assay.project import resolve_project
from assay.results import RunResult
from assay.trust import build_trust_page, load_trust_config
from assay.verdicts import NOT_IN_SCOPE


def example_report(adjust: Callable[[RunResult], RunResult] | None = None, **options: object) -> Report:
    project = resolve_project(options={k: (v, f"--{k}") for k, v in options.items()}, environ={})
    return run(project, adjust=adjust).report


@pytest.fixture(scope="module")
def report() -> Report:
    return example_report()


def statuses(report: Report) -> set[RequirementStatus]:
    return {r.status for f in report.frameworks for r in f.requirements if not r.heading}


def test_the_example_shows_every_new_status_with_its_reason(report: Report) -> None:
    assert {
        RequirementStatus.PARTIALLY_MET,
        RequirementStatus.MET_WITH_EXCEPTIONS,
        RequirementStatus.SUPERSEDED,
        RequirementStatus.MET,
    } <= statuses(report)
    for framework in report.frameworks:
        for row in framework.requirements:
            if row.status in (RequirementStatus.PARTIALLY_MET, RequirementStatus.MET_WITH_EXCEPTIONS):
                assert row.reason, (framework.key, row.id)
            if row.status is RequirementStatus.MET_WITH_EXCEPTIONS and row.controls:
                assert row.exceptions, (framework.key, row.id)  # each waiver listed with its ticket
    pci = {r.id: r for r in report.framework("pci-dss").requirements}
    assert pci["6.4.1"].status is RequirementStatus.SUPERSEDED
    assert (pci["6.4.1"].successor, pci["6.4.1"].reason) == ("6.4.2", "superseded by 6.4.2 after 2025-03-31")


def test_before_the_pci_dss_v4_deadline_future_dated_requirements_are_best_practice() -> None:
    early = example_report(now="2025-03-01T00:00:00Z")
    pci = {r.id: r for r in early.framework("pci-dss").requirements}
    assert pci["8.3.6"].status is RequirementStatus.BEST_PRACTICE
    assert pci["8.3.6"].effective_from is not None
    assert pci["6.4.1"].status is not RequirementStatus.SUPERSEDED  # still in force then
    assert pci["6.4.2"].status is RequirementStatus.BEST_PRACTICE
    assert early.framework("pci-dss").counts["best_practice"] >= 40
    assert pci["8.3.6"].status not in (RequirementStatus.NOT_MET, RequirementStatus.PARTIALLY_MET)


def test_met_needs_full_coverage(report: Report) -> None:
    for framework in report.frameworks:
        for row in framework.requirements:
            if row.status is RequirementStatus.MET and not row.heading:
                assert row.coverage == "full", (framework.key, row.id)
                assert all(c.status is ControlStatus.PASS for c in row.controls), (framework.key, row.id)
            if row.status is RequirementStatus.PARTIALLY_MET and row.controls:
                assert row.coverage != "full" or row.reason, (framework.key, row.id)


def test_share_met_counts_only_met(report: Report) -> None:
    for framework in report.frameworks:
        in_scope = framework.assessable - sum(framework.counts[s] for s in NOT_IN_SCOPE)
        expected = round(framework.counts["met"] / in_scope, 4) if in_scope else None
        assert framework.share_met == expected


def test_the_trust_page_and_the_gap_report_agree_on_every_framework(report: Report) -> None:
    page = build_trust_page(report, load_trust_config(builtin_paths().example / "trust.yaml"))
    assert page.frameworks
    for statement in page.frameworks:
        framework = report.framework(statement.key)
        rows = [r for r in framework.requirements if not r.heading]
        assert statement.met == sum(r.status is RequirementStatus.MET for r in rows)
        assert statement.in_scope == sum(r.status not in NOT_IN_SCOPE for r in rows)


def test_inherited_requirements_are_proven_by_vendor_01(report: Report) -> None:
    iso = {r.id: r for r in report.framework("iso27001").requirements}
    assert iso["A.7.1"].status is RequirementStatus.OUT_OF_SCOPE
    scope = iso["A.7.1"].scope
    assert scope is not None
    assert (scope.provider, scope.proven_by, scope.proof_status) == ("AWS", "VENDOR-01", ControlStatus.PASS)
    assert [c.control for c in scope.complementary_controls] == ["IAM-02", "CRYPTO-01"]

    def vendor_01_fails(result: RunResult) -> RunResult:
        changed = tuple(
            r.with_status(ControlStatus.FAIL, reason="AWS SOC 2 report not reviewed")
            if r.control == "VENDOR-01"
            else r
            for r in result.results
        )
        return result.with_results(changed)

    unproven = example_report(adjust=vendor_01_fails)
    inherited = [
        (f.key, r)
        for f in unproven.frameworks
        for r in f.requirements
        if r.scope is not None and r.scope.applicability == "inherited"
    ]
    assert len(inherited) >= 20
    for key, row in inherited:
        assert row.status is RequirementStatus.NOT_ASSESSED, (key, row.id)
        assert "VENDOR-01" in (row.reason or "")


def test_the_markdown_report_shows_coverage_cuecs_and_exceptions_in_words() -> None:
    from assay.render import render_text

    text = render_text(example_report(), "markdown")
    assert "partially_met (partly covered)" in text
    assert "complementary controls the company runs: IAM-02 (fail), CRYPTO-01 (fail)" in text
    assert "inherited from AWS, proven by VENDOR-01 (pass)" in text
    assert "covers part of it" in text
    assert "exception: " in text


def copy_example(tmp_path: Path) -> Path:
    evidence = tmp_path / "evidence"
    shutil.copytree(builtin_paths().evidence, evidence)
    return evidence


def test_an_attestation_without_an_attester_stops_the_run_at_its_position(cli, tmp_path: Path) -> None:
    evidence = copy_example(tmp_path)
    attestation = evidence / "attestations" / "pentest.yaml"
    lines = attestation.read_text(encoding="utf-8").splitlines()
    kept = [line for line in lines if not line.startswith(("attested_by:", "  name:", "  role:"))]
    attestation.write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = cli("check", "--evidence", str(evidence), "--now", "2026-11-25T12:00:00Z")
    assert result.code == 2
    # The position of the document's first key: line 2, after the comment line.
    assert (
        f"{evidence}/attestations/pentest.yaml:2:1: error: attestation read by VULN-03: "
        "missing required key 'attested_by'\n"
    ) in result.err
    assert "nothing was evaluated" in result.err


def test_a_changed_artefact_makes_the_attestation_an_error(cli, tmp_path: Path) -> None:
    evidence = copy_example(tmp_path)
    artefacts = sorted((evidence / "artefacts").iterdir())
    assert artefacts, "the example keeps at least one attested artefact in its evidence folder"
    first = artefacts[0]
    clean = cli("check", "--evidence", str(evidence), "--format", "json")
    first.write_bytes(first.read_bytes() + b"one more line\n")
    tampered = cli("check", "--evidence", str(evidence), "--format", "json")
    assert f"vouches for artefact artefacts/{first.name}" in tampered.out
    assert f"vouches for artefact artefacts/{first.name}" not in clean.out
    assert '"status": "error"' in tampered.out


def test_an_attestation_dated_after_the_run_is_an_error_not_fresh(cli, tmp_path: Path) -> None:
    evidence = copy_example(tmp_path)
    attestation = evidence / "attestations" / "pentest.yaml"
    text = attestation.read_text(encoding="utf-8")
    assert "attested_at: 2025-10-27" in text
    attestation.write_text(
        text.replace("attested_at: 2025-10-27", "attested_at: 2099-01-01"), encoding="utf-8"
    )
    result = cli("check", "--evidence", str(evidence), "--now", "2026-11-25T12:00:00Z", "--format", "json")
    vuln_03 = next(c for c in json.loads(result.out)["controls"] if c["control"] == "VULN-03")
    assert vuln_03["status"] == "error"
    assert "attested_at 2099-01-01 is after the evaluation day 2026-11-25" in vuln_03["reason"]


def test_system_evidence_can_be_required(report: Report) -> None:
    attested = [
        (f.key, r.id)
        for f in report.frameworks
        for r in f.requirements
        if r.status is RequirementStatus.MET and r.attestation_only
    ]
    assert attested, "the example has requirements met on attestations alone"
    strict = example_report(require_system_evidence=True)
    for key, requirement_id in attested:
        row = next(r for r in strict.framework(key).requirements if r.id == requirement_id)
        assert row.status is RequirementStatus.PARTIALLY_MET
        assert "system evidence is required" in (row.reason or "")


def test_a_together_statement_is_not_met_by_the_one_control_a_project_keeps() -> None:
    # HIPAA 164.312(a)(2)(iv): the built-in mapping says CRYPTO-01, -05, -06 and BACKUP-04 together
    # cover encryption at rest. A project keeping only CRYPTO-06 has not shown the rest.
    report = example_report(builtin_controls=("CRYPTO-06",), frameworks=("hipaa",))
    row = next(r for r in report.framework("hipaa").requirements if r.id == "164.312(a)(2)(iv)")
    assert [c.control for c in row.controls] == ["CRYPTO-06"]
    assert row.together is not None
    assert (row.status, row.coverage) == (RequirementStatus.PARTIALLY_MET, "partial")
