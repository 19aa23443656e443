"""Evidence collectors: programs that fetch evidence and write it in the shapes the controls read.

A collector has a ``name`` (the ``assay collect <name>`` subcommand), adds its own command-line
options, and writes every evidence item through an :class:`EvidenceWriter`, which

- writes each file atomically, with a ``<file>.meta.yaml`` sidecar (``collected_at``, ``source``),
  or, when the output folder has an ``assay-manifest.yaml``, with that file's entry in the manifest
  instead (the other entries and the comments are kept; see :func:`update_manifest`);
- never writes a credential: values given as secrets (a token, the session's AWS keys, a URL's
  password) and those of environment variables named like tokens, keys, secrets or passwords become
  ``[REDACTED]`` in evidence, sources, reasons and progress, and everything written is redacted as a
  pack is (:mod:`assay.redact`); a text file that cannot be parsed for that fails its item;
- remembers what it wrote in ``.assay-collect-<name>.json`` in the output folder (hidden, so
  evidence loading skips it) and, when the run ends, removes what an earlier run of the same
  collector wrote but this run did not (failed items included): a re-run replaces evidence cleanly.

Collectors are registered explicitly, like output formats (:mod:`assay.render`). Add your own with
:func:`register`; the ``assay collect`` command lists whatever the registry holds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from assay.errors import ConfigError
from assay.evidence import FORMATS, MANIFEST, SIDECAR_SUFFIX
from assay.fileio import atomic_write
from assay.lean_dataclasses import dataclass, frozen
from assay.plugins import PluginError, Registry, accepts
from assay.redact import MARK, redact, redact_data, redact_text

REDACTED = MARK
_SECRET_ENV = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL)", re.I)
_MIN_SECRET_LENGTH = 8


class Collector(Protocol):
    """What ``assay collect`` needs from a collector."""

    name: str
    description: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        """Add the collector's own options (``--out`` is added for every collector)."""
        ...

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        """Fetch evidence and write every item with ``writer``; report failures with ``writer.fail``."""
        ...


@frozen
class WrittenItem:
    path: str  # relative to the output folder, '/'-separated
    source: str


@frozen
class FailedItem:
    path: str
    reason: str


@dataclass
class CollectionResult:
    """What one collector run wrote, what failed and why, and what stale files it removed."""

    collector: str
    out: Path
    written: list[WrittenItem] = field(default_factory=list)
    failed: list[FailedItem] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def environment_secrets(environ: dict[str, str] | None = None) -> list[str]:
    """Values of environment variables whose names look like credentials (AWS keys, tokens ...)."""
    env = os.environ if environ is None else environ
    return [
        value for name, value in env.items() if _SECRET_ENV.search(name) and len(value) >= _MIN_SECRET_LENGTH
    ]


class EvidenceWriter:
    """Writes one collector's evidence into ``out``; see the module docstring for the guarantees."""

    def __init__(
        self,
        out: Path,
        collector: str,
        *,
        secrets: Iterable[str] = (),
        now: Callable[[], datetime] | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.out = out
        self.collector = collector
        self._secrets = sorted(
            {s for s in [*secrets, *environment_secrets()] if len(s) >= _MIN_SECRET_LENGTH},
            key=len,
            reverse=True,
        )
        self._now = now or (lambda: datetime.now(UTC))
        self._progress = progress or (lambda message: None)
        self.result = CollectionResult(collector, out)
        self._done: set[str] = set()

    # --- writing -----------------------------------------------------------------------------

    def scrub(self, text: str) -> str:
        """``text`` with every known secret value, and every secret :mod:`assay.redact` finds, replaced."""
        return redact_text(self._scrub_known(text))

    def add_secret(self, value: str) -> None:
        """Never write ``value`` (a credential the collector obtained) from now on."""
        if len(value) >= _MIN_SECRET_LENGTH and value not in self._secrets:
            self._secrets = sorted([*self._secrets, value], key=len, reverse=True)

    def progress(self, message: str) -> None:
        self._progress(self.scrub(message))

    def write_json(self, path: str, data: Any, source: str) -> None:
        """Write ``data`` as JSON (indented, keys in the order given, like the AWS CLI), redacted."""
        clean, redactions = redact_data(self._scrub_data(data))
        text = json.dumps(clean, indent=2, ensure_ascii=False, default=_json_default) + "\n"
        self._write(path, self._scrub_known(text), source, len(redactions))

    def write_text(self, path: str, text: str, source: str) -> None:
        """Write ``text``, redacted as its name's format is; fail the item when that is not possible."""
        fmt = FORMATS.get(Path(path).suffix.lower(), "text")
        result = redact(self._scrub_known(text).encode("utf-8"), fmt)
        if result.withheld:
            self.fail(path, f"not written: {result.redactions[0].reason}")
            return
        self._write(path, result.data.decode("utf-8"), source, len(result.redactions))

    def _write(self, path: str, text: str, source: str, redacted: int) -> None:
        target = self._target(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target, text)
        meta = {"collected_at": _timestamp(self._now()), "source": self.scrub(source)}
        sidecar = target.with_name(target.name + SIDECAR_SUFFIX)
        if self._manifest.is_file():
            update_manifest(self._manifest, {path: meta})
            if sidecar.is_file() and not sidecar.is_symlink():
                sidecar.unlink()  # from a run before the manifest existed; both would conflict
        else:
            atomic_write(sidecar, yaml.safe_dump(meta, sort_keys=False))
        self._done.add(path)
        self.result.written.append(WrittenItem(path, self.scrub(source)))
        self.progress(f"wrote {path}" + (f" ({redacted} secret value(s) redacted)" if redacted else ""))

    def _scrub_known(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return text

    def _scrub_data(self, value: Any) -> Any:
        """``value`` with bytes as text and known secrets replaced in every string and key (escaping in
        the JSON text could hide one from a replacement there)."""
        if isinstance(value, dict):
            return {self._scrub_data(k): self._scrub_data(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self._scrub_data(v) for v in value]
        if isinstance(value, bytes):
            value = value.decode("utf-8", errors="replace")
        if isinstance(value, str):
            return self._scrub_known(value)
        return value

    def fail(self, path: str, reason: str) -> None:
        """Record that the item at ``path`` could not be collected; nothing is written for it."""
        self._target(path)
        self._done.add(path)
        self.result.failed.append(FailedItem(path, self.scrub(reason)))
        self.progress(f"failed {path}")

    def _target(self, path: str, *, new: bool = True) -> Path:
        parts = path.split("/")
        if path.startswith("/") or any(part in ("", ".", "..") or part.startswith(".") for part in parts):
            raise ConfigError(f"collector {self.collector!r}: {path!r} is not a relative evidence path")
        if new and path in self._done:
            raise ConfigError(f"collector {self.collector!r} wrote {path!r} twice")
        return self.out.joinpath(*parts)

    # --- the record of what was written, and stale files -------------------------------------

    @property
    def _manifest(self) -> Path:
        return self.out / MANIFEST

    @property
    def _state_file(self) -> Path:
        return self.out / f".assay-collect-{self.collector}.json"

    def finish(self) -> CollectionResult:
        """Remove what an earlier run wrote and this one did not, and record this run's files."""
        previous: list[str] = []
        if self._state_file.is_file():
            try:
                loaded = json.loads(self._state_file.read_text(encoding="utf-8")).get("files", [])
                previous = [p for p in loaded if isinstance(p, str)]
            except (ValueError, AttributeError):
                previous = []
        written = {item.path for item in self.result.written}
        for path in sorted(set(previous) - written):
            try:
                target = self._target(path, new=False)
            except ConfigError:
                continue  # not a path this writer would have written: leave it alone
            removed = False
            for file in (target, target.with_name(target.name + SIDECAR_SUFFIX)):
                if file.is_file() and not file.is_symlink():
                    file.unlink()
                    removed = True
            if removed:
                self.result.removed.append(path)
        if self.result.removed and self._manifest.is_file():
            update_manifest(self._manifest, dict.fromkeys(self.result.removed))
        state = {"collector": self.collector, "files": sorted(written)}
        atomic_write(self._state_file, json.dumps(state, indent=2) + "\n")
        return self.result


# --- updating assay-manifest.yaml ----------------------------------------------------------------

_KEPT_META = ("name", "format")  # what the user set that a new collection does not change


def update_manifest(file: Path, updates: dict[str, dict[str, Any] | None]) -> None:
    """Set (or, for ``None``, remove) the ``evidence`` entries of the manifest ``file``, atomically.

    An updated entry keeps its ``name`` and ``format``. Only the lines of the entries concerned are
    rewritten, so the other entries and the comments stay as they were; a manifest laid out so that
    this is not possible (flow style) is rewritten whole, and loses its comments.
    """
    text = file.read_text(encoding="utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{file}: cannot update the manifest: {exc}") from None
    document = document if isinstance(document, dict) else {}
    listed = document.get("evidence")
    old: dict[str, Any] = listed if isinstance(listed, dict) else {}
    entries: dict[str, dict[str, Any] | None] = {}
    for path, meta in updates.items():
        found = old.get(path)
        previous: dict[str, Any] = found if isinstance(found, dict) else {}
        entries[path] = (
            None if meta is None else {**{k: previous[k] for k in _KEPT_META if k in previous}, **meta}
        )
    edited = _edit_manifest_lines(text, entries)
    if edited is not None and _manifest_has(edited, entries):
        atomic_write(file, edited)
        return
    evidence = dict(old)
    for path, entry in entries.items():
        if entry is None:
            evidence.pop(path, None)
        else:
            evidence[path] = entry
    document["evidence"] = evidence
    atomic_write(file, yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=4096))


def _manifest_has(text: str, entries: dict[str, dict[str, Any] | None]) -> bool:
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError:
        return False
    evidence = document.get("evidence") if isinstance(document, dict) else None
    if not isinstance(evidence, dict):
        return False
    return all(
        (path not in evidence) if entry is None else evidence.get(path) == entry
        for path, entry in entries.items()
    )


def _edit_manifest_lines(text: str, entries: dict[str, dict[str, Any] | None]) -> str | None:
    """``text`` with the entries replaced line by line, or None when its layout does not allow it."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        return None
    evidence = next(
        ((k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "evidence"), None
    )
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if evidence is None:
        added = [_render_entry(path, entry, 2) for path, entry in entries.items() if entry is not None]
        return "".join(lines) + "evidence:\n" + "".join(added)
    key_node, value = evidence
    outer = key_node.start_mark.column
    layout = _evidence_layout(value, outer)
    if layout is None:
        return None
    inner, positions = layout
    replacements: dict[int, tuple[int, str]] = {}
    appended = ""
    for path, entry in entries.items():
        rendered = "" if entry is None else _render_entry(path, entry, inner)
        if path in positions:
            start = positions[path]
            replacements[start] = (_block_end(lines, start, inner), rendered)
        else:
            appended += rendered
    return _splice(lines, replacements, _block_end(lines, key_node.start_mark.line, outer), appended)


def _evidence_layout(value: yaml.Node, outer: int) -> tuple[int, dict[str, int]] | None:
    """The column of the ``evidence`` entries and the line of each, or None when they are not one
    block mapping (an empty ``evidence:`` is one, indented two more than ``outer``)."""
    if isinstance(value, yaml.MappingNode) and not value.flow_style and value.value:
        inner = value.value[0][0].start_mark.column
        positions = {k.value: k.start_mark.line for k, _ in value.value if isinstance(k, yaml.ScalarNode)}
    elif isinstance(value, yaml.ScalarNode) and value.tag.endswith(":null") and value.value == "":
        inner = outer + 2
        positions = {}
    else:
        return None
    if any(k.start_mark.column != inner for k, _ in getattr(value, "value", [])):
        return None
    return inner, positions


def _indent_of(line: str) -> int | None:
    stripped = line.lstrip(" ")
    return None if not stripped.strip() else len(line) - len(stripped)


def _block_end(lines: list[str], start: int, column: int) -> int:
    """The line after the block that starts at line ``start`` (lines indented more than ``column``)."""
    end = start + 1
    last = start + 1
    while end < len(lines):
        indent = _indent_of(lines[end])
        if indent is not None:
            if indent <= column:
                break
            last = end + 1
        end += 1
    return last


def _splice(
    lines: list[str], replacements: dict[int, tuple[int, str]], evidence_end: int, appended: str
) -> str:
    """``lines`` with each block ``start: (end, text)`` replaced, and ``appended`` added at the end of
    the ``evidence`` block (line ``evidence_end``)."""
    result: list[str] = []
    index = 0
    while index < len(lines):
        if index == evidence_end:
            result.append(appended)
            appended = ""
        if index in replacements:
            end, rendered = replacements[index]
            result.append(rendered)
            index = end
            continue
        result.append(lines[index])
        index += 1
    result.append(appended)
    return "".join(result)


def _render_entry(path: str, entry: dict[str, Any], indent: int) -> str:
    dumped = yaml.safe_dump({path: entry}, sort_keys=False, allow_unicode=True, width=4096)
    return "".join(" " * indent + line for line in dumped.splitlines(keepends=True))


def _timestamp(moment: datetime) -> str:
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _json_default(value: Any) -> Any:
    """Datetimes as ISO 8601 strings (as the AWS CLI prints them), bytes as text."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def run_collector(
    collector: Collector,
    options: argparse.Namespace,
    out: Path,
    *,
    secrets: Sequence[str] = (),
    progress: Callable[[str], None] | None = None,
    now: Callable[[], datetime] | None = None,
) -> CollectionResult:
    """Run ``collector`` into ``out`` and return what it wrote and what failed."""
    out.mkdir(parents=True, exist_ok=True)
    writer = EvidenceWriter(out, collector.name, secrets=secrets, progress=progress, now=now)
    collector.collect(options, writer)
    return writer.finish()


# --- the registry -------------------------------------------------------------------------------


COLLECTOR_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")


def _as_collector(name: str, entry: Any) -> Collector:
    """A plug-in's entry as a collector: an instance, or a class made with no arguments."""
    collector: Collector = entry() if isinstance(entry, type) else entry
    return collector


def _check_collector(name: str, collector: Collector) -> str | None:
    """Why a collector cannot be used (checked when it registers, not when it first runs)."""
    if not COLLECTOR_NAME.match(name):
        return "must be named with lower-case letters, digits, - or _"
    if getattr(collector, "name", None) != name:
        return f"calls itself {getattr(collector, 'name', None)!r}; its name must be {name!r}"
    if not isinstance(getattr(collector, "description", None), str):
        return "has no description (a string)"
    for method, arguments in (("add_arguments", ("parser",)), ("collect", ("options", "writer"))):
        problem = accepts(getattr(collector, method, None), *arguments)
        if problem is not None:
            return f"{method} {problem}"
    return None


def new_registry(*, builtins: bool = True) -> Registry[Collector]:
    """A collector registry: the built-in collectors and the ``assay.collectors`` entry points."""
    return Registry(
        "collector",
        "assay.collectors" if builtins else None,
        check=_check_collector,
        adapt=_as_collector,
        builtins=(lambda: [(c.name, c) for c in _builtin_collectors()]) if builtins else tuple,
    )


REGISTRY = new_registry()


def register(collector: Collector) -> None:
    """Add a collector to the registry ``assay collect`` uses."""
    try:
        REGISTRY.register(collector.name, collector)
    except PluginError as exc:
        raise ConfigError(str(exc)) from None


def get(name: str) -> Collector:
    return REGISTRY.get(name)


def collectors() -> dict[str, Collector]:
    return REGISTRY.entries()


def _builtin_collectors() -> list[Collector]:
    from assay.collect.aws import AwsCollector
    from assay.collect.github import GitHubCollector
    from assay.collect.web import WebCollector

    return [WebCollector(), GitHubCollector(), AwsCollector()]


__all__ = [
    "REDACTED",
    "REGISTRY",
    "CollectionResult",
    "Collector",
    "EvidenceWriter",
    "FailedItem",
    "WrittenItem",
    "collectors",
    "environment_secrets",
    "get",
    "new_registry",
    "register",
    "run_collector",
    "update_manifest",
]
