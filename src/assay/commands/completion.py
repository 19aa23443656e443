"""``assay completion SHELL``: a completion script for bash, zsh or fish, made from the parser itself."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams

NAME = "completion"
HELP = 'print a shell completion script: eval "$(assay completion bash)"'
SHELLS = ("bash", "zsh", "fish")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS)


def command_options(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each subcommand's option strings (``collect aws`` as one command)."""
    found: dict[str, list[str]] = {}
    for action in parser._actions:  # argparse has no public way to walk its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sorted(o for a in sub._actions for o in a.option_strings if o != "--out")
                for inner, options in command_options(sub).items():
                    found[f"{name} {inner}"] = options
    return found


def bash(commands: dict[str, list[str]]) -> str:
    top = " ".join(sorted(c for c in commands if " " not in c))
    cases = []
    for name, options in sorted(commands.items()):
        if " " in name:
            continue
        words = options + [s.split(" ", 1)[1] for s in commands if s.startswith(f"{name} ")]
        cases.append(f'        "{name}") opts="{" ".join(words)}" ;;')
    cases_text = "\n".join(cases)
    return f"""# bash completion for assay
_assay() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "{top} --help --version" -- "$cur"))
        return
    fi
    local opts=""
    case "${{COMP_WORDS[1]}}" in
{cases_text}
    esac
    if [[ "$cur" == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _assay assay
"""


def zsh(commands: dict[str, list[str]]) -> str:
    return "#compdef assay\nautoload -U bashcompinit && bashcompinit\n" + bash(commands)


def fish(commands: dict[str, list[str]]) -> str:
    lines = ["# fish completion for assay", "complete -c assay -f"]
    top = [c for c in sorted(commands) if " " not in c]
    lines.append(f"complete -c assay -n '__fish_use_subcommand' -a '{' '.join(top)}'")
    for name in top:
        for option in commands[name]:
            if option.startswith("--"):
                lines.append(f"complete -c assay -n '__fish_seen_subcommand_from {name}' -l {option[2:]}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.commands import build_parser

    commands = command_options(build_parser())
    script = {"bash": bash, "zsh": zsh, "fish": fish}[args.shell](commands)
    streams.out.write(script)
    return 0
