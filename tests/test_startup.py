"""Start-up stays light: ``import assay``, ``assay --version`` and ``assay --help`` load no heavy part.

Each check runs in a fresh interpreter (this one has imported everything long ago) and reads
``sys.modules``: what was not imported cannot cost time. benchmarks/startup.py measures the time itself.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import assay
from assay.commands import HELPS

# Never needed to import assay or to print its version or help.
HEAVY = (
    "lark",
    "cryptography",
    "jsonschema",
    "jsonschema_rs",
    "boto3",
    "botocore",
    "sqlalchemy",
    "pydantic",
    "yaml",
    "ruamel",
    "celpy",
    "assay.render",
    "assay.engine",
    "assay.cel",
    "assay.collect",
    "assay.pack",
    "assay.store",
    "assay.model",
    "assay.loading",
)
CONSOLE_SCRIPT = "import sys; from assay.cli import main; sys.exit(main())"
ROOT = Path(__file__).resolve().parents[1]
REPORT = "import json, sys; print(json.dumps(sorted(sys.modules)), file=sys.stderr)"


def loaded_by(code: str, *arguments: str) -> tuple[list[str], str]:
    """The modules a fresh interpreter holds after ``code``, and what it printed on stdout."""
    script = f"import atexit\natexit.register(lambda: exec({REPORT!r}))\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return modules, done.stdout


def heavy_in(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def test_import_assay_loads_only_the_package_and_its_version() -> None:
    modules, _ = loaded_by("import assay")
    assert heavy_in(modules) == []
    assert [m for m in modules if m.startswith("assay")] == ["assay", "assay._version"]


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_the_command_line_prints_its_version_and_help_without_the_library(option: str) -> None:
    modules, out = loaded_by(CONSOLE_SCRIPT, option)
    assert heavy_in(modules) == []
    assert out.startswith(f"assay {assay.__version__}" if option == "--version" else "usage: assay")


def test_a_command_builds_only_its_own_options() -> None:
    # `assay collect --help` would load every collector and its plug-ins; `assay config --help` must not.
    modules, out = loaded_by(CONSOLE_SCRIPT, "config", "--help")
    assert "--project" in out
    assert "assay.collect" not in modules
    modules, out = loaded_by(CONSOLE_SCRIPT, "collect", "--help")
    assert "assay.collect" in modules
    assert "aws" in out
    # the collectors' options, without the AWS SDK or the TLS certificate reader
    assert [m for m in modules if m.split(".")[0] in ("boto3", "botocore", "cryptography")] == []


def command_modules_in(modules: list[str]) -> list[str]:
    """The command modules (``assay.commands.check``, not the shared ``_common``) among ``modules``."""
    commands = {f"assay.commands.{name.replace('-', '_')}" for name in HELPS}
    return sorted(commands.intersection(modules))


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_the_version_and_the_help_import_no_command_module(option: str) -> None:
    # `assay --help` lists every command and its help line from the table in assay.commands alone
    modules, out = loaded_by(CONSOLE_SCRIPT, option)
    assert out.startswith(f"assay {assay.__version__}" if option == "--version" else "usage: assay")
    assert "assay.commands" in modules
    assert command_modules_in(modules) == []
    assert "shutil" not in modules  # argparse's width comes from assay's own formatter
    assert "pathlib" not in modules  # imported by what builds a command's options or runs it


@pytest.mark.parametrize(
    ("arguments", "imported"),
    [
        (("check", "--format", "json"), ["assay.commands.check"]),
        (("lint",), ["assay.commands.lint"]),
        # report reuses check's format choice; migrate reuses fmt's file walk
        (("report", "--help"), ["assay.commands.check", "assay.commands.report"]),
        (("trust-page", "--help"), ["assay.commands.trust_page"]),
        # completion walks every command's options
        (("completion", "bash"), sorted(f"assay.commands.{n.replace('-', '_')}" for n in HELPS)),
    ],
)
def test_a_command_imports_no_other_command_module(arguments: tuple[str, ...], imported: list[str]) -> None:
    code = f"from assay.cli import main\nmain({list(arguments)!r})"
    modules, _ = loaded_by(code)
    assert command_modules_in(modules) == imported


def test_every_public_name_resolves_in_a_fresh_interpreter() -> None:
    code = (
        "import importlib, assay\n"
        "homes = assay._HOMES\n"
        "wrong = [n for n in assay.__all__ if n != '__version__'"
        " and getattr(assay, n) is not getattr(importlib.import_module(homes[n]), n)]\n"
        "print(wrong, sorted(set(assay.__all__) - set(dir(assay))))\n"
    )
    _, out = loaded_by(code)
    assert out == "[] []\n"


@pytest.mark.parametrize("name", ["render", "lint"])
def test_a_public_function_named_like_its_submodule_stays_the_function(name: str) -> None:
    # Importing the submodule first sets it on the package; the function must still win.
    code = (
        f"import assay.{name}, importlib\n"
        f"import assay\n"
        f"from assay import {name} as imported\n"
        f"module = importlib.import_module('assay.{name}')\n"
        f"print(callable(assay.{name}), assay.{name} is module.{name}, imported is module.{name})\n"
    )
    _, out = loaded_by(code)
    assert out == "True True True\n"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="module 'assay' has no attribute 'Engnie'"):
        _ = assay.Engnie  # type: ignore[attr-defined]
    with pytest.raises(ImportError):
        from assay import no_such_name  # type: ignore[attr-defined]  # noqa: F401


def test_a_report_imports_its_own_renderer_and_no_other() -> None:
    code = "from assay.cli import main\nmain(['check', '--format', 'json'])"
    modules, out = loaded_by(code)
    assert json.loads(out)["controls"]
    renderers = {m for m in modules if m.startswith("assay.render.")}
    # json_text is no renderer: the JSON text writer the JSON, SARIF and OSCAL renderers share.
    assert renderers == {"assay.render.json_report", "assay.render.json_text"}


def test_verifying_a_pack_does_not_load_what_building_one_needs() -> None:
    modules, _ = loaded_by("from assay.pack import PackLimits, verify_pack")
    outside = [m for m in modules if m.startswith("assay.") and not m.startswith("assay.pack")]
    # no run, no renderers, no engine (lazy_names: the package's names imported on first read;
    # lean_dataclasses and its generated inits: how errors.py's dataclasses are made)
    expected = [
        "assay._lean_inits",
        "assay._version",
        "assay.errors",
        "assay.lazy_names",
        "assay.lean_dataclasses",
    ]
    assert outside == expected
    _, out = loaded_by(
        "import assay.pack\nprint([n for n in assay.pack.__all__ if not hasattr(assay.pack, n)])"
    )
    assert out == "[]\n"


# What a warm `assay check` of the example never needs: every file's verdict (catalog records, evidence
# metadata and attestations, evidence shapes, compiled and analysed rules) comes from the cache.
WARM_NEVER = (
    "pydantic",
    "pydantic_core",
    "jsonschema",
    "jsonschema_rs",
    "lark",
    "celpy",
    "yaml",
    "importlib.metadata",
    "email",
    # Imported where they are used, which a warm check of the example is not: the project's TOML config
    # (the repository's pyproject.toml has no [tool.assay]), named time zones, writing a file (tempfile,
    # shutil, secrets and random), and argparse's terminal width (shutil).
    "tomllib",
    "zoneinfo",
    "tempfile",
    "shutil",
    "secrets",
    "random",
    "bz2",
    "lzma",
)


def test_a_warm_check_of_the_example_imports_no_validator_nor_parser(tmp_path: Path) -> None:
    env = {**os.environ, "ASSAY_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("ASSAY_NO_CACHE", None)
    script = f"import atexit\natexit.register(lambda: exec({REPORT!r}))\n{CONSOLE_SCRIPT}"
    outputs, loaded = [], []
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", script, "check"],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            env=env,
            cwd=ROOT,
        )
        assert done.returncode == 1, done.stderr  # the example has failing controls
        outputs.append(done.stdout)
        loaded.append(json.loads(done.stderr.strip().splitlines()[-1]))
    assert outputs[0] == outputs[1]
    cold = [m for m in loaded[0] if any(m == n or m.startswith(n + ".") for n in WARM_NEVER)]
    assert {"pydantic", "lark", "jsonschema_rs"} <= set(cold)  # the cold run did need them
    assert [m for m in loaded[1] if any(m == n or m.startswith(n + ".") for n in WARM_NEVER)] == []
    assert command_modules_in(loaded[1]) == ["assay.commands.check"]


@pytest.mark.parametrize(("command", "collector"), [("check", False), ("lint", True)])
def test_only_the_everyday_check_runs_without_the_cyclic_collector(command: str, collector: bool) -> None:
    """In its own process ``assay check`` turns the collector off (it leaves almost no cycles); other
    commands, and callers of ``main`` with arguments (tests, tools), keep it."""
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('COLLECTOR', gc.isenabled(), file=sys.stderr))\n"
        f"{CONSOLE_SCRIPT}"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, command],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=ROOT,
    )
    assert done.stderr.strip().splitlines()[-1] == f"COLLECTOR {collector}", done.stderr
    code = "import gc; from assay.commands import main; main(['check']); print(gc.isenabled())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.stdout.strip().splitlines()[-1] == "True"
