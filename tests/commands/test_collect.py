"""``assay collect NAME``: ``--output DIR`` names the evidence folder; ``--out`` still works, warned."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

import assay.collect
from assay.collect import EvidenceWriter, new_registry


class Fake:
    """A collector that needs no network: it writes one file."""

    name = "fake"
    description = "write one evidence file"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--value", default="on")

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        writer.write_json("fake/setting.json", {"value": options.value}, "the fake collector")


@pytest.fixture(autouse=True)
def _fake_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    registry = new_registry(builtins=False)
    fake = Fake()
    registry.register(fake.name, fake)
    monkeypatch.setattr(assay.collect, "REGISTRY", registry)
    monkeypatch.chdir(tmp_path)


def written(folder: Path) -> dict[str, str]:
    return json.loads((folder / "fake" / "setting.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_output_names_the_evidence_folder(cli, tmp_path: Path) -> None:
    result = cli("collect", "fake", "--output", "evidence", "--value", "off")
    assert result.code == 0, result.err
    assert result.out == (
        "assay collect fake: 1 written, 0 failed into evidence\n"
        "  ok      fake/setting.json  (the fake collector)\n"
    )
    assert result.err == ""
    assert written(tmp_path / "evidence") == {"value": "off"}


def test_out_still_works_with_a_warning(cli, tmp_path: Path) -> None:
    result = cli("collect", "fake", "--out", "evidence")
    assert result.code == 0, result.err
    assert result.err == "assay collect: warning: --out is deprecated; use --output\n"
    assert written(tmp_path / "evidence") == {"value": "on"}


def test_output_is_required(cli) -> None:
    result = cli("collect", "fake")
    assert (result.code, result.err) == (
        2,
        "assay collect: error: the following arguments are required: --output\n",
    )
