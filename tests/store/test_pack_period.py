"""``assay pack --period FROM..TO``: the operating period's sample sheet inside the evidence pack."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from tests.store.conftest import record


def test_the_pack_carries_the_sample_sheet_listed_and_hashed_in_its_manifest(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    url = str(small / ".assay" / "history.sqlite")
    for day in (1, 2):
        record(small, url, f"2026-12-{day:02d}T00:00:00Z")
    result = cli(
        "pack", "--now", "2026-12-02T00:00:00Z", "--period", "2026-12-01..2026-12-02", "--output", "p.zip"
    )
    assert result.code == 0, result.err
    with zipfile.ZipFile(small / "p.zip") as pack:
        manifest = json.loads(pack.read("manifest.json"))
        sheet = pack.read("period/sample-sheet.csv")
        data = json.loads(pack.read("period/sample-sheet.json"))
        assert "period/sample-sheet.html" in pack.namelist()
    assert manifest["files"]["period/sample-sheet.csv"]["sha256"] == hashlib.sha256(sheet).hexdigest()
    assert {c["verdict"] for c in data["controls"]} == {"operated_effectively"}
    assert b"aws.ec2.volumes=" in sheet
    assert cli("verify", "p.zip", "--allow-unsigned").code == 0


def test_a_malformed_period_is_a_usage_error(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("pack", "--now", "2026-12-02T00:00:00Z", "--period", "2026-12-01", "--output", "p.zip")
    assert result.code == 2
    assert "--period is FROM..TO" in result.err
    assert not (small / "p.zip").exists()
