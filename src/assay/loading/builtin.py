"""Where the built-in catalog and the bundled example live: inside the wheel, or the checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from assay.errors import ConfigError
from assay.lean_dataclasses import frozen
from assay.plugins import PluginError, Registry


@frozen
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


# --- framework catalogs, by key: the built-in ones and those other packages publish -------------------


def _catalog_path(name: str, entry: object) -> Path:
    """A framework plug-in's entry as a catalog file: a path, or a function returning one."""
    value = entry() if callable(entry) else entry
    if not isinstance(value, str | Path):
        raise PluginError(f"gave {type(value).__name__}, not the path of a framework catalog file")
    return Path(value)


def _check_catalog(name: str, path: Path) -> str | None:
    if path.suffix not in (".yaml", ".yml"):
        return f"points at {path}, which is not a YAML framework catalog"
    if not path.is_file():
        return f"points at {path}, which does not exist"
    return None


def _builtin_catalogs() -> list[tuple[str, Path]]:
    return [(path.stem, path) for path in sorted(builtin_paths().frameworks.glob("*.yaml"))]


FRAMEWORKS: Registry[Path] = Registry(
    "framework catalog",
    "assay.frameworks",
    check=_check_catalog,
    adapt=_catalog_path,
    builtins=_builtin_catalogs,
)
"""Framework catalogs by key: assay's five, and those of the ``assay.frameworks`` entry points."""
