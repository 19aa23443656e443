"""Public names of a package imported from their modules when first read (PEP 562).

A package that re-exports names from heavy modules (:mod:`assay.pack`'s archive and signing,
:mod:`assay.redact`'s whole-file parsers) would load them all with the package. Instead its
``__getattr__`` hands the name to :func:`import_on_first_read`, which imports the module the name
lives in, keeps the value in the package's namespace (so the next read is a plain lookup) and
refuses any other name as Python would.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any


def import_on_first_read(package: str, namespace: dict[str, Any], homes: Mapping[str, str], name: str) -> Any:
    """The value of ``name`` for ``package`` (whose globals are ``namespace``), from the module
    ``homes`` names for it (a full module name); AttributeError for a name it does not list."""
    home = homes.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    namespace[name] = value
    return value
