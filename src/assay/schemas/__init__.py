"""JSON Schemas (draft 2020-12) for every file format, generated from the models.

The same schemas ship as files beside this module (``control.schema.json`` ...) so editors can
validate control files; a test keeps the shipped files identical to what the models generate.
Regenerate them with ``python -m assay.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assay.evidence_meta import EvidenceManifest, EvidenceMeta
from assay.model import FILE_MODELS as RECORD_FILES
from assay.records import Record

FILE_MODELS: dict[str, type[BaseModel] | type[Record]] = {
    **RECORD_FILES,
    "evidence-manifest": EvidenceManifest,
    "evidence-meta": EvidenceMeta,
}

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parent
KINDS = (*FILE_MODELS, "trust", "report", "org-report")


def json_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind: control, mapping, ..., trust (trust page config) or report."""
    if kind == "report":
        from assay.render import json_report

        return json_report.schema()
    if kind == "org-report":
        from assay.render import org

        return org.schema()
    if kind == "trust":
        from assay.trust import TrustConfig

        model: type[BaseModel] | type[Record] = TrustConfig
    else:
        model = FILE_MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": DIALECT,
        "$id": f"{kind}.schema.json",
        "title": f"assay {kind} file",
        **schema,
    }


def render(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, sort_keys=False) + "\n"


def shipped_path(kind: str) -> Path:
    return SCHEMA_DIR / f"{kind}.schema.json"


def write_all() -> None:
    for kind in KINDS:
        shipped_path(kind).write_text(render(kind), encoding="utf-8")
