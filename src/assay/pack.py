"""Evidence packs: one zip an auditor can open offline and verify, built and checked here.

A pack holds ``index.html`` (the entry page), the gap report as HTML, Markdown, JSON and CSV, every
evidence file the run read (secrets redacted, see :mod:`assay.redact`), the control, mapping,
waiver and scope files used, ``manifest.json`` and, when signed, ``manifest.sig``::

    index.html
    manifest.json            format, assay version, now, inputs, sha256 and size of every other file,
                             per evidence: collected_at, as_of, source, original sha256, redactions
    manifest.sig             Ed25519 signature of the exact bytes of manifest.json (64 raw bytes)
    reports/gap-report.{html,md,json,csv}
    evidence/<path under the evidence directory>
    sources/<path as shown in the report>

Building is deterministic: the same inputs and ``now`` give the same bytes (entries sorted by name,
timestamps set to ``now``, fixed permissions and compression). :func:`build_pack` and
:func:`verify_pack` work on bytes; :func:`collect` is the one place that reads files, and the CLI
writes the archive. Verification never extracts anything to disk: entries are read into memory
under caps on their number, their sizes (from the headers and again while inflating) and their
compression ratio, and an archive with unsafe names (absolute, ``..``, backslashes), links or
duplicates is refused before any entry is read.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import stat
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from assay._version import __version__
from assay.catalog import SCHEMA_SUFFIX, builtin_paths, catalog_files
from assay.errors import AssayError, LoadError
from assay.evidence import EvidenceItem
from assay.gaps import Report
from assay.inputs import Inputs
from assay.loader import display_path
from assay.redact import redact
from assay.render import render
from assay.render.pack_index import IndexEvidence, IndexSource, PackLayout, render_index
from assay.yamlsource import read_capped

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
)
MiB = 1024 * 1024
_SHA256 = r"^[0-9a-f]{64}$"


class PackError(AssayError):
    """A pack cannot be built from these inputs (evidence changed under us, an unusable key, ...)."""


# --- the manifest ----------------------------------------------------------------------------------


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


SourceKind = Literal["controls", "mappings", "evidence-schema", "waivers", "scope"]


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


# --- keys ------------------------------------------------------------------------------------------


def generate_key_pair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: (PKCS#8 private key, SubjectPublicKeyInfo public key)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private_pem, public_pem(private.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(data: bytes, shown: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8), refusing anything else with a clear message."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:  # a password is needed
        raise PackError(f"{shown}: the private key is encrypted; give an unencrypted PKCS#8 key") from None
    except (ValueError, NotImplementedError):
        raise PackError(f"{shown}: not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(f"{shown}: not an Ed25519 key (assay keygen writes one)")
    return key


def load_public_key(data: bytes, shown: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo)."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, NotImplementedError):
        raise PackError(f"{shown}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise PackError(f"{shown}: not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


# --- collecting the files (the only I/O of building) -----------------------------------------------


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence file to pack: the item the run used and the bytes just read back from disk."""

    item: EvidenceItem
    relative: str  # under the evidence directory
    data: bytes


@dataclass(frozen=True)
class SourceFile:
    path: str  # as shown in reports and diagnostics
    kind: SourceKind
    data: bytes


@dataclass(frozen=True)
class PackContents:
    evidence: tuple[EvidenceFile, ...]
    sources: tuple[SourceFile, ...]
    inputs: PackInputs


def collect(
    inputs: Inputs,
    *,
    controls: Sequence[Path] | None,
    mappings: Sequence[Path] | None,
    max_evidence_bytes: int,
) -> PackContents:
    """Read back every evidence file the run used, and the control, mapping, waiver and scope files.

    ``controls`` and ``mappings`` are what was given to :func:`assay.inputs.load_inputs` (``None``:
    built in). Evidence is read again from disk; :func:`build_pack` checks it still has the hash the
    run saw.
    """
    evidence = []
    prefix = f"{inputs.evidence_shown}/"
    for item in sorted(inputs.evidence.items(), key=lambda i: i.name):
        if item.path is None or not item.path.startswith(prefix):  # pragma: no cover - directory stores
            raise PackError(f"evidence {item.name!r} was not read from the evidence directory")
        relative = item.path[len(prefix) :]
        try:
            data = read_capped(inputs.evidence_root / relative, max_evidence_bytes, item.path)
        except LoadError as exc:
            raise PackError(f"cannot pack {exc.diagnostics[0]}") from None
        evidence.append(EvidenceFile(item, relative, data))

    controls_given, mappings_given = controls, mappings
    root: Path | None = None
    if controls is None or mappings is None:  # the catalog is then shown relative to the built-in root
        builtin = builtin_paths()
        root = builtin.root
        controls = [builtin.controls] if controls is None else controls
        mappings = [builtin.mappings] if mappings is None else mappings
    found: list[tuple[Path, str, SourceKind]] = []
    found += [(file, shown, "controls") for file, shown in catalog_files(controls, root)]
    found += [(file, shown, "mappings") for file, shown in catalog_files(mappings, root)]
    for directory in controls:
        if directory.is_dir():
            schemas = sorted(directory.rglob(f"*{SCHEMA_SUFFIX}"))
            found += [(file, display_path(file, root), "evidence-schema") for file in schemas]
    builtin_root = builtin_paths().root
    policy: tuple[tuple[Path | None, SourceKind], ...] = (
        (inputs.waivers_file, "waivers"),
        (inputs.scope_file, "scope"),
    )
    for path, kind in policy:
        if path is not None:
            found.append(
                (path, display_path(path, builtin_root if _inside(path, builtin_root) else None), kind)
            )
    sources = []
    for file, shown, kind in found:
        try:
            sources.append(SourceFile(shown, kind, read_capped(file, 64 * MiB, shown)))
        except LoadError as exc:
            raise PackError(f"cannot pack {exc.diagnostics[0]}") from None

    def given(paths: Sequence[Path] | None) -> tuple[str, ...]:
        return ("built-in",) if paths is None else tuple(display_path(p) for p in paths)

    return PackContents(
        evidence=tuple(evidence),
        sources=tuple(sources),
        inputs=PackInputs(
            controls=given(controls_given),
            mappings=given(mappings_given),
            evidence=inputs.evidence_shown,
            waivers=display_path(inputs.waivers_file) if inputs.waivers_file is not None else None,
            scope=display_path(inputs.scope_file) if inputs.scope_file is not None else None,
        ),
    )


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


# --- building --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltPack:
    data: bytes  # the zip archive
    manifest: PackManifest


def build_pack(
    report: Report, contents: PackContents, *, signing_key: Ed25519PrivateKey | None = None
) -> BuiltPack:
    """The pack's zip archive and its manifest, deterministic in ``report``, ``contents`` and the key.

    Raises :class:`PackError` when an evidence file's bytes no longer have the hash the run used.
    """
    files: dict[str, bytes] = {}
    evidence: list[PackedEvidence] = []
    for packed in contents.evidence:
        item = packed.item
        digest = _sha256(packed.data)
        if digest != item.sha256:
            raise PackError(
                f"{item.path}: the file changed after it was evaluated (sha256 {item.sha256} then, "
                f"{digest} now); run assay pack again"
            )
        name = _checked_name(f"evidence/{packed.relative}")
        result = redact(packed.data, item.format)
        files[name] = result.data
        record = None
        if result.redactions:
            record = RedactionRecord(
                original_sha256=digest,
                original_size=len(packed.data),
                packed_sha256=_sha256(result.data),
                packed_size=len(result.data),
                locations=tuple(RedactionEntry(at=r.at, reason=r.reason) for r in result.redactions),
            )
        evidence.append(
            PackedEvidence(
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
        )
    sources: list[PackedSource] = []
    for source in contents.sources:
        name = _source_name(source.path, files, source.data)
        if name not in files:
            files[name] = source.data
            sources.append(PackedSource(file=name, kind=source.kind, path=source.path))
    for output_format, name, _ in REPORTS:
        files[name] = render(report, output_format).encode("utf-8")
    signature = None
    if signing_key is not None:
        public = signing_key.public_key()
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        signature = SignatureInfo(public_key=base64.b64encode(raw).decode("ascii"), key_id=key_id(public))
    layout = PackLayout(
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
    files[INDEX] = render_index(report, layout).encode("utf-8")
    manifest = PackManifest(
        format_version=FORMAT_VERSION,
        assay_version=__version__,
        now=report.generated_at,
        frameworks=tuple(f.key for f in report.frameworks),
        inputs=contents.inputs,
        files={name: FileEntry(sha256=_sha256(data), size=len(data)) for name, data in files.items()},
        evidence=tuple(evidence),
        sources=tuple(sources),
        signature=signature,
    )
    manifest_bytes = manifest_json(manifest)
    files[MANIFEST] = manifest_bytes
    if signing_key is not None:
        files[SIGNATURE] = signing_key.sign(manifest_bytes)
    return BuiltPack(_zip(files, report.generated_at), manifest)


def manifest_json(manifest: PackManifest) -> bytes:
    """The manifest's bytes: sorted keys, two-space indent, a final newline (these bytes are signed)."""
    data = manifest.model_dump(mode="json")
    text: str = json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked_name(name: str) -> str:
    problem = _name_problem(name)
    if problem is not None:
        raise PackError(f"cannot pack {name!r}: {problem}")
    return name


def _source_name(shown: str, taken: Mapping[str, bytes], data: bytes) -> str:
    """Where a source file goes: ``sources/`` + its path as shown, when that is a safe relative path."""
    path = PurePosixPath(shown)
    name = f"sources/{shown}"
    if path.is_absolute() or _name_problem(name) is not None:
        name = _checked_name(f"sources/external/{path.name}")
    stem, dot, suffix = name.rpartition(".")
    number = 1
    while name in taken and taken[name] != data:  # a different file that would land on the same name
        number += 1
        name = f"{stem}-{number}.{suffix}" if dot else f"{name}-{number}"
    return name


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    utc = moment.astimezone(UTC) if moment.tzinfo else moment
    if utc.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    if utc.year > 2107:
        return (2107, 12, 31, 23, 59, 58)
    return (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)


def _zip(files: Mapping[str, bytes], moment: datetime) -> bytes:
    """A zip of ``files`` in name order, every entry with the same time, permissions and compression."""
    buffer = io.BytesIO()
    when = _zip_time(moment)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permission bits below are meaningful
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, files[name], compresslevel=9)
    result: bytes = buffer.getvalue()
    return result


# --- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackLimits:
    """Caps that keep a hostile archive from exhausting memory: checked in the headers and while reading."""

    max_entries: int = 10_000
    max_entry_bytes: int = 512 * MiB
    max_total_bytes: int = 512 * MiB
    max_ratio: int = 200  # uncompressed : compressed
    ratio_floor: int = 1 * MiB  # entries smaller than this are not held to the ratio


@dataclass(frozen=True)
class Verification:
    """The outcome of :func:`verify_pack`: problems (empty when everything holds) and notes."""

    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()
    files: int = 0  # files listed in the manifest
    refused: bool = False  # the archive was unsafe, and was not read

    @property
    def ok(self) -> bool:
        return not self.problems


class _Unsafe(Exception):
    pass


def verify_pack(
    data: bytes,
    *,
    public_key: Ed25519PublicKey | None = None,
    public_key_name: str = "the given public key",
    limits: PackLimits = PackLimits(),
) -> Verification:
    """Check a pack: safe to read, every hash as listed, nothing missing or extra, a valid signature.

    With ``public_key`` the signature must be made with that key; without it, a signature is checked
    with the key the manifest names, which proves integrity but not who signed.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        return Verification((f"not a zip archive: {exc}",), refused=True)
    with archive:
        infos = archive.infolist()
        unsafe = _unsafe_entries(infos, limits)
        if unsafe:
            return Verification(tuple(unsafe), refused=True)
        try:
            contents, problems = _read_entries(archive, infos, limits)
        except _Unsafe as exc:
            return Verification((str(exc),), refused=True)
    unreadable = {info.filename for info in infos} - set(contents)
    return _check_contents(contents, unreadable, problems, public_key, public_key_name)


def _name_problem(name: str) -> str | None:
    """Why an entry name is unsafe to hand to anything that might extract it, or None."""
    if not name:
        return "empty name"
    if any(ord(c) < 32 or ord(c) == 127 for c in name):
        return "control character in the name"
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "absolute path"
    if "\\" in name:
        return "backslash in the name"
    parts = name.split("/")
    if ".." in parts:
        return "'..' in the path"
    if any(part in ("", ".") for part in parts):
        return "not a normalised path"
    return None


def _unsafe_entries(infos: Sequence[zipfile.ZipInfo], limits: PackLimits) -> list[str]:
    if len(infos) > limits.max_entries:
        return [f"unsafe archive: {len(infos):,} entries; the limit is {limits.max_entries:,}"]
    problems: list[str] = []
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.orig_filename
        label = f"unsafe entry {name!r}"
        problem = _name_problem(name)
        mode = info.external_attr >> 16
        if problem is None and stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            problem = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        if problem is None and info.is_dir():
            problem = "not a regular file"
        if problem is None and name.casefold() in seen:
            first = seen[name.casefold()]
            problem = "duplicate name" if first == name else f"differs from {first!r} only in case"
        if problem is None and info.flag_bits & 0x1:
            problem = "encrypted"
        if problem is None and info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problem = f"compression method {info.compress_type}; only stored and deflated entries are read"
        if problem is None and info.file_size > limits.max_entry_bytes:
            problem = f"{info.file_size:,} bytes uncompressed; the limit is {limits.max_entry_bytes:,}"
        if problem is None and _over_ratio(info.file_size, info.compress_size, limits):
            ratio = info.file_size / max(info.compress_size, 1)
            problem = f"compression ratio {ratio:,.0f}:1; the limit is {limits.max_ratio}:1"
        if problem is not None:
            problems.append(f"{label}: {problem}")
        seen.setdefault(name.casefold(), name)
        total += info.file_size
    if not problems and total > limits.max_total_bytes:
        problems.append(
            f"unsafe archive: {total:,} bytes uncompressed in all; the limit is {limits.max_total_bytes:,}"
        )
    return problems


def _over_ratio(size: int, compressed: int, limits: PackLimits) -> bool:
    return size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1)


def _read_entries(
    archive: zipfile.ZipFile, infos: Sequence[zipfile.ZipInfo], limits: PackLimits
) -> tuple[dict[str, bytes], list[str]]:
    """Every entry's bytes, counted while inflating: headers are checked already, but not trusted."""
    contents: dict[str, bytes] = {}
    problems: list[str] = []
    total = 0
    for info in infos:
        chunks: list[bytes] = []
        size = 0
        try:
            with archive.open(info) as stream:
                while chunk := stream.read(MiB):
                    size += len(chunk)
                    total += len(chunk)
                    if size > info.file_size or size > limits.max_entry_bytes:
                        raise _Unsafe(
                            f"unsafe entry {info.filename!r}: inflates past its declared size of "
                            f"{info.file_size:,} bytes"
                        )
                    if _over_ratio(size, info.compress_size, limits):
                        raise _Unsafe(f"unsafe entry {info.filename!r}: inflates past {limits.max_ratio}:1")
                    if total > limits.max_total_bytes:
                        raise _Unsafe(
                            f"unsafe archive: inflates past {limits.max_total_bytes:,} bytes in all"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            problems.append(f"{info.filename}: cannot be read: {exc}")
            continue
        contents[info.filename] = b"".join(chunks)
    return contents, problems


def _check_contents(
    contents: dict[str, bytes],
    unreadable: set[str],
    problems: list[str],
    public_key: Ed25519PublicKey | None,
    public_key_name: str,
) -> Verification:
    raw = contents.get(MANIFEST)
    if raw is None:
        if MANIFEST not in unreadable:
            problems.append(f"{MANIFEST}: missing; this is not an assay evidence pack")
        return Verification(tuple(problems))
    manifest, problem = _parse_manifest(raw)
    if manifest is None:
        return Verification((*problems, f"{MANIFEST}: {problem}"))
    notes: list[str] = []
    problems += _check_signature(manifest, raw, contents.get(SIGNATURE), public_key, public_key_name, notes)
    listed = manifest.files
    for name in sorted(listed):
        entry = listed[name]
        if name in (MANIFEST, SIGNATURE):
            problems.append(f"{MANIFEST}: lists {name}, which cannot hold its own hash")
        elif name in unreadable:
            continue
        elif name not in contents:
            problems.append(f"{name}: missing (listed in the manifest, not in the archive)")
        else:
            body = contents[name]
            digest = _sha256(body)
            if digest != entry.sha256 or len(body) != entry.size:
                problems.append(
                    f"{name}: modified: sha256 {digest} ({len(body):,} bytes); "
                    f"the manifest records {entry.sha256} ({entry.size:,} bytes)"
                )
    for name in sorted(contents):
        if name not in listed and name not in (MANIFEST, SIGNATURE):
            problems.append(f"{name}: extra file (in the archive, not in the manifest)")
    problems += _check_records(manifest)
    redacted = [e for e in manifest.evidence if e.redacted is not None]
    if redacted:
        values = sum(len(e.redacted.locations) for e in redacted if e.redacted is not None)
        notes.append(
            f"redacted: {values} value(s) in {len(redacted)} evidence file(s); manifest.json says where"
        )
    return Verification(tuple(problems), tuple(notes), files=len(listed))


def _parse_manifest(raw: bytes) -> tuple[PackManifest | None, str]:
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


def _check_signature(
    manifest: PackManifest,
    raw: bytes,
    signature: bytes | None,
    public_key: Ed25519PublicKey | None,
    public_key_name: str,
    notes: list[str],
) -> list[str]:
    info = manifest.signature
    if info is None:
        if signature is not None:
            return [f"{SIGNATURE}: present, but {MANIFEST} names no signing key"]
        if public_key is not None:
            return [f"{SIGNATURE}: missing; the pack is not signed, so {public_key_name} cannot be checked"]
        notes.append("signature: none (the pack is not signed)")
        return []
    if signature is None:
        return [f"{SIGNATURE}: missing, but {MANIFEST} says the pack is signed with key {info.key_id}"]
    try:
        named = Ed25519PublicKey.from_public_bytes(base64.b64decode(info.public_key, validate=True))
    except ValueError:
        return [f"{MANIFEST}: signature.public_key is not an Ed25519 public key"]
    if key_id(named) != info.key_id:
        return [f"{MANIFEST}: signature.key_id does not match signature.public_key"]
    key = public_key if public_key is not None else named
    try:
        key.verify(signature, raw)
    except InvalidSignature:
        if public_key is not None and key_id(public_key) != info.key_id:
            return [
                f"{SIGNATURE}: the pack was signed with key {info.key_id}, not with the given key "
                f"{key_id(public_key)} ({public_key_name})"
            ]
        return [
            f"{SIGNATURE}: the signature does not match {MANIFEST}; the manifest or the signature "
            "was changed after signing"
        ]
    if public_key is not None:
        notes.append(f"signature: valid, made with the given key {key_id(public_key)}")
    else:
        notes.append(
            f"signature: valid, made with key {info.key_id} named in the manifest; "
            "pass --public-key to check that it is a key you trust"
        )
    return []


def _check_records(manifest: PackManifest) -> list[str]:
    """The evidence and source records agree with the file list (a hand-edited manifest might not)."""
    problems = []
    for evidence in manifest.evidence:
        entry = manifest.files.get(evidence.file)
        if entry is None:
            problems.append(f"{MANIFEST}: evidence {evidence.name}: {evidence.file} is not among the files")
            continue
        redaction = evidence.redacted
        expected = redaction.packed_sha256 if redaction is not None else evidence.sha256
        if entry.sha256 != expected:
            what = "its redacted copy" if redaction is not None else "the evaluated file"
            problems.append(
                f"{MANIFEST}: evidence {evidence.name}: {evidence.file} is listed with sha256 "
                f"{entry.sha256}, but {what} had {expected}"
            )
        if redaction is not None and redaction.original_sha256 != evidence.sha256:
            problems.append(
                f"{MANIFEST}: evidence {evidence.name}: the original sha256 is recorded twice, differently"
            )
    for source in manifest.sources:
        if source.file not in manifest.files:
            problems.append(f"{MANIFEST}: source {source.path}: {source.file} is not among the files")
    return problems
