"""Why evidence does not have the shape its schema gives, in words, kept in the cache.

jsonschema-rs tells the engine whether evidence fits its schema; when it does not, jsonschema (the
reference validator, a tenth of a second to import) finds the problem and :func:`assay.error_text.
schema_problem` words it. Those words depend only on the schema, the evidence and the code that
finds them, so they are kept in the cache of :mod:`assay.cache` under the SHA-256 of the schema and
the evidence as canonical JSON, with the versions of assay and jsonschema and a digest of the code.
Evidence that is not plain JSON data is explained afresh each time.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from assay import error_text
from assay._version import __version__
from assay.cache import default_cache
from assay.error_text import schema_problem
from assay.install_stamps import install_stamp

KIND = "evidence-shape"


@functools.cache
def explainer_version() -> str:
    """assay's version, jsonschema's install and a digest of the code that words a problem.

    jsonschema is known by where it is installed and when its package was written (which changes with
    every install), found without importing it or searching the installed packages' metadata (which
    would import ``importlib.metadata``: tens of milliseconds a run whose problems are all cached)."""
    source = Path(error_text.__file__).read_bytes() + Path(__file__).read_bytes()
    return f"{__version__} jsonschema {install_stamp('jsonschema')} {hashlib.sha256(source).hexdigest()}"


def explain_shape(schema: dict[str, Any], data: Any) -> str | None:
    """The first problem of ``data`` under ``schema`` in words (None when jsonschema finds none)."""
    cache = default_cache()
    material = None
    if cache is not None:
        try:
            both = json.dumps([schema, data], sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError):  # not plain JSON data: no exact key for it
            both = None
        if both is not None:
            digest = hashlib.sha256(both.encode("utf-8", "surrogatepass")).hexdigest()
            material = json.dumps([explainer_version(), digest])
            stored = cache.get(KIND, material)
            if isinstance(stored, list) and len(stored) == 1 and isinstance(stored[0], str | None):
                return stored[0]
    problem = _explain(schema, data)
    if cache is not None and material is not None:
        cache.put(KIND, material, [problem])
    return problem


def _explain(schema: dict[str, Any], data: Any) -> str | None:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(data))
    # the path and words of the schema, never the evidence's values
    return schema_problem(error, validator.schema) if error is not None else None
