"""Lint's verdict on a clean control is kept in the on-disk cache: never served for a changed control."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay import cache
from assay.lint import VERDICT, check_rules
from assay.loading.catalog import Catalog, read_catalog
from tests.cel.conformance import differential

lint = importlib.import_module("assay.lint")  # the module: assay.lint is also the name of its function

BASE = Path(__file__).resolve().parent / "lint_cases" / "_base"
CLEAN_RULE = "item.Encrypted == true"


def catalog_with(tmp_path: Path, assertion: str, *, evidence: str = "aws.ec2.volumes") -> Catalog:
    text = (BASE / "controls" / "crypto.yaml").read_text(encoding="utf-8")
    assert f"assert: {CLEAN_RULE}\n" in text
    assert "- name: aws.ec2.volumes\n" in text
    text = text.replace(f"assert: {CLEAN_RULE}\n", f"assert: {assertion}\n")
    text = text.replace("- name: aws.ec2.volumes\n", f"- name: {evidence}\n", 1)
    folder = tmp_path / "controls"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "crypto.yaml").write_text(text, encoding="utf-8")
    catalog, diagnostics = read_catalog([folder], [BASE / "mappings"])
    assert [d for d in diagnostics if d.severity.name == "ERROR"] == []
    return catalog


def verdicts(cache_folder: Path) -> list[Path]:
    return sorted((cache_folder / VERDICT).glob("*.entry"))


def refuse(expression: str) -> None:
    raise AssertionError(f"analysed {expression!r}, though its control's clean verdict was kept")


def test_a_clean_control_is_not_analysed_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = catalog_with(tmp_path, CLEAN_RULE)
    assert check_rules(catalog) == []
    assert len(verdicts(cache_dir)) == 1
    monkeypatch.setattr(lint, "analyse", refuse)
    assert check_rules(catalog) == []


@pytest.mark.parametrize(
    ("assertion", "evidence", "problem"),
    [
        (f"{CLEAN_RULE} && kms.keys.size() > 0", "aws.ec2.volumes", "reads 'kms.keys'"),
        (CLEAN_RULE, "aws.ec2.snapshots", "reads 'aws.ec2.volumes"),
        (f"{CLEAN_RULE} && nosuch(item)", "aws.ec2.volumes", "unknown function 'nosuch'"),
        (f"{CLEAN_RULE} &&", "aws.ec2.volumes", "CEL syntax error"),
    ],
)
def test_a_changed_control_is_never_answered_from_a_clean_verdict(
    cache_dir: Path, tmp_path: Path, assertion: str, evidence: str, problem: str
) -> None:
    assert check_rules(catalog_with(tmp_path, CLEAN_RULE)) == []
    found = check_rules(catalog_with(tmp_path, assertion, evidence=evidence))
    assert any(problem in d.message for d in found), found
    assert check_rules(catalog_with(tmp_path, assertion, evidence=evidence)) == found  # not kept either
    assert len(verdicts(cache_dir)) == 1


def test_a_flipped_byte_in_a_kept_verdict_makes_lint_analyse_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = catalog_with(tmp_path, CLEAN_RULE)
    assert check_rules(catalog) == []
    (entry,) = verdicts(cache_dir)
    original = entry.read_bytes()
    analysed: list[str] = []
    real = lint.analyse
    monkeypatch.setattr(lint, "analyse", lambda expression: analysed.append(expression) or real(expression))
    for index in range(0, len(original), 5):
        hostile = bytearray(original)
        hostile[index] ^= 0x01
        entry.write_bytes(bytes(hostile))
        monkeypatch.setattr(cache, "_opened", {})  # a new process: the entry's file is read
        analysed.clear()
        assert check_rules(catalog) == []
        assert analysed, index  # rebuilt, never believed
    assert entry.read_bytes() == original  # and written again whole


FREE_READS = st.sampled_from(
    [
        "aws.ec2.volumes.Volumes.size() > 0",
        "kms.keys.size() > 0",
        "item.Encrypted",
        "params.threshold > 1",
        "nosuch(item)",
        "now > timestamp('2026-01-01T00:00:00Z')",
        "item.Size +",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.one_of(differential.expressions(), FREE_READS), FREE_READS)
def test_a_warm_verdict_is_what_lint_says_with_the_cache_off(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, expression: str, other: str
) -> None:
    assertion = json.dumps(f"({expression}) == ({other})")  # JSON is YAML: any text, quoted
    folder = cache_dir.parent / "case"
    catalog = catalog_with(folder, assertion)
    cold = check_rules(catalog)
    warm = check_rules(catalog)
    with monkeypatch.context() as off:
        off.setenv("ASSAY_NO_CACHE", "1")
        plain = check_rules(catalog)
    assert warm == cold == plain
