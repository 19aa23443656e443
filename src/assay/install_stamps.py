"""What a cached verdict depends on besides its input, found without importing anything.

A warm run answers from the cache without importing the validators (pydantic, jsonschema,
jsonschema-rs) or re-reading how assay decides; each cache key must still change when they change.
Installed packages are known by where they are and when their ``__init__`` and folder were written,
which changes with every install or rebuild (asking their metadata would import
``importlib.metadata`` and search every installed package); assay's own deciding modules by a digest of
their sources, so an edited checkout misses too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
from collections.abc import Iterable


def module_file(name: str) -> str | None:
    """The file of module ``name``: from ``sys.modules`` when imported, else found (its parent
    packages are imported, the module itself is not)."""
    path = getattr(sys.modules.get(name), "__file__", None)
    if path is None:
        spec = importlib.util.find_spec(name)
        path = spec.origin if spec is not None else None
    return str(path) if path is not None else None


def install_stamp(package: str) -> str:
    """Where ``package`` is installed and when its ``__init__`` and folder were written ("absent" when
    it is not installed)."""
    origin = module_file(package)
    if origin is None or not os.path.exists(origin):
        return "absent"
    return f"{origin} {[os.stat(path).st_mtime_ns for path in (origin, os.path.dirname(origin))]}"


def sources_digest(names: Iterable[str]) -> str:
    """A SHA-256 of the named modules' sources, each with its name."""
    digest = hashlib.sha256()
    for name in names:
        origin = module_file(name)
        with open(origin or os.devnull, "rb") as handle:
            digest.update(name.encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()
