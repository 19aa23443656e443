"""Everything one evaluation reads, loaded in one call: the CLI and the pytest plugin share it.

``None`` for a path means the built-in default: the built-in controls and mappings, and for the
evidence the bundled example company, whose waivers and scope files come with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assay.catalog import Catalog, builtin_paths, load_catalog
from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.evidence import EVIDENCE_LIMITS, InMemoryEvidence, load_evidence_dir
from assay.lint import check_parameters
from assay.loader import display_path, load_parameters, load_scope, load_waivers
from assay.model import ScopeEntry, Waiver


@dataclass(frozen=True)
class Inputs:
    catalog: Catalog
    evidence: InMemoryEvidence
    waivers: tuple[Waiver, ...]
    scope: tuple[ScopeEntry, ...]
    evidence_root: Path
    waivers_file: Path | None
    scope_file: Path | None
    # How evidence paths start in reports: an item's path is f"{evidence_shown}/{relative path}".
    evidence_shown: str = ""
    # Per control id, the company's values for the control's parameters (the parameters file).
    parameters: Mapping[str, Mapping[str, Any]] = dataclasses.field(default_factory=dict)
    parameters_file: Path | None = None


def load_inputs(
    *,
    controls: Sequence[Path] | None = None,
    mappings: Sequence[Path] | None = None,
    evidence: Path | None = None,
    waivers: Path | None = None,
    scope: Path | None = None,
    max_evidence_bytes: int = EVIDENCE_LIMITS.max_bytes,
    catalog: Catalog | None = None,
    parameters: Path | None = None,
) -> Inputs:
    """Load and check every input, raising :class:`LoadError` with all diagnostics on any error.

    ``catalog``, when given, is used instead of loading ``controls`` and ``mappings`` again.
    """
    builtin = builtin_paths()
    example = evidence is None  # the bundled example: shown relative to the package, with its own policy
    if evidence is None:
        evidence = builtin.evidence
        waivers = waivers if waivers is not None else _existing(builtin.example / "waivers.yaml")
        scope = scope if scope is not None else _existing(builtin.example / "scope.yaml")
        parameters = parameters if parameters is not None else _existing(builtin.example / "parameters.yaml")
    for option, path in (("waivers", waivers), ("scope", scope), ("parameters", parameters)):
        if path is not None and not path.is_file():
            raise ConfigError(f"{option} file {path}: no such file")
    if catalog is None:
        catalog = load_catalog(controls, mappings)

    def shown(path: Path) -> str:
        return display_path(path, builtin.root if example and _inside(path, builtin.root) else None)

    diagnostics: list[Diagnostic] = []
    waiver_records: list[Waiver] = []
    scope_records: list[ScopeEntry] = []
    if waivers is not None:
        loaded_waivers = load_waivers(waivers, shown(waivers))
        diagnostics.extend(loaded_waivers.diagnostics)
        waiver_records = [item.value for item in loaded_waivers.items]
    if scope is not None:
        loaded_scope = load_scope(scope, shown(scope))
        diagnostics.extend(loaded_scope.diagnostics)
        scope_records = [item.value for item in loaded_scope.items]
    parameter_values: dict[str, dict[str, Any]] = {}
    if parameters is not None:
        loaded_parameters = load_parameters(parameters, shown(parameters))
        diagnostics.extend(loaded_parameters.diagnostics)
        diagnostics.extend(check_parameters(loaded_parameters, catalog))
        parameter_values = loaded_parameters.values
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise LoadError(diagnostics)
    limits = dataclasses.replace(EVIDENCE_LIMITS, max_bytes=max_evidence_bytes)
    shown_root = shown(evidence).rstrip("/")
    store = load_evidence_dir(evidence, shown_root=shown_root, limits=limits)
    return Inputs(
        catalog,
        store,
        tuple(waiver_records),
        tuple(scope_records),
        evidence,
        waivers,
        scope,
        shown_root,
        parameter_values,
        parameters,
    )


def _existing(path: Path) -> Path | None:
    return path if path.is_file() else None


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())
