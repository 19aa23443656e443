"""assay: compliance as code.

Security claims become controls declared as data, mapped to SOC 2, ISO/IEC 27001:2022, HIPAA,
PCI DSS v4.0.1 and GDPR, and checked against evidence files with CEL rules.

Everything listed in ``__all__`` is the supported public API; a test keeps the list honest.
"""

from assay._version import __version__
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
