"""Verdicts on evidence documents (meta sidecars, the manifest, attestations), kept so a warm run needs
no pydantic.

:func:`validated` is a record class's ``model_validate`` on a document, answered

- within a process, from the verdict already given on the same content (an attestation is read by
  four checks: it is validated once);
- across runs, from the authenticated cache (:mod:`assay.cache`): a document found valid is kept as
  "valid, with these fields" (:func:`assay.records.to_data`), under a digest of its content, of the
  sources of the modules that decide the verdict and of the validator's build, so a changed
  document, an edited record or another pydantic is a miss. An entry that fails its checks, or that
  does not rebuild into the record, is a miss too: the document is validated again.

An invalid document is not kept: it is validated each run, so its message is today's, word for word.
The error's words are those of a pydantic ``BaseModel`` (:func:`record_diagnostics`), as before the
formats became records.
"""

from __future__ import annotations

import functools
import hashlib
import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from assay._version import __version__
from assay.cache import default_cache
from assay.install_stamps import install_stamp, sources_digest
from assay.records import Record, from_data, to_data

if TYPE_CHECKING:
    from pydantic import ValidationError

    from assay.errors import Diagnostic
    from assay.yamlsource import YamlDocument

__all__ = ["Invalid", "content_digest", "record_diagnostics", "validated"]

R = TypeVar("R", bound=Record)

VERDICT_KIND = "evidence-verdict"  # the cache's kind for "this document is valid, with these fields"
# The modules whose sources decide a verdict (with pydantic's build, see validator_version).
VALIDATING_MODULES = ("assay.records", "assay.evidence_meta", "assay.attestations", "assay.evidence_verdicts")
_MEMO_SIZE = 1024
_memo: dict[tuple[type[Any], str], Record | Invalid] = {}
# Exact types only: their repr is the value, unambiguous (a subclass's or another object's may not be).
_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime})


class Invalid(Exception):
    """A document its record class refuses, with pydantic's error (``error``)."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(str(error))
        self.error = error

    def errors(self, include_url: bool = False) -> list[dict[str, Any]]:
        """pydantic's errors in the words a ``BaseModel`` used: an unknown key is ``extra_forbidden``,
        a value that is no mapping ``model_type``."""
        from assay.loading.documents import model_error

        return [model_error(item) for item in self.error.errors(include_url=include_url)]


def validated(cls: type[R], data: Any) -> R:
    """``cls.model_validate(data)``, from a verdict already given on the same content when there is one;
    raises :class:`Invalid` for a document ``cls`` refuses."""
    digest = content_digest(data)
    if digest is None:
        return _validate(cls, data)
    known = _memo.get((cls, digest))
    if known is None:
        try:
            known = _cached(cls, digest) or _validate_and_keep(cls, data, digest)
        except Invalid as exc:
            known = exc
        if len(_memo) >= _MEMO_SIZE:
            _memo.clear()
        _memo[(cls, digest)] = known
    if isinstance(known, Invalid):
        raise Invalid(known.error)
    return known  # type: ignore[return-value]


def _validate(cls: type[R], data: Any) -> R:
    from pydantic import ValidationError

    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise Invalid(exc) from None


def _material(cls: type[Any], digest: str) -> str:
    return json.dumps([validator_version(), f"{cls.__module__}:{cls.__qualname__}", digest])


def _cached(cls: type[R], digest: str) -> R | None:
    cache = default_cache()
    if cache is None:
        return None
    payload = cache.get(VERDICT_KIND, _material(cls, digest))
    if payload is None:
        return None
    try:
        made = from_data(payload)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    return made if type(made) is cls else None


def _validate_and_keep(cls: type[R], data: Any, digest: str) -> R:
    """The record validated, kept in the cache, and given as the cache gives it: rebuilt from its
    fields (a date's time zone is then the standard library's, not pydantic's), so the run that
    validates and the runs that read the cache hold the very same values."""
    fields = to_data(_validate(cls, data))
    cache = default_cache()
    if cache is not None:
        cache.put(VERDICT_KIND, _material(cls, digest), fields)
    made: R = from_data(fields)
    return made


def content_digest(data: Any) -> str | None:
    """A digest of ``data``'s value and types (None when it holds anything but JSON and YAML's plain
    values: such a document is validated each time)."""
    if not _plain(data):
        return None
    return hashlib.sha256(repr(data).encode("utf-8", "surrogatepass")).hexdigest()


def _plain(data: Any) -> bool:
    stack = [data]
    seen: set[int] = set()  # a container met again (a YAML alias) is not walked twice
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict or kind is list:
            if id(value) in seen:
                continue
            seen.add(id(value))
            stack += [*value.keys(), *value.values()] if kind is dict else value
        elif kind not in _PLAIN:
            return False
    return True


@functools.cache
def validator_version() -> str:
    """assay's version, the sources of the modules that decide a verdict, and pydantic's build (found
    without importing it)."""
    stamps = [install_stamp(package) for package in ("pydantic", "pydantic_core")]
    return f"{__version__} {sources_digest(VALIDATING_MODULES)} {stamps}"


def record_diagnostics(
    invalid: Invalid, document: YamlDocument, label: str, cls: type[Record]
) -> list[Diagnostic]:
    """The positioned diagnostics of a refused document
    (:func:`assay.loading.documents.validation_diagnostics`)."""
    from assay.loading.documents import validation_diagnostics

    return validation_diagnostics(invalid.error, document, (), label, cls)


# --- evidence under its JSON Schema ---------------------------------------------------------------

SCHEMA_KIND = "evidence-fits-schema"  # the cache's kind for "this evidence fits this schema"
_validators: dict[str, Any] = {}  # jsonschema-rs validators by schema digest, built once per process


def fits_schema(schema: dict[str, Any], data: Any, content: str | None) -> bool:
    """Whether ``data`` fits ``schema`` (jsonschema-rs's ``is_valid``), answered from the cache when the
    same content was checked against the same schema by the same checker and reader.

    ``content`` names everything that decides ``data`` (a digest of the file's bytes and its format,
    and the paths a pruned value keeps), or is None: then ``data`` is checked each time. Both answers
    are kept: evidence that does not fit is explained by :func:`assay.evidence_shapes.explain_shape`,
    whose words have a cache of their own, so a warm run imports no checker at all."""
    cache = default_cache() if content is not None else None
    material = ""
    if cache is not None:
        material = json.dumps([_schema_checker_version(), _reader_version(), _schema_digest(schema), content])
        kept = cache.get(SCHEMA_KIND, material)
        if kept in (_FITS, _UNFIT):
            return bool(kept == _FITS)
    fits = bool(_schema_validator(schema).is_valid(data))
    if cache is not None:
        cache.put(SCHEMA_KIND, material, _FITS if fits else _UNFIT)
    return fits


_FITS, _UNFIT = "fits", "does not fit"


@functools.cache
def _reader_version() -> str:
    """A digest of the code that turns evidence bytes into the data checked: within one version of
    assay (a checkout being edited), a changed reader is a miss."""
    # found, not imported: they sit above this module
    return sources_digest(
        f"assay.{name}"
        for name in ("evidence", "evidence_csv", "evidence_json", "evidence_prune", "yamlsource")
    )


def _schema_digest(schema: dict[str, Any]) -> str:
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _schema_validator(schema: dict[str, Any]) -> Any:
    digest = _schema_digest(schema)
    validator = _validators.get(digest)
    if validator is None:
        import jsonschema_rs

        validator = _validators[digest] = jsonschema_rs.Draft202012Validator(schema)
    return validator


def _schema_checker_version() -> str:
    from assay.loading.controls import checker_version

    return checker_version()
