"""The command table (``assay.commands.HELPS``) says what the command modules say.

``assay --help`` is built from the table alone, so that a run imports only the module of its command: a
command whose module's NAME or HELP moved on, or a new command left out of the table, would show in
``--help`` differently from what the module declares.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import assay.commands
from assay.commands import HELPS, command_module, command_modules


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
    assert len(HELPS) == len([m for m in modules if hasattr(m, "NAME")]) == 24


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
