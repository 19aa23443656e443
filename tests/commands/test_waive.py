"""``assay waive`` appends a checked waiver keeping the file intact; ``assay waivers`` watches expiries."""

from __future__ import annotations

from pathlib import Path

import pytest

WAIVERS = """\
# yaml-language-server: $schema=waiver.schema.json
# Accepted risks, reviewed monthly with the CISO.
waivers:
  - control: KEYS-01  # the HSM migration
    resources: ['key-1']
    justification: >-
      The key lives in the old HSM
      until the migration.
    approver: CISO
    ticket: SEC-1
    expires: 2026-12-01
"""
VALID = (
    "--justification",
    "Accepted: the volume is scratch space.",
    "--approver",
    "CISO",
    "--ticket",
    "SEC-9",
)


@pytest.fixture
def waivers(project: Path) -> Path:
    with (project / "assay.toml").open("a") as handle:
        handle.write('waivers = "waivers.yaml"\n')
    path = project / "waivers.yaml"
    path.write_text(WAIVERS)
    return path


def test_waive_appends_the_waiver_and_keeps_the_rest_byte_for_byte(cli, waivers: Path) -> None:
    result = cli("waive", "DISK-01", "--resource", "vol-1", "--resource", "vol-2", *VALID, "--expires", "30d")
    assert result.code == 0, result.err
    assert waivers.read_text() == WAIVERS + (
        "  - control: DISK-01\n"
        "    resources: [vol-1, vol-2]\n"
        "    justification: 'Accepted: the volume is scratch space.'\n"
        "    approver: CISO\n"
        "    ticket: SEC-9\n"
        "    expires: 2026-12-25\n"
    )
    assert "waived DISK-01 until 2026-12-25 (SEC-9)" in result.out


def test_waive_keeps_crlf_line_endings(cli, waivers: Path) -> None:
    waivers.write_bytes(WAIVERS.replace("\n", "\r\n").encode())
    assert cli("waive", "DISK-01", *VALID, "--expires", "2026-12-24").code == 0
    written = waivers.read_bytes()
    assert written.startswith(WAIVERS.replace("\n", "\r\n").encode())
    assert written.count(b"\n") == written.count(b"\r\n")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("DISK-1", *VALID, "--expires", "30d"), "unknown control 'DISK-1'; did you mean 'DISK-01'?"),
        (("DISK-01", *VALID, "--expires", "2027-11-26"), "more than 365 days ahead (max_waiver_days)"),
        (("DISK-01", *VALID, "--expires", "2026-11-24"), "is in the past"),
        (("DISK-01", *VALID, "--expires", "someday"), "write a date (YYYY-MM-DD) or a duration"),
        (("DISK-01", *VALID[:-1], "  ", "--expires", "30d"), "--ticket"),
        (("DISK-01", "--resource", "", *VALID, "--expires", "30d"), "--resources"),
    ],
)
def test_waive_refuses_a_bad_field_and_leaves_the_file_unchanged(
    cli, waivers: Path, arguments: tuple[str, ...], message: str
) -> None:
    result = cli("waive", *arguments)
    assert result.code == 2
    assert message in result.err
    assert waivers.read_text() == WAIVERS


def test_max_waiver_days_is_a_project_setting(cli, waivers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_MAX_WAIVER_DAYS", "10")
    result = cli("waive", "DISK-01", *VALID, "--expires", "11d")
    assert result.code == 2
    assert "more than 10 days ahead" in result.err
    assert cli("waive", "DISK-01", *VALID, "--expires", "10d").code == 0


def test_waive_refuses_a_waivers_file_outside_the_project(cli, waivers: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(WAIVERS)
    result = cli("waive", "DISK-01", *VALID, "--expires", "3d", "--waivers", str(outside))
    assert result.code == 2
    assert "outside the project folder" in result.err
    assert outside.read_text() == WAIVERS


def test_waive_creates_a_missing_waivers_file(cli, project: Path) -> None:
    result = cli("waive", "DISK-01", *VALID, "--expires", "3d", "--waivers", "new.yaml")
    assert result.code == 0, result.err
    text = (project / "new.yaml").read_text()
    assert text.startswith(
        "# yaml-language-server: $schema=waiver.schema.json\nwaivers:\n  - control: DISK-01\n"
    )


def test_waivers_lists_those_expiring_and_exits_1_when_one_has_expired(cli, waivers: Path) -> None:
    assert cli("waive", "DISK-01", *VALID, "--expires", "2027-03-01").code == 0
    soon = cli("waivers", "--expiring", "30d")
    assert soon.code == 0, soon.err
    assert "2026-12-01  expires in 6d" in soon.out
    assert "DISK-01" not in soon.out
    assert "1 waiver(s) expiring within 30d, 0 expired" in soon.out
    later = cli("waivers", "--expiring", "30d", "--now", "2026-12-02T00:00:00Z")
    assert later.code == 1
    assert "2026-12-01  EXPIRED" in later.out


def test_waivers_refuses_a_bad_window(cli, waivers: Path) -> None:
    result = cli("waivers", "--expiring", "soon")
    assert result.code == 2
    assert "not a duration" in result.err
