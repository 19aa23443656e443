"""`assay trust-page`: the files it writes, its messages and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.loading.builtin import builtin_paths

EXAMPLE_CONFIG = builtin_paths().example / "trust.yaml"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_writes_the_page_from_the_bundled_example(cli, tmp_path: Path) -> None:
    result = cli("trust-page")
    assert result.code == 0, result.err
    assert result.out == ""
    assert result.err == (
        "assay trust-page: wrote index.html, trust.md, withheld.md, .well-known/security.txt to trust-page: "
        "67 claim(s) published, 11 withheld (see withheld.md)\n"
    )
    out = tmp_path / "trust-page"
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == [
        ".well-known/security.txt",
        "index.html",
        "trust.md",
        "withheld.md",
    ]
    security_txt = (out / ".well-known" / "security.txt").read_text(encoding="utf-8")
    assert "Expires: 2027-06-30T23:00:00Z\n" in security_txt
    public = (out / "index.html").read_text(encoding="utf-8")
    withheld = (out / "withheld.md").read_text(encoding="utf-8")
    assert "Customer data stored on our servers' disks is encrypted at rest." not in public
    assert "## CRYPTO-01: fail" in withheld
    assert "SOC 2 Type 2 report, current" in public


def test_an_expired_security_txt_is_not_written_and_exits_1(cli, tmp_path: Path) -> None:
    result = cli("trust-page", "--config", str(EXAMPLE_CONFIG), "--output", "site", "--now", "2027-07-01")
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"{EXAMPLE_CONFIG}: security_txt: error: line 4: Expires 2027-06-30T23:00:00Z is in the past: "
        "the file has expired",
        "assay trust-page: security.txt is expired or malformed; it was not written",
    ]
    assert result.err.splitlines()[-1].startswith(
        "assay trust-page: wrote index.html, trust.md, withheld.md to site: "
    )
    assert not (tmp_path / "site" / ".well-known").exists()
    assert (tmp_path / "site" / "index.html").is_file()


def test_a_malformed_contact_is_an_error(cli, tmp_path: Path) -> None:
    config = tmp_path / "trust.yaml"
    config.write_text(
        "company: Acme\ncanonical_url: https://acme.example/security\n"
        "security_txt:\n  contact: security at acme\n  expires: 2027-01-31T00:00:00Z\n",
        encoding="utf-8",
    )
    result = cli("trust-page", "--now", "2026-11-25")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "trust.yaml: security_txt: error: line 2: Contact must be a URI, not 'security at acme'"
    )


def test_config_errors_exit_2_with_their_position(cli, tmp_path: Path) -> None:
    (tmp_path / "trust.yaml").write_text("company: Acme\nsections:\n  pricing: Prices\n", encoding="utf-8")
    result = cli("trust-page")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "trust.yaml:3:12: error: sections > pricing: Input should be 'infrastructure', 'encryption', "
        "'access-control', 'monitoring', 'backups', 'secure-development', 'vulnerability-disclosure' "
        "or 'compliance'"
    )
    assert result.err.splitlines()[-1] == "assay trust-page: the inputs have errors; nothing was evaluated"


def test_own_evidence_needs_a_config(cli, tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    result = cli("trust-page", "--evidence", "evidence")
    assert (result.code, result.err) == (
        2,
        "assay: error: no trust page config: give --config FILE or trust.config (see example/trust.yaml)\n",
    )


def test_missing_config_file(cli) -> None:
    result = cli("trust-page", "--config", "nope.yaml")
    assert (result.code, result.err) == (2, "assay: error: --config nope.yaml: no such file\n")


def test_schema_trust(cli) -> None:
    result = cli("schema", "trust")
    assert result.code == 0
    assert '"$id": "trust.schema.json"' in result.out


def test_an_expiry_two_years_ahead_is_cut_and_the_file_passes_vuln01(cli, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from assay.model import ControlStatus
    from tests.test_securitytxt import vuln01

    (tmp_path / "trust.yaml").write_text(
        "company: Acme\ncanonical_url: https://acme.example/security\n"
        "security_txt:\n  contact: mailto:security@acme.example\n  expires: 2028-11-25T00:00:00Z\n"
        "  preferred_languages: en\n",
        encoding="utf-8",
    )
    result = cli("trust-page", "--now", "2026-11-25", "--output", "site")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == (
        "trust.yaml: security_txt: expires is more than 365d ahead; Expires is 2027-11-25T00:00:00Z"
    )
    text = (tmp_path / "site" / ".well-known" / "security.txt").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [
        "Contact: mailto:security@acme.example",
        "Expires: 2027-11-25T00:00:00Z",
        "Preferred-Languages: en",
        "Canonical: https://acme.example/.well-known/security.txt",
    ]
    now = datetime(2026, 11, 25, tzinfo=UTC)
    assert vuln01(text, now, ["https://acme.example/.well-known/security.txt"]).status is ControlStatus.PASS


def test_a_language_name_is_a_config_error(cli, tmp_path: Path) -> None:
    (tmp_path / "trust.yaml").write_text(
        "company: Acme\ncanonical_url: https://acme.example/security\n"
        "security_txt:\n  contact: mailto:security@acme.example\n  preferred_languages: english!\n",
        encoding="utf-8",
    )
    result = cli("trust-page", "--now", "2026-11-25")
    assert result.code == 2
    assert result.err.splitlines()[0] == (
        "trust.yaml:5:24: error: security_txt > preferred_languages: 'english!' is not an RFC 5646 "
        "language tag: write tags such as en, de or pt-BR"
    )
    assert not (tmp_path / "trust-page").exists()
