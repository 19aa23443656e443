"""Plug-ins: one registry type, checked when entries register, found through entry points.

The end-to-end test installs a small plug-in package, with one entry in each of the four groups,
into a temporary virtual environment and runs assay there, as a user of that package would.
"""

from __future__ import annotations

import importlib.machinery
import os
import subprocess
import sys
import sysconfig
import textwrap
from importlib import metadata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.plugins import PluginError, Registry, accepts, installed_entry_points, may_have_assay_plugins

PLUGIN_MODULE = '''
"""A plug-in package for assay: a renderer, a CEL function, a collector and a framework catalog."""
import importlib.resources


def render(report):
    """Every control id, shouted."""
    return "".join(f"{c.control.upper()}!\\n" for c in report.controls)


render.extension = ".shout"
render.media_type = "text/plain"


def twice(value):
    """Twice the number."""
    return value * 2


class EchoCollector:
    name = "echo"
    description = "writes what it is told"

    def add_arguments(self, parser):
        parser.add_argument("--say", default="hello")

    def collect(self, options, writer):
        writer.write_json("echo/said.json", {"said": options.say}, "echo --say")


def catalog():
    return str(importlib.resources.files("assay_shout") / "tiny.yaml")


def broken(report, options, extra):
    return ""
'''
TINY_CATALOG = """
framework: {key: tiny, name: Tiny framework, version: "1"}
requirements:
  - id: T-1
    title: Disks are encrypted
"""


def write_plugin(folder: Path, renderer: str = "assay_shout:render") -> Path:
    package = folder / "assay_shout"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(PLUGIN_MODULE), encoding="utf-8")
    (package / "tiny.yaml").write_text(TINY_CATALOG, encoding="utf-8")
    (folder / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [project]
            name = "assay-shout"
            version = "1.0"

            [tool.hatch.build.targets.wheel]
            packages = ["assay_shout"]

            [project.entry-points."assay.renderers"]
            shout = "{renderer}"

            [project.entry-points."assay.functions"]
            twice = "assay_shout:twice"

            [project.entry-points."assay.collectors"]
            echo = "assay_shout:EchoCollector"

            [project.entry-points."assay.frameworks"]
            tiny = "assay_shout:catalog"
            """
        ),
        encoding="utf-8",
    )
    return folder


def make_venv(tmp_path: Path, plugin: Path) -> Path:
    """A fresh venv that sees this environment's packages (assay included) and has the plug-in installed."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # This environment's packages (assay's source, through its editable install, included): a .pth
    # in another .pth's folder is not read, so the folders themselves are listed.
    stdlib = {sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"]}
    outer = [p for p in sys.path if p and Path(p).is_dir() and p not in stdlib and "lib-dynload" not in p]
    (Path(site) / "outer.pth").write_text("\n".join(outer) + "\n", encoding="utf-8")
    install = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*install, "--no-index", "--target", site, str(plugin)], check=True, capture_output=True)
    return python


def assay(python: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(python), "-m", "assay.cli", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plugin")
    return make_venv(root, write_plugin(root / "src"))


def test_a_plugin_renderer_is_a_format(plugin_venv: Path, tmp_path: Path) -> None:
    result = assay(plugin_venv, tmp_path, "check", "--format", "shout")
    assert result.returncode == 1, result.stderr  # the example company fails controls
    assert result.stdout.splitlines()[:2] == ["BACKUP-01!", "BACKUP-02!"]
    written = assay(plugin_venv, tmp_path, "check", "--output", "report.shout")
    assert written.returncode == 1, written.stderr
    assert (tmp_path / "report.shout").read_text(encoding="utf-8").startswith("BACKUP-01!\n")


def test_plugin_function_collector_and_framework(plugin_venv: Path, tmp_path: Path) -> None:
    functions = assay(plugin_venv, tmp_path, "functions")
    assert "twice(value) -> dyn\n    Twice the number." in functions.stdout
    collected = assay(plugin_venv, tmp_path, "collect", "echo", "--say", "hi", "--output", "evidence")
    assert collected.returncode == 0, collected.stderr
    assert (tmp_path / "evidence" / "echo" / "said.json").read_text(
        encoding="utf-8"
    ).strip() == '{\n  "said": "hi"\n}'
    (tmp_path / "mappings").mkdir()
    (tmp_path / "mappings" / "tiny.yaml").write_text(
        "framework: tiny\nmappings:\n  - requirement: T-1\n"
        "    controls: [{control: CRYPTO-01, coverage: full, rationale: Test.}]\n",
        encoding="utf-8",
    )
    (tmp_path / "assay.toml").write_text(
        'builtin_controls = ["CRYPTO-01"]\nmappings = "mappings"\nframeworks = ["tiny"]\n', encoding="utf-8"
    )
    report = assay(plugin_venv, tmp_path, "check", "--format", "csv")
    assert report.stdout.splitlines()[1] == (
        "tiny,T-1,Disks are encrypted,,no,not_met,none,CRYPTO-01 did not pass,CRYPTO-01,fail,full,,,,,,"
    )


def test_a_plugin_with_a_wrong_signature_fails_at_load_naming_it(tmp_path: Path) -> None:
    python = make_venv(tmp_path, write_plugin(tmp_path / "src", renderer="assay_shout:broken"))
    result = assay(python, tmp_path, "check")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(
        "assay: error: renderer 'shout' from assay.renderers:shout (from assay-shout) cannot be called as "
        "broken(report)"
    )


# --- the registry itself, in process ------------------------------------------------------------------


def test_entries_are_checked_when_they_register() -> None:
    registry: Registry[object] = Registry("widget", None, check=lambda name, entry: accepts(entry, "x"))
    registry.register("good", lambda x: x)
    with pytest.raises(PluginError, match=r"^widget 'bad' from your code cannot be called as <lambda>\(x\)"):
        registry.register("bad", lambda: None)
    with pytest.raises(PluginError, match=r"^widget 'good' from your code is already registered"):
        registry.register("good", lambda x: x)
    with pytest.raises(PluginError, match=r"^unknown widget 'goo'; did you mean 'good'\?"):
        registry.get("goo")


def test_a_plugin_that_raises_while_loading_is_its_error() -> None:
    def explode(name: str, entry: object) -> object:
        raise RuntimeError("no database")

    registry: Registry[object] = Registry("widget", None, check=lambda n, e: None, adapt=explode)
    with pytest.raises(PluginError, match=r"^widget 'w' from your code failed to load: no database$"):
        registry.register("w", object())


def test_a_renderer_that_raises_is_reported_as_the_plugins_error(
    cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from assay.plugins import Origin

    render_module = importlib.import_module("assay.render")

    def explode(report: object) -> str:
        raise ValueError("cannot shout")

    registry = render_module.RENDERERS
    registry.load()
    monkeypatch.setitem(registry._entries, "explode", render_module._adapt("explode", explode))
    monkeypatch.setitem(registry._origins, "explode", Origin("assay-explode", "assay.renderers:explode"))
    result = cli("check", "--format", "explode")
    assert result.code == 2
    assert result.err.endswith(
        "assay: error: renderer 'explode' from assay.renderers:explode (from assay-explode) failed: "
        "ValueError: cannot shout\n"
    )


def test_every_registry_finds_its_entry_points_in_one_scan_of_the_installed_packages() -> None:
    installed_entry_points.cache_clear()
    groups = ("assay.renderers", "assay.functions", "assay.collectors", "assay.frameworks", "pytest11")
    registries: list[Registry[object]] = [Registry("widget", g, check=lambda n, e: None) for g in groups]
    for registry in registries[:-1]:
        assert registry.entries() == {}  # no plug-in package is installed in the test environment
    assert "assay" in registries[-1]  # the pytest plug-in: the scan does find installed entry points
    assert installed_entry_points.cache_info().misses == 1


# --- the quick look for assay plug-ins before importlib.metadata's full scan -----------------------


def distribution(folder: Path, name: str, entry_points: str | None) -> None:
    info = folder / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8")
    if entry_points is not None:
        (info / "entry_points.txt").write_text(entry_points, encoding="utf-8")


def quick_look(folder: Path, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(sys, "path", [str(folder)])
    # The interpreter's own finders, whatever other tests of this process left in sys.meta_path: only
    # PathFinder finds distributions. importlib_metadata (the backport, which dask.distributed imports)
    # deletes PathFinder.find_distributions for the whole process, and the quick look then rightly
    # answers "maybe": here the stdlib's is put back for the test.
    machinery = importlib.machinery
    if not hasattr(machinery.PathFinder, "find_distributions"):
        stdlib = staticmethod(metadata.MetadataPathFinder.find_distributions)
        monkeypatch.setattr(machinery.PathFinder, "find_distributions", stdlib, raising=False)
    monkeypatch.setattr(
        sys, "meta_path", [machinery.BuiltinImporter, machinery.FrozenImporter, machinery.PathFinder]
    )
    return may_have_assay_plugins()


def why_maybe(folder: Path) -> str:
    """What the quick look saw, for a failure's message."""
    from assay import plugins

    infos = sorted(os.listdir(folder))
    declared = {name: plugins._declares_assay_group(str(folder / name)) for name in infos}
    finders = [f for f in sys.meta_path if hasattr(f, "find_distributions")]
    fds = len(os.listdir("/proc/self/fd"))
    return f"finders {finders}, folder {infos}, declares {declared}, open fds {fds}"


def assay_groups(folder: Path) -> set[str]:
    """The entry-point groups importlib.metadata itself finds in ``folder`` that start with ``assay.``."""
    found = {ep.group for dist in metadata.distributions(path=[str(folder)]) for ep in dist.entry_points}
    return {group for group in found if group.startswith("assay.")}


def test_without_an_assay_group_the_full_scan_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distribution(tmp_path, "tool", "[console_scripts]\nassay = assay.cli:main\n[pytest11]\nassay = assay.x\n")
    distribution(tmp_path, "bare", None)
    distribution(tmp_path, "odd", "[ assay.renderers]\nx = y:z\n[assay]\nx = y:z\n")  # not assay.* groups
    assert assay_groups(tmp_path) == set()
    assert quick_look(tmp_path, monkeypatch) is False, why_maybe(tmp_path)
    distribution(
        tmp_path, "shout", "[console_scripts]\nx = y\n\n  [assay.renderers]  \nshout = shout:render\n"
    )
    assert assay_groups(tmp_path) == {"assay.renderers"}
    assert quick_look(tmp_path, monkeypatch) is True


def test_a_zipped_path_entry_or_an_egg_takes_the_full_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "packages.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert quick_look(tmp_path / "packages.zip", monkeypatch) is True
    (tmp_path / "eggs" / "thing-1.0.egg" / "EGG-INFO").mkdir(parents=True)
    assert quick_look(tmp_path / "eggs", monkeypatch) is True


SECTION_LINES = st.lists(
    st.sampled_from(
        [
            "[assay.functions]",
            "  [assay.renderers]  ",
            "[[assay.collectors]]",
            "[ assay.frameworks]",
            "[assay]",
            "[console_scripts]",
            "[assay.]",
            "x = y:z",
            "assay.functions = a:b",
            "# [assay.functions]",
            "",
        ]
    ),
    max_size=8,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SECTION_LINES)
def test_the_quick_look_never_misses_a_group_importlib_metadata_finds(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    folder = tmp_path_factory.mktemp("site")
    distribution(folder, "candidate", "\n".join(lines) + "\n")
    with pytest.MonkeyPatch.context() as monkeypatch:
        looked = quick_look(folder, monkeypatch)
    if assay_groups(folder):
        assert looked


def test_a_plugin_of_an_assay_group_is_still_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    distribution(tmp_path, "widgets", "[assay.widgets]\nanswer = json:dumps\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    installed_entry_points.cache_clear()
    try:
        registry: Registry[object] = Registry("widget", "assay.widgets", check=lambda n, e: None)
        assert registry.entries() == {"answer": json.dumps}
        assert str(registry.origin("answer")) == "assay.widgets:answer (from widgets)"
    finally:
        installed_entry_points.cache_clear()
