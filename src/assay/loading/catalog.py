"""The catalog: controls, framework requirement catalogs and the mappings between them.

:func:`assemble` builds a :class:`Catalog` from loaded files and runs the cross-reference checks
(duplicate ids, mappings to unknown frameworks, requirements or controls, unmapped controls).
Everything is returned as diagnostics; :func:`load_catalog` raises :class:`LoadError` when any of
them is an error. The built-in framework catalogs are always part of a catalog; built-in controls
are chosen with a :data:`BuiltinSelection`, and built-in mappings of controls that are not loaded are
dropped without a word, since leaving a built-in control out is a choice, not a mistake.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as MappingABC
from dataclasses import field
from pathlib import Path
from typing import Any, Literal

from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.lean_dataclasses import frozen
from assay.loading.builtin import FRAMEWORKS, builtin_paths
from assay.loading.controls import load_controls, load_evidence_schemas
from assay.loading.documents import Loaded, Located, SourceRef, display_path, displayed_under, yaml_entries
from assay.loading.frameworks import (
    FrameworkDocuments,
    FrameworkSource,
    MappingSource,
    load_framework_documents,
)
from assay.model import Control, Framework, Mapping, Requirement
from assay.suggest import did_you_mean
from assay.yamlsource import DEFAULT_LIMITS, Limits

BuiltinSelection = Literal["all", "none"] | tuple[str, ...]
"""Which built-in controls a catalog uses: all, none, or those with the listed ids or domains."""


@frozen
class Catalog:
    """Controls, frameworks and mappings, checked against each other."""

    controls: tuple[Control, ...]
    frameworks: MappingABC[str, Framework]
    mappings: tuple[Mapping, ...]
    control_sources: MappingABC[str, SourceRef] = field(default_factory=dict)
    requirement_sources: MappingABC[tuple[str, str], SourceRef] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    evidence_schemas: MappingABC[str, dict[str, Any]] = field(default_factory=dict)
    # Evidence names whose schema applies only to some controls (the built-in schemas apply only to the
    # built-in controls that read that evidence); a name not listed here applies to every control.
    schema_controls: MappingABC[str, frozenset[str]] = field(default_factory=dict)
    builtin_controls: frozenset[str] = frozenset()  # ids of the loaded controls that came with assay
    # ids of every built-in control, loaded or not: files written for the whole built-in catalog (the
    # example's parameters) may name one that a project left out, and that is no mistake
    all_builtin_ids: frozenset[str] = frozenset()

    def control(self, control_id: str) -> Control:
        return self._controls_by_id[control_id]  # KeyError for an unknown id

    def requirement(self, framework: str, requirement_id: str) -> Requirement:
        for requirement in self.frameworks[framework].requirements:
            if requirement.id == requirement_id:
                return requirement
        raise KeyError(f"{framework}:{requirement_id}")

    def mappings_of(self, control_id: str) -> list[Mapping]:
        """The requirements a control is mapped to, across frameworks."""
        return list(self._mappings_by_control.get(control_id, ()))

    # A report asks for each control and its mappings several times (800 and 75 lookups for the
    # example): indexes built on first use, instead of a walk over every control or mapping each time.
    @functools.cached_property
    def _controls_by_id(self) -> dict[str, Control]:
        found: dict[str, Control] = {}
        for control in self.controls:
            found.setdefault(control.id, control)  # the first, as the walk this replaces found it
        return found

    @functools.cached_property
    def _mappings_by_control(self) -> dict[str, list[Mapping]]:
        found: dict[str, list[Mapping]] = {}
        for mapping in self.mappings:
            found.setdefault(mapping.control, []).append(mapping)
        return found

    def controls_for(self, framework: str, requirement: str) -> list[Mapping]:
        """The controls mapped to one requirement."""
        return [m for m in self.mappings if m.framework == framework and m.requirement == requirement]

    def schema_applies(self, evidence_name: str, control_id: str) -> bool:
        """Whether the evidence schema for ``evidence_name`` judges what ``control_id`` reads."""
        if evidence_name not in self.evidence_schemas:
            return False
        owners = self.schema_controls.get(evidence_name)
        return owners is None or control_id in owners

    def select(self, selectors: Iterable[str]) -> list[str]:
        """The ids of the controls named, or mapped to the requirements named (``CC6.1``, ``Art.32``).

        Raises :class:`ConfigError` with a "did you mean" for a name that is neither.
        """
        ids = {control.id for control in self.controls}
        requirements = self.requirement_ids()
        chosen: set[str] = set()
        for selector in selectors:
            if selector in ids:
                chosen.add(selector)
            elif selector in requirements:
                family = self.requirement_family(requirements[selector], selector)
                chosen.update(m.control for m in self.mappings if m.requirement in family)
            else:
                hint = did_you_mean(selector, ids | set(requirements))
                raise ConfigError(f"{selector!r} is neither a control id nor a requirement id{hint}")
        return [control.id for control in self.controls if control.id in chosen]

    def requirement_family(self, framework: str, requirement: str) -> set[str]:
        """A requirement and everything under it (``Art.32`` -> ``Art.32(1)(a)`` ...)."""
        children: dict[str, list[str]] = {}
        for r in self.frameworks[framework].requirements:
            if r.parent is not None:
                children.setdefault(r.parent, []).append(r.id)
        family, stack = set(), [requirement]
        while stack:
            current = stack.pop()
            family.add(current)
            stack.extend(children.get(current, ()))
        return family

    def requirement_ids(self) -> dict[str, str]:
        """Every requirement id of every framework, with its framework key (``CC6.1`` -> ``soc2``)."""
        return {r.id: key for key, fw in self.frameworks.items() for r in fw.requirements}


# --- assembling --------------------------------------------------------------------------------------


def assemble(
    controls: Loaded[Control], documents: FrameworkDocuments, builtin_ids: frozenset[str] = frozenset()
) -> tuple[Catalog, list[Diagnostic]]:
    """Build a catalog from what the loaders produced, checking cross-references.

    Built-in mappings apply only to the built-in controls loaded (``builtin_ids``): a company's own
    control that happens to share an id with a built-in one is not mapped by assay's files.
    """
    diagnostics: list[Diagnostic] = []
    accepted = _unique_controls(controls, diagnostics)
    frameworks, requirement_sources = _frameworks(documents.frameworks, diagnostics)
    mappings: list[Mapping] = []
    seen: dict[tuple[str, str, str], tuple[SourceRef, int]] = {}  # each mapping's entry and index
    for source in documents.mappings:
        usable = {cid: item for cid, item in accepted.items() if not source.builtin or cid in builtin_ids}
        _map(
            source,
            frameworks=frameworks,
            accepted=usable,
            controls=controls,
            seen=seen,
            mappings=mappings,
            diagnostics=diagnostics,
        )
    diagnostics += _superseded_without_successor(frameworks, seen)
    mapped_ids = {m.control for m in mappings}
    for control_id, item in accepted.items():
        if control_id not in mapped_ids:
            diagnostics.append(
                item.source.diagnostic(
                    "control is mapped to no framework requirement", "id", severity=Severity.WARNING
                )
            )
    files = {item.source.file for item in controls.items}
    files |= {source.document.path for source in documents.frameworks}
    files |= {source.document.path for source in documents.mappings}
    catalog = Catalog(
        controls=tuple(item.value for item in accepted.values()),
        frameworks=frameworks,
        mappings=tuple(mappings),
        control_sources={cid: item.source for cid, item in accepted.items()},
        requirement_sources=requirement_sources,
        files=tuple(sorted(files)),
    )
    return catalog, diagnostics


def _unique_controls(controls: Loaded[Control], diagnostics: list[Diagnostic]) -> dict[str, Located[Control]]:
    accepted: dict[str, Located[Control]] = {}
    for item in controls.items:
        first = accepted.get(item.value.id)
        if first is None:
            accepted[item.value.id] = item
            continue
        where = first.source.position("id")
        diagnostics.append(
            item.source.diagnostic(
                f"duplicate control id {item.value.id!r} (first defined at {first.source.file}:"
                f"{where.line}:{where.column})",
                "id",
            )
        )
    return accepted


def _frameworks(
    sources: Sequence[FrameworkSource], diagnostics: list[Diagnostic]
) -> tuple[dict[str, Framework], dict[tuple[str, str], SourceRef]]:
    frameworks: dict[str, Framework] = {}
    defined_in: dict[str, str] = {}
    requirement_sources: dict[tuple[str, str], SourceRef] = {}
    for source in sources:
        if source.key in frameworks:
            message = f"framework {source.key!r} is already defined in {defined_in[source.key]}"
            diagnostics.append(source.info.source.diagnostic(message, "key"))
            continue
        defined_in[source.key] = source.document.path
        requirements = []
        for located in source.requirements:
            requirement = located.value
            if (source.key, requirement.id) in requirement_sources:
                diagnostics.append(
                    located.source.diagnostic(f"duplicate requirement id {requirement.id!r}", "id")
                )
                continue
            if requirement.parent is not None and (source.key, requirement.parent) not in requirement_sources:
                message = f"parent {requirement.parent!r} is not a requirement listed before this one"
                diagnostics.append(located.source.diagnostic(message, "parent"))
            requirement_sources[(source.key, requirement.id)] = located.source
            requirements.append(requirement)
        known = {r.id for r in requirements}
        for located in source.requirements:
            successor = located.value.successor
            if successor is not None and successor not in known:
                hint = did_you_mean(successor, known)
                message = f"successor {successor!r} is not a requirement of {source.key}{hint}"
                diagnostics.append(located.source.diagnostic(message, "successor"))
        info = source.info.value
        frameworks[source.key] = Framework(
            key=info.key,
            name=info.name,
            version=info.version,
            source=info.source,
            requirements=tuple(requirements),
        )
    return frameworks, requirement_sources


def _superseded_without_successor(
    frameworks: MappingABC[str, Framework], seen: dict[tuple[str, str, str], tuple[SourceRef, int]]
) -> list[Diagnostic]:
    """A control mapped onto a superseded requirement must serve its successor too.

    Otherwise the mapping treats the old requirement as current: after its last day the control
    would be counted for a requirement that no longer applies and for nothing that replaced it. One
    mapped onto a requirement withdrawn with no successor is a warning: it counts for nothing.
    """
    out = []
    requirements = {(key, r.id): r for key, framework in frameworks.items() for r in framework.requirements}
    for (key, requirement_id, control), (source, index) in seen.items():
        requirement = requirements[(key, requirement_id)]
        if requirement.withdrawn and requirement.successor is None:
            message = (
                f"{requirement_id} is withdrawn from {key} with no successor: {control} counts for nothing "
                "there; map it onto a requirement in force"
            )
            out.append(source.diagnostic(message, "controls", index, severity=Severity.WARNING))
            continue
        if requirement.successor is None or (key, requirement.successor, control) in seen:
            continue
        after = f" after {requirement.superseded_after}" if requirement.superseded_after is not None else ""
        message = (
            f"{requirement_id} is superseded by {requirement.successor}{after}: "
            f"map {control} onto {requirement.successor} too"
        )
        out.append(source.diagnostic(message, "controls", index))
    return out


def _map(
    source: MappingSource,
    *,
    frameworks: MappingABC[str, Framework],
    accepted: MappingABC[str, Located[Control]],
    controls: Loaded[Control],
    seen: dict[tuple[str, str, str], tuple[SourceRef, int]],
    mappings: list[Mapping],
    diagnostics: list[Diagnostic],
) -> None:
    """Add one mapping file's mappings, reporting what it names that does not exist."""
    framework = frameworks.get(source.key)
    if framework is None:
        message = f"framework {source.key!r} has no catalog{did_you_mean(source.key, frameworks)}"
        diagnostics.append(SourceRef(source.document, (), "").diagnostic(message, "framework"))
        return
    known_requirements = {r.id: r for r in framework.requirements}
    for entry in source.entries:
        requirement = entry.value.requirement
        if requirement not in known_requirements:
            hint = did_you_mean(requirement, known_requirements)
            message = f"requirement {requirement!r} is not in the {source.key} catalog{hint}"
            diagnostics.append(entry.source.diagnostic(message, "requirement"))
            continue
        if known_requirements[requirement].heading:
            message = f"requirement {requirement!r} is a heading: its status is rolled up from its children"
            diagnostics.append(entry.source.diagnostic(message, "requirement"))
            continue
        for index, mapped in enumerate(entry.value.controls):
            control = mapped.control
            if control not in accepted:
                if source.builtin or control in controls.rejected or not controls.complete:
                    continue  # not loaded on purpose, or its own diagnostics say what is wrong
                message = f"unknown control {control!r}{did_you_mean(control, accepted)}"
                diagnostics.append(entry.source.diagnostic(message, "controls", index))
                continue
            triple = (source.key, requirement, control)
            if triple in seen:
                diagnostics.append(
                    entry.source.diagnostic(f"control {control!r} is mapped twice here", "controls", index)
                )
                continue
            seen[triple] = (entry.source, index)
            together = entry.value.together
            mappings.append(
                Mapping(
                    framework=source.key,
                    requirement=requirement,
                    control=control,
                    coverage=mapped.coverage,
                    rationale=mapped.rationale,
                    together=together.rationale if together is not None else None,
                    together_with=tuple(c.control for c in entry.value.controls if c.coverage == "partial")
                    if together is not None
                    else (),
                )
            )


# --- choosing built-in controls ---------------------------------------------------------------------


def select_builtin(
    controls: Loaded[Control], selection: BuiltinSelection
) -> tuple[Loaded[Control], list[str]]:
    """The built-in controls a selection keeps, and a message for each entry that names none of them."""
    if selection == "all":
        return controls, []
    if selection == "none":
        return Loaded(complete=controls.complete), []
    wanted = set(selection)
    ids = {item.value.id for item in controls.items}
    domains = {item.value.domain for item in controls.items}
    problems = [
        f"builtin_controls: {entry!r} is neither a built-in control id nor a domain"
        f"{did_you_mean(entry, ids | domains)}"
        for entry in selection
        if entry not in ids and entry not in domains
    ]
    kept = [item for item in controls.items if item.value.id in wanted or item.value.domain in wanted]
    return Loaded(items=kept, diagnostics=controls.diagnostics, complete=controls.complete), problems


# --- loading from files ---


def framework_catalog_files() -> list[tuple[Path, str]]:
    """Every registered framework catalog (built-in ones shown relative to the built-in root)."""
    root = builtin_paths().root
    return [(path, display_path(path, root)) for path in FRAMEWORKS.entries().values()]


def catalog_files(directories: Iterable[Path], root: Path | None = None) -> list[tuple[Path, str]]:
    """Every YAML file under the given directories (or the files themselves), with the path to show."""
    found: list[tuple[Path, str]] = []
    for directory in directories:
        if directory.is_file():
            found.append((directory, display_path(directory, root)))
        elif directory.is_dir():
            entries = yaml_entries(directory)
            found.extend(
                zip([path for _, path in entries], displayed_under(directory, entries, root), strict=True)
            )
        else:
            raise ConfigError(f"{directory}: no such file or directory")
    return found


def read_catalog(
    controls: Iterable[Path] | None = None,
    mappings: Iterable[Path] | None = None,
    *,
    builtin_controls: BuiltinSelection | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Catalog, list[Diagnostic]]:
    """Load a catalog and return it with every diagnostic (the catalog holds what could be loaded).

    ``controls`` and ``mappings`` are the company's own folders or files (a mappings folder may also hold
    framework catalogs of the company's own). ``builtin_controls`` chooses the built-in controls; its
    default is ``"all"`` without ``controls`` and ``"none"`` with them. The built-in framework catalogs
    are always loaded, and so are the built-in mappings of the built-in controls that are.
    """
    builtin = builtin_paths()
    own_controls = list(controls or ())
    selection = builtin_controls or ("none" if own_controls else "all")
    if isinstance(selection, tuple | list):
        selection = tuple(selection)
    loaded_builtin = load_controls(catalog_files([builtin.controls], builtin.root), limits)
    chosen, problems = select_builtin(loaded_builtin, selection)
    if problems:
        raise ConfigError("; ".join(problems))
    own = load_controls(catalog_files(own_controls), limits)
    every = Loaded(
        items=[*chosen.items, *own.items],
        diagnostics=[*chosen.diagnostics, *own.diagnostics],
        rejected=chosen.rejected | own.rejected,
        complete=chosen.complete and own.complete,
    )
    documents = load_framework_documents(framework_catalog_files(), limits)
    builtin_maps = load_framework_documents(
        catalog_files([builtin.mappings], builtin.root), limits, builtin=True
    )
    own_maps = load_framework_documents(catalog_files(list(mappings or ())), limits)
    for extra in (builtin_maps, own_maps):
        documents.frameworks.extend(extra.frameworks)
        documents.mappings.extend(extra.mappings)
        documents.diagnostics.extend(extra.diagnostics)
    catalog, cross = assemble(every, documents, frozenset(i.value.id for i in chosen.items))
    catalog, schema_diagnostics = _with_schemas(catalog, own_controls, {i.value.id for i in chosen.items})
    catalog = dataclasses.replace(
        catalog, all_builtin_ids=frozenset(i.value.id for i in loaded_builtin.items)
    )
    return catalog, [*every.diagnostics, *documents.diagnostics, *cross, *schema_diagnostics]


def _with_schemas(
    catalog: Catalog, own_controls: Sequence[Path], builtin_ids: set[str]
) -> tuple[Catalog, list[Diagnostic]]:
    """Attach evidence schemas: the company's judge every control, the built-in ones built-in controls."""
    builtin = builtin_paths()
    builtin_schemas, diagnostics = load_evidence_schemas([builtin.controls], builtin.root)
    own_schemas, own_diagnostics = load_evidence_schemas(own_controls)
    readers: dict[str, set[str]] = {}
    for control in catalog.controls:
        if control.id in builtin_ids:
            for requirement in control.evidence:
                readers.setdefault(requirement.name, set()).add(control.id)
    schemas = {name: schema for name, schema in builtin_schemas.items() if name in readers}
    owners = {name: frozenset(readers[name]) for name in schemas}
    for name, schema in own_schemas.items():
        schemas[name] = schema
        owners.pop(name, None)
    catalog = dataclasses.replace(
        catalog, evidence_schemas=schemas, schema_controls=owners, builtin_controls=frozenset(builtin_ids)
    )
    return catalog, [*diagnostics, *own_diagnostics]


def load_catalog(
    controls: Iterable[Path] | None = None,
    mappings: Iterable[Path] | None = None,
    *,
    builtin_controls: BuiltinSelection | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Catalog:
    """Load and check a catalog, raising :class:`LoadError` if anything is an error."""
    catalog, diagnostics = read_catalog(controls, mappings, builtin_controls=builtin_controls, limits=limits)
    errors = [d for d in diagnostics if d.severity is Severity.ERROR]
    if errors:
        raise LoadError(errors)
    return catalog


def builtin_catalog() -> Catalog:
    """The catalog shipped with assay: its controls, the five framework catalogs and their mappings."""
    return load_catalog()
