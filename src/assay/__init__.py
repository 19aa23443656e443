"""assay: compliance as code.

Security claims become controls declared as data, mapped to SOC 2, ISO/IEC 27001:2022, HIPAA,
PCI DSS v4.0.1 and GDPR, and checked against evidence files with CEL rules.

Everything listed in ``__all__`` is the supported public API; a test keeps the list honest.
"""

from assay._version import __version__
from assay.catalog import Catalog, builtin_catalog, builtin_paths, load_catalog
from assay.errors import AssayError, Diagnostic, LoadError, Severity
from assay.lint import lint
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

__all__ = [
    "AssayError",
    "Catalog",
    "Control",
    "ControlStatus",
    "Diagnostic",
    "EvidenceRequirement",
    "Framework",
    "LoadError",
    "Mapping",
    "Requirement",
    "Rule",
    "ScopeEntry",
    "Severity",
    "TestCase",
    "Waiver",
    "__version__",
    "builtin_catalog",
    "builtin_paths",
    "lint",
    "load_catalog",
]
