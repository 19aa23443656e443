"""Framework catalogs and mapping files.

A framework catalog file (``framework:`` a table with key, name and version; ``requirements:``) says
what a framework requires. A mapping file (``framework:`` a key; ``mappings:``) says which controls
satisfy which of its requirements. The two are told apart by the type of ``framework``, so one folder
may hold both. The built-in catalogs are always available by key; mappings reference them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from pathlib import Path

from assay.errors import Diagnostic, LoadError
from assay.lean_dataclasses import dataclass, frozen
from assay.loading.documents import (
    Loaded,
    Located,
    SourceRef,
    entity_label,
    plain_diagnostic,
    read_document,
    top_level,
    validate_list,
    validate_one,
)
from assay.loading.json_document import JsonDocument, load_json_file
from assay.model import FrameworkInfo, MappingEntry, Requirement
from assay.yamlsource import DEFAULT_LIMITS, Limits, YamlDocument

# JSON files are OSCAL catalogs: NIST's full SP 800-53 is about 10 MB of JSON.
OSCAL_MAX_BYTES = 64 * 1024 * 1024
OSCAL_MAX_NODES = 8_000_000
MOVED_CONTROLS = (
    "mappings live in mapping files: move this requirement's 'controls' to a file with "
    "'framework: {key}' and 'mappings: [{{requirement: {id}, controls: [...]}}]'"
)


@frozen
class FrameworkSource:
    """One framework catalog file, parsed: the framework and each requirement where it was written."""

    info: Located[FrameworkInfo]
    requirements: list[Located[Requirement]]
    document: YamlDocument

    @property
    def key(self) -> str:
        return self.info.value.key


@frozen
class MappingSource:
    """One mapping file, parsed: the framework key it targets and its entries."""

    key: str
    entries: list[Located[MappingEntry]]
    document: YamlDocument
    builtin: bool = False  # built-in mappings of controls that are not loaded are dropped silently


@dataclass
class FrameworkDocuments:
    """Everything read from framework catalog and mapping files."""

    frameworks: list[FrameworkSource] = field(default_factory=list)
    mappings: list[MappingSource] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def load_framework_documents(
    files: Iterable[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS, *, builtin: bool = False
) -> FrameworkDocuments:
    """Load framework catalog files and mapping files, told apart by their ``framework`` key."""
    loaded = FrameworkDocuments()
    allowed = {"framework": (dict, str), "requirements": list, "mappings": list}
    for file, shown in files:
        document = _read(file, shown, limits, loaded.diagnostics)
        if document is None:
            continue
        if isinstance(document, JsonDocument) or (
            isinstance(document.data, dict) and "catalog" in document.data
        ):
            from assay.loading.oscal_catalog import read_oscal_catalog  # the rare OSCAL catalog

            found = read_oscal_catalog(document, file, loaded.diagnostics)
            if found is not None:
                loaded.frameworks.append(FrameworkSource(found[0], found[1], document))
            continue
        data = top_level(document, allowed, ["framework"], loaded.diagnostics)  # type: ignore[arg-type]
        if data is None:
            continue
        if isinstance(data["framework"], dict):
            _load_catalog(document, loaded)
        else:
            _load_mapping(document, data["framework"], loaded, builtin=builtin)
    return loaded


def _read(file: Path, shown: str, limits: Limits, diagnostics: list[Diagnostic]) -> YamlDocument | None:
    """A YAML file, or a JSON one (an OSCAL catalog), which may be larger: NIST's run to megabytes."""
    if file.suffix.lower() != ".json":
        return read_document(file, shown, limits, diagnostics)
    json_limits = Limits(
        max_bytes=max(limits.max_bytes, OSCAL_MAX_BYTES),
        max_depth=limits.max_depth,
        max_nodes=max(limits.max_nodes, OSCAL_MAX_NODES),
    )
    try:
        return load_json_file(file, shown, json_limits)
    except LoadError as exc:
        diagnostics.extend(exc.diagnostics)
        return None


def _load_catalog(document: YamlDocument, loaded: FrameworkDocuments) -> None:
    data = document.data
    if "mappings" in data:
        loaded.diagnostics.append(
            plain_diagnostic(
                document,
                ("mappings",),
                "a framework catalog lists requirements only; put 'mappings' in a mapping file "
                "whose 'framework' is the catalog's key",
                key=True,
            )
        )
    framework = validate_one(document, "framework", FrameworkInfo, "framework", loaded.diagnostics)
    if framework is None:
        return
    info = Located(framework, SourceRef(document, ("framework",), "framework"))
    if not data.get("requirements"):
        loaded.diagnostics.append(
            plain_diagnostic(
                document,
                ("framework",),
                "a framework catalog needs a non-empty 'requirements' list",
                key=True,
            )
        )
        return
    requirements: Loaded[Requirement] = Loaded()
    for index, entry in enumerate(data["requirements"]):
        if isinstance(entry, dict) and "controls" in entry:
            message = MOVED_CONTROLS.format(key=info.value.key, id=entry.get("id", "..."))
            label = entity_label("requirement", entry, index)
            ref = SourceRef(document, ("requirements", index), label)
            loaded.diagnostics.append(ref.diagnostic(message, "controls", key=True))
    validate_list(
        document, "requirements", Requirement, lambda e, i: entity_label("requirement", e, i), requirements
    )
    moved = {(d.line, d.column) for d in loaded.diagnostics if d.message.startswith("mappings live in")}
    loaded.diagnostics.extend(d for d in requirements.diagnostics if (d.line, d.column) not in moved)
    loaded.frameworks.append(FrameworkSource(info, requirements.items, document))


def _load_mapping(document: YamlDocument, key: str, loaded: FrameworkDocuments, *, builtin: bool) -> None:
    if "requirements" in document.data:
        loaded.diagnostics.append(
            plain_diagnostic(
                document,
                ("requirements",),
                f"this file maps controls onto framework {key!r}; requirements belong in a framework "
                "catalog file, whose 'framework' is a table with key, name and version",
                key=True,
            )
        )
        return
    if not document.data.get("mappings"):
        loaded.diagnostics.append(
            plain_diagnostic(
                document, ("framework",), "a mapping file needs a non-empty 'mappings' list", key=True
            )
        )
        return
    entries: Loaded[MappingEntry] = Loaded()
    validate_list(
        document,
        "mappings",
        MappingEntry,
        lambda e, i: entity_label("mapping", e, i, "requirement"),
        entries,
    )
    loaded.diagnostics.extend(entries.diagnostics)
    loaded.mappings.append(MappingSource(key, entries.items, document, builtin))
