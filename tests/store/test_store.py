"""The run store: what a recorded run holds, the schema version, corrupt files, concurrent writers."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from assay import store
from assay.store import SCHEMA_VERSION, StoreError
from tests.commands.conftest import write
from tests.store.conftest import record, volumes

SRC = Path(__file__).resolve().parents[2] / "src"


def test_a_recorded_run_holds_its_results_findings_requirements_and_evidence_hashes(
    small: Path, store_url: str
) -> None:
    outcome = record(
        small, store_url, "2026-11-25T00:00:00Z", evidence={"aws/ec2/volumes.json": volumes(True, False)}
    )
    history = store.open(store_url)
    [info] = history.runs()
    assert info.id == outcome.run_id
    assert info.evaluated_at.isoformat() == "2026-11-25T00:00:00+00:00"
    assert len(info.catalog_hash) == 64
    assert "soc2" in info.catalog_version
    run = history.get(info.id)
    assert run.controls["DISK-01"].status == "fail"
    assert run.controls["DISK-01"].failing_resources == {"vol-002"}
    assert run.controls["NET-01"].status == "pass"
    assert run.requirements[("soc2", "CC6.1")] == "not_met"
    assert run.requirements[("iso27001", "A.8.20")] == "met"
    used = outcome.project.require_evidence().get("aws.ec2.volumes")
    assert used is not None
    assert run.evidence["aws.ec2.volumes"].sha256 == used.sha256
    assert run.evidence["aws.ec2.volumes"].collected_at is not None
    assert history.evidence_content(used.sha256) is None  # content only with --record-evidence


def test_evidence_content_is_recorded_once_per_hash_and_redacted(small: Path, store_url: str) -> None:
    secret = "hunter2-not-a-real-password"
    leaky = f'{{"Enabled": true, "password": "{secret}"}}'
    first = record(
        small,
        store_url,
        "2026-11-25T00:00:00Z",
        evidence={"aws/ec2/firewall.json": leaky},
        record_evidence=True,
    )
    record(
        small,
        store_url,
        "2026-11-26T00:00:00Z",
        evidence={"aws/ec2/firewall.json": leaky},
        record_evidence=True,
    )
    item = first.project.require_evidence().get("aws.ec2.firewall")
    assert item is not None
    content = store.open(store_url).get("last")
    assert content.evidence["aws.ec2.firewall"].sha256 == item.sha256
    data = store.open(store_url).evidence_content(item.sha256)
    assert data is not None
    assert secret.encode() not in data
    assert json.loads(data)["Enabled"] is True
    if store_url.startswith("sqlite"):
        database = store_url.removeprefix("sqlite:///")
        with sqlite3.connect(database) as connection:
            rows = connection.execute("select count(*) from assay_evidence_content").fetchone()
        assert rows == (len({i.sha256 for i in first.project.require_evidence().items()}),)


def test_a_run_id_that_does_not_exist_gets_a_did_you_mean(small: Path, store_url: str) -> None:
    run_id = record(small, store_url, "2026-11-25T00:00:00Z").run_id
    assert run_id is not None
    wrong = run_id[:-1] + ("0" if run_id[-1] != "0" else "1")
    with pytest.raises(StoreError, match=f"no run '{wrong}'; did you mean '{run_id}'"):
        store.open(store_url).get(wrong)
    assert store.open(store_url).get(run_id[:6]).info.id == run_id  # a unique prefix is enough


def test_a_store_of_a_newer_schema_version_is_refused_and_left_as_it_is(small: Path, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    record(small, str(path), "2026-11-25T00:00:00Z")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "update assay_meta set value = ? where key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
        )
    before = path.read_bytes()
    with pytest.raises(StoreError, match=f"schema version {SCHEMA_VERSION + 1}, newer than this assay's"):
        record(small, str(path), "2026-11-26T00:00:00Z")
    with pytest.raises(StoreError, match="newer than this assay's"):
        store.open(path).runs()
    assert path.read_bytes() == before


def test_a_corrupt_sqlite_file_is_named_and_never_overwritten(small: Path, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    garbage = b"this is no database\x00" * 100
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match=f"{path}: not an SQLite database"):
        record(small, str(path), "2026-11-25T00:00:00Z")
    assert path.read_bytes() == garbage


def test_a_damaged_sqlite_file_is_a_clear_error(small: Path, tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite"
    record(small, str(path), "2026-11-25T00:00:00Z")
    damaged = bytearray(path.read_bytes())
    damaged[100:4096] = b"\xff" * (4096 - 100)  # the header survives, the schema page does not
    path.write_bytes(bytes(damaged))
    with pytest.raises(StoreError, match=str(path)):
        store.open(path).runs()
    assert path.read_bytes() == bytes(damaged)


def test_a_sqlite_database_that_is_not_a_store_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("create table assay_runs (x)")
    with pytest.raises(StoreError, match="damaged run store"):
        store.open(path, create=True)


def test_reading_a_store_that_does_not_exist_makes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "none" / "history.sqlite"
    with pytest.raises(StoreError, match="no run history here yet"):
        store.open(path)
    assert not path.parent.exists()


def test_a_store_url_of_another_kind_is_refused() -> None:
    with pytest.raises(StoreError, match="not 'mysql'"):
        store.open("mysql://localhost/db")


WRITER = """
import sys
from pathlib import Path
from assay.pipeline import run
from assay.project import resolve_project
root, url, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
for day in range(first, first + 5):
    now = f"2026-11-{{day:02d}}T00:00:00Z"
    options = {{"now": (now, "--now"), "record": (True, "--record"), "store": (url, "--store")}}
    run(resolve_project(Path(root), options=options))
"""


def test_two_writers_in_parallel_never_corrupt_the_store(small: Path, store_url: str) -> None:
    write(small / "writer.py", WRITER.format())
    env = {"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}
    writers = [
        subprocess.Popen([sys.executable, "writer.py", str(small), store_url, str(first)], cwd=small, env=env)
        for first in (1, 10)
    ]
    assert [w.wait(timeout=300) for w in writers] == [0, 0]
    history = store.open(store_url)
    runs = history.runs()
    assert len(runs) == 10
    assert sorted(r.evaluated_at.day for r in runs) == [*range(1, 6), *range(10, 15)]
    for info in runs:
        assert set(history.get(info.id).controls) == {"DISK-01", "KEYS-01", "NET-01"}
    if store_url.startswith("sqlite"):
        with sqlite3.connect(store_url.removeprefix("sqlite:///")) as connection:
            assert connection.execute("pragma integrity_check").fetchone() == ("ok",)


def test_an_unreachable_postgresql_server_is_a_clear_error_without_its_password() -> None:
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'assay[postgres]'")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError) as raised:
        store.open(f"postgresql://assay:s3cret-pw@127.0.0.1:{port}/history")
    message = str(raised.value)
    assert message.startswith(
        f"postgresql+psycopg://assay:***@127.0.0.1:{port}/history: the run store cannot be used"
    )
    assert "s3cret-pw" not in message
