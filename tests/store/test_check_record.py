"""``assay check --record`` and ``record = true``: the run goes to the project's store."""

from __future__ import annotations

from pathlib import Path

from assay import store
from tests.commands.conftest import write
from tests.store.conftest import ASSAY_TOML


def test_check_records_only_when_asked_and_names_the_run(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    assert cli("check", "--now", "2026-11-25T00:00:00Z").code == 0
    assert not (small / ".assay").exists()
    result = cli("check", "--now", "2026-11-25T00:00:00Z", "--record")
    assert result.code == 0
    [run] = store.open(small / ".assay" / "history.sqlite").runs()
    assert f"assay check: recorded run {run.id}" in result.err


def test_record_in_the_config_with_a_store_relative_to_the_config_file(cli, small: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    write(small / "assay.toml", ASSAY_TOML + 'record = true\nstore = "runs/h.sqlite"\n')
    monkeypatch.chdir(small / "controls")  # the store is the project's, wherever the command runs
    assert cli("check", "--now", "2026-11-25T00:00:00Z").code == 0
    assert cli("check", "--now", "2026-11-26T00:00:00Z").code == 0
    assert len(store.open(small / "runs" / "h.sqlite").runs()) == 2
    shown = cli("config").out
    assert "record" in shown
    assert "runs/h.sqlite" in shown


def test_a_corrupt_store_makes_check_exit_2_naming_it(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    path = small / ".assay" / "history.sqlite"
    write(path, "not a database at all")
    result = cli("check", "--now", "2026-11-25T00:00:00Z", "--record")
    assert result.code == 2
    assert "history.sqlite: not an SQLite database" in result.err
    assert path.read_text() == "not a database at all"


def test_record_evidence_from_the_environment(cli, small: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ASSAY_RECORD_EVIDENCE", "true")
    monkeypatch.setenv("ASSAY_STORE", str(small / "env.sqlite"))
    assert cli("check", "--now", "2026-11-25T00:00:00Z").code == 0
    history = store.open(small / "env.sqlite")
    run = history.get("last")
    sha = run.evidence["aws.ec2.firewall"].sha256
    assert sha is not None
    assert history.evidence_content(sha) == b'{"Enabled": true}'


def test_config_shows_a_store_url_without_its_password(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    write(small / "assay.toml", ASSAY_TOML + 'store = "postgresql://assay:pa55word@db.internal/history"\n')
    shown = cli("config").out
    assert "postgresql://assay:***@db.internal/history" in shown
    assert "pa55word" not in shown
