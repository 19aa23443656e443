"""Everything a project names, loaded and checked in one call: catalog, policies and evidence.

``None`` for the evidence means the bundled example company, whose waivers, scope and parameters
files come with it unless the project names its own.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from assay.attestations import check_attestations
from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.evidence import EVIDENCE_LIMITS, InMemoryEvidence, Pruning, load_evidence_dir
from assay.lean_dataclasses import frozen
from assay.loading.builtin import builtin_paths
from assay.loading.catalog import BuiltinSelection, Catalog, read_catalog
from assay.loading.documents import display_path
from assay.loading.policies import (
    check_parameters,
    check_scope,
    load_parameters,
    load_scope,
    load_waivers,
)
from assay.model import ScopeEntry, Waiver
from assay.project import Project, resolve_project

PolicyFiles = dict[str, Path | None]
# What a catalog's rules read of each evidence name (assay.cel.readpaths.evidence_read_paths, given by
# the layers above CEL): for ``assay check``, which evaluates pruned evidence.
ReadPathsOf = Callable[[Catalog], Mapping[str, Any]]


@frozen
class LoadedProject:
    """A project's resolved configuration with what it names, loaded: what one run needs."""

    config: Project
    catalog: Catalog
    evidence: InMemoryEvidence | None
    waivers: tuple[Waiver, ...] = ()
    scope: tuple[ScopeEntry, ...] = ()
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    evidence_root: Path | None = None
    files: PolicyFiles = field(default_factory=dict)  # the waivers, scope and parameters files read
    evidence_shown: str = ""  # how evidence paths start in reports: f"{evidence_shown}/{relative path}"

    @property
    def waivers_file(self) -> Path | None:
        return self.files.get("waivers")

    @property
    def scope_file(self) -> Path | None:
        return self.files.get("scope")

    @property
    def parameters_file(self) -> Path | None:
        return self.files.get("parameters")

    def require_evidence(self) -> InMemoryEvidence:
        if self.evidence is None:
            raise ConfigError("this project was loaded without its evidence")
        return self.evidence


def load_project(
    path: Path | None = None,
    *,
    project: Project | None = None,
    evidence: bool = True,
    catalog: Catalog | None = None,
    read_paths: ReadPathsOf | None = None,
) -> LoadedProject:
    """Resolve the project at ``path`` (or take ``project``) and load its catalog, policies and evidence.

    Raises :class:`LoadError` with every diagnostic when anything is wrong, and :class:`ConfigError`
    for a missing file. ``evidence=False`` skips the evidence (lint, test); ``catalog`` reuses one.
    With ``read_paths``, large evidence keeps only what the catalog's rules read (see
    :func:`pruning_for`): for a run that only evaluates, never for one that writes evidence out.
    """
    config = project or resolve_project(config=path)
    if catalog is None:
        catalog = load_project_catalog(config)
    files = _policy_files(config)
    shown = _shower(config)
    diagnostics: list[Diagnostic] = []
    waivers, scope, parameters = _load_policies(files, shown, catalog, diagnostics)
    if any(d.severity is Severity.ERROR for d in diagnostics):
        raise LoadError(diagnostics)
    store, root, shown_root = None, None, ""
    if evidence:
        root = config.evidence or builtin_paths().evidence
        shown_root = shown(root).rstrip("/")
        limits = dataclasses.replace(EVIDENCE_LIMITS, max_bytes=config.max_evidence_bytes)
        pruning = pruning_for(config, catalog, waivers, read_paths) if read_paths is not None else None
        store = load_evidence_dir(root, shown_root=shown_root, limits=limits, pruning=pruning)
        errors = check_attestations(catalog, _evidence_files(store, root, shown_root))
        if errors:
            raise LoadError(errors)
    return LoadedProject(config, catalog, store, waivers, scope, parameters, root, files, shown_root)


def pruning_for(
    config: Project, catalog: Catalog, waivers: tuple[Waiver, ...], read_paths: ReadPathsOf
) -> Pruning | None:
    """How evidence is pruned for evaluating ``catalog``; None when it is not.

    Only the native backend evaluates pruned evidence. The run's notices look for the resources that
    waivers name in every string of their controls' evidence: what those documents show of them is
    kept with them (:class:`assay.evidence_prune.Sightings`).
    """
    if config.backend != "native":
        return None
    waived = {waiver.control for waiver in waivers if waiver.resources}
    watched = frozenset(r.name for c in catalog.controls if c.id in waived for r in c.evidence)
    resources = frozenset(resource for waiver in waivers for resource in waiver.resources or ())
    return Pruning(
        functools.cache(lambda: read_paths(catalog)),
        catalog.evidence_schemas,
        watched=watched,
        resources=resources,
    )


def _evidence_files(
    store: InMemoryEvidence, root: Path, shown_root: str
) -> Callable[[str], tuple[Any, str | None, Path | None] | None]:
    """An evidence name's data, shown path and file, for the checks that point into evidence files."""

    def found(name: str) -> tuple[Any, str | None, Path | None] | None:
        item = store.get(name)
        if item is None:
            return None
        prefix = f"{shown_root}/"
        file = root / item.path[len(prefix) :] if item.path and item.path.startswith(prefix) else None
        return item.data, item.path, file

    return found


def read_project_catalog(config: Project) -> tuple[Catalog, list[Diagnostic]]:
    """The project's catalog with every diagnostic (for lint); a bad ``builtin_controls`` is one of them."""
    selection: BuiltinSelection | None = config.builtin_controls  # type: ignore[assignment]
    try:
        return read_catalog(config.controls, [*config.catalogs, *config.mappings], builtin_controls=selection)
    except ConfigError as exc:
        position = config.position("builtin_controls")
        if position is None:  # not set in a config file: the message names the option or variable
            raise
        file, line, column = position
        diagnostic = Diagnostic(file, line, column, Severity.ERROR, str(exc), "builtin_controls")
        raise LoadError([diagnostic]) from None


def load_project_catalog(config: Project) -> Catalog:
    """The project's catalog, raising :class:`LoadError` when anything in it is an error."""
    catalog, diagnostics = read_project_catalog(config)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    return catalog


def _policy_files(config: Project) -> PolicyFiles:
    """The waivers, scope and parameters files: the project's, else the example's with its evidence."""
    files: PolicyFiles = {"waivers": config.waivers, "scope": config.scope, "parameters": config.parameters}
    if config.evidence is None:
        example = builtin_paths().example
        for kind in files:
            if files[kind] is None and (example / f"{kind}.yaml").is_file():
                files[kind] = example / f"{kind}.yaml"
    for kind, path in files.items():
        if path is not None and not path.is_file():
            raise ConfigError(f"{kind} file {path}: no such file")
    return files


def _shower(config: Project) -> Callable[[Path], str]:
    """Paths inside the bundled example are shown relative to the package; others as usual."""
    builtin = builtin_paths()
    example = config.evidence is None

    def shown(path: Path) -> str:
        inside = path.resolve().is_relative_to(builtin.root.resolve())
        return display_path(path, builtin.root if example and inside else None)

    return shown


def _load_policies(
    files: PolicyFiles, shown: Callable[[Path], str], catalog: Catalog, diagnostics: list[Diagnostic]
) -> tuple[tuple[Waiver, ...], tuple[ScopeEntry, ...], dict[str, dict[str, Any]]]:
    waivers: list[Waiver] = []
    scope: list[ScopeEntry] = []
    parameters: dict[str, dict[str, Any]] = {}
    if (path := files["waivers"]) is not None:
        loaded_waivers = load_waivers(path, shown(path))
        diagnostics.extend(loaded_waivers.diagnostics)
        waivers = [item.value for item in loaded_waivers.items]
    if (path := files["scope"]) is not None:
        loaded_scope = load_scope(path, shown(path))
        diagnostics.extend(loaded_scope.diagnostics)
        diagnostics.extend(check_scope(loaded_scope.items, catalog))
        scope = [item.value for item in loaded_scope.items]
    if (path := files["parameters"]) is not None:
        loaded_parameters = load_parameters(path, shown(path))
        diagnostics.extend(loaded_parameters.diagnostics)
        diagnostics.extend(check_parameters(loaded_parameters, catalog))
        parameters = loaded_parameters.values
    return tuple(waivers), tuple(scope), parameters
