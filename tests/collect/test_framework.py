"""The collector framework: registry, atomic writes with sidecars, clean re-runs, no secrets."""

from __future__ import annotations

import argparse
import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from assay.cli import main
from assay.collect import (
    REDACTED,
    EvidenceWriter,
    collectors,
    environment_secrets,
    new_registry,
    run_collector,
    update_manifest,
)
from assay.errors import ConfigError
from assay.evidence import load_evidence_dir
from assay.plugins import PluginError

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@dataclass
class FakeCollector:
    name: str = "fake"
    description: str = "writes what it is told"
    items: dict[str, object] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--flag", action="store_true")

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        for path, data in self.items.items():
            writer.write_json(path, data, f"fake API GET /{path}")
        for path, reason in self.failures.items():
            writer.fail(path, reason)


def test_registry_registers_once_and_gets_by_name() -> None:
    registry = new_registry(builtins=False)
    fake = FakeCollector()
    registry.register("fake", fake)
    assert registry.get("fake") is fake
    with pytest.raises(PluginError, match="already registered"):
        registry.register("fake", FakeCollector())
    with pytest.raises(PluginError, match="unknown collector 'nope'"):
        registry.get("nope")
    with pytest.raises(PluginError, match="must be named with lower-case letters"):
        registry.register("Bad Name", FakeCollector(name="Bad Name"))


def test_builtin_collectors_are_registered() -> None:
    assert {"aws", "github", "web"} <= set(collectors())


def test_writes_evidence_with_sidecars_that_load(out: Path) -> None:
    fake = FakeCollector(items={"idp/users.json": {"users": [{"primaryEmail": "a@example.test"}]}})
    result = run_collector(fake, argparse.Namespace(), out, now=lambda: NOW)
    assert [item.path for item in result.written] == ["idp/users.json"]
    store = load_evidence_dir(out)
    item = store.get("idp.users")
    assert item is not None
    assert item.data == {"users": [{"primaryEmail": "a@example.test"}]}
    assert item.collected_at == NOW
    assert item.source == "fake API GET /idp/users.json"
    assert not list(store.problems())
    assert not list(out.rglob("*.tmp"))


def test_rerun_replaces_and_removes_stale_files(out: Path) -> None:
    run_collector(FakeCollector(items={"a/one.json": [1], "a/two.json": [2]}), argparse.Namespace(), out)
    (out / "a" / "mine.json").write_text("[]")  # not written by the collector: left alone
    result = run_collector(
        FakeCollector(items={"a/one.json": [10]}, failures={"a/two.json": "denied"}),
        argparse.Namespace(),
        out,
    )
    assert json.loads((out / "a" / "one.json").read_text()) == [10]
    assert not (out / "a" / "two.json").exists()
    assert not (out / "a" / "two.json.meta.yaml").exists()
    assert (out / "a" / "mine.json").exists()
    assert result.removed == ["a/two.json"]
    assert [(f.path, f.reason) for f in result.failed] == [("a/two.json", "denied")]


def test_refuses_paths_outside_the_folder(out: Path) -> None:
    writer = EvidenceWriter(out, "fake")
    for bad in ("../x.json", "/etc/x.json", "a/../../x.json", ".hidden.json"):
        with pytest.raises(ConfigError, match="not a relative evidence path"):
            writer.write_json(bad, {}, "s")


def test_no_secret_from_the_environment_is_written(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyz"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    assert secret in environment_secrets()
    fake = FakeCollector(
        items={
            "x/echo.json": {"header": f"Bearer {secret}", "key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}
        },
        failures={"x/failed.json": f"401 for token {secret}"},
    )
    from assay import collect

    registry = new_registry()
    registry.register(fake.name, fake)
    monkeypatch.setattr(collect, "REGISTRY", registry)
    stdout, stderr = io.StringIO(), io.StringIO()
    assert main(["collect", "fake", "--output", str(out)], stdout=stdout, stderr=stderr) == 1
    assert f"401 for token {REDACTED}" in stdout.getvalue()
    for file in out.rglob("*"):
        if file.is_file():
            text = file.read_text()
            assert secret not in text
            assert "wJalrXUtnFEMI" not in text
    assert secret not in stdout.getvalue() + stderr.getvalue()


def test_cli_prints_a_summary_and_exits_1_on_failures(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assay import collect

    registry = new_registry()
    registry.register("fake", FakeCollector(items={"a/b.json": {}}, failures={"a/c.json": "AccessDenied"}))
    monkeypatch.setattr(collect, "REGISTRY", registry)
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(["collect", "fake", "--output", str(out), "--flag"], stdout=stdout, stderr=stderr)
    assert code == 1
    text = stdout.getvalue()
    assert "assay collect fake: 1 written, 1 failed" in text
    assert "ok      a/b.json" in text
    assert "FAILED  a/c.json: AccessDenied" in text
    assert stderr.getvalue() == ""  # no progress lines when stderr is not a terminal


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_without_secrets(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assay import collect

    secret = "xoxb-0123456789-slack-token-value"
    monkeypatch.setenv("SLACK_TOKEN", secret)

    class Chatty(FakeCollector):
        def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
            writer.progress(f"calling the API with {secret}")
            super().collect(options, writer)

    registry = new_registry()
    chatty = Chatty(items={"a/b.json": {}})
    registry.register(chatty.name, chatty)
    monkeypatch.setattr(collect, "REGISTRY", registry)
    stderr = _Terminal()
    assert main(["collect", "fake", "--output", str(out)], stdout=io.StringIO(), stderr=stderr) == 0
    shown = stderr.getvalue()
    assert f"fake: calling the API with {REDACTED}" in shown
    assert "fake: wrote a/b.json" in shown
    assert secret not in shown


MANIFEST_TEXT = """\
# Our evidence metadata: kept by hand, and by the collectors.
snapshot_at: 2026-11-25T12:00:00Z
evidence:
  # exported by hand last week
  fake/a.json:
    collected_at: 2026-11-01T00:00:00Z
    source: an old export  # replaced by the collector
    name: fake.renamed
  attestations/review.yaml:
    collected_at: 2026-10-09T14:27:00Z
    source: "the access review"  # stays

# the end
"""


def test_with_a_manifest_the_collector_updates_its_entries_instead_of_writing_sidecars(
    tmp_path: Path,
) -> None:
    out = tmp_path / "evidence"
    (out / "attestations").mkdir(parents=True)
    (out / "attestations" / "review.yaml").write_text("reviewed: true\n")
    (out / "fake").mkdir()
    (out / "fake" / "b.json.meta.yaml").write_text("source: a sidecar from before the manifest\n")
    (out / "assay-manifest.yaml").write_text(MANIFEST_TEXT)
    fake = FakeCollector(items={"fake/a.json": {"a": 1}, "fake/b.json": {"b": 2}})
    result = run_collector(fake, argparse.Namespace(), out, now=lambda: NOW)
    assert result.ok
    assert not list(out.rglob("*.meta.yaml"))
    text = (out / "assay-manifest.yaml").read_text()
    for kept in (
        "# Our evidence metadata",
        "# exported by hand last week",
        'source: "the access review"  # stays',
    ):
        assert kept in text
    assert "an old export" not in text
    store = load_evidence_dir(out)
    assert not list(store.problems())
    items = {item.name: item for item in store.items()}
    assert items["fake.renamed"].collected_at == NOW  # the entry's own name is kept
    assert items["fake.renamed"].source == "fake API GET /fake/a.json"
    assert items["fake.b"].source == "fake API GET /fake/b.json"
    assert items["attestations.review"].source == "the access review"

    # a re-run that no longer writes fake/b.json removes its file and its manifest entry
    run_collector(FakeCollector(items={"fake/a.json": {"a": 1}}), argparse.Namespace(), out, now=lambda: NOW)
    assert "fake/b.json" not in (out / "assay-manifest.yaml").read_text()
    assert not (out / "fake" / "b.json").exists()
    assert "# the end" in (out / "assay-manifest.yaml").read_text()
    assert not list(load_evidence_dir(out).problems())


@pytest.mark.parametrize(
    "manifest",
    [
        "evidence: {}\n",
        "snapshot_at: 2026-11-25T12:00:00Z\n",
        "evidence:\n",
        "evidence: {x.json: {source: s}}\n",
    ],
)
def test_manifest_updates_in_any_layout(tmp_path: Path, manifest: str) -> None:
    file = tmp_path / "assay-manifest.yaml"
    file.write_text(manifest)
    update_manifest(file, {"fake/a.json": {"source": "s", "collected_at": "2026-11-25T06:00:00Z"}})
    assert yaml.safe_load(file.read_text())["evidence"]["fake/a.json"]["source"] == "s"
