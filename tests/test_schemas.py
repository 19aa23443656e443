from __future__ import annotations

import json

import jsonschema
import pytest

from assay.schemas import KINDS, json_schema, render, shipped_path
from assay.yamlsource import parse_yaml


@pytest.mark.parametrize("kind", KINDS)
def test_shipped_schema_matches_the_models(kind: str) -> None:
    assert shipped_path(kind).read_text(encoding="utf-8") == render(kind), "run: python -m assay.schemas"


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_2020_12(kind: str) -> None:
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_command_prints_it(kind: str, cli) -> None:
    result = cli("schema", kind)
    assert result.code == 0
    assert json.loads(result.out) == json_schema(kind)


def test_schema_accepts_a_valid_control_file_and_rejects_unknown_keys() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("control"))
    good = parse_yaml(
        """
controls:
  - id: NET-01
    title: t
    claim: c
    description: d
    severity: low
    domain: network
    evidence: [{name: aws.ec2.security_groups, max_age: 1d}]
    rules: [{id: r, assert: "true"}]
    remediation: r
""",
        "c.yaml",
    ).data
    assert list(validator.iter_errors(good)) == []
    good["controls"][0]["sevrity"] = "low"
    assert any("sevrity" in e.message for e in validator.iter_errors(good))


def test_unknown_schema_kind_is_a_usage_error(cli) -> None:
    result = cli("schema", "nonsense")
    assert result.code == 2
    assert "invalid choice" in result.err
