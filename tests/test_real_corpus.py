"""Issue #16: the real-format corpus in tests/data/real/, each file judged as a careful human would.

``tests/data/real/sources.yaml`` lists every file with the tool and version whose output shape it
follows, where that shape is documented, and the verdict expected of each control that reads it. This
module evaluates each entry through the real readers (``parse_evidence``) and the built-in catalog.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import assay
from assay.engine import Engine
from assay.errors import LoadError
from assay.evidence import FORMATS, EvidenceProblem, InMemoryEvidence, parse_evidence
from assay.loaded_project import load_project
from assay.model import ControlStatus, Waiver
from assay.results import ControlResult
from assay.yamlsource import parse_yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).parent / "data" / "real"
SOURCES = parse_yaml((CORPUS / "sources.yaml").read_bytes(), "sources.yaml").data
NOW = datetime.fromisoformat(str(SOURCES["now"]).replace("Z", "+00:00"))
ENTRIES = SOURCES["files"]
FIELDS = {"file", "tool", "version", "command", "shape", "evidence", "expect"}


@dataclass(frozen=True)
class Setup:
    engine: Engine
    parameters: dict[str, dict[str, Any]]


@functools.cache
def setup(project: str | None) -> Setup:
    """The engine and parameters to judge with: the built-in catalog, or an example project's own."""
    if project is None:
        return Setup(Engine(assay.builtin_catalog()), {})
    loaded = load_project(ROOT / project, evidence=False)
    return Setup(Engine(loaded.catalog), {k: dict(v) for k, v in loaded.parameters.items()})


def load_file(store: InMemoryEvidence, name: str, relative: str, raw: bytes | None = None) -> None:
    """Read one corpus file as evidence ``name`` through the reader the evidence folder uses."""
    path = CORPUS / relative
    data = path.read_bytes() if raw is None else raw
    try:
        parsed = parse_evidence(data, FORMATS.get(path.suffix.lower(), "text"), f"evidence/{relative}")
    except LoadError as exc:
        store.add_problem(EvidenceProblem(name, exc.diagnostics[0]))
        return
    store.add(name, parsed, collected_at=NOW - timedelta(hours=1), source=f"tests/data/real/{relative}")


def judge(
    entry: dict[str, Any], raw: bytes | None = None, waivers: tuple[Waiver, ...] = ()
) -> dict[str, ControlResult]:
    """Each expected control's result on the entry's file (its bytes replaced by ``raw`` when given)."""
    store = InMemoryEvidence()
    load_file(store, entry["evidence"], entry["file"], raw)
    for name, companion in (entry.get("with") or {}).items():
        load_file(store, name, companion)
    chosen = setup(entry.get("project"))
    parameters = {**chosen.parameters, **(entry.get("parameters") or {})}
    run = chosen.engine.evaluate(
        store, now=NOW, controls=list(entry["expect"]), parameters=parameters, waivers=waivers
    )
    return {result.control: result for result in run.results}


def entry_for(file: str) -> dict[str, Any]:
    return next(entry for entry in ENTRIES if entry["file"] == file)


def expectation(value: str | dict[str, Any]) -> dict[str, Any]:
    return {"status": value} if isinstance(value, str) else dict(value)


def test_every_corpus_file_is_listed_once_with_its_origin() -> None:
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file()} - {"sources.yaml"}
    listed = [entry["file"] for entry in ENTRIES]
    assert sorted(listed) == sorted(on_disk)  # every file once, none missing
    assert len(listed) >= 40
    for entry in ENTRIES:
        assert set(entry) >= FIELDS, entry["file"]
        assert str(entry["shape"]).startswith("https://"), entry["file"]
        for companion in (entry.get("with") or {}).values():
            assert companion in on_disk, (entry["file"], companion)


def test_the_corpus_covers_every_tool_family() -> None:
    tools = " ".join(str(entry["tool"]) for entry in ENTRIES)
    for family in (
        "AWS CLI",
        "credential report",
        "GitHub REST",
        "CodeQL",
        "Semgrep",
        "Trivy",
        "Grype",
        "Snyk",
        "Checkov",
        "testssl.sh",
        "SSLyze",
        "Observatory",
        "security.txt",
        "Okta",
        "Google Workspace",
    ):
        assert family in tools, family


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry["file"] for entry in ENTRIES])
def test_each_file_gets_the_verdict_a_careful_human_gives(entry: dict[str, Any]) -> None:
    results = judge(entry)
    for control, value in entry["expect"].items():
        want = expectation(value)
        result = results[control]
        context = (entry["file"], control, result.reason, [f.message for f in result.findings])
        assert result.status is ControlStatus(want["status"]), context
        if "failing" in want:
            failing = sorted({f.resource for f in result.findings if f.resource is not None})
            assert failing == sorted(want["failing"]), context
        if "reason" in want:
            assert want["reason"] in (result.reason or ""), context
        if "message" in want:
            assert any(want["message"] in f.message for f in result.findings), context
        if result.status in (ControlStatus.ERROR, ControlStatus.NOT_ASSESSED):
            assert result.reason, context
            assert len(result.reason) <= 400, context


# --- NET-01: the allow-all of a default network ACL is a finding, and says why --------------------------


def test_a_default_network_acl_fails_with_the_reason_and_a_waiver_accepts_it() -> None:
    entry = entry_for("aws/ec2-describe-network-acls.default.json")
    failed = judge(entry)["NET-01"]
    assert failed.status is ControlStatus.FAIL
    (finding,) = failed.findings
    assert finding.resource == "acl-0d1e2f3a4b5c6d7e8"
    for words in ("default ACL", "CIS AWS 5.1", "Security Hub EC2.21", "waiver", "security groups"):
        assert words in finding.message
    waiver = Waiver(
        control="NET-01",
        resources=("acl-0d1e2f3a4b5c6d7e8",),
        justification="Default ACL left open; the security groups keep 22 and 3389 closed (SEC-412 review).",
        approver="Head of Security",
        ticket="SEC-412",
        expires=date(2027, 5, 31),
    )
    accepted = judge(entry, waivers=(waiver,))["NET-01"]
    assert accepted.status is ControlStatus.WAIVED
    assert [(f.resource, f.waived_by) for f in accepted.findings] == [("acl-0d1e2f3a4b5c6d7e8", "SEC-412")]
