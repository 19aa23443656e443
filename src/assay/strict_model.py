"""The pydantic base of the few configuration models that are not records (trust page, security.txt).

Catalog records are :class:`assay.records.Record` dataclasses, validated only on demand; these models
are read from their own files and keep pydantic's ``BaseModel``: immutable, unknown keys are errors.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    """Base of a configuration model: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)
