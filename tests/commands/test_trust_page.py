"""``assay trust-page``: the ``[trust]`` settings of the project decide what the public page says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assay.loading.catalog import builtin_catalog
from tests.commands.conftest import ASSAY_TOML, EVIDENCE, OWN_CONTROL, write, write_evidence

DONE = "assay trust-page: wrote index.html, trust.md, withheld.md to site: "
NO_SECURITY_TXT = "trust.yaml: no security_txt section; .well-known/security.txt was not written\n"


def settings(project: Path, trust: str, top: str = "") -> None:
    write(project / "assay.toml", f"{ASSAY_TOML}{top}\n[trust]\n{trust}\n")


def page(cli, *argv: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Write the page into ./site; its files' texts, the public page's without its style sheet."""
    result = cli("trust-page", "--output", "site", *argv)
    assert result.code == 0, result.err
    site = Path("site")
    files = {
        name: (site / name).read_text(encoding="utf-8") for name in ("index.html", "trust.md", "withheld.md")
    }
    files["body"] = files["index.html"].split("</head>", 1)[1]  # the CSS has its own "100%"
    files["err"] = result.err
    return files


def test_the_default_page_shows_figures_and_no_control_ids(cli, project: Path) -> None:
    files = page(cli)
    assert files["err"] == NO_SECURITY_TXT + DONE + "3 claim(s) published, 0 withheld (see withheld.md)\n"
    for text in (files["body"], files["trust.md"]):
        assert "2 of 61 requirements in scope met (3%)" in text  # SOC 2: CC6.1 and CC6.6
        assert "Data on our server disks is encrypted at rest." in text
        assert "DISK-01" not in text


def test_show_percentages_false_hides_every_figure(cli, project: Path) -> None:
    settings(project, "show_percentages = false")
    files = page(cli)
    for text in (files["body"], files["trust.md"]):
        assert "%" not in text
        assert not re.search(r"of \d+ requirements", text)
        soc2 = "SOC 2 Trust Services Criteria (2017 criteria, points of focus revised 2022)"
        assert f"{soc2}: assessed with every run" in text
        assert "Data on our server disks is encrypted at rest." in text  # the claims stay


def test_show_control_ids_true_shows_them_beside_the_claims(cli, project: Path) -> None:
    settings(project, "show_control_ids = true")
    files = page(cli)
    assert "(control DISK-01)" in files["body"]
    assert "; control DISK-01)_" in files["trust.md"]
    for control in ("KEYS-01", "NET-01"):
        assert f"control {control}" in files["body"]
        assert f"control {control}" in files["trust.md"]


def test_frameworks_names_only_those(cli, project: Path) -> None:
    both = page(cli)
    assert "ISO/IEC 27001" in both["trust.md"]
    assert "SOC 2" in both["trust.md"]
    settings(project, 'frameworks = ["soc2"]')
    files = page(cli)
    for text in (files["body"], files["trust.md"]):
        assert "SOC 2 Trust Services Criteria" in text
        assert "ISO" not in text
        assert "27001" not in text


def test_domains_publishes_only_those_and_withholds_the_rest_with_the_reason(cli, project: Path) -> None:
    settings(project, 'domains = ["cryptography"]')
    files = page(cli)
    assert files["err"].endswith(DONE + "2 claim(s) published, 1 withheld (see withheld.md)\n")
    for text in (files["body"], files["trust.md"]):
        assert "Data on our server disks is encrypted at rest." in text
        assert "Our encryption keys are rotated every year." in text
        assert "Every server sits behind a firewall." not in text
    assert files["withheld.md"].endswith(
        "## NET-01: pass\n"
        "\n"
        "- Claim: Every server sits behind a firewall.\n"
        "- Section: Infrastructure\n"
        "- Reason: its domain 'network' is not among the trust page's domains (trust.domains)\n"
    )


@pytest.fixture
def own_controls(project: Path) -> Path:
    """Own controls in ./own, and evidence a built-in control (CRYPTO-02) would pass on too."""
    write(project / "own" / "own.yaml", OWN_CONTROL)
    write(
        project / "own-mappings" / "soc2.yaml",
        "framework: soc2\nmappings:\n  - requirement: CC6.1\n"
        "    controls: [{control: OWN-01, coverage: full, rationale: Test.}]\n",
    )
    write_evidence(
        project / "evidence",
        {**EVIDENCE, "aws/ec2/ebs_encryption_by_default.json": '{"EbsEncryptionByDefault": true}'},
    )
    return project


def test_builtin_controls_none_with_own_controls_publishes_no_builtin_claim(cli, own_controls: Path) -> None:
    builtin = builtin_catalog()
    builtin_claims = [c.claim for c in builtin.controls]
    argv = ("--controls", "own", "--mappings", "own-mappings")
    # The counter-check: with every built-in control, CRYPTO-02 passes on this evidence and is published.
    with_builtin = page(cli, *argv, "--builtin-controls", "all")
    assert builtin.control("CRYPTO-02").claim in with_builtin["trust.md"]
    settings(own_controls, "show_control_ids = true", top='builtin_controls = "none"\n')
    files = page(cli, *argv)
    assert files["err"].endswith(DONE + "1 claim(s) published, 0 withheld (see withheld.md)\n")
    assert (
        "New disks are encrypted, in our own words. _(evidence collected 2026-11-20; control OWN-01)_"
        in files["trust.md"]
    )
    for text in (files["body"], files["trust.md"], files["withheld.md"]):
        assert [claim for claim in builtin_claims if claim in text] == []
        assert [c.id for c in builtin.controls if c.id in text] == []


def test_out_still_works_with_a_warning(cli, project: Path) -> None:
    result = cli("trust-page", "--out", "old-site")
    assert result.code == 0, result.err
    assert result.err.splitlines()[0] == "assay trust-page: warning: --out is deprecated; use --output"
    assert (project / "old-site" / "index.html").is_file()


def test_output_wins_over_the_trust_output_setting(cli, project: Path) -> None:
    settings(project, 'output = "public"')
    assert cli("trust-page").code == 0
    assert (project / "public" / "index.html").is_file()
    assert cli("trust-page", "--output", "elsewhere").code == 0
    assert (project / "elsewhere" / "index.html").is_file()
