"""Control files and the evidence JSON Schemas kept beside them."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from assay._version import __version__
from assay.cache import default_cache
from assay.errors import Diagnostic, LoadError, Severity
from assay.install_stamps import install_stamp
from assay.loading.documents import (
    Loaded,
    displayed_under,
    entity_label,
    entries_under,
    plain_diagnostic,
    read_document,
    top_level,
    validate_list,
)
from assay.model import Control
from assay.yamlsource import DEFAULT_LIMITS, Limits, decode_utf8, read_capped

SCHEMA_SUFFIX = ".schema.json"
MAX_SCHEMA_BYTES = 1024 * 1024
SCHEMA_KIND = "json-schema"  # the cache's kind for "this file is a valid JSON Schema"
SCHEMA_FOLDER_KIND = "json-schema-folder"  # "these files, in this order, are all valid JSON Schemas"


def load_controls(files: Iterable[tuple[Path, str]], limits: Limits = DEFAULT_LIMITS) -> Loaded[Control]:
    """Load control files, given as (path, shown path) pairs."""
    result: Loaded[Control] = Loaded()
    for file, shown in files:
        document = read_document(file, shown, limits, result.diagnostics)
        if (
            document is None
            or top_level(document, {"controls": list}, ["controls"], result.diagnostics) is None
        ):
            result.complete = False
            continue
        if not document.data["controls"]:
            result.diagnostics.append(plain_diagnostic(document, ("controls",), "'controls' is empty"))
        validate_list(document, "controls", Control, lambda e, i: entity_label("control", e, i), result)
    return result


def load_evidence_schemas(
    directories: Iterable[Path], root: Path | None = None
) -> tuple[dict[str, dict[str, Any]], list[Diagnostic]]:
    """JSON Schemas for evidence shapes: ``<evidence name>.schema.json`` files beside the controls.

    A control whose evidence does not match its schema gives ``error`` instead of a silent pass.
    """
    schemas: dict[str, dict[str, Any]] = {}
    diagnostics: list[Diagnostic] = []
    for directory in directories:
        if not directory.is_dir():
            continue
        found = sorted(entries_under(directory, (SCHEMA_SUFFIX,)), key=lambda pair: pair[0].split("/"))
        files = [
            (file, shown)
            for (_, file), shown in zip(found, displayed_under(directory, found, root), strict=True)
        ]
        schemas.update(_read_schemas(files, diagnostics))
    return schemas, diagnostics


def _read_schemas(
    files: list[tuple[Path, str]], diagnostics: list[Diagnostic]
) -> list[tuple[str, dict[str, Any]]]:
    """A folder's schemas by evidence name, each file's problems added in the files' order. When every
    file of the folder was found valid before (the same bytes, in the same order, by the same checker),
    one verdict of the cache says so for all (kind ``json-schema-folder``), instead of one per file."""
    raws: list[bytes | LoadError] = []
    for file, shown in files:
        try:
            raws.append(read_capped(file, MAX_SCHEMA_BYTES, shown))
        except LoadError as exc:
            raws.append(exc)
    cache = default_cache()
    digests = [hashlib.sha256(raw).hexdigest() for raw in raws if isinstance(raw, bytes)]
    material = json.dumps([checker_version(), digests]) if cache is not None else ""
    trusted = (
        cache is not None and len(digests) == len(raws) and cache.get(SCHEMA_FOLDER_KIND, material) == "valid"
    )
    before = len(diagnostics)
    found = []
    for (file, shown), raw in zip(files, raws, strict=True):
        if isinstance(raw, LoadError):
            diagnostics.extend(raw.diagnostics)
            continue
        schema = _read_schema(raw, shown, diagnostics, checked=trusted)
        if schema is not None:
            found.append((file.name.removesuffix(SCHEMA_SUFFIX), schema))
    if cache is not None and not trusted and len(diagnostics) == before:
        cache.put(SCHEMA_FOLDER_KIND, material, "valid")
        cache.supersede(SCHEMA_KIND, [_schema_material(digest) for digest in digests])  # the one holds all
    return found


def _read_schema(
    raw: bytes, shown: str, diagnostics: list[Diagnostic], *, checked: bool
) -> dict[str, Any] | None:
    try:
        schema = json.loads(decode_utf8(raw, shown))
    except LoadError as exc:
        diagnostics.extend(exc.diagnostics)
        return None
    except json.JSONDecodeError as exc:
        diagnostics.append(
            Diagnostic(shown, exc.lineno, exc.colno, Severity.ERROR, f"invalid JSON: {exc.msg}")
        )
        return None
    if not isinstance(schema, dict):
        diagnostics.append(Diagnostic(shown, 1, 1, Severity.ERROR, "a JSON Schema must be an object"))
        return None
    problem = None if checked else checked_schema_problem(schema, raw)
    if problem is not None:
        diagnostics.append(Diagnostic(shown, 1, 1, Severity.ERROR, f"not a valid JSON Schema: {problem}"))
        return None
    return schema


@functools.cache
def checker_version() -> str:
    """assay's version and jsonschema-rs's build: what a schema's check depends on besides its bytes.

    jsonschema-rs has no ``__version__``, and asking the installed packages' metadata costs a search
    of them all; the times its package folder and its ``__init__.py`` were written change with every
    install or rebuild instead."""
    return f"{__version__} jsonschema-rs {install_stamp('jsonschema_rs')}"  # found, not imported


def checked_schema_problem(schema: dict[str, Any], raw: bytes) -> str | None:
    """:func:`schema_problem`, with a file already found valid (the same bytes, the same checker)
    answered from the cache of :mod:`assay.cache`. A schema with a problem is checked each time, so its
    explanation comes from jsonschema itself."""
    cache = default_cache()
    material = _schema_material(hashlib.sha256(raw).hexdigest()) if cache else ""
    if cache is not None and cache.get(SCHEMA_KIND, material) == "valid":
        return None
    problem = schema_problem(schema)
    if cache is not None and problem is None:
        cache.put(SCHEMA_KIND, material, "valid")
    return problem


def _schema_material(digest: str) -> str:
    return json.dumps([checker_version(), digest])


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why ``schema`` is no valid JSON Schema 2020-12 (None when it is one).

    jsonschema-rs builds the validator the engine uses, which checks the schema against its
    meta-schema and resolves its references, in a fraction of the time jsonschema's ``check_schema``
    takes (imported only here: a schema found valid before is answered from the cache); jsonschema,
    imported only then, explains a schema jsonschema-rs refuses.
    """
    import jsonschema_rs

    try:
        jsonschema_rs.Draft202012Validator(schema)
    except (jsonschema_rs.ValidationError, jsonschema_rs.ReferencingError, ValueError) as exc:
        import jsonschema

        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as explained:
            return explained.message
        return str(exc).splitlines()[0] if str(exc) else "refused by jsonschema-rs"
    return None
