"""The metadata of evidence files: the ``.meta.yaml`` sidecar beside an export, and the evidence
folder's ``assay-manifest.yaml``. Records (:mod:`assay.records`), kept apart as the evidence store's
own formats: defining them imports no pydantic, and a warm run reads their verdicts from the cache
(:mod:`assay.evidence_verdicts`)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, Literal

from assay.model import EvidenceName, Text
from assay.records import Record, Spec, record


@record
class EvidenceMeta(Record):
    """What an evidence file is, kept beside it so the raw export stays unchanged."""

    name: Annotated[EvidenceName | None, Spec(description="Override the name derived from the path.")] = None
    collected_at: Annotated[datetime | None, Spec(description="When the export was taken (RFC 3339).")] = None
    as_of: Annotated[
        datetime | None,
        Spec(description="When the state it describes was current, if not when it was collected."),
    ] = None
    source: Annotated[Text | None, Spec(description="The command or API call that produced it.")] = None
    format: Annotated[
        Literal["json", "yaml", "csv", "text"] | None,
        Spec(description="Override the format implied by the file extension."),
    ] = None


@record
class EvidenceManifest(Record):
    """``assay-manifest.yaml`` at the root of an evidence directory: metadata per file path."""

    evidence: dict[str, EvidenceMeta] = dataclasses.field(default_factory=dict)
    snapshot_at: Annotated[
        datetime | None,
        Spec(
            description=(
                "For a frozen evidence set such as a bundled example or an archived audit: the moment it is "
                "evaluated at when no --now is given, so its report does not change as the calendar moves."
            )
        ),
    ] = None
