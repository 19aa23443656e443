"""Regenerate the shipped JSON Schema files: ``python -m assay.schemas``."""

from assay.schemas import write_all

write_all()
