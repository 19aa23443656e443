"""Reading YAML documents into records: positions, breadcrumbs and pydantic errors as diagnostics.

Every loader in :mod:`assay.loading` validates entity by entity through these helpers, so one broken
control does not hide the problems of the others; every problem becomes a :class:`Diagnostic` at the
file, line and column of the offending key or value, with a breadcrumb to the entity.
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from assay.errors import Diagnostic, LoadError, Severity
from assay.lean_dataclasses import dataclass, frozen
from assay.loading import record_cache
from assay.loading.cached import load_cached_yaml
from assay.loading.paths import display_path as display_path
from assay.loading.paths import displayed_under as displayed_under
from assay.loading.paths import entries_under as entries_under
from assay.loading.paths import yaml_entries as yaml_entries
from assay.loading.paths import yaml_files as yaml_files
from assay.model import (
    CONTROL_ID_PATTERN,
    EVIDENCE_NAME_PATTERN,
    FRAMEWORK_KEY_PATTERN,
    RULE_ID_PATTERN,
    SCHEMA_VERSION,
    Record,
)
from assay.yamlsource import Limits, PathKey, Position, YamlDocument

if TYPE_CHECKING:  # pydantic is imported only where a file is validated
    from pydantic import ValidationError

SCHEMA_VERSION_KEY = "schema_version"
# The comment assay migrate leaves on each mapping entry it gave a coverage; lint warns while it is there.
REVIEW_MARKER = "assay migrate: review"
# The comment on each line of an assay new scaffold still to fill in; lint warns while it is there.
PLACEHOLDER_MARKER = "TODO(assay new)"

T = TypeVar("T")

PATTERN_MEANINGS = {
    CONTROL_ID_PATTERN: "a control id: upper-case letters and digits in dash-separated parts, e.g. CRYPTO-01",
    RULE_ID_PATTERN: "a rule id: lower-case letters, digits, '-' and '_', e.g. volumes-encrypted",
    EVIDENCE_NAME_PATTERN: "an evidence name: dot-separated lower-case words, e.g. aws.ec2.volumes",
    FRAMEWORK_KEY_PATTERN: "a framework key: lower-case letters, digits and '-', e.g. pci-dss",
}
M = TypeVar("M", bound=Record)


@frozen
class SourceRef:
    """Where an entity was read: its document and its path inside it (e.g. ``("controls", 3)``)."""

    document: YamlDocument
    path: PathKey
    label: str

    @property
    def file(self) -> str:
        return self.document.path

    def position(self, *sub: str | int, key: bool = False) -> Position:
        return self.document.position((*self.path, *sub), key=key)

    def diagnostic(
        self,
        message: str,
        *sub: str | int,
        severity: Severity = Severity.ERROR,
        key: bool = False,
        at: Position | None = None,
    ) -> Diagnostic:
        position = at or self.position(*sub, key=key)
        return Diagnostic(
            self.file,
            position.line,
            position.column,
            severity,
            message,
            breadcrumb(self.label, sub),
        )


@frozen
class Located(Generic[T]):
    """A record and where it came from."""

    value: T
    source: SourceRef


@dataclass
class Loaded(Generic[T]):
    """What a loader produced: the records it could build, and diagnostics for everything else."""

    items: list[Located[T]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)  # ids of entities that failed validation
    complete: bool = True  # False when a whole file could not be read: absent ids prove nothing


def breadcrumb(label: str, sub: Sequence[str | int]) -> str:
    """``control CRYPTO-01`` + ``("rules", 0, "assert")`` -> ``control CRYPTO-01 > rules[0] > assert``."""
    parts: list[str] = [label] if label else []
    for step in sub:
        if isinstance(step, int) and parts:
            parts[-1] += f"[{step}]"
        elif isinstance(step, int):
            parts.append(f"[{step}]")
        else:
            parts.append(step)
    return " > ".join(parts)


# --- pydantic errors to diagnostics ----------------------------------------------------------------


def validation_diagnostics(
    error: ValidationError,
    document: YamlDocument,
    base: PathKey,
    label: str,
    model: type[Any],
) -> list[Diagnostic]:
    """Turn pydantic's errors into positioned diagnostics with breadcrumbs."""
    data = _at(document.data, base)
    out: list[Diagnostic] = []
    errors = [model_error(item) for item in error.errors(include_url=False)]
    deeper = [tuple(e["loc"]) for e in errors]
    for item in errors:
        kind = item["type"]
        raw = tuple(item["loc"])
        if kind == "too_short" and any(len(o) > len(raw) and o[: len(raw)] == raw for o in deeper):
            continue  # "at least 1 item" only because an item was invalid: that item's error says why
        loc = _real_loc(data, raw)
        if kind == "extra_forbidden":
            key = loc[-1]
            message = f"unknown key {key!r}"
            allowed = _allowed_keys(model, loc[:-1], data)
            close = difflib.get_close_matches(str(key), allowed, n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
            elif allowed:
                message += f" (allowed: {', '.join(allowed)})"
            position = document.position((*base, *loc), key=True)
        elif kind == "missing":
            message = f"missing required key {loc[-1]!r}"
            loc = loc[:-1]
            position = document.position((*base, *loc))
        elif kind == "string_pattern_mismatch":
            pattern = str(item.get("ctx", {}).get("pattern", ""))
            message = f"{item['input']!r} is not {PATTERN_MEANINGS.get(pattern, 'in the expected form')}"
            position = document.position((*base, *loc))
        elif kind == "string_too_short" and item.get("ctx", {}).get("min_length") == 1:
            message = "must not be empty"
            position = document.position((*base, *loc))
        else:
            message = _clean_message(item["msg"])
            position = document.position((*base, *loc))
        out.append(
            Diagnostic(
                document.path,
                position.line,
                position.column,
                Severity.ERROR,
                message,
                breadcrumb(label, loc),
            )
        )
    return _dedupe(out)


# A record (a dataclass) reports an unknown key and a value that is no mapping under other names than a
# pydantic model did; the messages stay those users know.
_KINDS = {
    "unexpected_keyword_argument": "extra_forbidden",
    "dataclass_type": "model_type",
    "dataclass_args_type": "model_type",
}


def model_error(item: Mapping[str, Any]) -> dict[str, Any]:
    """One of pydantic's errors about a record, in the type and words a pydantic model used."""
    kind = _KINDS.get(item["type"])
    if kind is None:
        return dict(item)
    if kind == "extra_forbidden":
        return {**item, "type": kind, "msg": "Extra inputs are not permitted"}
    return {
        **item,
        "type": kind,
        "msg": f"Input should be a valid dictionary or instance of {_class_name(item)}",
    }


def _class_name(item: Mapping[str, Any]) -> str:
    ctx = item.get("ctx") or {}
    name = ctx.get("class_name") or ctx.get("dataclass_name")
    if name is None:  # "Input should be a dictionary or an instance of X"
        name = str(item["msg"]).rsplit(" ", 1)[-1]
    return str(name)


def _dedupe(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[Diagnostic] = set()
    unique = []
    for d in diagnostics:
        if d not in seen:
            seen.add(d)
            unique.append(d)
    return unique


def _clean_message(message: str) -> str:
    for prefix in ("Value error, ", "Assertion failed, "):
        message = message.removeprefix(prefix)
    return message


def _at(data: Any, path: PathKey) -> Any:
    for step in path:
        data = data[step]
    return data


def _real_loc(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Keep the part of pydantic's ``loc`` that names keys and indexes really present in the data.

    pydantic adds union-branch names (``str``, ``function-before[...]``) to locations; those are not
    places in the file. The final element is kept even when absent (a missing or unknown key).
    """
    kept: list[str | int] = []
    node = data
    for index, step in enumerate(loc):
        in_dict = isinstance(node, dict) and isinstance(step, str) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if in_dict or in_list:
            kept.append(step)
            node = node[step]
        elif index == len(loc) - 1 and isinstance(step, str | int) and isinstance(node, dict):
            kept.append(step)
    return tuple(kept)


def _allowed_keys(model: type[Any], loc: PathKey, data: Any) -> list[str]:
    """The keys the record accepts at ``loc`` (as files spell them), for "did you mean" suggestions."""
    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        fields = _record_fields(current)
        if step not in fields:
            return []
        current = _record_in(fields[step])
    return list(_record_fields(current))


def _record_fields(cls: Any) -> dict[str, Any]:
    """A record's (or a pydantic model's) fields by the name files use, with their types ({} for
    anything else)."""
    if not isinstance(cls, type):
        return {}
    if dataclasses.is_dataclass(cls):
        try:
            hints = typing.get_type_hints(cls, include_extras=True)
        except (NameError, TypeError):  # a name its module cannot resolve: its keys, without their types
            hints = {}
        return {f.name.removesuffix("_"): hints.get(f.name) for f in dataclasses.fields(cls)}
    model_fields = getattr(cls, "model_fields", None)  # a pydantic model (evidence metadata, trust page)
    if isinstance(model_fields, dict):
        return {f.alias or name: f.annotation for name, f in model_fields.items()}
    return {}


def _record_in(annotation: Any) -> Any:
    """The record inside ``X``, ``X | None``, ``tuple[X, ...]`` or ``Annotated[X, ...]``, if any."""
    if isinstance(annotation, type) and (
        dataclasses.is_dataclass(annotation) or hasattr(annotation, "model_fields")
    ):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _record_in(typing.get_args(annotation)[0])
    if origin in (tuple, list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _record_in(arg)
            if found is not None:
                return found
    return None


# --- file readers ----------------------------------------------------------------------------------


def read_document(
    file: Path, shown: str, limits: Limits, diagnostics: list[Diagnostic]
) -> YamlDocument | None:
    try:
        return load_cached_yaml(file, shown, limits)
    except LoadError as exc:
        diagnostics.extend(exc.diagnostics)
        return None


def top_level(
    document: YamlDocument,
    allowed: dict[str, type],
    required: Iterable[str],
    diagnostics: list[Diagnostic],
) -> dict[str, Any] | None:
    """Check a file's top-level table: a mapping with only known keys, the required ones present."""
    data = document.data
    if not isinstance(data, dict):
        kinds = " and ".join(repr(k) for k in allowed)
        diagnostics.append(
            plain_diagnostic(document, (), f"expected a mapping with {kinds} at the top of the file")
        )
        return None
    ok = _schema_version_ok(document, diagnostics)
    for key in data:
        if key == SCHEMA_VERSION_KEY:
            continue
        if key not in allowed:
            close = difflib.get_close_matches(key, list(allowed), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (allowed: {', '.join(allowed)})"
            diagnostics.append(plain_diagnostic(document, (key,), f"unknown key {key!r}{hint}", key=True))
            ok = False
    for key in required:
        if key not in data:
            diagnostics.append(
                Diagnostic(document.path, 1, 1, Severity.ERROR, f"missing required key {key!r}")
            )
            ok = False
    for key, kind in allowed.items():
        if key in data and not isinstance(data[key], kind):
            expected = "a list" if kind is list else "a mapping" if kind is dict else "a string or mapping"
            diagnostics.append(plain_diagnostic(document, (key,), f"{key!r} must be {expected}"))
            ok = False
    return data if ok else None


def _schema_version_ok(document: YamlDocument, diagnostics: list[Diagnostic]) -> bool:
    """A file's ``schema_version``, when it has one: a whole number from 1 to the current version."""
    value = document.data.get(SCHEMA_VERSION_KEY, 1)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= SCHEMA_VERSION:
        return True
    message = f"schema_version must be a whole number from 1 to {SCHEMA_VERSION}, not {value!r}"
    if isinstance(value, int) and value > SCHEMA_VERSION:
        message = f"schema_version {value} is newer than this assay reads ({SCHEMA_VERSION}); upgrade assay"
    diagnostics.append(plain_diagnostic(document, (SCHEMA_VERSION_KEY,), message))
    return False


def entity_label(kind: str, entry: Any, index: int, id_key: str = "id") -> str:
    if isinstance(entry, dict) and isinstance(entry.get(id_key), str):
        return f"{kind} {entry[id_key]}"
    return f"{kind} #{index + 1}"


def validate_list(
    document: YamlDocument,
    key: str,
    model: type[M],
    label: typing.Callable[[Any, int], str],
    result: Loaded[M],
) -> None:
    """Validate each entry of the list under ``key``: its record, or diagnostics where it is wrong.

    A list that validated clean before (the same bytes, the same record code) is rebuilt from the
    records kept in the cache (:mod:`assay.loading.record_cache`), without pydantic."""
    entries = document.data.get(key) or []
    records = record_cache.cached(document, key, model, len(entries))
    made: dict[int, M] = dict(enumerate(records)) if records is not None else {}
    if records is None:
        made = _validated_list(document, key, model, label, result)
        if len(made) == len(entries):  # all clean: kept for the next run
            record_cache.keep(document, key, model, list(made.values()))
    for index, record in made.items():
        path: PathKey = (key, index)
        result.items.append(Located(record, SourceRef(document, path, label(entries[index], index))))


def _validated_list(
    document: YamlDocument,
    key: str,
    model: type[M],
    label: typing.Callable[[Any, int], str],
    result: Loaded[M],
) -> dict[int, M]:
    """The records of the entries that validate, by index; the others' problems go to ``result``."""
    from pydantic import ValidationError

    made: dict[int, M] = {}
    for index, entry in enumerate(document.data.get(key) or []):
        try:
            made[index] = model.model_validate(entry)
        except ValidationError as exc:
            name = label(entry, index)
            result.diagnostics.extend(validation_diagnostics(exc, document, (key, index), name, model))
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                result.rejected.add(entry["id"])
    return made


def validate_one(
    document: YamlDocument, key: str, model: type[M], label: str, diagnostics: list[Diagnostic]
) -> M | None:
    """The record of the value under ``key`` (the whole document when ``key`` is empty), or None with
    its problems added to ``diagnostics``; kept in the cache as :func:`validate_list`'s are."""
    kept = record_cache.cached(document, key, model, 1)
    if kept is not None:
        return kept[0]
    from pydantic import ValidationError

    base: PathKey = (key,) if key else ()
    try:
        record = model.model_validate(_at(document.data, base))
    except ValidationError as exc:
        diagnostics.extend(validation_diagnostics(exc, document, base, label, model))
        return None
    record_cache.keep(document, key, model, [record], listed=False)
    return record


def plain_diagnostic(document: YamlDocument, path: PathKey, message: str, *, key: bool = False) -> Diagnostic:
    position = document.position(path, key=key)
    return Diagnostic(document.path, position.line, position.column, Severity.ERROR, message)
