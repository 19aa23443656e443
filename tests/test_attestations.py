"""Attestations as records: the same documents pass and fail as when they were pydantic models, with
the same messages, and the catalog's YAML limits still apply to them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assay import evidence_verdicts
from assay.attestations import (
    Artefact,
    Attestation,
    Attester,
    artefact_files,
    artefact_problems,
    attestation_diagnostics,
    attested_in_future,
    check_attestations,
)
from assay.evidence_verdicts import Invalid, validated
from assay.loading.cached import load_cached_yaml
from assay.yamlsource import DEFAULT_LIMITS

AUDIT = """
controls:
  - id: AUDIT-01
    title: Audited
    claim: An auditor looked.
    description: The yearly audit is attested.
    severity: high
    domain: governance
    evidence:
      - name: attestations.audit
        kind: attestation
    rules:
      - id: signed
        assert: attestations.audit.attested_by.name != ""
    remediation: Get audited.
"""
SHA = "a" * 64


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    evidence_verdicts._memo.clear()


def test_unknown_keys_are_accepted_at_every_level_and_not_kept() -> None:
    data = {
        "attested_by": {"name": " Ines ", "role": "CTO", "email": "ines@example.com"},
        "attested_at": "2026-02-20",
        "artefacts": [{"file": "a/b.pdf", "sha256": SHA, "pages": 3}],
        "period": {"start": "2025-09-01"},
    }
    made = validated(Attestation, data)
    assert made == Attestation(
        attested_by=Attester(name="Ines", role="CTO"),
        attested_at=date(2026, 2, 20),
        artefacts=(Artefact(file="a/b.pdf", sha256=SHA),),
    )
    assert artefact_files(data) == ["a/b.pdf"]


@pytest.mark.parametrize(
    ("text", "positioned", "plain"),
    [
        (
            "attested_by: someone\nattested_at: x\n",
            [
                "att.yaml:1:14: error: attestation read by C1 > attested_by: Input should be a valid "
                "dictionary or instance of Attester",
                "att.yaml:2:14: error: attestation read by C1 > attested_at: Input should be a valid date or "
                "datetime, input is too short",
            ],
            "att.yaml:1:1: error: attestation read by C1: attested_by: Input should be a valid dictionary or "
            "instance of Attester",
        ),
        (
            "attested_by:\n  name: A\nattested_at: 2024-01-01\nartefacts:\n  - file: ../x\n    sha256: zz\n",
            [
                "att.yaml:2:3: error: attestation read by C1 > attested_by: missing required key 'role'",
                "att.yaml:5:11: error: attestation read by C1 > artefacts[0] > file: must be a path inside "
                "the evidence folder, written with forward slashes",
                "att.yaml:6:13: error: attestation read by C1 > artefacts[0] > sha256: 'zz' is not in the "
                "expected form",
            ],
            "att.yaml:1:1: error: attestation read by C1: attested_by.role: Field required",
        ),
        (
            "- 1\n",
            [
                "att.yaml:1:1: error: attestation read by C1: Input should be a valid dictionary or instance "
                "of Attestation"
            ],
            "att.yaml:1:1: error: attestation read by C1: the document: Input should be a valid dictionary "
            "or instance of Attestation",
        ),
        (
            f"attested_by: {{name: A, role: B}}\nattested_at: 2024-01-01\nartefacts:\n  - {{file: 'C:/x', "
            f"sha256: {SHA}}}\n  - 1\n",
            [
                "att.yaml:4:12: error: attestation read by C1 > artefacts[0] > file: must be a path inside "
                "the evidence folder, written with forward slashes",
                "att.yaml:5:5: error: attestation read by C1 > artefacts[1]: Input should be a valid "
                "dictionary or instance of Artefact",
            ],
            "att.yaml:1:1: error: attestation read by C1: artefacts.0.file: Value error, must be a path "
            "inside the evidence folder, written with forward slashes",
        ),
    ],
)
def test_a_refused_attestation_has_the_messages_it_had(
    tmp_path: Path, text: str, positioned: list[str], plain: str
) -> None:
    file = tmp_path / "att.yaml"
    file.write_text(text)
    document = load_cached_yaml(file, "att.yaml", DEFAULT_LIMITS)
    for _ in range(2):  # the second time from the verdict already given
        assert [
            str(d) for d in attestation_diagnostics(document.data, document, "att.yaml", ["C1"])
        ] == positioned
        assert [str(d) for d in attestation_diagnostics(document.data, None, "att.yaml", ["C1"])] == [plain]
    with pytest.raises(Invalid):
        validated(Attestation, document.data)
    assert artefact_files(document.data) == []
    assert artefact_problems(document.data, lambda _: None) == ([], [])
    assert attested_in_future(document.data, datetime(2020, 1, 1, tzinfo=UTC), timedelta()) is None


def test_a_valid_attestation_deeper_than_the_catalogs_limit_is_still_refused(
    tmp_path: Path, make_catalog: Any
) -> None:
    """The evidence folder's YAML may nest 256 deep; an attestation, a statement by a person, is read
    under the catalog's limits (64): its extra keys pass the record, the limit does not."""
    nested = "x"
    for _ in range(70):
        nested = f"[{nested}]"
    file = tmp_path / "audit.yaml"
    file.write_text(f"attested_by: {{name: A, role: B}}\nattested_at: 2024-01-01\nnotes: {nested}\n")
    data = {"attested_by": {"name": "A", "role": "B"}, "attested_at": "2024-01-01", "notes": "deep"}
    catalog = make_catalog(AUDIT)
    problems = check_attestations(catalog, lambda name: (data, "ev/audit.yaml", file))
    assert len(problems) == 1
    assert "ev/audit.yaml" in str(problems[0])
    assert "nest" in str(problems[0]), problems
    assert check_attestations(catalog, lambda name: (data, "ev/audit.yaml", None)) == []


def test_an_invalid_attestation_is_reported_where_it_is(tmp_path: Path, make_catalog: Any) -> None:
    file = tmp_path / "audit.yaml"
    file.write_text("attested_by:\n  name: A\n  role: '  '\nattested_at: 2024-01-01\n")
    document = load_cached_yaml(file, "ev/audit.yaml", DEFAULT_LIMITS)
    problems = check_attestations(make_catalog(AUDIT), lambda name: (document.data, "ev/audit.yaml", file))
    assert [str(p) for p in problems] == [
        "ev/audit.yaml:3:9: error: attestation read by AUDIT-01 > attested_by > role: must not be empty"
    ]
