"""The ``assay`` command line: one module per command, and the one place exit codes are decided.

Each command module has ``NAME``, ``HELP``, ``add_arguments(parser)`` and ``run(args, streams)``;
it parses arguments and calls the library (a project resolved by :mod:`assay.project`, run by
:mod:`assay.pipeline`). :data:`HELPS` lists every command's name and help line, so the command line
imports only the module of the command that runs (``assay --version`` and ``--help``: none).
:func:`main` maps what they raise to exit codes, a contract scripts rely on:

- 0 clean;
- 1 problems found (failing controls, lint diagnostics, failed tests or checks, a pack that fails
  verification);
- 2 usage or configuration errors (bad arguments, invalid inputs, a plug-in that cannot be used);
- 3 an internal error: any other exception, wherever it is raised. It is reported in one line that
  says where its traceback was saved (a private temporary folder); ``--debug`` (or ``ASSAY_DEBUG=1``)
  prints the traceback too.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, TextIO

from assay._version import __version__
from assay.commands._common import Parser, Streams, UsageError
from assay.errors import AssayError, LoadError
from assay.safe_text import terminal_safe

if TYPE_CHECKING:
    from pathlib import Path

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130  # the shell's code for a run stopped by Ctrl-C (SIGINT)
DEBUG_FLAG = "--debug"
DEBUG_ENVIRONMENT = "ASSAY_DEBUG"  # an alias of --debug: any value but "", "0", "false" or "no"
TRACEBACK_FILE = "traceback.txt"
# Every command, in the order ``assay --help`` lists them, with its help line: the module of a command
# (``assay.commands.trust_page`` for ``trust-page``) is imported only when it runs or its options are
# built. Each module's own NAME and HELP say the same (tests/commands/test_table.py).
HELPS: dict[str, str] = {
    "check": "evaluate controls against evidence and write a gap report",
    "explain": "show a control, its mappings, evidence and result",
    "test": "run the test cases embedded in controls",
    "lint": "check controls, mappings, waivers and scope files",
    "schema": "print the JSON Schema of a file format or the report",
    "functions": "list the custom CEL functions and the CEL extension libraries rules can call",
    "pack": "build an evidence pack for auditors (zip, manifest, signature)",
    "verify": "check an evidence pack: structure, hashes, files, and a signature by a trusted key",
    "keygen": "write an Ed25519 key pair for signing evidence packs, and print its fingerprint",
    "collect": "collect evidence from AWS, HTTPS endpoints, GitHub ...",
    "trust-page": "write the public trust page from the controls that pass, and security.txt",
    "export": "write the loaded controls and mappings as an OSCAL component definition",
    "report": "show OSCAL assessment results (assay's or a GRC tool's) as a gap report",
    "config": "print the resolved project configuration and where each value came from",
    "waive": "add a waiver to the project's waivers file",
    "waivers": "list the project's waivers by expiry; exit 1 if any has expired",
    "fmt": "format controls, mappings, waivers, scope and parameters files (--check: report, write nothing)",
    "migrate": "upgrade controls, mappings and policy files to the current schema, keeping comments",
    "new": "scaffold a control or a mapping file in the project's folders",
    "completion": 'print a shell completion script: eval "$(assay completion bash)"',
    "period": (
        "report whether each control operated effectively over a period (SOC 2 Type 2), from recorded runs"
    ),
    "diff": "show what changed between two recorded runs (statuses, failing resources, evidence hashes)",
    "history": "show one control's status in every recorded run (HTML: a timeline)",
    "cache": "show the on-disk cache (folder, entries, size, cap) or clear it",
}


def command_module(name: str) -> ModuleType:
    """The module of the command ``name`` (a key of :data:`HELPS`), imported on first use."""
    return importlib.import_module(f"{__name__}.{name.replace('-', '_')}")


def command_modules() -> tuple[ModuleType, ...]:
    """Every command's module, in :data:`HELPS`'s order: for what walks them all (tests, tools)."""
    return tuple(command_module(name) for name in HELPS)


def build_parser(only: str | None = None) -> Parser:
    """The whole command line; with ``only``, the parser of that one command alone.

    Every command is listed (``assay --help``), but a command's parser is built only when it may run:
    building its options imports its module and what they name (collectors and their plug-ins, for
    one), which a run of another command, ``--help`` or ``--version`` should not pay for. A command
    chosen all the same (``only`` is a guess, :func:`chosen_command`) is built when argparse reaches it.
    """
    parser = Parser(prog="assay", description="Compliance as code: controls, evidence and gap reports.")
    parser.add_argument("--version", action="version", version=f"assay {__version__}")
    _add_global_options(parser, default=False)
    commands: _Commands = parser.add_subparsers(  # type: ignore[assignment]  # action=_Commands
        action=_Commands, dest="command", required=True, parser_class=Parser
    )
    for name in HELPS:
        if only is None or only == name:
            commands.add_command(name)
        else:
            commands.list_command(name)
    return parser


class _Commands(argparse._SubParsersAction):  # type: ignore[type-arg]  # its parsers: Parser, or None
    """The commands' subparsers, each listed at once (its name and help line) but built when chosen.

    argparse builds a parser in about 0.35 ms, most of it gettext looking for translations of
    argparse's own words: all 24 cost every run about 8 ms. A command not built yet has None for
    its parser.
    """

    def add_command(self, name: str, *, listed: bool = True) -> None:
        """The parser of the command ``name``: its options, the global ones, and its handler."""
        if listed:
            sub = self.add_parser(name, help=HELPS[name], description=HELPS[name])
        else:  # without help: add_parser would list it again
            sub = self.add_parser(name, description=HELPS[name])
        command = command_module(name)
        command.add_arguments(sub)
        _add_global_options(sub, default=argparse.SUPPRESS)
        sub.set_defaults(handler=command.run)

    def list_command(self, name: str) -> None:
        """The command ``name`` in the list (its help line, as :meth:`add_parser` lists it), unbuilt."""
        self._choices_actions.append(self._ChoicesPseudoAction(name, (), HELPS[name]))
        self._name_parser_map[name] = None

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        name = str(values[0]) if values else ""
        if name in self._name_parser_map and self._name_parser_map[name] is None:
            names = list(self._name_parser_map)
            del self._name_parser_map[name]  # add_parser refuses a name it has
            self.add_command(name, listed=False)  # listed already
            for later in names[names.index(name) + 1 :]:  # the map back in the listed order
                self._name_parser_map[later] = self._name_parser_map.pop(later)
        super().__call__(parser, namespace, values, option_string)


def chosen_command(arguments: Sequence[str]) -> str:
    """The command ``arguments`` run, or "" when they name none (the top level's options take no value)."""
    first = next((a for a in arguments if not a.startswith("-")), "")
    return first if first in HELPS else ""


def _add_global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """``--debug`` and ``--no-cache`` on ``parser`` and on its subcommands (``assay collect aws --debug``).

    Below the top level their default is SUPPRESS, so a flag given before the command is kept.
    """
    for action in parser._actions:  # argparse has no public way to walk its subparsers
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                if sub is not None:  # a command not built yet gets them when it is (_Commands)
                    _add_global_options(sub, default=argparse.SUPPRESS)
    parser.add_argument(
        DEBUG_FLAG,
        action="store_true",
        default=default,
        help=f"print the traceback of an internal error (also ${DEBUG_ENVIRONMENT}=1)",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        default=default,
        help="compile every rule afresh, neither reading nor writing the rule cache (also $ASSAY_NO_CACHE=1)",
    )


@contextlib.contextmanager
def _cache_turned_off(wanted: bool) -> Iterator[None]:
    """``--no-cache`` for the length of one command: the cache reads its switch from the environment, so
    the processes a run starts (``--jobs``) see it too, and a library caller's environment is restored."""
    if not wanted:
        yield
        return
    from assay.cache import NO_CACHE_ENV

    before = os.environ.get(NO_CACHE_ENV)
    os.environ[NO_CACHE_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ[NO_CACHE_ENV]
        else:
            os.environ[NO_CACHE_ENV] = before


def main(
    argv: Sequence[str] | None = None, *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line; returns the exit code. No exception escapes it."""
    code = _main(argv, stdout=stdout, stderr=stderr, own_process=argv is None)
    if argv is None:
        # The process's own command line (the console script, python -m assay), which ends when this
        # returns: what the run made is frozen out of the collector's sight, sparing the interpreter's
        # exit a collection over every object (about 50 ms of a warm check). Exit handlers still run.
        gc.freeze()
    return code


# ``assay check`` builds long-lived structures (the catalog, the evidence, compiled rules, the report)
# and leaves almost no reference cycles: a run over 100,000 resources with the collector off left 13,523
# unreachable objects (about 2 MB) for a final collection to find. In its own process the cyclic
# collector would only walk what is alive, again and again: about 50 ms of CPU on a warm check of the
# example, a tenth of it. An organisation run on Dask keeps the collector: its machinery (asyncio, its
# comms) makes cycles all the time. Other commands keep it too (a collector runs for long on AWS's
# clients).
def _without_collector(args: argparse.Namespace) -> bool:
    return args.command == "check" and getattr(args, "executor", None) != "dask"


def _main(
    argv: Sequence[str] | None, *, stdout: TextIO | None, stderr: TextIO | None, own_process: bool = False
) -> int:
    streams = Streams(stdout or sys.stdout, stderr or sys.stderr)
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = build_parser(only=chosen_command(arguments)).parse_args(arguments)
        except UsageError as exc:
            streams.warn(str(exc))
            return EXIT_USAGE
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        except AssayError as exc:  # a plug-in that cannot be used, found while building the parser
            streams.warn(f"assay: error: {exc}")
            return EXIT_USAGE
        if own_process and _without_collector(args):
            gc.disable()
        return run_command(args, streams)
    except KeyboardInterrupt:
        streams.warn("assay: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # raised before a command ran: building the parser, say
        command = next((a for a in arguments if not a.startswith("-")), "")
        return internal_error(exc, streams, command=command, debug=_debug_wanted(DEBUG_FLAG in arguments))


def run_command(args: argparse.Namespace, streams: Streams) -> int:
    """Run one parsed command, turning every exception into its exit code and a message."""
    try:
        with _cache_turned_off(getattr(args, "no_cache", False)):
            return int(args.handler(args, streams))
    except UsageError as exc:
        streams.warn(str(exc))
        return EXIT_USAGE
    except LoadError as exc:
        for diagnostic in exc.diagnostics:
            streams.warn(str(diagnostic))
        hint = getattr(exc, "hint", None)  # controls that fail lint (assay.pipeline.InvalidControls)
        streams.warn(f"assay {args.command}: the inputs have errors; nothing was evaluated")
        if hint:
            streams.warn(f"assay {args.command}: {hint}")
        return EXIT_USAGE
    except AssayError as exc:
        streams.warn(f"assay: error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        streams.warn("assay: interrupted")
        return EXIT_INTERRUPTED
    except Exception as exc:  # the one place a bug becomes a message instead of a traceback
        return internal_error(
            exc, streams, command=args.command, debug=_debug_wanted(getattr(args, "debug", False))
        )


def internal_error(exc: BaseException, streams: Streams, *, command: str, debug: bool) -> int:
    """Report an exception nobody expected: one line, saying where the whole traceback was saved.

    The line names the exception's type only: its message may hold evidence, which belongs in the
    private traceback file, not in a CI log.
    """
    import traceback  # here, not at start-up: most runs never need it

    text = "".join(traceback.format_exception(exc))
    if debug:
        streams.err.write(terminal_safe(text, multiline=True))
    name = f"assay {command}" if command else "assay"
    try:
        saved = f"its traceback is saved in {save_traceback(text, name)}"
    except OSError as error:
        saved = f"its traceback could not be saved ({error.strerror or error})"
    hint = "" if debug else f"; {DEBUG_FLAG} prints it"
    streams.warn(f"{name}: internal error ({type(exc).__name__}): {saved}{hint}; please report it")
    return EXIT_INTERNAL


def save_traceback(text: str, command: str) -> Path:
    """Write a traceback into a new folder only this user can enter; the file's path."""
    import platform
    import tempfile
    from pathlib import Path  # here, like the command modules: --version and --help need no pathlib

    folder = Path(tempfile.mkdtemp(prefix="assay-crash-"))  # mode 0700, a fresh unpredictable name
    path = folder / TRACEBACK_FILE
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(f"{command}: assay {__version__}, Python {platform.python_version()}\n\n{text}")
    return path


def _debug_wanted(flag: bool) -> bool:
    value = os.environ.get(DEBUG_ENVIRONMENT, "").strip().lower()
    return flag or value not in ("", "0", "false", "no")
