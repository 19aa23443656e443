"""The engine's findings are made without validation: they are the findings validation would make.

A run of a million resources has hundreds of thousands of findings, so the engine makes each from
the strings it has checked (``results.checked_finding``), waivers and locate copy them the same way,
and worker processes send them back pickled as tuples. Whatever the resource ids and messages hold,
and on either CEL backend, each is the ``Finding`` pydantic would have validated.
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay.cel import make_backend
from assay.engine import Engine
from assay.evidence import InMemoryEvidence
from assay.model import Waiver
from assay.results import ControlResult, Finding

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
CONTROLS = """
controls:
  - id: CRYPTO-01
    title: Volumes encrypted
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
        message: '"volume " + string(item.VolumeId) + " (" + item.Note + ") is not encrypted"'
      - id: tagged
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: has(item.Tag)
    remediation: Encrypt.
"""

_IDS = st.text(st.characters(codec="utf-8"), min_size=1, max_size=8) | st.integers(-(2**40), 2**40)
_VOLUMES = st.lists(
    st.fixed_dictionaries(
        {
            "VolumeId": _IDS,
            "Encrypted": st.booleans(),
            "Note": st.text(st.characters(codec="utf-8"), max_size=8),
        }
    ),
    min_size=1,
    max_size=6,
)


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> list[Engine]:
    from tests.conftest import catalog_from_yaml

    catalog = catalog_from_yaml(CONTROLS, tmp_path_factory.mktemp("catalog"))
    return [Engine(catalog, backend=make_backend(name)) for name in ("native", "reference")]


@settings(max_examples=60, deadline=None)
@given(_VOLUMES, st.data())
def test_every_finding_is_the_one_validation_makes(
    engines: list[Engine], volumes: list[dict[str, object]], data: st.DataObject
) -> None:
    evidence = InMemoryEvidence()
    evidence.add("aws.ec2.volumes", {"Volumes": volumes}, collected_at=NOW)
    ids = [str(v["VolumeId"]) for v in volumes]
    waived = data.draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)) if ids else []
    waivers = [
        Waiver(
            control="CRYPTO-01",
            justification="Replaced next month.",
            approver="CISO",
            ticket="SEC-1",
            expires=date(2026, 12, 31),
            resources=tuple(waived) or None,
        )
    ]
    for engine in engines:
        result = engine.evaluate(evidence, now=NOW, waivers=waivers).result("CRYPTO-01")
        assert len(result.findings) >= len(volumes)  # every volume fails the tagged rule
        for finding in result.findings:
            assert finding == Finding.model_validate(finding.model_dump())
            assert all(type(value) is str for value in (finding.rule, finding.resource, finding.message))
            assert pickle.loads(pickle.dumps(finding)) == finding  # noqa: S301 - our own bytes
        dumped = result.model_dump_json()
        assert ControlResult.model_validate_json(dumped) == result
        assert json.loads(dumped)["findings"] == [f.model_dump(mode="json") for f in result.findings]
        assert pickle.loads(pickle.dumps(result)) == result  # noqa: S301 - as a worker sends it back
