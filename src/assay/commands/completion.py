"""``assay completion SHELL``: a completion script for bash, zsh or fish, made from the parser itself."""

from __future__ import annotations

import argparse
from dataclasses import field

from assay.commands._common import Streams
from assay.lean_dataclasses import dataclass

NAME = "completion"
HELP = 'print a shell completion script: eval "$(assay completion bash)"'
SHELLS = ("bash", "zsh", "fish")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS)


@dataclass
class Command:
    """What completes after a (sub)command: its options, and the words its first argument may be."""

    options: list[str]
    words: list[str] = field(default_factory=list)  # subcommands (collect aws) or choices (schema KIND)
    subcommands: dict[str, Command] = field(default_factory=dict)


def command_options(parser: argparse.ArgumentParser) -> dict[str, Command]:
    """Each subcommand of ``parser``, with its own subcommands (``collect aws``) inside it."""
    found: dict[str, Command] = {}
    for action in parser._actions:  # argparse has no public way to walk its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                options = sorted(o for a in sub._actions for o in a.option_strings if o != "--out")
                inner = command_options(sub)
                choices = [
                    str(choice)
                    for a in sub._actions
                    if not a.option_strings and a.choices and not isinstance(a, argparse._SubParsersAction)
                    for choice in a.choices
                ]
                found[name] = Command(options, sorted(inner) or choices, inner)
    return found


def _bash_case(commands: dict[str, Command], word: int, indent: str) -> list[str]:
    """A ``case`` on the ``word``-th word: each command's options and words, and its subcommands' inside."""
    lines = [f'{indent}case "${{COMP_WORDS[{word}]}}" in']
    for name, command in sorted(commands.items()):
        lines.append(f'{indent}    "{name}")')
        lines.append(f'{indent}        opts="{" ".join(command.options)}"')
        lines.append(f'{indent}        words="{" ".join(command.words)}"')
        lines.append(f"{indent}        first={word + 1}")
        if command.subcommands:
            lines.append(f'{indent}        if [ "$COMP_CWORD" -gt {word + 1} ]; then')
            lines.append(f'{indent}            words=""')
            lines += _bash_case(command.subcommands, word + 1, indent + "            ")
            lines.append(f"{indent}        fi")
        lines.append(f"{indent}        ;;")
    lines.append(f"{indent}esac")
    return lines


def bash(commands: dict[str, Command]) -> str:
    top = " ".join(sorted(commands))
    cases = "\n".join(_bash_case(commands, 1, "    "))
    return f"""# bash completion for assay
_assay() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{top} --help --version" -- "$cur"))
        return
    fi
    local opts="" words="" first=0
{cases}
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    elif [ -n "$words" ] && [ "$COMP_CWORD" -eq "$first" ]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _assay assay
"""


def zsh(commands: dict[str, Command]) -> str:
    return "#compdef assay\nautoload -U bashcompinit && bashcompinit\n" + bash(commands)


def _fish_lines(commands: dict[str, Command], condition: str) -> list[str]:
    lines = []
    for name, command in sorted(commands.items()):
        seen = f"{condition}__fish_seen_subcommand_from {name}"
        if command.words:
            words = " ".join(command.words)
            lines.append(
                f"complete -c assay -n '{seen}; and not __fish_seen_subcommand_from {words}' -a '{words}'"
            )
        for option in command.options:
            if option.startswith("--"):
                lines.append(f"complete -c assay -n '{seen}' -l {option[2:]}")
            else:
                lines.append(f"complete -c assay -n '{seen}' -s {option[1:]}")
        lines += _fish_lines(command.subcommands, f"{seen}; and ")
    return lines


def fish(commands: dict[str, Command]) -> str:
    lines = ["# fish completion for assay", "complete -c assay -f"]
    lines.append(f"complete -c assay -n '__fish_use_subcommand' -a '{' '.join(sorted(commands))}'")
    lines += _fish_lines(commands, "")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.commands import build_parser

    commands = command_options(build_parser())
    script = {"bash": bash, "zsh": zsh, "fish": fish}[args.shell](commands)
    streams.out.write(script)
    return 0
