"""Evidence pruned as ``assay check`` loads it: after its schema, never for what writes evidence out."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import assay.evidence_prune
from assay.cel.readpaths import evidence_read_paths
from assay.engine import Engine
from assay.evidence import InMemoryEvidence, Pruning, load_evidence_dir
from assay.evidence_prune import prune
from assay.loaded_project import load_project, pruning_for
from assay.loading.catalog import Catalog
from assay.model import Control, ControlStatus, Waiver
from assay.pipeline import MAX_SUGGESTION_POOL, run
from assay.project import resolve_project
from assay.render import RenderOptions, render

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SCHEMA = {
    "type": "object",
    "required": ["Volumes"],
    "properties": {
        "Volumes": {
            "type": "array",
            "items": {"type": "object", "required": ["VolumeId", "Encrypted", "Size"]},
        }
    },
}
READS = {"aws.ec2.volumes": {"Volumes": {0: {"VolumeId": None, "Encrypted": None}}}}


def volumes(folder: Path, document: Any) -> Path:
    (folder / "aws" / "ec2").mkdir(parents=True)
    (folder / "aws" / "ec2" / "volumes.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def pruning(above: int = 0) -> Pruning:
    return Pruning(lambda: READS, {"aws.ec2.volumes": SCHEMA}, above_bytes=above)


def test_a_document_that_fits_its_schema_is_pruned_after_the_check(tmp_path: Path) -> None:
    document = {"Volumes": [{"VolumeId": "v-1", "Encrypted": True, "Size": 8, "Tags": []}], "Other": 1}
    item = load_evidence_dir(volumes(tmp_path, document), pruning=pruning()).get("aws.ec2.volumes")
    assert item is not None
    assert item.pruned
    # Size is required by the schema, not read by a rule: the check saw it, the rules never will
    assert item.data == {"Volumes": [{"VolumeId": "v-1", "Encrypted": True}]}


def test_a_document_that_does_not_fit_its_schema_stays_whole(tmp_path: Path) -> None:
    document = {"Volumes": [{"VolumeId": "v-1", "Encrypted": True, "Tags": []}], "Other": 1}
    item = load_evidence_dir(volumes(tmp_path, document), pruning=pruning()).get("aws.ec2.volumes")
    assert item is not None
    assert not item.pruned
    assert item.data == document


def test_a_small_document_stays_whole_and_the_rules_are_not_analysed(tmp_path: Path) -> None:
    def never() -> dict[str, Any]:
        raise AssertionError("analysed for a small file")

    document = {"Volumes": [], "Other": 1}
    store = load_evidence_dir(volumes(tmp_path, document), pruning=Pruning(never, above_bytes=1 << 20))
    item = store.get("aws.ec2.volumes")
    assert item is not None
    assert (item.pruned, item.data) == (False, document)


def test_the_engine_does_not_check_the_schema_again_on_pruned_evidence() -> None:
    control = Control.model_validate(
        {
            "id": "ACME-01",
            "title": "Volumes",
            "claim": "Disks are encrypted.",
            "description": "Every volume is encrypted.",
            "severity": "high",
            "domain": "testing",
            "evidence": [{"name": "aws.ec2.volumes"}],
            "rules": [{"id": "r", "for_each": "aws.ec2.volumes.Volumes", "resource_id": "item.VolumeId",
                       "assert": "item.Encrypted"}],
            "remediation": "Fix it.",
        }
    )  # fmt: skip
    catalog = Catalog((control,), {}, (), evidence_schemas={"aws.ec2.volumes": SCHEMA})
    engine = Engine(catalog)
    store = InMemoryEvidence()
    item = store.add(
        "aws.ec2.volumes", {"Volumes": [{"VolumeId": "v-1", "Encrypted": True}]}, collected_at=NOW
    )
    whole = engine.evaluate(store, now=NOW).results[0]
    assert whole.status is ControlStatus.ERROR  # Size is missing: the document has the wrong shape
    store._items[item.name] = dataclasses.replace(item, pruned=True)  # as the loader leaves a checked one
    assert engine.evaluate(store, now=NOW).results[0].status is ControlStatus.PASS


def _report(cli: Any, output: Path) -> bytes:
    result = cli("check", "--format", "json", "--output", str(output))
    assert result.code in (0, 1), result.err
    return output.read_bytes()


def test_the_example_reports_byte_for_byte_the_same_with_pruning_forced(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _report(cli, tmp_path / "plain.json")
    monkeypatch.setattr(assay.evidence_prune, "PRUNE_ABOVE_BYTES", 0)
    loaded = load_project(read_paths=evidence_read_paths)
    pruned_items = [item.name for item in loaded.require_evidence().items() if item.pruned]
    assert len(pruned_items) > 10  # the comparison below is about pruned evidence
    assert _report(cli, tmp_path / "pruned.json") == plain
    # and the outcome, notices included, of the same run in the library
    whole = run(load_project())
    cut = run(loaded)
    assert cut.notices == whole.notices
    assert render(cut.report, "json", RenderOptions()) == render(whole.report, "json", RenderOptions())


def test_only_a_run_that_asks_for_it_is_pruned(monkeypatch: pytest.MonkeyPatch) -> None:
    """pack, trust-page, explain, the pytest plugin and library runs load through load_project without
    read paths: their evidence is whole whatever its size."""
    monkeypatch.setattr(assay.evidence_prune, "PRUNE_ABOVE_BYTES", 0)
    assert not any(item.pruned for item in load_project().require_evidence().items())
    reference = resolve_project().__class__(backend="reference")
    loaded = load_project(project=reference, read_paths=evidence_read_paths)
    assert not any(item.pruned for item in loaded.require_evidence().items())  # only the native backend


def test_the_evidence_of_a_control_with_a_resource_waiver_is_watched() -> None:
    loaded = load_project(evidence=False)
    waiver = Waiver.model_validate(
        {
            "control": "CRYPTO-01",
            "resources": ["vol-x"],
            "justification": "Being replaced.",
            "approver": "A. Person (CTO)",
            "ticket": "SEC-1",
            "expires": "2026-12-31",
        }
    )
    without = pruning_for(loaded.config, loaded.catalog, (), evidence_read_paths)
    with_waiver = pruning_for(loaded.config, loaded.catalog, (waiver,), evidence_read_paths)
    assert without is not None
    assert with_waiver is not None
    assert (without.watched, without.resources) == (frozenset(), frozenset())
    assert "aws.ec2.volumes" in with_waiver.watched
    assert with_waiver.resources == {"vol-x"}
    assert with_waiver.pool_limit == MAX_SUGGESTION_POOL


WAIVERS = """waivers:
  - control: CRYPTO-01
    resources: [vol-hidden, vol-typo, vol-1]
    justification: Being replaced.
    approver: A. Person (CTO)
    ticket: SEC-1
    expires: 2026-12-31
"""


@pytest.mark.parametrize("strings", [10, MAX_SUGGESTION_POOL + 10])
def test_waiver_notices_read_the_whole_document_of_pruned_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, strings: int
) -> None:
    """A resource named only in a field no rule reads is still found; a misspelt one gets the same
    "did you mean" (from the whole document's strings), or none when they are too many."""
    document = {
        "Volumes": [
            {"VolumeId": "vol-1", "Encrypted": False, "Notes": ["vol-hidden"]},
            {"VolumeId": "vol-2", "Encrypted": True, "Notes": [f"note-{i}" for i in range(strings)]},
        ],
        "vol-typ": "a key no rule reads",
    }
    folder = volumes(tmp_path / "evidence", document)
    (folder / "aws/ec2/volumes.json.meta.yaml").write_text("collected_at: 2026-11-24T06:00:00Z\n")
    (tmp_path / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    config = dataclasses.replace(resolve_project(), evidence=folder, waivers=tmp_path / "waivers.yaml")
    whole = run(load_project(project=config), controls=["CRYPTO-01"], clock=NOW)
    monkeypatch.setattr(assay.evidence_prune, "PRUNE_ABOVE_BYTES", 0)
    loaded = load_project(project=config, read_paths=evidence_read_paths)
    item = loaded.require_evidence().get("aws.ec2.volumes")
    assert item is not None
    assert item.pruned
    assert "vol-hidden" not in json.dumps(item.data)
    pruned = run(loaded, controls=["CRYPTO-01"], clock=NOW)
    assert pruned.notices == whole.notices
    assert any("vol-typo" in notice for notice in whole.notices)
    assert not any("vol-hidden" in notice for notice in whole.notices)
    assert any("vol-typ'" in notice for notice in whole.notices) is (strings < MAX_SUGGESTION_POOL)


def test_a_warm_run_on_large_evidence_neither_parses_nor_imports_lark(tmp_path: Path) -> None:
    folder = tmp_path / "evidence"
    document = {
        "Volumes": [
            {"VolumeId": f"vol-{i}", "Encrypted": i % 7 != 0, "Size": 8, "VolumeType": "gp3", "Iops": 3000}
            for i in range(12000)
        ]
    }
    volumes(folder, document)
    (folder / "aws/ec2/volumes.json.meta.yaml").write_text("collected_at: 2026-11-24T06:00:00Z\n")
    assert (folder / "aws/ec2/volumes.json").stat().st_size > assay.evidence_prune.PRUNE_ABOVE_BYTES
    code = (
        "import sys; from assay.cli import main; code = main(sys.argv[1:]); "
        "print('LARK' if 'lark' in sys.modules else 'NOLARK', file=sys.stderr); raise SystemExit(code)"
    )
    env = {**os.environ, "ASSAY_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT / "src")}
    env.pop("ASSAY_NO_CACHE", None)
    line = [sys.executable, "-c", code, "check", "--format", "json", "--evidence", str(folder)]
    line += ["-k", "CRYPTO-01", "--now", "2026-11-25T12:00:00Z"]
    cold = subprocess.run(line, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    warm = subprocess.run(line, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    assert "NOLARK" in warm.stderr, warm.stderr
    assert warm.stdout == cold.stdout
    failing = [f["resource"] for c in json.loads(warm.stdout)["controls"] for f in c.get("findings", [])]
    assert len(failing) == len([v for v in document["Volumes"] if not v["Encrypted"]])


# --- CSV, a row at a time -------------------------------------------------------------------------

ROWS_SCHEMA = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["user"],
        "properties": {"user": {"type": "string", "minLength": 1}},
    },
}
ROW_READS = {"aws.iam.credential_report": {0: {"user": None, "mfa_active": None}}}


def report(folder: Path, text: str) -> Path:
    (folder / "aws" / "iam").mkdir(parents=True)
    (folder / "aws" / "iam" / "credential_report.csv").write_text(text, encoding="utf-8")
    return folder


def load_report(folder: Path, schema: dict[str, Any] | None = ROWS_SCHEMA) -> Any:
    schemas = {} if schema is None else {"aws.iam.credential_report": schema}
    pruning = Pruning(lambda: ROW_READS, schemas, above_bytes=0)
    return load_evidence_dir(folder, pruning=pruning).get("aws.iam.credential_report")


@given(
    rows=st.lists(st.lists(st.sampled_from(["", "x", "true", "a,b", 'q"q', "é"]), min_size=3, max_size=3)),
    header=st.lists(st.sampled_from(["user", "mfa_active", "arn", "user"]), min_size=3, max_size=3),
)
@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_csv_report_read_a_row_at_a_time_is_the_whole_report_pruned(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], header: list[str]
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    folder = report(tmp_path_factory.mktemp("csv"), buffer.getvalue())
    whole = load_evidence_dir(folder).get("aws.iam.credential_report")
    item = load_report(folder, schema=None)
    assert whole is not None
    assert item is not None
    assert item.pruned
    assert repr(item.data) == repr(prune(whole.data, ROW_READS["aws.iam.credential_report"]))


@pytest.mark.parametrize(
    "text",
    [
        "user,mfa_active,arn\nalice,true,a\n,false,b\n",  # the second row's user is empty
        "user,mfa_active,arn\n",  # no rows, and the schema wants at least one
    ],
)
def test_a_csv_report_that_does_not_fit_its_schema_stays_whole(tmp_path: Path, text: str) -> None:
    item = load_report(report(tmp_path, text))
    assert item is not None
    assert not item.pruned
    assert item.data == list(csv.DictReader(io.StringIO(text)))


def test_a_schema_that_is_not_row_by_row_checks_the_whole_report_first(tmp_path: Path) -> None:
    text = "user,mfa_active,arn\nalice,true,a\nalice,true,a\n"
    unique = {**ROWS_SCHEMA, "uniqueItems": True}
    item = load_report(report(tmp_path, text), schema=unique)
    assert item is not None
    assert not item.pruned  # two equal rows: refused whole, though each row fits
    item = load_report(report(tmp_path / "again", text.replace("a\n", "b\n", 1)), schema=unique)
    assert item is not None
    assert item.pruned
    assert item.data == [{"user": "alice", "mfa_active": "true"}, {"user": "alice", "mfa_active": "true"}]


def test_a_broken_csv_report_is_the_same_problem_pruned_or_not(tmp_path: Path) -> None:
    folder = report(tmp_path, "user,mfa_active\nalice,true\nbob\n")
    pruning = Pruning(lambda: ROW_READS, {}, above_bytes=0)
    plain = load_evidence_dir(folder).problem("aws.iam.credential_report")
    cut = load_evidence_dir(folder, pruning=pruning).problem("aws.iam.credential_report")
    assert plain is not None
    assert cut == plain


NESTED = """
controls:
  - id: SCALE-09
    title: Every volume against every other
    claim: Disks are sized alike.
    description: Nested macros whose steps grow with the square of the volumes.
    severity: low
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
    rules:
      - id: sized
        assert: aws.ec2.volumes.Volumes.all(v, aws.ec2.volumes.Volumes.filter(w, w.Size >= v.Size).size() > 0)
    remediation: None.
"""


def test_pruned_or_whole_a_document_grows_its_rules_budgets_alike(tmp_path: Path, make_catalog) -> None:  # type: ignore[no-untyped-def]
    """The allowance is the file's size, so a field no rule reads still counts when it was pruned away:
    measured on the pruned data, this rule (40,000 steps) would error pruned and pass whole."""
    listed = [{"VolumeId": f"vol-{i:04}", "Size": 8, "Encrypted": True} for i in range(200)]
    folder = volumes(tmp_path / "evidence", {"Volumes": listed, "Notes": "x" * 20_000})
    reads = {"aws.ec2.volumes": {"Volumes": {0: {"Size": None}}}}
    pruned = load_evidence_dir(folder, pruning=Pruning(lambda: reads, above_bytes=0))
    whole = load_evidence_dir(folder)
    size = (folder / "aws" / "ec2" / "volumes.json").stat().st_size
    assert [store.get("aws.ec2.volumes").size for store in (pruned, whole)] == [size, size]  # type: ignore[union-attr]
    assert pruned.get("aws.ec2.volumes").pruned  # type: ignore[union-attr]
    from assay.cel.native import CelBudgets

    catalog = make_catalog(NESTED)
    budgets = CelBudgets(steps=2_000, memory=2_000_000, milliseconds=600_000)
    results = [
        Engine(catalog, budgets=budgets).evaluate(store, now=NOW).result("SCALE-09")
        for store in (pruned, whole)
    ]
    assert [result.status for result in results] == [ControlStatus.PASS, ControlStatus.PASS]
    tight = CelBudgets(steps=2_000, memory=2_000_000, milliseconds=600_000)
    small = {"Volumes": listed}  # the same volumes without the notes: too small an allowance for 40,000 steps
    alone = load_evidence_dir(volumes(tmp_path / "small", small))
    result = Engine(catalog, budgets=tight).evaluate(alone, now=NOW).result("SCALE-09")
    assert result.status is ControlStatus.ERROR
    assert "step budget" in (result.reason or "")
