"""Evidence: named, dated, hashed documents, kept in their original export format.

A directory store reads every file under a root once (JSON, YAML, CSV as a list of row maps, plain
text), hashes its bytes, and takes its metadata (``collected_at``, ``as_of``, ``source``) from
``assay-manifest.yaml`` at the root or a ``<file>.meta.yaml`` sidecar, so exports stay byte for byte
as the system produced them. A file that cannot be read becomes a :class:`EvidenceProblem` with its
position; the engine turns it into an ``error`` for the controls that need it and goes on.

The folder is untrusted. Exports, sidecars and the manifest alike are read only when they are regular
files inside it (a link out of it, a FIFO, a socket or a device is refused before it is opened), under
a size limit, and parsed under a depth limit. Evidence dated after the evaluation time by more than
:data:`CLOCK_SKEW` cannot be used (:func:`future_dated`).

The :class:`InMemoryEvidence` store gives library users and tests the same interface with no files.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.evidence_json import nesting_depth as nesting_depth  # re-exported: a public name here
from assay.evidence_json import read_json
from assay.evidence_meta import EvidenceManifest, EvidenceMeta
from assay.evidence_prune import Loaded, Sightings
from assay.evidence_prune import Pruning as Pruning  # re-exported: load_evidence_dir takes one
from assay.evidence_verdicts import Invalid, record_diagnostics, validated
from assay.fileio import read_inside, real_path
from assay.lean_dataclasses import dataclass, frozen
from assay.loading.cached import parse_cached_yaml
from assay.model import EVIDENCE_NAME_PATTERN
from assay.project import DEFAULT_MAX_EVIDENCE_MB
from assay.redact import redact_text
from assay.yamlsource import Limits, Position, YamlDocument, decode_utf8

MANIFEST = "assay-manifest.yaml"
SIDECAR_SUFFIX = ".meta.yaml"
FORMATS = {".json": "json", ".sarif": "json", ".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".txt": "text"}
EVIDENCE_LIMITS = Limits(max_bytes=DEFAULT_MAX_EVIDENCE_MB * 1024 * 1024, max_depth=256, max_nodes=20_000_000)
MANIFEST_MAX_BYTES = 8 * 1024 * 1024
SIDECAR_MAX_BYTES = 1024 * 1024
# How far in the future of the evaluation time a date may lie and still be believed: the clocks of
# the machine that collected the evidence and of the one evaluating it may disagree by this much.
CLOCK_SKEW = timedelta(minutes=5)
_FOLDER = "the evidence directory"
_NAME = re.compile(EVIDENCE_NAME_PATTERN)


@frozen
class EvidenceItem:
    """One evidence document: its parsed content and what is known about where it came from."""

    name: str
    data: Any
    sha256: str
    collected_at: datetime | None = None
    as_of: datetime | None = None
    source: str | None = None
    path: str | None = None
    format: str = "json"
    # True when ``data`` keeps only the fields the catalog's rules read (see :class:`Pruning`): the
    # whole document passed its schema before it was cut down.
    pruned: bool = False
    # For pruned evidence a waiver's notice looks into: what the whole document showed it.
    sightings: Sightings | None = None
    # Bytes of the document as given: its file's, or its canonical JSON's when given in memory. CEL
    # budgets grow with it (assay.cel.native.scaling), the same whether or not ``data`` was pruned.
    size: int | None = None

    def __post_init__(self) -> None:
        # The source (a command line, a URL) reaches reports and packs: never with a credential in it.
        if self.source is not None:
            object.__setattr__(self, "source", redact_text(self.source))

    @property
    def dated(self) -> datetime | None:
        """The moment the evidence describes: ``as_of`` when given, else ``collected_at``."""
        return self.as_of or self.collected_at


def future_dated(item: EvidenceItem, now: datetime) -> str | None:
    """Why ``item`` cannot be believed when it is dated after ``now`` (beyond :data:`CLOCK_SKEW`), else None.

    Evidence cannot describe a moment that has not come yet: a date in the future is a wrong clock or
    a forged date, and either would make stale evidence look fresh.
    """
    latest = now + CLOCK_SKEW
    for label, moment in (("collected_at", item.collected_at), ("as_of", item.as_of)):
        if moment is None:
            continue
        aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
        if aware > latest:
            minutes = int(CLOCK_SKEW.total_seconds() // 60)
            return (
                f"is dated in the future: {label} {aware.isoformat()} is after the evaluation time "
                f"{now.isoformat()} by more than the {minutes}-minute clock-skew allowance"
            )
    return None


@frozen
class EvidenceProblem:
    """Evidence that exists but could not be used, with the diagnostic that says why."""

    name: str
    diagnostic: Diagnostic


class EvidenceStore(Protocol):
    """Where the engine gets evidence from. Implementations do their I/O before the engine runs."""

    def get(self, name: str) -> EvidenceItem | None: ...

    def problem(self, name: str) -> EvidenceProblem | None: ...

    def items(self) -> Iterable[EvidenceItem]: ...

    def problems(self) -> Iterable[EvidenceProblem]: ...

    def digest(self, relative: str) -> str | None:
        """The sha256 of a file of the evidence folder by its relative path (an attestation's artefact)."""
        ...


@dataclass
class InMemoryEvidence:
    """An evidence store held in memory: for library users, tests and each control's test cases."""

    _items: dict[str, EvidenceItem] = field(default_factory=dict)
    _problems: dict[str, EvidenceProblem] = field(default_factory=dict)
    snapshot_at: datetime | None = None  # from the manifest: the default evaluation time of a frozen set
    # sha256 of every file read from an evidence folder, by its path relative to the folder
    digests: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any], *, collected_at: datetime | None = None, source: str | None = None
    ) -> InMemoryEvidence:
        """Evidence from plain values by name; each is hashed as canonical JSON."""
        store = cls()
        for name, data in values.items():
            store.add(name, data, collected_at=collected_at, source=source)
        return store

    def add(
        self,
        name: str,
        data: Any,
        *,
        collected_at: datetime | None = None,
        as_of: datetime | None = None,
        source: str | None = None,
    ) -> EvidenceItem:
        if not _NAME.match(name):
            raise ConfigError(f"{name!r} is not an evidence name (dot-separated lower-case words)")
        canonical = canonical_json(data)
        digest = hashlib.sha256(canonical).hexdigest()
        item = EvidenceItem(name, data, digest, collected_at, as_of, source, size=len(canonical))
        self._items[name] = item
        return item

    def add_problem(self, problem: EvidenceProblem) -> None:
        self._problems[problem.name] = problem

    def get(self, name: str) -> EvidenceItem | None:
        return self._items.get(name)

    def problem(self, name: str) -> EvidenceProblem | None:
        return self._problems.get(name)

    def items(self) -> Iterable[EvidenceItem]:
        return list(self._items.values())

    def problems(self) -> Iterable[EvidenceProblem]:
        return list(self._problems.values())

    def digest(self, relative: str) -> str | None:
        return self.digests.get(relative)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode("utf-8")


# --- reading a directory ---------------------------------------------------------------------------


def name_for(relative: str) -> str:
    """``aws/ec2/volumes.json`` -> ``aws.ec2.volumes``; dashes and spaces become underscores."""
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    return ".".join(part.lower().replace("-", "_").replace(" ", "_") for part in stem.split("/"))


def load_evidence_dir(
    root: Path,
    *,
    limits: Limits = EVIDENCE_LIMITS,
    shown_root: str | None = None,
    pruning: Pruning | None = None,
) -> InMemoryEvidence:
    """Read every evidence file under ``root``; problems are kept per evidence name, never raised.

    ``shown_root`` is how the root is written in diagnostics (default: as given); with ``pruning``,
    large documents keep only what a run's rules read (see :class:`Pruning`).
    """
    if not root.is_dir():
        raise ConfigError(f"{root}: evidence directory not found")
    shown = (shown_root if shown_root is not None else str(root)).rstrip("/")
    store = InMemoryEvidence()
    manifest = _read_manifest(root, shown)
    store.snapshot_at = manifest.snapshot_at
    reader = _DirectoryReader(root, shown, limits, dict(manifest.evidence), store, pruning)
    with collection_paused():
        for relative in _walk(root):
            reader.read(relative)
        if reader.bytes_read >= FREEZE_ABOVE_BYTES:
            gc.freeze()
    return store


# Above this much evidence, what is loaded is frozen out of the garbage collector's sight (gc.freeze).
FREEZE_ABOVE_BYTES = 16 * 1024 * 1024


@contextmanager
def collection_paused() -> Iterator[None]:
    """The garbage collector paused while evidence is parsed (and while a run's findings are placed in
    their files: a million of them are long-lived objects, none garbage).

    Parsing a large export creates millions of lists and maps, none of them garbage, and the collector
    would walk them again and again (two thirds of the time spent parsing a million resources). Over
    :data:`FREEZE_ABOVE_BYTES` the loaded evidence is then frozen (:func:`gc.freeze`), so the
    collections of the rest of the run no longer walk it either. Evidence holds no reference cycles, so
    freezing keeps nothing alive that reference counting would free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _DirectoryReader:
    """Reads the files of one evidence directory into ``store``, one file at a time."""

    root: Path
    shown: str
    limits: Limits
    manifest: dict[str, EvidenceMeta]
    store: InMemoryEvidence
    pruning: Pruning | None = None
    names: dict[str, str] = field(default_factory=dict)  # evidence name -> the file that provides it
    bytes_read: int = 0
    real: str = ""  # the root's real path, resolved once (read_inside compares each file's with it)

    def __post_init__(self) -> None:
        self.real = real_path(self.root)

    def read(self, relative: str) -> None:
        """Add the file's evidence, or the problem that keeps it out, to the store."""
        display = f"{self.shown}/{relative}"
        meta = self.manifest.get(relative)
        sidecar = f"{relative}{SIDECAR_SUFFIX}"
        fallback_name = name_for(relative)
        if os.path.lexists(self.root / sidecar):
            side = self.read_meta(sidecar, f"{display}{SIDECAR_SUFFIX}", fallback_name)
            if side is not None and meta is not None:
                self.refuse(fallback_name, display, f"metadata is given both in {MANIFEST} and in a sidecar")
                return
            meta = side if side is not None else meta
        name = (meta.name if meta and meta.name else None) or fallback_name
        if not _NAME.match(name):
            self.refuse(
                name,
                display,
                f"evidence name {name!r} derived from the path is not valid; "
                "rename the file or set 'name' in its metadata",
            )
            return
        if name in self.names:
            self.refuse(name, display, f"evidence {name!r} is also provided by {self.names[name]}")
            return
        self.names[name] = display
        self.parse(name, display, meta, relative)

    def refuse(self, name: str, display: str, message: str) -> None:
        self.store.add_problem(_problem(name, display, 1, 1, message))

    def read_meta(self, relative: str, display: str, name: str) -> EvidenceMeta | None:
        """The metadata of a sidecar file; a problem for evidence ``name`` when it cannot be used."""
        try:
            raw = read_inside(
                self.root, relative, SIDECAR_MAX_BYTES, display, folder=_FOLDER, real_root=self.real
            )
            document = parse_cached_yaml(raw, display)
            return validated(EvidenceMeta, document.data)
        except LoadError as exc:
            self.store.add_problem(EvidenceProblem(name, exc.diagnostics[0]))
        except Invalid as exc:
            self.store.add_problem(
                EvidenceProblem(name, record_diagnostics(exc, document, "metadata", EvidenceMeta)[0])
            )
        return None

    def parse(self, name: str, display: str, meta: EvidenceMeta | None, relative: str) -> None:
        """Read and parse one file that may provide evidence ``name``."""
        suffix = Path(relative).suffix.lower()
        fmt = (meta.format if meta and meta.format else None) or FORMATS.get(suffix, "text")
        try:
            raw = read_inside(
                self.root, relative, self.limits.max_bytes, display, folder=_FOLDER, real_root=self.real
            )
            self.bytes_read += len(raw)
            digest = self.store.digests[relative] = hashlib.sha256(raw).hexdigest()
            whole = _Parse(raw, fmt, display, self.limits)
            loaded = self.pruning.load(name, raw, fmt, whole, digest) if self.pruning else Loaded(whole())
        except LoadError as exc:
            self.store.add_problem(EvidenceProblem(name, exc.diagnostics[0]))
            return
        self.store._items[name] = EvidenceItem(
            name=name,
            data=loaded.data,
            sha256=digest,
            collected_at=meta.collected_at if meta else None,
            as_of=meta.as_of if meta else None,
            source=meta.source if meta else None,
            path=display,
            format=fmt,
            pruned=loaded.pruned,
            sightings=loaded.sightings,
            size=len(raw),
        )


@frozen
class _Parse:
    """The whole document of a file, parsed when called (a pruned load may never need it)."""

    raw: bytes
    fmt: str
    shown: str
    limits: Limits

    def __call__(self) -> Any:
        return parse_evidence(self.raw, self.fmt, self.shown, self.limits)

    def rows(self) -> Iterator[dict[str, str]]:
        """A CSV file's rows, one at a time (as :func:`parse_evidence` would list them)."""
        return csv_rows(self.text(), self.shown)

    def text(self) -> str:
        """The file's text (a :class:`LoadError` at the first byte that is not UTF-8)."""
        return decode_utf8(self.raw, self.shown)


def _walk(root: Path) -> Iterator[str]:
    """Evidence files under root, relative and '/'-separated, sorted; metadata files excluded.

    Directory links are not followed; file links are returned so the caller can refuse the ones
    that point outside the root.
    """
    found: list[str] = []
    for directory, subdirs, files in os.walk(root, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not d.startswith("."))
        for filename in files:
            if filename.startswith(".") or filename == MANIFEST or filename.endswith(SIDECAR_SUFFIX):
                continue
            found.append(Path(directory, filename).relative_to(root).as_posix())
    real_root = root.resolve()
    for directory, subdirs, _ in os.walk(root, followlinks=False):
        for sub in subdirs:
            link = Path(directory, sub)
            if link.is_symlink() and not link.resolve().is_relative_to(real_root):
                found.append(link.relative_to(root).as_posix())  # reported, never followed
    return iter(sorted(found))


def _problem(name: str, path: str, line: int, column: int, message: str) -> EvidenceProblem:
    return EvidenceProblem(name, Diagnostic(path, line, column, Severity.ERROR, message))


def _read_manifest(root: Path, shown: str) -> EvidenceManifest:
    """The folder's manifest, read under the same rules as evidence; a broken one stops the run."""
    if not os.path.lexists(root / MANIFEST):
        return EvidenceManifest()
    display = f"{shown}/{MANIFEST}"
    try:
        document = parse_cached_yaml(
            read_inside(root, MANIFEST, MANIFEST_MAX_BYTES, display, folder=_FOLDER), display
        )
        manifest = validated(EvidenceManifest, document.data)
    except LoadError as exc:
        raise LoadError(exc.diagnostics) from None
    except Invalid as exc:
        raise LoadError(record_diagnostics(exc, document, "manifest", EvidenceManifest)) from None
    return manifest


def parse_evidence(raw: bytes, fmt: str, shown: str, limits: Limits = EVIDENCE_LIMITS) -> Any:
    """Parse evidence bytes by format; every failure is a :class:`LoadError` with a position."""
    if fmt == "yaml":
        document: YamlDocument = parse_cached_yaml(raw, shown, limits)
        return document.data
    if fmt == "json":
        return read_json(raw, shown, limits.max_depth)
    text = decode_utf8(raw, shown)
    if fmt == "csv":
        return _parse_csv(text, shown)
    return text


def _parse_csv(text: str, shown: str) -> list[dict[str, str]]:
    return list(csv_rows(text, shown))


def csv_rows(text: str, shown: str) -> Iterator[dict[str, str]]:
    """The rows of a CSV text as maps from the header's names, one at a time; a :class:`LoadError` at
    the first row that cannot be read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        for row in reader:
            if len(row) != len(header):
                raise _error(
                    shown,
                    Position(reader.line_num, 1),
                    f"row has {len(row)} fields but the header has {len(header)}",
                )
            yield dict(zip(header, row, strict=True))
    except csv.Error as exc:
        raise _error(shown, Position(reader.line_num, 1), f"invalid CSV: {exc}") from None


def _error(path: str, position: Position, message: str) -> LoadError:
    return LoadError([Diagnostic(path, position.line, position.column, Severity.ERROR, message)])
