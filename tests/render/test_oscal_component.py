"""The OSCAL component definition of a catalog: what it states, checked against NIST's models too."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from trestle.oscal.component import ComponentDefinition

from assay.loading.catalog import load_catalog
from assay.render.oscal_component import component_definition

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CONTROLS = """
controls:
  - id: SYS-01
    title: "Volumes are\\nencrypted"
    claim: Our disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence: [{name: aws.volumes}]
    rules:
      - {id: encrypted, assert: 'true'}
      - {id: keys-rotated, assert: 'true'}
    remediation: Encrypt the volume.
"""
MAPPINGS = {
    "soc2.yaml": """
framework: soc2
mappings:
  - requirement: CC6.1
    controls: [{control: SYS-01, coverage: partial, rationale: "Encryption is part\\nof it."}]
""",
    "gdpr.yaml": """
framework: gdpr
mappings:
  - requirement: Art.32(1)(a)
    controls: [{control: SYS-01, coverage: supporting, rationale: Test.}]
""",
}


def write_catalog(folder: Path) -> Path:
    (folder / "controls").mkdir(parents=True)
    (folder / "mappings").mkdir()
    (folder / "controls" / "c.yaml").write_text(CONTROLS, encoding="utf-8")
    for name, text in MAPPINGS.items():
        (folder / "mappings" / name).write_text(text, encoding="utf-8")
    return folder


def definition(folder: Path, **options: Any) -> dict[str, Any]:
    catalog = load_catalog([folder / "controls"], [folder / "mappings"])
    document: dict[str, Any] = component_definition(catalog, now=NOW, **options)["component-definition"]
    return document


def props_of(element: dict[str, Any], name: str) -> list[str]:
    return [p["value"] for p in element.get("props", []) if p["name"] == name]


def test_one_component_with_an_implementation_per_framework(tmp_path: Path) -> None:
    document = definition(write_catalog(tmp_path), title="Acme\nPayments")
    ComponentDefinition.model_validate(document)
    (component,) = document["components"]
    assert component["type"] == "this-system"
    assert component["title"] == "Acme Payments"  # one line, as OSCAL titles are
    implementations = {props_of(i, "framework")[0]: i for i in component["control-implementations"]}
    assert set(implementations) == {"soc2", "gdpr"}
    sources = {f"#{r['uuid']}" for r in document["back-matter"]["resources"]}
    assert {i["source"] for i in implementations.values()} <= sources


def test_each_requirement_names_its_controls_and_their_rule_ids(tmp_path: Path) -> None:
    component = definition(write_catalog(tmp_path))["components"][0]
    gdpr = next(i for i in component["control-implementations"] if props_of(i, "framework") == ["gdpr"])
    (requirement,) = gdpr["implemented-requirements"]
    assert requirement["control-id"] == "Art.32_1__a_"
    assert props_of(requirement, "requirement-id") == ["Art.32(1)(a)"]
    assert props_of(requirement, "control-id") == ["SYS-01"]
    assert props_of(requirement, "Rule_Id") == ["SYS-01/encrypted", "SYS-01/keys-rotated"]
    soc2 = next(i for i in component["control-implementations"] if props_of(i, "framework") == ["soc2"])
    assert "SYS-01 (partial): Encryption is part of it." in soc2["implemented-requirements"][0]["description"]
    # The rules are defined on the component, in trestle's Rule_Id / Rule_Description convention.
    defined = [(p["name"], p["value"], p["remarks"]) for p in component["props"]]
    assert defined[:2] == [
        ("Rule_Id", "SYS-01/encrypted", "rule_set_000"),
        ("Rule_Description", "Volumes are encrypted", "rule_set_000"),
    ]


def test_only_the_frameworks_asked_for(tmp_path: Path) -> None:
    component = definition(write_catalog(tmp_path), frameworks=["soc2"])["components"][0]
    assert [props_of(i, "framework") for i in component["control-implementations"]] == [["soc2"]]


def test_the_same_catalog_gives_the_same_uuids_whenever_it_is_written(tmp_path: Path) -> None:
    folder = write_catalog(tmp_path)
    catalog = load_catalog([folder / "controls"], [folder / "mappings"])
    first = component_definition(catalog, now=NOW)["component-definition"]
    later = component_definition(catalog, now=datetime(2027, 1, 1, tzinfo=UTC))["component-definition"]
    assert first["uuid"] == later["uuid"]
    assert first["components"] == later["components"]
    assert first["metadata"]["last-modified"] != later["metadata"]["last-modified"]
    other = component_definition(catalog, now=NOW, title="Other")["component-definition"]
    assert other["uuid"] != first["uuid"]


def test_the_builtin_catalog_validates_and_trestle_reads_it_back(cli, tmp_path: Path) -> None:
    target = tmp_path / "component.json"
    result = cli("export", "component-definition", "--output", str(target), "--now", "2026-11-25T12:00:00Z")
    assert result.code == 0, result.err
    loaded = ComponentDefinition.oscal_read(target)
    assert isinstance(loaded, ComponentDefinition)
    written = json.loads(target.read_text(encoding="utf-8"))["component-definition"]
    assert str(loaded.uuid) == written["uuid"]
    assert len(written["components"][0]["control-implementations"]) == 5
