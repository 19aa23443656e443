"""The pack format: entry names, the records of ``manifest.json``, and its exact bytes written and read.

Everything here is pure: :mod:`assay.pack.build` fills these records in and :mod:`assay.pack.verify`
reads them back with :func:`parse_manifest`; the bytes :func:`manifest_json` gives are the ones signed.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assay._version import __version__
from assay.errors import AssayError

FORMAT = "assay-evidence-pack"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
INDEX = "index.html"
REPORTS = (
    ("html", "reports/gap-report.html", "HTML"),
    ("markdown", "reports/gap-report.md", "Markdown"),
    ("json", "reports/gap-report.json", "JSON"),
    ("csv", "reports/gap-report.csv", "CSV"),
    ("oscal", "reports/assessment-results.oscal.json", "OSCAL assessment results"),
)
MiB = 1024 * 1024
_SHA256 = r"^[0-9a-f]{64}$"


class PackError(AssayError):
    """A pack cannot be built from these inputs (evidence changed under us, an unusable key, ...)."""


def sha256_hex(data: bytes) -> str:
    """The hex SHA-256 of ``data``, as the manifest records every file."""
    return hashlib.sha256(data).hexdigest()


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FileEntry(_Record):
    sha256: str = Field(pattern=_SHA256)
    size: int = Field(ge=0)


class RedactionEntry(_Record):
    at: str  # a JSON pointer into the parsed evidence, or "line N" of a text file
    reason: str


class RedactionRecord(_Record):
    original_sha256: str = Field(pattern=_SHA256)
    original_size: int = Field(ge=0)
    packed_sha256: str = Field(pattern=_SHA256)
    packed_size: int = Field(ge=0)
    locations: tuple[RedactionEntry, ...]


class PackedEvidence(_Record):
    name: str
    file: str  # inside the pack
    path: str | None  # as the report shows it
    format: str
    sha256: str = Field(pattern=_SHA256)  # of the bytes the run evaluated (the report's hash)
    size: int = Field(ge=0)
    collected_at: datetime | None = None
    as_of: datetime | None = None
    source: str | None = None
    redacted: RedactionRecord | None = None


SourceKind = Literal[
    "controls", "frameworks", "mappings", "evidence-schema", "waivers", "scope", "parameters"
]


class PackedSource(_Record):
    file: str
    kind: SourceKind
    path: str


class PackInputs(_Record):
    controls: tuple[str, ...]
    mappings: tuple[str, ...]
    evidence: str
    waivers: str | None = None
    scope: str | None = None
    parameters: str | None = None


class SignatureInfo(_Record):
    algorithm: Literal["ed25519"] = "ed25519"
    public_key: str  # base64 of the 32 raw bytes
    key_id: str  # "sha256:" + hex digest of the raw public key


class PackManifest(_Record):
    format: Literal["assay-evidence-pack"] = "assay-evidence-pack"
    format_version: int
    assay_version: str
    now: datetime
    frameworks: tuple[str, ...]
    inputs: PackInputs
    files: dict[str, FileEntry]
    evidence: tuple[PackedEvidence, ...] = ()
    sources: tuple[PackedSource, ...] = ()
    signature: SignatureInfo | None = None


def manifest_json(manifest: PackManifest) -> bytes:
    """The manifest's bytes: sorted keys, two-space indent, a final newline (these bytes are signed)."""
    data = manifest.model_dump(mode="json")
    text: str = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def parse_manifest(raw: bytes) -> tuple[PackManifest | None, str]:
    """The manifest in ``raw``, or None and why it cannot be read (format, version, shape)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return None, f"not valid JSON: {exc}"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, f'not an assay evidence pack manifest (no "format": "{FORMAT}")'
    if data.get("format_version") != FORMAT_VERSION:
        version = data.get("format_version")
        return (
            None,
            f"format version {version!r} is not supported (assay {__version__} reads {FORMAT_VERSION})",
        )
    try:
        return PackManifest.model_validate(data), ""
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        return None, f"invalid: {where}: {first['msg']}"
