"""Where the built-in catalog and the bundled example live: inside the wheel, or the checkout."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from assay.errors import ConfigError


@dataclass(frozen=True)
class BuiltinPaths:
    """The folders of the built-in catalog and of the bundled example company."""

    root: Path
    controls: Path
    frameworks: Path
    mappings: Path
    evidence: Path
    example: Path  # the example company's waivers, scope, parameters and trust page config


@cache
def builtin_paths() -> BuiltinPaths:
    """Locate the built-in catalog: packaged as ``assay/_builtin`` in a wheel, top-level in a checkout."""
    here = Path(__file__).resolve().parents[1]
    packaged = here / "_builtin"
    checkout = here.parents[1]
    for root in (packaged, checkout):
        if all((root / part).is_dir() for part in ("controls", "frameworks", "mappings")):
            return BuiltinPaths(
                root,
                root / "controls",
                root / "frameworks",
                root / "mappings",
                root / "evidence",
                root / "example",
            )
    raise ConfigError(f"the built-in catalog is missing: looked in {packaged} and {checkout}")
