"""A run as the store's rows: its time, catalog version and hash, results, requirement statuses, evidence.

Evidence content is recorded only when asked, once per distinct sha256, redacted exactly as an
evidence pack redacts it (:func:`assay.redact.redact`); a file that changed on disk since the run read
it is not recorded (its hash would not match).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from assay._version import __version__
from assay.errors import LoadError
from assay.fileio import read_inside
from assay.gaps import Report
from assay.lean_dataclasses import frozen
from assay.loaded_project import LoadedProject
from assay.loading.catalog import Catalog
from assay.redact import redact
from assay.results import RunResult


@frozen
class RunRows:
    run: dict[str, Any]
    controls: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    evidence: list[dict[str, Any]]


@overload
def utc(value: datetime) -> datetime: ...
@overload
def utc(value: None) -> None: ...
def utc(value: datetime | None) -> datetime | None:
    """A moment in UTC (naive means UTC): SQLite keeps no offsets, so every stored time is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def catalog_identity(catalog: Catalog) -> tuple[str, str]:
    """The catalog's version (assay's, and each framework's) and the sha256 of its controls and mappings."""
    versions = ", ".join(f"{key} {fw.version}" for key, fw in sorted(catalog.frameworks.items()))
    digest = hashlib.sha256()
    for control in sorted(catalog.controls, key=lambda c: c.id):
        digest.update(control.model_dump_json().encode("utf-8"))
    for mapping in catalog.mappings:
        digest.update(mapping.model_dump_json().encode("utf-8"))
    return f"assay {__version__}; {versions}", digest.hexdigest()


def run_rows(project: LoadedProject, run: RunResult, report: Report, *, run_id: str, at: datetime) -> RunRows:
    version, digest = catalog_identity(project.catalog)
    row = {
        "id": run_id,
        "evaluated_at": utc(run.now),
        "recorded_at": utc(at),
        "assay_version": __version__,
        "catalog_version": version[:256],
        "catalog_hash": digest,
        "backend": run.backend,
        "summary": json.dumps(run.counts, sort_keys=True),
    }
    controls = [
        {
            "run_id": run_id,
            "control": result.control,
            "status": result.status.value,
            "severity": result.severity.value,
            "failing_resources": len({f.resource for f in result.findings if f.waived_by is None}),
            "findings": json.dumps(
                [
                    {"rule": f.rule, "resource": f.resource, "message": f.message, "waived_by": f.waived_by}
                    for f in result.findings
                ]
            ),
        }
        for result in run.results
    ]
    requirements = [
        {"run_id": run_id, "framework": fw.key, "requirement": req.id, "status": req.status.value}
        for fw in report.frameworks
        for req in fw.requirements
    ]
    evidence = [
        {
            "run_id": run_id,
            "name": item.name,
            "sha256": item.sha256,
            "collected_at": utc(item.collected_at),
            "as_of": utc(item.as_of),
            "source": item.source,
            "path": item.path,
        }
        for item in sorted(project.require_evidence().items(), key=lambda i: i.name)
    ]
    return RunRows(row, controls, requirements, evidence)


def evidence_contents(project: LoadedProject, known: set[str]) -> Iterator[dict[str, Any]]:
    """Each evidence file whose sha256 is not in ``known`` yet, redacted, once per hash."""
    root, prefix = project.evidence_root, f"{project.evidence_shown}/"
    seen = set(known)
    for item in project.require_evidence().items():
        if root is None or item.sha256 in seen or item.path is None or not item.path.startswith(prefix):
            continue
        raw = _read(root, item.path[len(prefix) :], item.path, project.config.max_evidence_bytes)
        if raw is None or hashlib.sha256(raw).hexdigest() != item.sha256:
            continue  # changed since the run read it: its content is not the content the run judged
        seen.add(item.sha256)
        result = redact(raw, item.format)
        redactions = json.dumps([{"at": r.at, "reason": r.reason} for r in result.redactions])
        yield {"sha256": item.sha256, "format": item.format, "data": result.data, "redactions": redactions}


def _read(root: Path, relative: str, shown: str, limit: int) -> bytes | None:
    """An evidence file's bytes, inside the evidence folder (the evidence reader's no-escape rule)."""
    try:
        return read_inside(root, relative, limit, shown, folder="the evidence folder")
    except (OSError, LoadError):
        return None
