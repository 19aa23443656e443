"""Building a pack: :func:`collect` reads the files a run used (the only I/O of building) and
:func:`build_pack` turns them and the report into the pack's deterministic zip and its manifest.

The same inputs, ``now`` and key give the same bytes: entries sorted by name, every timestamp set to
``now``, fixed permissions and compression. Evidence is redacted (:mod:`assay.redact`) after checking
it still has the hash the run evaluated.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assay._version import __version__
from assay.errors import LoadError
from assay.evidence import EvidenceItem
from assay.fileio import read_inside
from assay.gaps import Report
from assay.lean_dataclasses import frozen
from assay.loaded_project import LoadedProject
from assay.loading.builtin import builtin_paths
from assay.loading.catalog import catalog_files, framework_catalog_files
from assay.loading.controls import SCHEMA_SUFFIX
from assay.loading.documents import display_path
from assay.pack.archive import name_problem
from assay.pack.manifest import (
    FORMAT_VERSION,
    INDEX,
    MANIFEST,
    REPORTS,
    SIGNATURE,
    FileEntry,
    MiB,
    PackedEvidence,
    PackedSource,
    PackError,
    PackInputs,
    PackManifest,
    RedactionEntry,
    RedactionRecord,
    SignatureInfo,
    SourceKind,
    manifest_json,
    sha256_hex,
)
from assay.pack.sign import sign, signature_info
from assay.project import Project
from assay.redact import redact
from assay.render import render_text
from assay.render.pack_index import IndexEvidence, IndexSource, PackLayout, render_index
from assay.yamlsource import read_capped

MAX_SOURCE_BYTES = 64 * MiB  # a control, mapping, schema, waiver or scope file
_ZIP_FIRST: tuple[int, int, int, int, int, int] = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip holds
_ZIP_LAST: tuple[int, int, int, int, int, int] = (2107, 12, 31, 23, 59, 58)  # and the latest
_UNIX = 3  # create_system, so the permission bits are meaningful
_FILE_MODE = (stat.S_IFREG | 0o644) << 16


# --- collecting the files (the only I/O of building) -----------------------------------------------


@frozen
class EvidenceFile:
    """An evidence file to pack: the item the run used and the bytes just read back from disk."""

    item: EvidenceItem
    relative: str  # under the evidence directory
    data: bytes


@frozen
class SourceFile:
    path: str  # as shown in reports and diagnostics
    kind: SourceKind
    data: bytes


@frozen
class PackContents:
    evidence: tuple[EvidenceFile, ...]
    sources: tuple[SourceFile, ...]
    inputs: PackInputs


def collect(project: LoadedProject, *, max_evidence_bytes: int | None = None) -> PackContents:
    """Read back every evidence file the run used, and the catalog, waiver and scope files it read.

    Evidence is read again from disk; :func:`build_pack` checks it still has the hash the run saw.
    """
    limit = max_evidence_bytes or project.config.max_evidence_bytes
    evidence = _read_evidence(project, limit)
    found = _catalog_sources(project) + _policy_sources(project)
    return PackContents(
        evidence=evidence,
        sources=tuple(
            SourceFile(shown, kind, _read(file, MAX_SOURCE_BYTES, shown)) for file, shown, kind in found
        ),
        inputs=_pack_inputs(project),
    )


def _read_evidence(project: LoadedProject, max_evidence_bytes: int) -> tuple[EvidenceFile, ...]:
    """Every evidence item the run used, in name order, read again from the evidence directory."""
    evidence = []
    prefix = f"{project.evidence_shown}/"
    root = project.evidence_root
    for item in sorted(project.require_evidence().items(), key=lambda i: i.name):
        if root is None or item.path is None or not item.path.startswith(prefix):  # pragma: no cover
            raise PackError(f"evidence {item.name!r} was not read from the evidence directory")
        relative = item.path[len(prefix) :]
        # The evidence folder's no-escape rule again: the file may have been swapped since the run.
        data = _read(root / relative, max_evidence_bytes, item.path, inside=root)
        evidence.append(EvidenceFile(item, relative, data))
    return tuple(evidence)


def _read(file: Path, limit: int, shown: str, *, inside: Path | None = None) -> bytes:
    """A file's bytes, or :class:`PackError` when it is missing, unreadable or over ``limit`` (or, with
    ``inside``, not a regular file within that folder)."""
    try:
        if inside is not None:
            return read_inside(
                inside, str(file.relative_to(inside)), limit, shown, folder="the evidence folder"
            )
        return read_capped(file, limit, shown)
    except LoadError as exc:
        raise PackError(f"cannot pack {exc.diagnostics[0]}") from None


_Found = list[tuple[Path, str, SourceKind]]  # a file to pack, as shown, and what it is


def uses_builtin_controls(config: Project) -> bool:
    selection = config.builtin_controls
    return selection != "none" and (selection is not None or not config.controls)


def _catalog_sources(project: LoadedProject) -> _Found:
    """The control, framework catalog and mapping files, then the evidence schemas beside the controls.

    Built-in files are shown relative to the built-in root. Of the built-in controls, only the files
    holding controls the project uses are packed, with their evidence schemas; every framework catalog
    the run knew (built-in or a plug-in's) is packed, and the built-in mappings with built-in controls.
    """
    builtin = builtin_paths()
    config, catalog = project.config, project.catalog
    found: _Found = []
    if uses_builtin_controls(config):
        used = {
            catalog.control_sources[c].file for c in catalog.builtin_controls if c in catalog.control_sources
        }
        found += [
            (f, shown, "controls")
            for f, shown in catalog_files([builtin.controls], builtin.root)
            if shown in used
        ]
        found += [(f, shown, "mappings") for f, shown in catalog_files([builtin.mappings], builtin.root)]
        schemas = sorted(builtin.controls.rglob(f"*{SCHEMA_SUFFIX}"))
        wanted = [f for f in schemas if f.name.removesuffix(SCHEMA_SUFFIX) in catalog.evidence_schemas]
        found += [(f, display_path(f, builtin.root), "evidence-schema") for f in wanted]
    found += [(f, shown, "frameworks") for f, shown in framework_catalog_files()]
    found += [(f, shown, "controls") for f, shown in catalog_files(config.controls)]
    found += [(f, shown, "mappings") for f, shown in catalog_files([*config.catalogs, *config.mappings])]
    for directory in config.controls:
        if directory.is_dir():
            schemas = sorted(directory.rglob(f"*{SCHEMA_SUFFIX}"))
            found += [(file, display_path(file), "evidence-schema") for file in schemas]
    return found


def _policy_sources(project: LoadedProject) -> _Found:
    """The waiver, scope and parameters files, when given (built-in ones shown from the built-in root).

    The parameters are packed because they decide results: an auditor sees the values a rule used.
    """
    builtin_root = builtin_paths().root
    policy: tuple[tuple[Path | None, SourceKind], ...] = (
        (project.waivers_file, "waivers"),
        (project.scope_file, "scope"),
        (project.parameters_file, "parameters"),
    )
    return [
        (path, display_path(path, builtin_root if _inside(path, builtin_root) else None), kind)
        for path, kind in policy
        if path is not None
    ]


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _pack_inputs(project: LoadedProject) -> PackInputs:
    """The inputs the project named, for the manifest."""
    config = project.config
    builtin = ("built-in",) if uses_builtin_controls(config) else ()
    controls = (*builtin, *(display_path(p) for p in config.controls))
    mappings = (*builtin, *(display_path(p) for p in (*config.catalogs, *config.mappings)))
    return PackInputs(
        controls=controls,
        mappings=mappings,
        evidence=project.evidence_shown,
        waivers=display_path(project.waivers_file) if project.waivers_file is not None else None,
        scope=display_path(project.scope_file) if project.scope_file is not None else None,
        parameters=display_path(project.parameters_file) if project.parameters_file is not None else None,
    )


# --- building --------------------------------------------------------------------------------------


@frozen
class BuiltPack:
    data: bytes  # the zip archive
    manifest: PackManifest


def build_pack(
    report: Report,
    contents: PackContents,
    *,
    signing_key: Ed25519PrivateKey | None = None,
    extra: Mapping[str, bytes] | None = None,
) -> BuiltPack:
    """The pack's zip archive and its manifest, deterministic in ``report``, ``contents`` and the key.

    ``extra`` adds files by name (an operating period's sample sheet under ``period/``), listed and
    hashed in the manifest like every other file. Raises :class:`PackError` when an evidence file's
    bytes no longer have the hash the run used.
    """
    files: dict[str, bytes] = {_checked_name(name): data for name, data in (extra or {}).items()}
    evidence = _add_evidence(files, contents.evidence)
    sources = _add_sources(files, contents.sources)
    for output_format, name, _ in REPORTS:
        files[name] = render_text(report, output_format).encode("utf-8")
    signature = signature_info(signing_key) if signing_key is not None else None
    files[INDEX] = render_index(report, _layout(evidence, sources, signature)).encode("utf-8")
    manifest = PackManifest(
        format_version=FORMAT_VERSION,
        assay_version=__version__,
        now=report.generated_at,
        frameworks=tuple(f.key for f in report.frameworks),
        inputs=contents.inputs,
        files={name: FileEntry(sha256=sha256_hex(data), size=len(data)) for name, data in files.items()},
        evidence=evidence,
        sources=sources,
        signature=signature,
    )
    manifest_bytes = manifest_json(manifest)
    files[MANIFEST] = manifest_bytes
    if signing_key is not None:
        files[SIGNATURE] = sign(signing_key, manifest_bytes)
    return BuiltPack(_zip(files, report.generated_at), manifest)


def _add_evidence(files: dict[str, bytes], evidence: Sequence[EvidenceFile]) -> tuple[PackedEvidence, ...]:
    """Add every evidence file, redacted, to ``files``; their manifest records."""
    records = []
    for packed in evidence:
        data, record = _pack_evidence(packed)
        files[record.file] = data
        records.append(record)
    return tuple(records)


def _pack_evidence(packed: EvidenceFile) -> tuple[bytes, PackedEvidence]:
    """One evidence file's bytes as packed (secrets redacted) and its record; refused when changed."""
    item = packed.item
    digest = sha256_hex(packed.data)
    if digest != item.sha256:
        raise PackError(
            f"{item.path}: the file changed after it was evaluated (sha256 {item.sha256} then, "
            f"{digest} now); run assay pack again"
        )
    name = _checked_name(f"evidence/{packed.relative}")
    result = redact(packed.data, item.format)
    record = None
    if result.redactions:
        record = RedactionRecord(
            original_sha256=digest,
            original_size=len(packed.data),
            packed_sha256=sha256_hex(result.data),
            packed_size=len(result.data),
            locations=tuple(RedactionEntry(at=r.at, reason=r.reason) for r in result.redactions),
        )
    return result.data, PackedEvidence(
        name=item.name,
        file=name,
        path=item.path,
        format=item.format,
        sha256=digest,
        size=len(packed.data),
        collected_at=item.collected_at,
        as_of=item.as_of,
        source=item.source,
        redacted=record,
    )


def _add_sources(files: dict[str, bytes], sources: Sequence[SourceFile]) -> tuple[PackedSource, ...]:
    """Add the source files to ``files`` (the same bytes at the same name only once); their records."""
    records = []
    for source in sources:
        name = _source_name(source.path, files, source.data)
        if name not in files:
            files[name] = source.data
            records.append(PackedSource(file=name, kind=source.kind, path=source.path))
    return tuple(records)


def _layout(
    evidence: Sequence[PackedEvidence], sources: Sequence[PackedSource], signature: SignatureInfo | None
) -> PackLayout:
    """What ``index.html`` links to: the reports, the packed evidence and sources, the signing key."""
    return PackLayout(
        reports=tuple((name, label) for _, name, label in REPORTS),
        evidence={
            e.name: IndexEvidence(
                name=e.name,
                file=e.file,
                sha256=e.sha256,
                collected_at=e.collected_at,
                source=e.source,
                redactions=tuple((r.at, r.reason) for r in e.redacted.locations) if e.redacted else (),
            )
            for e in evidence
        },
        sources=tuple(IndexSource(file=s.file, kind=s.kind, path=s.path) for s in sources),
        key_id=signature.key_id if signature is not None else None,
    )


def _checked_name(name: str) -> str:
    problem = name_problem(name)
    if problem is not None:
        raise PackError(f"cannot pack {name!r}: {problem}")
    return name


def _source_name(shown: str, taken: Mapping[str, bytes], data: bytes) -> str:
    """Where a source file goes: ``sources/`` + its path as shown, when that is a safe relative path."""
    path = PurePosixPath(shown)
    name = f"sources/{shown}"
    if path.is_absolute() or name_problem(name) is not None:
        name = _checked_name(f"sources/external/{path.name}")
    stem, dot, suffix = name.rpartition(".")
    number = 1
    while name in taken and taken[name] != data:  # a different file that would land on the same name
        number += 1
        name = f"{stem}-{number}.{suffix}" if dot else f"{name}-{number}"
    return name


# --- the zip ---------------------------------------------------------------------------------------


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    """``moment`` in UTC, clamped to the years a zip entry's time can hold."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    if utc.year < _ZIP_FIRST[0]:
        return _ZIP_FIRST
    if utc.year > _ZIP_LAST[0]:
        return _ZIP_LAST
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _zip(files: Mapping[str, bytes], moment: datetime) -> bytes:
    """A zip of ``files`` in name order, every entry with the same time, permissions and compression."""
    buffer = io.BytesIO()
    when = _zip_time(moment)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = _UNIX
            info.external_attr = _FILE_MODE
            archive.writestr(info, files[name], compresslevel=9)
    result: bytes = buffer.getvalue()
    return result
