"""The command table (``assay.commands.HELPS``) says what the command modules say.

``assay --help`` is built from the table alone, so that a run imports only the module of its command: a
command whose module's NAME or HELP moved on, or a new command left out of the table, would show in
``--help`` differently from what the module declares.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

import pytest

import assay.commands
from assay.commands import HELPS, build_parser, command_module, command_modules
from assay.commands._common import UsageError


def drift(table: dict[str, str], modules: list[ModuleType]) -> list[str]:
    """What differs between ``table`` and the command ``modules`` (those that declare a NAME)."""
    declared = {module.NAME: module.HELP for module in modules if hasattr(module, "NAME")}
    problems = [f"{name}: not in the table" for name in declared.keys() - table.keys()]
    problems += [f"{name}: no module declares it" for name in table.keys() - declared.keys()]
    problems += [
        f"{name}: the table says {table[name]!r}, the module {declared[name]!r}"
        for name in table.keys() & declared.keys()
        if table[name] != declared[name]
    ]
    return sorted(problems)


def every_command_module() -> list[ModuleType]:
    """Every public module of the package, found on disk (not from the table)."""
    names = [
        info.name for info in pkgutil.iter_modules(assay.commands.__path__) if not info.name.startswith("_")
    ]
    return [importlib.import_module(f"assay.commands.{name}") for name in names]


def test_the_table_and_the_command_modules_agree() -> None:
    modules = every_command_module()
    assert drift(HELPS, modules) == []
    assert len(HELPS) == len([m for m in modules if hasattr(m, "NAME")])  # no two modules share a NAME


def test_a_drifted_table_is_caught() -> None:
    changed = {**HELPS, "check": "evaluate controls"}
    left_out = {name: text for name, text in HELPS.items() if name != "fmt"}
    invented = {**HELPS, "frobnicate": "does nothing"}
    modules = every_command_module()
    assert drift(changed, modules) == [
        "check: the table says 'evaluate controls', the module "
        "'evaluate controls against evidence and write a gap report'"
    ]
    assert drift(left_out, modules) == ["fmt: not in the table"]
    assert drift(invented, modules) == ["frobnicate: no module declares it"]
    renamed = ModuleType("assay.commands.renamed")
    renamed.NAME, renamed.HELP = "re-named", "a command whose module is not in the table"  # type: ignore[attr-defined]
    assert drift(HELPS, [*modules, renamed]) == ["re-named: not in the table"]


def test_command_modules_walks_the_table_in_order() -> None:
    assert [module.NAME for module in command_modules()] == list(HELPS)
    assert command_module("trust-page").__name__ == "assay.commands.trust_page"


def test_the_listing_without_the_parsers_is_the_listing_with_them() -> None:
    # only="": every command listed, none built (--help, --version); None: every command built (completion)
    assert build_parser(only="").format_help() == build_parser().format_help()
    assert build_parser(only="fmt").format_help() == build_parser().format_help()


def usage_error(parser: argparse.ArgumentParser, arguments: list[str]) -> str:
    with pytest.raises(UsageError) as raised:
        parser.parse_args(arguments)
    return str(raised.value)


def test_a_command_not_built_is_built_when_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    # build_parser(only=...) is a guess from the arguments: a command it did not build still runs whole
    parser = build_parser(only="lint")
    args = parser.parse_args(["--no-cache", "trust-page", "--debug", "--output", "page.html"])
    assert (args.command, args.debug, args.no_cache, args.output) == (
        "trust-page",
        True,
        True,
        Path("page.html"),
    )
    assert args.handler is command_module("trust-page").run
    # built in place: the commands keep their order (the error lists them) and a second parse reuses it
    assert usage_error(parser, ["nosuch"]) == usage_error(build_parser(), ["nosuch"])
    assert "'check', 'explain', 'test'" in usage_error(parser, ["nosuch"])
    assert parser.parse_args(["trust-page"]).output is None
    with pytest.raises(SystemExit):
        build_parser(only="").parse_args(["explain", "--help"])
    lazily = capsys.readouterr().out
    with pytest.raises(SystemExit):
        build_parser(only="explain").parse_args(["explain", "--help"])
    assert capsys.readouterr().out == lazily
    assert "[--evidence DIR]" in lazily
