"""The catalog: controls, framework requirement catalogs and the mappings between them.

:func:`assemble` builds a :class:`Catalog` from loaded files and runs the cross-reference checks
(duplicate ids, unknown controls or requirements in mappings, unmapped controls). Everything is
returned as diagnostics; :func:`load_catalog` raises :class:`LoadError` when any of them is an error.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.loader import (
    Loaded,
    Located,
    MappingSource,
    SourceRef,
    display_path,
    load_controls,
    load_mappings,
    yaml_files,
)
from assay.model import Control, Framework, Mapping, Requirement
from assay.yamlsource import DEFAULT_LIMITS, Limits, decode_utf8, read_capped


@dataclass(frozen=True)
class BuiltinPaths:
    """Where the built-in catalog and the bundled example live (inside the wheel, or the checkout)."""

    root: Path
    controls: Path
    mappings: Path
    evidence: Path
    example: Path  # the example company's waivers.yaml and scope.yaml


def builtin_paths() -> BuiltinPaths:
    """Locate the built-in catalog: packaged as ``assay/_builtin`` in a wheel, top-level in a checkout."""
    packaged = Path(__file__).resolve().parent / "_builtin"
    checkout = Path(__file__).resolve().parents[2]
    for root in (packaged, checkout):
        if (root / "controls").is_dir() and (root / "mappings").is_dir():
            return BuiltinPaths(
                root, root / "controls", root / "mappings", root / "evidence", root / "example"
            )
    raise ConfigError(f"the built-in catalog is missing: looked in {packaged} and {checkout}")


@dataclass(frozen=True)
class Catalog:
    """Controls, frameworks and mappings, checked against each other."""

    controls: tuple[Control, ...]
    frameworks: MappingABC[str, Framework]
    mappings: tuple[Mapping, ...]
    control_sources: MappingABC[str, SourceRef] = field(default_factory=dict)
    requirement_sources: MappingABC[tuple[str, str], SourceRef] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    evidence_schemas: MappingABC[str, dict[str, Any]] = field(default_factory=dict)

    def control(self, control_id: str) -> Control:
        for control in self.controls:
            if control.id == control_id:
                return control
        raise KeyError(control_id)

    def mappings_of(self, control_id: str) -> list[Mapping]:
        """The requirements a control is mapped to, across frameworks."""
        return [m for m in self.mappings if m.control == control_id]

    def controls_for(self, framework: str, requirement: str) -> list[Mapping]:
        """The controls mapped to one requirement."""
        return [m for m in self.mappings if m.framework == framework and m.requirement == requirement]


def assemble(
    controls: Loaded[Control], mapping_sources: Sequence[MappingSource]
) -> tuple[Catalog, list[Diagnostic]]:
    """Build a catalog from what the loaders produced, checking cross-references."""
    diagnostics: list[Diagnostic] = []
    accepted: dict[str, Located[Control]] = {}
    for item in controls.items:
        first = accepted.get(item.value.id)
        if first is not None:
            where = first.source.position("id")
            diagnostics.append(
                item.source.diagnostic(
                    f"duplicate control id {item.value.id!r} (first defined at {first.source.file}:"
                    f"{where.line}:{where.column})",
                    "id",
                )
            )
            continue
        accepted[item.value.id] = item

    frameworks: dict[str, Framework] = {}
    requirement_sources: dict[tuple[str, str], SourceRef] = {}
    definitions: dict[str, MappingSource] = {}
    mappings: list[Mapping] = []
    mapping_refs: list[tuple[Mapping, SourceRef, tuple[str | int, ...]]] = []

    for source in mapping_sources:
        if source.info is None:
            continue
        if source.key in definitions:
            diagnostics.append(
                source.info.source.diagnostic(
                    f"framework {source.key!r} is already defined in {definitions[source.key].document.path}",
                    "key",
                )
            )
            continue
        definitions[source.key] = source
        requirements: list[Requirement] = []
        for located in source.requirements:
            requirement = located.value
            if (source.key, requirement.id) in requirement_sources:
                diagnostics.append(
                    located.source.diagnostic(f"duplicate requirement id {requirement.id!r}", "id")
                )
                continue
            if requirement.parent is not None and (source.key, requirement.parent) not in requirement_sources:
                diagnostics.append(
                    located.source.diagnostic(
                        f"parent {requirement.parent!r} is not a requirement listed before this one",
                        "parent",
                    )
                )
            requirement_sources[(source.key, requirement.id)] = located.source
            requirements.append(requirement)
            for index, mapped in enumerate(requirement.controls):
                mapping = Mapping(
                    framework=source.key,
                    requirement=requirement.id,
                    control=mapped.control,
                    rationale=mapped.rationale,
                )
                mapping_refs.append((mapping, located.source, ("controls", index)))
        info = source.info.value
        frameworks[source.key] = Framework(
            key=info.key,
            name=info.name,
            version=info.version,
            source=info.source,
            requirements=tuple(requirements),
        )

    for source in mapping_sources:
        if source.info is not None:
            continue
        if source.key not in definitions:
            known = ", ".join(sorted(definitions)) or "none"
            diagnostics.append(
                SourceRef(source.document, (), "").diagnostic(
                    f"framework {source.key!r} is not defined by any mappings file (defined: {known})",
                    "framework",
                )
            )
            continue
        for extension in source.extensions:
            entry = extension.value
            if (source.key, entry.requirement) not in requirement_sources:
                diagnostics.append(
                    extension.source.diagnostic(
                        f"requirement {entry.requirement!r} is not in the {source.key} catalog",
                        "requirement",
                    )
                )
                continue
            for index, mapped in enumerate(entry.controls):
                mapping = Mapping(
                    framework=source.key,
                    requirement=entry.requirement,
                    control=mapped.control,
                    rationale=mapped.rationale,
                )
                mapping_refs.append((mapping, extension.source, ("controls", index)))

    seen_pairs: set[tuple[str, str, str]] = set()
    for mapping, ref, sub in mapping_refs:
        triple = (mapping.framework, mapping.requirement, mapping.control)
        if mapping.control in controls.rejected or (
            mapping.control not in accepted and not controls.complete
        ):
            continue  # the control's (or its file's) own diagnostics say what is wrong
        if mapping.control not in accepted:
            diagnostics.append(ref.diagnostic(f"unknown control {mapping.control!r}", *sub))
        elif triple in seen_pairs:
            diagnostics.append(ref.diagnostic(f"control {mapping.control!r} is mapped twice here", *sub))
        else:
            seen_pairs.add(triple)
            mappings.append(mapping)

    mapped_ids = {m.control for m in mappings}
    for control_id, item in accepted.items():
        if control_id not in mapped_ids:
            diagnostics.append(
                item.source.diagnostic(
                    "control is mapped to no framework requirement", "id", severity=Severity.WARNING
                )
            )

    files = sorted(
        {item.source.file for item in controls.items} | {source.document.path for source in mapping_sources}
    )
    catalog = Catalog(
        controls=tuple(item.value for item in accepted.values()),
        frameworks=frameworks,
        mappings=tuple(mappings),
        control_sources={cid: item.source for cid, item in accepted.items()},
        requirement_sources=requirement_sources,
        files=tuple(files),
    )
    return catalog, diagnostics


def catalog_files(directories: Iterable[Path], root: Path | None = None) -> list[tuple[Path, str]]:
    """Every YAML file under the given directories (or the files themselves), with the path to show."""
    found: list[tuple[Path, str]] = []
    for directory in directories:
        if directory.is_file():
            found.append((directory, display_path(directory, root)))
        elif directory.is_dir():
            found.extend((file, display_path(file, root)) for file in yaml_files(directory))
        else:
            raise ConfigError(f"{directory}: no such file or directory")
    return found


def read_catalog(
    controls: Iterable[Path] | None = None,
    mappings: Iterable[Path] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Catalog, list[Diagnostic]]:
    """Load a catalog and return it with every diagnostic (the catalog holds what could be loaded).

    ``None`` means the built-in controls or mappings.
    """
    root: Path | None = None
    if controls is None or mappings is None:
        builtin = builtin_paths()
        root = builtin.root
        controls = [builtin.controls] if controls is None else controls
        mappings = [builtin.mappings] if mappings is None else mappings
    controls = list(controls)
    loaded = load_controls(catalog_files(controls, root), limits)
    sources, mapping_diagnostics = load_mappings(catalog_files(mappings, root), limits)
    catalog, cross = assemble(loaded, sources)
    schemas, schema_diagnostics = load_evidence_schemas(controls, root)
    catalog = dataclasses.replace(catalog, evidence_schemas=schemas)
    return catalog, [*loaded.diagnostics, *mapping_diagnostics, *cross, *schema_diagnostics]


SCHEMA_SUFFIX = ".schema.json"


def load_evidence_schemas(
    directories: Iterable[Path], root: Path | None = None
) -> tuple[dict[str, dict[str, Any]], list[Diagnostic]]:
    """JSON Schemas for evidence shapes: ``<evidence name>.schema.json`` files beside the controls.

    A control whose evidence does not match its schema gives ``error`` instead of a silent pass.
    """
    schemas: dict[str, dict[str, Any]] = {}
    diagnostics: list[Diagnostic] = []
    for directory in directories:
        if not directory.is_dir():
            continue
        for file in sorted(directory.rglob(f"*{SCHEMA_SUFFIX}")):
            shown = display_path(file, root)
            name = file.name.removesuffix(SCHEMA_SUFFIX)
            try:
                schema = json.loads(decode_utf8(read_capped(file, 1024 * 1024, shown), shown))
                jsonschema.Draft202012Validator.check_schema(schema)
            except LoadError as exc:
                diagnostics.extend(exc.diagnostics)
                continue
            except json.JSONDecodeError as exc:
                diagnostics.append(
                    Diagnostic(shown, exc.lineno, exc.colno, Severity.ERROR, f"invalid JSON: {exc.msg}")
                )
                continue
            except jsonschema.SchemaError as exc:
                diagnostics.append(
                    Diagnostic(shown, 1, 1, Severity.ERROR, f"not a valid JSON Schema: {exc.message}")
                )
                continue
            schemas[name] = schema
    return schemas, diagnostics


def load_catalog(
    controls: Iterable[Path] | None = None,
    mappings: Iterable[Path] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Catalog:
    """Load and check a catalog, raising :class:`LoadError` if anything is an error."""
    catalog, diagnostics = read_catalog(controls, mappings, limits=limits)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    return catalog


def builtin_catalog() -> Catalog:
    """The catalog shipped with assay: its controls and the five framework mappings."""
    return load_catalog()
