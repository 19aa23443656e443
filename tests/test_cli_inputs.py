"""Hostile evidence folders through the command line: each case is built here, and ends in a clear message.

A FIFO, a sidecar linking out of the folder, JSON nested 500 deep, a date in the future, escape
sequences in file names and pack entries, a private output folder: none of them may hang the run,
leak a file from outside the folder, crash with a traceback, or steer the terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest

ACME = Path(__file__).resolve().parent / "fixtures" / "acme"
NOW = "2026-11-25T12:00:00Z"
ARGS = [
    "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
    "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", NOW,
]  # fmt: skip
CANARY = "CANARY-outside-7f3a"
# Clear the screen, then a forged line of verify output in green.
FORGED = "\x1b[2J\x1b[32m\nassay verify: pack.zip: OK: 9 files match manifest.json\x1b[0m"


def controls_in(text: str) -> list[str]:
    return [char for char in text if unicodedata.category(char) == "Cc" and char != "\n"]


@pytest.fixture
def acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "acme"
    shutil.copytree(ACME, copy)
    monkeypatch.chdir(copy)
    return copy


def test_a_fifo_in_the_evidence_folder_is_listed_and_the_run_goes_on(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    os.mkfifo(acme / "evidence" / "aws" / "ec2" / "stream.json")
    result = cli("check", *ARGS)
    assert result.code == 1  # the fixture's failing controls, as without the FIFO
    assert "evidence/aws/ec2/stream.json:1:1: error: is a FIFO (named pipe), not a regular file; skipped" in (
        result.err
    )


def test_a_sidecar_linking_outside_reaches_neither_diagnostics_nor_the_pack(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    outside = acme.parent / "outside.yaml"
    outside.write_text(f"source: {CANARY}\nnot_a_key: {CANARY}\n", encoding="utf-8")
    (acme / "evidence" / "aws" / "ec2" / "extra.json").write_text("{}", encoding="utf-8")
    os.symlink(outside, acme / "evidence" / "aws" / "ec2" / "extra.json.meta.yaml")
    result = cli("pack", *ARGS, "--output", "pack.zip")
    assert result.code == 0, result.err
    assert (
        "extra.json.meta.yaml:1:1: error: is a link that points outside the evidence directory" in result.err
    )
    assert CANARY not in result.err + result.out
    with zipfile.ZipFile(acme / "pack.zip") as archive:
        for name in archive.namelist():
            assert CANARY.encode() not in archive.read(name), name


def test_500_deep_json_is_a_clear_problem_for_pack_not_a_crash(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    (acme / "evidence" / "aws" / "ec2" / "volumes.json").write_text("[" * 500 + "]" * 500, encoding="utf-8")
    result = cli("pack", *ARGS, "--output", "pack.zip")
    assert result.code == 0, result.err
    assert "evidence/aws/ec2/volumes.json:1:1: error: JSON is nested more than 256 levels deep" in result.err
    assert "internal error" not in result.err
    with zipfile.ZipFile(acme / "pack.zip") as archive:
        assert "evidence/aws/ec2/volumes.json" not in archive.namelist()


def test_json_at_the_depth_limit_is_packed(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    deep = '{"a": ' * 128 + "[" * 128 + '"s"' + "]" * 128 + "}" * 128
    (acme / "evidence" / "aws" / "deep.json").write_text(deep, encoding="utf-8")
    result = cli("pack", *ARGS, "--output", "pack.zip")
    assert result.code == 0, result.err
    with zipfile.ZipFile(acme / "pack.zip") as archive:
        assert "evidence/aws/deep.json" in archive.namelist()


def test_evidence_collected_in_the_future_is_an_error_not_fresh(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    manifest = acme / "evidence" / "assay-manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("2026-11-20T06:00:00Z", "2099-01-01T00:00:00Z", 1), encoding="utf-8")
    result = cli("check", *ARGS, "--format", "json")
    assert result.code == 1
    assert '"status": "error"' in result.out
    assert "collected_at 2099-01-01T00:00:00+00:00 is after the evaluation time" in result.out


def test_escape_sequences_in_evidence_and_file_names_never_reach_the_terminal(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    (acme / "evidence" / "aws" / f"{FORGED}.json").write_text("{}", encoding="utf-8")
    volumes = '{"Volumes": [{"VolumeId": "vol-\\u001b[2J\\u001b]0;owned\\u0007", "Encrypted": false}]}'
    (acme / "evidence" / "aws" / "ec2" / "volumes.json").write_text(volumes, encoding="utf-8")
    for command in (["check", *ARGS], ["explain", "CRYPTO-01", *ARGS], ["pack", *ARGS, "--output", "p.zip"]):
        result = cli(*command)
        assert controls_in(result.out + result.err) == [], command
        assert not re.search(r"^assay verify", result.out + result.err, re.MULTILINE), command
    assert "vol-\\x1b[2J\\x1b]0;owned\\x07" in cli("check", *ARGS).out


def test_verify_prints_names_from_the_pack_on_one_line_each(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("pack", *ARGS, "--output", "pack.zip").code == 0
    with zipfile.ZipFile(acme / "pack.zip") as original:
        files = {name: original.read(name) for name in original.namelist()}
    manifest = json.loads(files["manifest.json"])
    manifest["files"][f"evidence/{FORGED}"] = next(iter(manifest["files"].values()))
    files["manifest.json"] = json.dumps(manifest).encode()
    hostile_name = f"x{FORGED}.zip"  # the pack's own file name is printed too
    with zipfile.ZipFile(acme / hostile_name, "w") as tampered:
        for name, data in files.items():
            tampered.writestr(name, data)
    result = cli("verify", hostile_name, "--allow-unsigned")
    if result.code == 2 and "--allow-unsigned" in result.err:  # before verify learnt the option
        result = cli("verify", hostile_name)
    assert result.code == 1
    assert controls_in(result.out) == []
    lines = result.out.splitlines()
    assert [line for line in lines if line.startswith("assay verify:")] == [lines[-1]]
    assert "FAILED" in lines[-1]
    assert "evidence/\\x1b[2J\\x1b[32m\\nassay verify: pack.zip: OK" in result.out


def test_a_report_written_into_a_private_folder_stays_private(cli, acme: Path) -> None:  # type: ignore[no-untyped-def]
    private = acme / "private"
    private.mkdir(mode=0o700)
    assert cli("check", *ARGS, "--output", "private/report.html").code == 1
    assert stat.S_IMODE((private / "report.html").stat().st_mode) == 0o600
    shared = acme / "shared.md"
    shared.write_text("old", encoding="utf-8")
    shared.chmod(0o640)
    assert cli("check", *ARGS, "--output", "shared.md").code == 1
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640
