"""Records validated from a catalog file, kept in the on-disk cache: a file checked clean once is not
checked again.

Validating the catalog's records with pydantic meant importing pydantic and building every record
type's validator on each run (about a quarter of an everyday ``assay check``). When the entries of a
document (already parsed through :mod:`assay.loading.cached`) all validate clean, their records are
kept in the authenticated cache of :mod:`assay.cache` as :func:`assay.records.to_data` values, keyed by
the document's content digest, where in it they are, the record type and the record code's version
(assay's version and a digest of the record modules' sources). The next run rebuilds them with
:func:`assay.records.from_data`, which runs each record's own invariants but no pydantic. A document
with a problem is validated each run, so its diagnostics come from the validator itself. Where each
entry's ``id`` is in the file is kept with them (the reader's version is in the key), so a report
shows each control's line without decoding the file's position rows.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

from assay._version import __version__
from assay.cache import default_cache
from assay.install_stamps import sources_digest
from assay.loading.cached import CachedDocument, content_digest, reader_version
from assay.records import Record, from_data, to_data
from assay.yamlsource import YamlDocument

KIND = "records"
# Every module whose code decides what a valid record is, or how one is rebuilt.
RECORD_MODULES = (
    "assay.records",
    "assay.catalog_types",
    "assay.durations",
    "assay.statuses",
    "assay.requirement_text",
    "assay.framework_records",
    "assay.model",
    "assay.loading.record_cache",  # this module: how records are kept and read back
)
R = TypeVar("R", bound=Record)


@functools.cache
def records_version() -> str:
    """assay's version, a digest of the record modules' sources and of the validator's version file:
    a changed record type, or another pydantic (which might accept other values), misses.

    pydantic is found without importing it (a warm run never does): its ``version.py`` states its
    version and the pydantic-core it requires."""
    return f"{__version__} {sources_digest(RECORD_MODULES)} pydantic {validator_digest()}"


def validator_digest() -> str:
    """A digest of pydantic's ``version.py`` (empty when pydantic is not found)."""
    spec = importlib.util.find_spec("pydantic")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    version = origin.with_name("version.py") if origin is not None else None
    data = version.read_bytes() if version is not None and version.is_file() else b""
    return hashlib.sha256(data).hexdigest()[:16]


def _material(document: YamlDocument, where: str, model: type[Any]) -> str | None:
    digest = content_digest(document)
    if digest is None:
        return None
    name = f"{model.__module__}:{model.__qualname__}"
    # The reader's version too: the entries' positions are kept with their records.
    return json.dumps([records_version(), reader_version(), name, where, digest])


def cached(document: YamlDocument, where: str, model: type[R], count: int) -> list[R] | None:
    """The ``count`` records kept for the entries under ``where``, or None (validate them)."""
    cache = default_cache()
    material = _material(document, where, model) if cache is not None else None
    if cache is None or material is None:
        return None
    payload = cache.get(KIND, material)
    kept = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(kept, list) or len(kept) != count:
        return None
    try:
        records = [from_data(item) for item in kept]
    except (ValueError, TypeError, KeyError, AttributeError, ImportError):
        return None  # not what this version writes: validated again, and kept anew
    if not all(type(record) is model for record in records):
        return None
    if isinstance(document, CachedDocument):
        document.know_positions(_id_positions(where, payload.get("ids"), count))
    return records


def _id_positions(where: str, rows: Any, count: int) -> dict[tuple[Any, bool], tuple[int, int]]:
    """Where each entry's ``id`` is (its value's and its key's position), as kept with the records;
    nothing when they are not of the shape :func:`keep` writes."""
    if not isinstance(rows, list) or len(rows) != count:
        return {}
    known: dict[tuple[Any, bool], tuple[int, int]] = {}
    for index, row in enumerate(rows):
        if not (isinstance(row, list) and len(row) == 4 and all(type(n) is int for n in row)):  # noqa: PLR2004
            return {}
        known[((where, index, "id"), False)] = (row[0], row[1])
        known[((where, index, "id"), True)] = (row[2], row[3])
    return known


def keep(
    document: YamlDocument, where: str, model: type[R], records: Sequence[R], *, listed: bool = True
) -> None:
    """Keep the records that validated clean from the entries under ``where`` (``listed``: a list of
    them), with where each entry's ``id`` is: a report shows each control's line, and a warm run then
    finds it without decoding the file's position rows."""
    cache = default_cache()
    material = _material(document, where, model) if cache is not None else None
    if cache is None or material is None:
        return
    try:
        payload = [to_data(record) for record in records]
    except (TypeError, ValueError):
        return  # a value the cache form cannot hold: validated each run
    ids = None
    if listed:
        ids = []
        for index in range(len(records)):
            value, name = (document.position((where, index, "id"), key=key) for key in (False, True))
            ids.append([value.line, value.column, name.line, name.column])
        if isinstance(document, CachedDocument):
            document.rows_not_kept()
    cache.put(KIND, material, {"records": payload, "ids": ids})
