"""``assay lint``: a domain name that would make trust page claims vanish is an error at its position."""

from __future__ import annotations

import re
from pathlib import Path

from tests.commands.conftest import ASSAY_TOML, write


def test_the_small_project_lints_clean(cli, project: Path) -> None:
    result = cli("lint")
    assert (result.code, result.out, result.err) == (0, "", "")


def test_an_unknown_domain_in_trust_domains_is_an_error_at_its_position(cli, project: Path) -> None:
    write(
        project / "assay.toml",
        ASSAY_TOML + '\n[trust]\nshow_percentages = false\ndomains = ["cryptography", "netwrk"]\n',
    )
    result = cli("lint")
    assert result.code == 1
    assert result.out == (
        "assay.toml:8:1: error: trust.domains: 'netwrk' is the domain of no control; "
        "did you mean 'network'?\n"
    )
    assert result.err == "assay lint: 1 error(s), 0 warning(s)\n"


def test_an_unknown_domain_in_trust_domains_in_pyproject(cli, project: Path) -> None:
    (project / "assay.toml").unlink()
    write(
        project / "pyproject.toml",
        '[project]\nname = "acme"\n\n[tool.assay]\n'
        + ASSAY_TOML
        + '\n[tool.assay.trust]\n  domains = ["crypto"]\n',
    )
    result = cli("lint")
    assert result.code == 1
    assert result.out == (
        "pyproject.toml:11:3: error: trust.domains: 'crypto' is the domain of no control; "
        "did you mean 'cryptography'?\n"
    )


def test_an_unknown_domain_in_the_trust_config_is_an_error_at_its_position(cli, project: Path) -> None:
    write(
        project / "trust.yaml",
        "company: Acme\ndomains:\n  network: infrastructure\n  cryptografy: encryption\n",
    )
    result = cli("lint")
    assert result.code == 1
    assert result.out == (
        "trust.yaml:4:3: error: trust config domains: 'cryptografy' is the domain of no control; "
        "did you mean 'cryptography'?\n"
    )


def test_an_unknown_domain_in_the_trust_config_is_an_error(cli, project: Path) -> None:
    write(
        project / "trust.yaml",
        "company: Acme\ndomains:\n  network: infrastructure\n  cryptografy: encryption\n",
    )
    result = cli("lint")
    assert result.code == 1
    [line] = result.out.splitlines()  # its position: see the test above
    assert re.fullmatch(
        r"\S*trust\.yaml:\d+:\d+: error: trust config domains: 'cryptografy' is the domain of no control; "
        r"did you mean 'cryptography'\?",
        line,
    )
    assert result.err == "assay lint: 1 error(s), 0 warning(s)\n"
