"""Attestations: a person's signed statement used as evidence, and the artefacts it vouches for.

An evidence item a control declares with ``kind: attestation`` must name who attested, their role
and the date. It may list artefacts (a review workbook, a test report) by their path in the evidence
folder and their sha256: when such a file is in the folder, its hash must match, or the control that
reads the attestation is an ``error`` (the statement vouches for a different file than the one kept).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Annotated, Any

from assay.errors import Diagnostic, LoadError, Severity
from assay.evidence_verdicts import Invalid, record_diagnostics, validated
from assay.loading.cached import load_cached_yaml
from assay.records import Record, Spec, record
from assay.yamlsource import DEFAULT_LIMITS, YamlDocument

if TYPE_CHECKING:
    from assay.loading.catalog import Catalog

# Attestations are small statements by people: the catalog's limits on YAML apply to them too.
EVIDENCE_YAML_LIMITS = DEFAULT_LIMITS

SHA256_PATTERN = r"^[0-9a-f]{64}$"
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _inside_the_folder(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or _WINDOWS_DRIVE.match(value) or ".." in path.parts or "\\" in value:
        raise ValueError("must be a path inside the evidence folder, written with forward slashes")
    return value


Text = Annotated[str, Spec(strip_whitespace=True, min_length=1)]
# An attestation carries whatever its subject needs (a period, findings, systems reviewed): only the
# keys below have a fixed meaning. Other keys are accepted and not kept (the checks read only these).
_OPEN = {**Record.__pydantic_config__, "extra": "ignore"}


@record
class Attester(Record):
    """Who made the statement."""

    __pydantic_config__ = _OPEN

    name: Text
    role: Text


@record
class Artefact(Record):
    """A file the statement vouches for, by its path in the evidence folder and its hash."""

    __pydantic_config__ = _OPEN

    file: Annotated[
        str,
        Spec(
            strip_whitespace=True,
            min_length=1,
            after=_inside_the_folder,
            description="Path relative to the evidence folder, with forward slashes.",
        ),
    ]
    sha256: Annotated[str, Spec(pattern=SHA256_PATTERN)]
    description: Text | None = None


@record
class Attestation(Record):
    """The fixed part of every attestation."""

    __pydantic_config__ = _OPEN

    attested_by: Attester
    attested_at: date
    artefacts: tuple[Artefact, ...] = ()


def attestation_names(catalog: Catalog) -> dict[str, list[str]]:
    """Evidence names the catalog's controls read as attestations, with the controls that read them."""
    names: dict[str, list[str]] = {}
    for control in catalog.controls:
        for requirement in control.evidence:
            if requirement.kind == "attestation":
                names.setdefault(requirement.name, []).append(control.id)
    return names


def attestation_diagnostics(
    data: Any, document: YamlDocument | None, shown: str, controls: list[str]
) -> list[Diagnostic]:
    """What is wrong with one attestation's fixed part, at file:line:col when its YAML is at hand."""
    try:
        validated(Attestation, data)
    except Invalid as exc:
        label = f"attestation read by {', '.join(controls)}"
        if document is not None:
            return record_diagnostics(exc, document, label, Attestation)
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        message = f"{label}: {where}: {first['msg']}"
        return [Diagnostic(shown, 1, 1, Severity.ERROR, message)]
    return []


def artefact_files(data: Any) -> list[str]:
    """The paths of the artefacts an attestation cites (none when it is malformed)."""
    try:
        return [artefact.file for artefact in validated(Attestation, data).artefacts]
    except Invalid:
        return []


def artefact_problems(data: Any, digest: Callable[[str], str | None]) -> tuple[list[str], list[str]]:
    """Hash mismatches (errors) and artefacts absent from the folder (notes) of one attestation.

    ``digest`` gives the sha256 of a file by its path relative to the evidence folder, or None.
    """
    try:
        attestation = validated(Attestation, data)
    except Invalid:
        return [], []  # reported before the run by attestation_diagnostics
    mismatches: list[str] = []
    absent: list[str] = []
    for artefact in attestation.artefacts:
        actual = digest(artefact.file)
        if actual is None:
            absent.append(f"artefact {artefact.file} is not in the evidence folder: its hash is not verified")
        elif actual != artefact.sha256:
            mismatches.append(
                f"vouches for artefact {artefact.file} with sha256 {artefact.sha256}, but the file in "
                f"the evidence folder has sha256 {actual}"
            )
    return mismatches, absent


def attested_in_future(data: Any, now: datetime, allowance: timedelta) -> str | None:
    """Why an attestation cannot be believed when its ``attested_at`` day comes after ``now``'s (in
    UTC, with the clock-skew ``allowance``), else None: nobody can vouch today for a later day."""
    try:
        attested = validated(Attestation, data).attested_at
    except Invalid:
        return None  # reported before the run by attestation_diagnostics
    latest = (now.astimezone(UTC) + allowance).date()
    if attested > latest:
        return (
            f"is dated in the future: attested_at {attested.isoformat()} is after the evaluation day {latest}"
        )
    return None


def check_attestations(
    catalog: Catalog, items: Callable[[str], tuple[Any, str | None, Path | None] | None]
) -> list[Diagnostic]:
    """Every attestation the catalog's controls read names its attester, role and date.

    ``items`` gives an evidence name's data, how its file is shown, and the file itself (None for
    evidence held in memory), or None when the evidence is absent. Diagnostics point into the file.
    """
    out: list[Diagnostic] = []
    for name, controls in sorted(attestation_names(catalog).items()):
        found = items(name)
        if found is None:
            continue
        data, shown, file = found
        document = None
        if file is not None and file.suffix.lower() in (".yaml", ".yml"):
            document = _read_document(file, shown or str(file), out)
        out += attestation_diagnostics(data, document, shown or name, controls)
    return out


def _read_document(file: Path, shown: str, diagnostics: list[Diagnostic]) -> YamlDocument | None:
    """The attestation's YAML under the catalog's limits (a problem when it exceeds them), for positions."""
    try:
        return load_cached_yaml(file, shown, EVIDENCE_YAML_LIMITS)
    except LoadError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
