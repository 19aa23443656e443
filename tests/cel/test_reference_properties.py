"""Property tests for the reference backend and the engine's use of it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel.reference import ReferenceBackend
from assay.engine import Engine
from assay.evidence import InMemoryEvidence
from assay.model import ControlStatus

BACKEND = ReferenceBackend()
NOW = datetime(2026, 11, 25, tzinfo=UTC)
INT64 = st.integers(min_value=-(2**61), max_value=2**61)  # sums stay inside int64

json_values = st.recursive(
    st.none()
    | st.booleans()
    | INT64
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=6), c, max_size=4),
    max_leaves=15,
)


@given(json_values)
def test_values_survive_conversion_both_ways(value: Any) -> None:
    assert BACKEND.python(BACKEND.native(value)) == value


@given(INT64, INT64)
def test_integer_comparison_and_addition_agree_with_python(a: int, b: int) -> None:
    variables = {"a": BACKEND.native(a), "b": BACKEND.native(b)}
    assert BACKEND.python(BACKEND.compile("a < b").run(variables)) is (a < b)
    assert BACKEND.python(BACKEND.compile("a + b").run(variables)) == a + b


@given(st.lists(st.text(min_size=1, max_size=8)), st.text(max_size=8))
def test_membership_agrees_with_python(items: list[str], probe: str) -> None:
    variables = {"xs": BACKEND.native(items), "p": BACKEND.native(probe)}
    assert BACKEND.python(BACKEND.compile("p in xs").run(variables)) is (probe in items)


VOLUMES = """
controls:
  - id: CRYPTO-01
    title: Volumes encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence: [{name: aws.ec2.volumes}]
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt.
"""


@pytest.fixture(scope="module")
def volume_engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    from tests.conftest import catalog_from_yaml

    return Engine(catalog_from_yaml(VOLUMES, tmp_path_factory.mktemp("catalog")))


@settings(max_examples=60)
@given(st.dictionaries(st.from_regex(r"vol-[0-9a-f]{4}", fullmatch=True), st.booleans(), max_size=12))
def test_findings_are_exactly_the_failing_resources(volume_engine: Engine, volumes: dict[str, bool]) -> None:
    engine = volume_engine
    evidence = InMemoryEvidence()
    evidence.add(
        "aws.ec2.volumes", {"Volumes": [{"VolumeId": k, "Encrypted": v} for k, v in volumes.items()]}
    )
    result = engine.evaluate(evidence, now=NOW).result("CRYPTO-01")
    failing = sorted(k for k, v in volumes.items() if not v)
    assert sorted(f.resource or "" for f in result.findings) == failing
    assert result.status is (ControlStatus.FAIL if failing else ControlStatus.PASS)
