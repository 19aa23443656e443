"""assay's pytest entry point (``pytest11: assay``): options, markers and fixtures, nothing until enabled.

pytest imports this module in every run of every project that has assay installed, so it imports only
pytest and the standard library (a test keeps it that way). It cannot live inside the ``assay`` package:
importing ``assay.anything`` runs ``assay/__init__.py``, which imports the whole library (about half a
second). Hypothesis ships its plugin the same way, as ``_hypothesis_pytestplugin``.

The plugin is enabled by ``--assay`` (or any other ``--assay-*`` option), by an ``assay.toml`` beside
pytest's config, or by a ``[tool.assay]`` table in the project's ``pyproject.toml``; only then does pytest
import and register :mod:`assay.pytest_plugin`, which does the work. It is named here as a string, never
imported, so the two modules do not import each other. ``-p no:assay`` turns the plugin off completely.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from datetime import datetime

    from assay.evidence import InMemoryEvidence
    from assay.loading.catalog import Catalog

# Registered in every run, so test modules using them pass --strict-markers with assay disabled too.
FRAMEWORK_MARKERS = {
    "soc2": "SOC 2",
    "iso27001": "ISO/IEC 27001",
    "hipaa": "HIPAA",
    "pci-dss": "PCI DSS",
    "gdpr": "GDPR",
}
SEVERITIES = ("low", "medium", "high", "critical")

#: Where the enabled plugin keeps its state (an ``assay.pytest_plugin.AssayState``).
STATE: pytest.StashKey[Any] = pytest.StashKey()

NOT_ENABLED = "assay is not enabled: run pytest --assay, or add a [tool.assay] table to pyproject.toml"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("assay", "assay compliance controls")
    group.addoption(
        "--assay",
        action="store_true",
        default=False,
        help="collect and evaluate the assay controls (also enabled by [tool.assay] in pyproject.toml)",
    )
    group.addoption(
        "--assay-strict",
        action="store_true",
        default=False,
        help="fail controls that are not_assessed (missing or stale evidence) instead of skipping them",
    )
    group.addoption(
        "--assay-report",
        metavar="PATH",
        default=None,
        help="write the gap report of the run here (the report `assay check` writes)",
    )
    group.addoption(
        "--assay-report-format",
        metavar="FORMAT",
        default=None,
        help="format of --assay-report: json, markdown, html, junit, sarif, csv, terminal "
        "(default: from the file extension)",
    )
    group.addoption(
        "--assay-now",
        metavar="TIMESTAMP",
        default=None,
        help="evaluation time, ISO 8601 (default: [tool.assay] now, the evidence snapshot, or the clock)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for key, name in FRAMEWORK_MARKERS.items():
        config.addinivalue_line("markers", f"{key}: assay controls and Python checks mapped to {name}")
    for severity in SEVERITIES:
        config.addinivalue_line("markers", f"severity_{severity}: assay controls of {severity} severity")
    config.addinivalue_line("markers", "assay: assay controls, their embedded test cases and Python checks")
    config.addinivalue_line(
        "markers",
        "assay_control(control_id): this test is the Python check of the assay control with that id "
        "(a control declared with 'check: python')",
    )
    if _asked(config) or project_file(config) is not None:
        # By name, not an import statement: this module stays free of assay, and the two modules do
        # not import each other. Registering runs the plug-in's own pytest_configure.
        plugin = importlib.import_module("assay.pytest_plugin")
        if not config.pluginmanager.is_registered(plugin):
            config.pluginmanager.register(plugin, "assay-plugin")


def project_file(config: pytest.Config) -> Path | None:
    """The project's assay config, as ``assay check`` finds it from where pytest was started.

    The nearest ``assay.toml`` (or ``pyproject.toml`` with ``[tool.assay]``) in the invocation folder or
    above it, up to pytest's rootdir; then pytest's own pyproject.toml.
    """
    start = config.invocation_params.dir.resolve()
    root = config.rootpath.resolve()
    folders = [start]
    if start.is_relative_to(root):
        folders += [f for f in start.parents if f.is_relative_to(root)]
    elif root not in folders:
        folders.append(root)
    candidates = [folder / name for folder in folders for name in ("assay.toml", "pyproject.toml")]
    if config.inipath is not None and config.inipath.name == "pyproject.toml":
        candidates.append(config.inipath)
    for candidate in candidates:
        if candidate.is_file() and (candidate.name == "assay.toml" or _has_assay_table(candidate)):
            return candidate
    return None


def _asked(config: pytest.Config) -> bool:
    option = config.option
    return bool(
        option.assay
        or option.assay_strict
        or option.assay_report
        or option.assay_report_format
        or option.assay_now
    )


def _has_assay_table(pyproject: Path) -> bool:
    try:
        raw = pyproject.read_bytes()
    except OSError:
        return False
    if b"assay" not in raw:  # the common case, without parsing
        return False
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    tool = data.get("tool")
    return isinstance(tool, dict) and "assay" in tool


def _state(config: pytest.Config) -> Any:
    state = config.stash.get(STATE, None)
    if state is None:
        pytest.skip(NOT_ENABLED)
    return state


@pytest.fixture(scope="session")
def assay_catalog(request: pytest.FixtureRequest) -> Catalog:
    """The catalog the run checks (controls, frameworks, mappings)."""
    return _state(request.config).catalog_for_fixture()  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def assay_evidence(request: pytest.FixtureRequest) -> InMemoryEvidence:
    """The loaded evidence store: ``assay_evidence.get("aws.iam.users").data`` is the parsed export."""
    return _state(request.config).loaded_for_fixture().evidence  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def assay_now(request: pytest.FixtureRequest) -> datetime:
    """The evaluation time of the run (the ``now`` of every CEL rule)."""
    return _state(request.config).now_for_fixture()  # type: ignore[no-any-return]
