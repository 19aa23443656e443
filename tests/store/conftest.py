"""The run store's tests: the small project of the command tests, and a store on every backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from assay.pipeline import Outcome
from assay.pipeline import run as run_project
from assay.project import resolve_project
from tests.commands.conftest import CONTROLS, EVIDENCE, ISO_MAPPING, SOC2_MAPPING, write, write_evidence
from tests.store.postgres import new_database, running_server, server_binaries

ASSAY_TOML = """\
controls = "controls"
mappings = "mappings"
evidence = "evidence"
"""


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command tests' three-control project (every control passes), the working directory."""
    root = tmp_path / "project"
    write(root / "assay.toml", ASSAY_TOML)
    write(root / "controls" / "controls.yaml", CONTROLS)
    write(root / "mappings" / "soc2.yaml", SOC2_MAPPING)
    write(root / "mappings" / "iso27001.yaml", ISO_MAPPING)
    write_evidence(root / "evidence", EVIDENCE)
    monkeypatch.chdir(root)
    return root


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """One PostgreSQL server for the session; skipped, saying why, where no server binary exists."""
    binaries = server_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server binary (pg_ctl): install Debian's postgresql to run these tests")
    pytest.importorskip("psycopg", reason="psycopg is not installed: pip install 'assay[postgres]'")
    with running_server(binaries) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh store's URL on each backend: an SQLite file, a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store' / 'history.sqlite'}"
    server = request.getfixturevalue("postgres_server")
    return new_database(server, f"t{uuid.uuid4().hex[:12]}")


def volumes(*encrypted: bool) -> str:
    items = ", ".join(
        f'{{"VolumeId": "vol-{i:03d}", "Encrypted": {str(e).lower()}}}' for i, e in enumerate(encrypted, 1)
    )
    return f'{{"Volumes": [{items}]}}'


def record(
    root: Path, url: str, now: str, *, evidence: dict[str, str] | None = None, **options: object
) -> Outcome:
    """One recorded run of the project at ``now``, with some evidence files rewritten first."""
    write_evidence(root / "evidence", {**EVIDENCE, **(evidence or {})})
    settings = {"now": now, "record": True, "store": url, **options}
    project = resolve_project(root, options={k: (v, f"--{k}") for k, v in settings.items()})
    outcome = run_project(project)
    assert outcome.run_id is not None
    return outcome


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)
