"""The catalog: built-in controls chosen by id or domain, built-in mappings and schemas kept to them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from assay.errors import ConfigError
from assay.loading.catalog import load_catalog, read_catalog

OWN_CONTROL = """
controls:
  - id: ACME-01
    title: Volumes are encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt them.
"""


def own_project(folder: Path, control: str = OWN_CONTROL) -> tuple[Path, Path]:
    (folder / "controls").mkdir(parents=True)
    (folder / "mappings").mkdir()
    (folder / "controls" / "acme.yaml").write_text(control, encoding="utf-8")
    (folder / "mappings" / "soc2.yaml").write_text(
        "framework: soc2\nmappings:\n  - requirement: CC6.1\n"
        "    controls: [{control: ACME-01, coverage: full, rationale: Test.}]\n",
        encoding="utf-8",
    )
    return folder / "controls", folder / "mappings"


def test_all_builtin_controls_by_default_and_none_with_your_own(tmp_path: Path) -> None:
    assert len(load_catalog().controls) == 75
    controls, mappings = own_project(tmp_path)
    catalog = load_catalog([controls], [mappings])
    assert [c.id for c in catalog.controls] == ["ACME-01"]
    assert {(m.framework, m.requirement, m.control) for m in catalog.mappings} == {
        ("soc2", "CC6.1", "ACME-01")
    }
    assert set(catalog.frameworks) == {"soc2", "iso27001", "hipaa", "pci-dss", "gdpr"}  # always by key


def test_builtin_controls_by_id_and_domain_bring_only_their_mappings(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path)
    catalog = load_catalog([controls], [mappings], builtin_controls=("IAM-01", "network"))
    network = {c.id for c in load_catalog().controls if c.domain == "network"}
    assert {c.id for c in catalog.controls} == {"ACME-01", "IAM-01"} | network
    assert {m.control for m in catalog.mappings} == {"ACME-01", "IAM-01"} | network
    assert catalog.builtin_controls == frozenset({"IAM-01"} | network)


def test_a_selection_naming_no_builtin_control_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(
        ConfigError, match=r"'IAM-1' is neither a built-in control id nor a domain; did you mean"
    ):
        read_catalog(builtin_controls=("IAM-1",))


def test_builtin_evidence_schemas_judge_only_builtin_controls(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path)
    catalog = load_catalog([controls], [mappings], builtin_controls=("CRYPTO-01",))
    assert "aws.ec2.volumes" in catalog.evidence_schemas  # CRYPTO-01 reads it and has a schema
    assert catalog.schema_applies("aws.ec2.volumes", "CRYPTO-01")
    assert not catalog.schema_applies("aws.ec2.volumes", "ACME-01")
    own = load_catalog([controls], [mappings])
    assert own.evidence_schemas == {}  # no built-in control loaded: no built-in schema


def test_a_schema_beside_your_controls_judges_every_control(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path)
    (controls / "aws.ec2.volumes.schema.json").write_text('{"type": "object"}', encoding="utf-8")
    catalog = load_catalog([controls], [mappings], builtin_controls=("CRYPTO-01",))
    assert catalog.schema_applies("aws.ec2.volumes", "ACME-01")
    assert catalog.schema_applies("aws.ec2.volumes", "CRYPTO-01")


def test_your_control_sharing_a_builtin_id_is_not_mapped_by_builtin_files(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path, OWN_CONTROL.replace("ACME-01", "CRYPTO-01"))
    (mappings / "soc2.yaml").write_text(
        "framework: soc2\nmappings:\n  - requirement: CC6.7\n"
        "    controls: [{control: CRYPTO-01, coverage: full, rationale: Test.}]\n",
        encoding="utf-8",
    )
    catalog = load_catalog([controls], [mappings])
    assert [(m.requirement, m.control) for m in catalog.mappings] == [("CC6.7", "CRYPTO-01")]


def test_a_mapping_file_listing_requirements_says_where_they_go(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path)
    (mappings / "old.yaml").write_text(
        "framework: {key: old, name: Old, version: '1'}\nrequirements:\n"
        "  - id: R-1\n    title: A requirement\n"
        "    controls: [{control: ACME-01, coverage: full, rationale: Test.}]\n",
        encoding="utf-8",
    )
    _, diagnostics = read_catalog([controls], [mappings])
    errors = [d.message for d in diagnostics if d.severity == "error"]
    assert errors == [
        "mappings live in mapping files: move this requirement's 'controls' to a file with 'framework: old' "
        "and 'mappings: [{requirement: R-1, controls: [...]}]'"
    ]


def test_a_successor_must_be_a_requirement_of_the_same_framework(tmp_path: Path) -> None:
    controls, mappings = own_project(tmp_path)
    (mappings / "tiny.yaml").write_text(
        "framework: {key: tiny, name: Tiny, version: '1'}\nrequirements:\n"
        "  - id: T-1\n    title: Old\n    superseded_after: 2025-03-31\n    successor: T-3\n"
        "  - id: T-2\n    title: New\n",
        encoding="utf-8",
    )
    _, diagnostics = read_catalog([controls], [mappings])
    assert [d.message for d in diagnostics if d.severity == "error"] == [
        "successor 'T-3' is not a requirement of tiny; did you mean 'T-2'?"
    ]


def test_controls_and_their_mappings_are_found_by_index_as_a_walk_finds_them() -> None:
    catalog = load_catalog()
    for control in catalog.controls:
        assert catalog.control(control.id) is control
        assert catalog.mappings_of(control.id) == [m for m in catalog.mappings if m.control == control.id]
    assert {"_controls_by_id", "_mappings_by_control"} <= set(vars(catalog))  # built once, then kept
    with pytest.raises(KeyError):
        catalog.control("NO-SUCH-1")
    assert catalog.mappings_of("NO-SUCH-1") == []
    first, second = catalog.controls[0], catalog.controls[1].model_copy(update={"id": catalog.controls[0].id})
    twice = dataclasses.replace(catalog, controls=(first, second))  # a new catalog: its own index
    assert twice.control(first.id) is first
    mapped = catalog.mappings_of(first.id)
    mapped.clear()  # the caller's list: the index is not changed through it
    assert catalog.mappings_of(first.id) != []
