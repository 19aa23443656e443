"""A company's policy files: waivers, scope (the Statement of Applicability) and parameters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import Any

from assay.errors import Diagnostic
from assay.lean_dataclasses import dataclass
from assay.loading.catalog import Catalog
from assay.loading.documents import (
    Loaded,
    Located,
    SourceRef,
    entity_label,
    read_document,
    top_level,
    validate_list,
    validate_one,
)
from assay.model import ParametersFile, ScopeEntry, Waiver
from assay.suggest import did_you_mean
from assay.yamlsource import DEFAULT_LIMITS, Limits, YamlDocument


def load_waivers(file: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> Loaded[Waiver]:
    """Load a waivers file."""
    result: Loaded[Waiver] = Loaded()
    document = read_document(file, shown, limits, result.diagnostics)
    if (
        document is not None
        and top_level(document, {"waivers": list}, ["waivers"], result.diagnostics) is not None
    ):
        validate_list(
            document, "waivers", Waiver, lambda e, i: entity_label("waiver", e, i, "ticket"), result
        )
    return result


def _scope_label(entry: Any, index: int) -> str:
    if isinstance(entry, dict) and entry.get("requirement"):
        return f"scope {entry.get('framework')}:{entry.get('requirement')}"
    return f"scope #{index + 1}"


def load_scope(file: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> Loaded[ScopeEntry]:
    """Load a scope file."""
    result: Loaded[ScopeEntry] = Loaded()
    document = read_document(file, shown, limits, result.diagnostics)
    if (
        document is not None
        and top_level(document, {"scope": list}, ["scope"], result.diagnostics) is not None
    ):
        validate_list(document, "scope", ScopeEntry, _scope_label, result)
    return result


def check_scope(entries: Iterable[Located[ScopeEntry]], catalog: Catalog) -> list[Diagnostic]:
    """Scope entries must name a known framework and one of its requirements, once; an inherited one
    names known controls as its proof and complements; a required HIPAA implementation specification
    cannot be declared not applicable (only an addressable one may be, with its alternative)."""
    out: list[Diagnostic] = []
    seen: set[tuple[str, str]] = set()
    for item in entries:
        entry = item.value
        if entry.framework not in catalog.frameworks:
            known = ", ".join(sorted(catalog.frameworks)) or "none"
            out.append(
                item.source.diagnostic(f"unknown framework {entry.framework!r} (known: {known})", "framework")
            )
            continue
        pair = (entry.framework, entry.requirement)
        if pair not in catalog.requirement_sources:
            out.append(
                item.source.diagnostic(
                    f"requirement {entry.requirement!r} is not in the {entry.framework} catalog",
                    "requirement",
                )
            )
        elif pair in seen:
            out.append(
                item.source.diagnostic(f"requirement {entry.requirement!r} is scoped twice", "requirement")
            )
        else:
            out += _scope_entry_problems(item, catalog)
        seen.add(pair)
    return out


def _scope_entry_problems(item: Located[ScopeEntry], catalog: Catalog) -> list[Diagnostic]:
    entry = item.value
    out: list[Diagnostic] = []
    requirement = catalog.requirement(entry.framework, entry.requirement)
    if entry.applicability == "not_applicable" and requirement.implementation == "required":
        message = (
            f"{entry.requirement} is a required implementation specification: it cannot be declared "
            "not applicable (only an addressable one can, with the alternative measure)"
        )
        out.append(item.source.diagnostic(message, "applicability"))
    known = {control.id for control in catalog.controls} | catalog.all_builtin_ids
    named: list[tuple[str, int | None, str | None]] = [("proven_by", None, entry.proven_by)]
    named += [("complementary_controls", i, c) for i, c in enumerate(entry.complementary_controls)]
    for key, index, control in named:
        if control is not None and control not in known:
            path = (key,) if index is None else (key, index)
            hint = did_you_mean(control, known)
            out.append(item.source.diagnostic(f"unknown control {control!r}{hint}", *path))
    return out


@dataclass
class LoadedParameters:
    """A parameters file: the values by control id, and where each was written."""

    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    document: YamlDocument | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def source(self) -> SourceRef | None:
        return SourceRef(self.document, ("parameters",), "parameters") if self.document is not None else None


def load_parameters(file: Path, shown: str, limits: Limits = DEFAULT_LIMITS) -> LoadedParameters:
    """Load a parameters file (``parameters: {CONTROL-ID: {name: value}}``)."""
    result = LoadedParameters()
    document = read_document(file, shown, limits, result.diagnostics)
    if document is None:
        return result
    if top_level(document, {"parameters": dict}, ["parameters"], result.diagnostics) is None:
        return result
    record = validate_one(document, "", ParametersFile, "", result.diagnostics)
    if record is None:
        return result
    result.values = {control: dict(values) for control, values in record.parameters.items()}
    result.document = document
    return result


def check_parameters(loaded: LoadedParameters, catalog: Catalog) -> list[Diagnostic]:
    """A parameters file may set only declared parameters of known controls."""
    source = loaded.source()
    if source is None:
        return []
    known = {control.id: control for control in catalog.controls}
    out: list[Diagnostic] = []
    for control_id, values in loaded.values.items():
        control = known.get(control_id)
        if control is None and control_id in catalog.all_builtin_ids:
            continue  # a built-in control this project does not use
        if control is None:
            out.append(source.diagnostic(f"unknown control {control_id!r}", control_id, key=True))
            continue
        for name in values:
            if name not in control.parameters:
                declared = ", ".join(sorted(control.parameters)) or "none"
                out.append(
                    source.diagnostic(
                        f"control {control_id} has no parameter {name!r} (declared: {declared})",
                        control_id,
                        name,
                        key=True,
                    )
                )
    return out
