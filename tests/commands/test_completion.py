"""``assay completion SHELL``: a script that knows every subcommand and its options."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SUBCOMMANDS = [
    "check",
    "explain",
    "test",
    "lint",
    "schema",
    "functions",
    "pack",
    "verify",
    "keygen",
    "collect",
    "trust-page",
    "export",
    "report",
    "config",
    "completion",
]
BASH = shutil.which("bash")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_script_names_every_subcommand_and_their_options(cli, shell: str) -> None:
    result = cli("completion", shell)
    assert (result.code, result.err) == (0, "")
    words = set(result.out.replace("'", " ").replace('"', " ").split())
    assert [name for name in SUBCOMMANDS if name not in words] == []
    options = {"bash": "--output", "zsh": "--output", "fish": "output"}[shell]
    assert options in words
    assert ("--framework" if shell != "fish" else "framework") in words
    assert "--out" not in words  # the deprecated alias is not offered


def test_zsh_uses_the_bash_script(cli) -> None:
    zsh = cli("completion", "zsh").out
    assert zsh.startswith("#compdef assay\nautoload -U bashcompinit && bashcompinit\n")
    assert zsh.endswith(cli("completion", "bash").out)


def test_fish_completes_options_collectors_and_choices(cli) -> None:
    fish = cli("completion", "fish").out.splitlines()
    assert "complete -c assay -n '__fish_seen_subcommand_from check' -l control" in fish
    assert "complete -c assay -n '__fish_seen_subcommand_from check' -s k" in fish
    assert "complete -c assay -n '__fish_seen_subcommand_from trust-page' -l output" in fish
    assert (
        "complete -c assay -n '__fish_seen_subcommand_from collect; "
        "and not __fish_seen_subcommand_from aws github web' -a 'aws github web'"
    ) in fish
    assert (
        "complete -c assay -n '__fish_seen_subcommand_from collect; and __fish_seen_subcommand_from aws' "
        "-l region"
    ) in fish
    assert (
        "complete -c assay -n '__fish_seen_subcommand_from completion; "
        "and not __fish_seen_subcommand_from bash zsh fish' -a 'bash zsh fish'"
    ) in fish


@pytest.mark.skipif(BASH is None, reason="no bash")
def test_the_bash_script_is_valid_and_completes(cli, tmp_path: Path) -> None:
    script = tmp_path / "assay.bash"
    script.write_text(cli("completion", "bash").out, encoding="utf-8")
    assert BASH is not None
    syntax = subprocess.run([BASH, "-n", str(script)], capture_output=True, text=True, check=False)
    assert (syntax.returncode, syntax.stderr) == (0, "")

    def complete(*words: str) -> list[str]:
        program = f'source "$1"; COMP_WORDS=({" ".join(words)}); COMP_CWORD={len(words) - 1}; _assay; '
        program += 'printf "%s\\n" "${COMPREPLY[@]}"'
        done = subprocess.run(
            [BASH, "-c", program, "bash", str(script)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        return done.stdout.split()

    assert complete("assay", "tr") == ["trust-page"]
    assert complete("assay", "co") == ["collect", "completion", "config"]
    assert complete("assay", "check", "--outp") == ["--output"]
    assert complete("assay", "check", "--fr") == ["--framework"]
    assert complete("assay", "collect", "a") == ["aws"]
    assert complete("assay", "collect", "aws", "--reg") == ["--region"]
    assert complete("assay", "collect", "web", "--ca") == ["--ca-file"]
    assert complete("assay", "completion", "") == ["bash", "zsh", "fish"]
    assert complete("assay", "schema", "wai") == ["waiver"]
    (tmp_path / "report.json").write_text("{}", encoding="utf-8")
    assert complete("assay", "check", "--output", "rep") == ["report.json"]  # files elsewhere


def test_an_unknown_shell_exits_2(cli) -> None:
    result = cli("completion", "tcsh")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "assay completion: error: argument shell: invalid choice: 'tcsh' "
        "(choose from 'bash', 'zsh', 'fish')\n"
    )
