"""Whether evidence has its schema's shape: a verdict kept in the cache, so a warm run checks nothing.

The engine checks each evidence document against its JSON Schema before its rules read it. On a
warm run the same bytes meet the same schema as on the run before, so the verdict (valid or not) is
kept in the authenticated cache of :mod:`assay.cache` under everything it depends on: the document's
digest and format, the code that turns its bytes into data, the schema, and the checker's build.
The engine is given the verdicts (it stays pure: no I/O). A document with the wrong shape is
explained by :func:`assay.evidence_shapes.explain_shape`, whose words have a cache of their own.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assay import evidence, evidence_csv, evidence_json, yamlsource
from assay.cache import default_cache
from assay.evidence import EvidenceStore
from assay.loading.controls import checker_version

KIND = "shape"


def shape_verdicts(
    schemas: Mapping[str, dict[str, Any]], store: EvidenceStore
) -> dict[tuple[str, str], bool]:
    """Per (name, sha256) of a document in ``store`` with a schema: whether it has the schema's shape.

    Each is answered from the cache, else checked here (and kept). Pruned documents were checked
    whole when they were loaded, and are left out; so is everything when the cache is off (the engine
    then checks as it always has)."""
    cache = default_cache()
    verdicts: dict[tuple[str, str], bool] = {}
    if cache is None:
        return verdicts
    for item in store.items():
        schema = schemas.get(item.name)
        if schema is None or item.pruned:
            continue
        schema_digest = _schema_digest(item.name, schema)
        material = json.dumps([_reader_version(), schema_digest, item.format, item.sha256])
        kept = cache.get(KIND, material)
        if kept not in (_VALID, _INVALID):
            import jsonschema_rs

            kept = _VALID if jsonschema_rs.Draft202012Validator(schema).is_valid(item.data) else _INVALID
            cache.put(KIND, material, kept)
        verdicts[item.name, item.sha256] = kept == _VALID
    return verdicts


_VALID, _INVALID = "valid", "invalid"


# A catalog's schemas are read once and never changed: each schema object's digest is computed once
# (the object is held, so another cannot take its place).
_digests: dict[str, tuple[dict[str, Any], str]] = {}


def _schema_digest(name: str, schema: dict[str, Any]) -> str:
    kept = _digests.get(name)
    if kept is not None and kept[0] is schema:
        return kept[1]
    digest = hashlib.sha256(json.dumps(schema, sort_keys=True).encode()).hexdigest()
    _digests[name] = (schema, digest)
    return digest


@functools.cache
def _reader_version() -> str:
    """The checker's build and a digest of the code that turns evidence bytes into the data checked."""
    readers = (evidence, evidence_csv, evidence_json, yamlsource)
    digest = hashlib.sha256(b"".join(Path(str(m.__file__)).read_bytes() for m in readers)).hexdigest()
    return f"{checker_version()} {digest}"
