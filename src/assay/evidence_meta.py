"""The metadata of evidence files: the ``.meta.yaml`` sidecar beside an export, and the evidence
folder's ``assay-manifest.yaml``. Records like those of :mod:`assay.model`, kept apart as the evidence
store's own formats."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from assay.model import EvidenceName, Text
from assay.strict_model import StrictModel as Record


class EvidenceMeta(Record):
    """What an evidence file is, kept beside it so the raw export stays unchanged."""

    name: EvidenceName | None = Field(default=None, description="Override the name derived from the path.")
    collected_at: datetime | None = Field(default=None, description="When the export was taken (RFC 3339).")
    as_of: datetime | None = Field(
        default=None, description="When the state it describes was current, if not when it was collected."
    )
    source: Text | None = Field(default=None, description="The command or API call that produced it.")
    format: Literal["json", "yaml", "csv", "text"] | None = Field(
        default=None, description="Override the format implied by the file extension."
    )


class EvidenceManifest(Record):
    """``assay-manifest.yaml`` at the root of an evidence directory: metadata per file path."""

    evidence: dict[str, EvidenceMeta] = Field(default_factory=dict)
    snapshot_at: datetime | None = Field(
        default=None,
        description=(
            "For a frozen evidence set such as a bundled example or an archived audit: the moment it is "
            "evaluated at when no --now is given, so its report does not change as the calendar moves."
        ),
    )
