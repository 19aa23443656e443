"""assay: compliance as code.

Security claims become controls declared as data, mapped to SOC 2, ISO/IEC 27001:2022, HIPAA,
PCI DSS v4.0.1 and GDPR, and checked against evidence files with CEL rules.

Everything listed in ``__all__`` is the supported public API; a test keeps the list honest.

``import assay`` loads nothing but this file and the version: each public name is imported from its
module the first time it is read (module ``__getattr__``), so a command, a pytest run or an editor
that needs one corner of the library does not pay for the engine, the CEL compiler, the renderers or
cryptography. ``from assay import X`` works as before; mypy sees the real imports below.

Two public names are also submodules: ``assay.render`` and ``assay.lint`` are the functions, as they
always were, even after ``import assay.render.html_page`` (the import system sets the submodule as an
attribute of its package; the module's class below keeps the function in its place).
"""

import importlib
import sys
import types
import typing

from assay._version import __version__

if typing.TYPE_CHECKING:
    from assay.engine import Engine, evaluate
    from assay.errors import AssayError, CelError, ConfigError, Diagnostic, LoadError, Severity
    from assay.evidence import EvidenceItem, EvidenceStore, InMemoryEvidence, load_evidence_dir
    from assay.gaps import Report, build_report
    from assay.lint import lint
    from assay.loaded_project import LoadedProject, load_project
    from assay.loading.builtin import builtin_paths
    from assay.loading.catalog import Catalog, builtin_catalog, load_catalog
    from assay.loading.policies import load_parameters, load_scope, load_waivers
    from assay.model import (
        Control,
        ControlStatus,
        EvidenceRequirement,
        Framework,
        Mapping,
        Requirement,
        Rule,
        ScopeEntry,
        TestCase,
        Waiver,
    )
    from assay.pipeline import Outcome, run
    from assay.plugins import PluginError, Registry
    from assay.project import Project, resolve_project
    from assay.render import render
    from assay.results import ControlResult, Finding, RunResult

__all__ = [
    "AssayError",
    "Catalog",
    "CelError",
    "ConfigError",
    "Control",
    "ControlResult",
    "ControlStatus",
    "Diagnostic",
    "Engine",
    "EvidenceItem",
    "EvidenceRequirement",
    "EvidenceStore",
    "Finding",
    "Framework",
    "InMemoryEvidence",
    "LoadError",
    "LoadedProject",
    "Mapping",
    "Outcome",
    "PluginError",
    "Project",
    "Registry",
    "Report",
    "Requirement",
    "Rule",
    "RunResult",
    "ScopeEntry",
    "Severity",
    "TestCase",
    "Waiver",
    "__version__",
    "build_report",
    "builtin_catalog",
    "builtin_paths",
    "evaluate",
    "lint",
    "load_catalog",
    "load_evidence_dir",
    "load_parameters",
    "load_project",
    "load_scope",
    "load_waivers",
    "render",
    "resolve_project",
    "run",
]

# Where each public name lives: read on first use by __getattr__.
_HOMES: dict[str, str] = {
    "AssayError": "assay.errors",
    "Catalog": "assay.loading.catalog",
    "CelError": "assay.errors",
    "ConfigError": "assay.errors",
    "Control": "assay.model",
    "ControlResult": "assay.results",
    "ControlStatus": "assay.model",
    "Diagnostic": "assay.errors",
    "Engine": "assay.engine",
    "EvidenceItem": "assay.evidence",
    "EvidenceRequirement": "assay.model",
    "EvidenceStore": "assay.evidence",
    "Finding": "assay.results",
    "Framework": "assay.model",
    "InMemoryEvidence": "assay.evidence",
    "LoadError": "assay.errors",
    "LoadedProject": "assay.loaded_project",
    "Mapping": "assay.model",
    "Outcome": "assay.pipeline",
    "PluginError": "assay.plugins",
    "Project": "assay.project",
    "Registry": "assay.plugins",
    "Report": "assay.gaps",
    "Requirement": "assay.model",
    "Rule": "assay.model",
    "RunResult": "assay.results",
    "ScopeEntry": "assay.model",
    "Severity": "assay.errors",
    "TestCase": "assay.model",
    "Waiver": "assay.model",
    "build_report": "assay.gaps",
    "builtin_catalog": "assay.loading.catalog",
    "builtin_paths": "assay.loading.builtin",
    "evaluate": "assay.engine",
    "lint": "assay.lint",
    "load_catalog": "assay.loading.catalog",
    "load_evidence_dir": "assay.evidence",
    "load_parameters": "assay.loading.policies",
    "load_project": "assay.loaded_project",
    "load_scope": "assay.loading.policies",
    "load_waivers": "assay.loading.policies",
    "render": "assay.render",
    "resolve_project": "assay.project",
    "run": "assay.pipeline",
}
# Public names that are also submodules of this package (see the docstring).
_SHADOWED = ("lint", "render")


def _load(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'assay' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    if name not in _SHADOWED:
        globals()[name] = value  # the next read is a plain attribute, with no call
    return value


def __getattr__(name: str) -> object:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


def _shadowed(name: str) -> property:
    """A name that the function keeps, whatever the import system assigns to it."""
    return property(lambda _module: _load(name), lambda _module, _submodule: None)


class _Package(types.ModuleType):
    lint = _shadowed("lint")
    render = _shadowed("render")


sys.modules[__name__].__class__ = _Package
