"""The identifiers and text fields every catalog record shares: their patterns, as typed aliases.

Kept apart from :mod:`assay.model` so the framework records (:mod:`assay.framework_records`) and the
control records use one definition. The constraints are :class:`~assay.records.Spec` markers: no
pydantic is imported until a file is validated.
"""

from __future__ import annotations

from typing import Annotated

from assay.records import Spec

CONTROL_ID_PATTERN = r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$"
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PARAMETER_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
EVIDENCE_NAME_PATTERN = r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$"
FRAMEWORK_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
REQUIREMENT_ID_PATTERN = r"^\S+$"

ControlId = Annotated[str, Spec(pattern=CONTROL_ID_PATTERN)]
RuleId = Annotated[str, Spec(pattern=RULE_ID_PATTERN)]
ParameterName = Annotated[str, Spec(pattern=PARAMETER_NAME_PATTERN)]
EvidenceName = Annotated[str, Spec(pattern=EVIDENCE_NAME_PATTERN)]
FrameworkKey = Annotated[str, Spec(pattern=FRAMEWORK_KEY_PATTERN)]
RequirementId = Annotated[str, Spec(pattern=REQUIREMENT_ID_PATTERN, max_length=64)]
Text = Annotated[str, Spec(strip_whitespace=True, min_length=1)]
CelExpression = Annotated[str, Spec(min_length=1, max_length=8192)]

# The version of the file formats people write: 2 since mappings carry coverage and rationale. A file
# without ``schema_version`` is version 1; ``assay migrate`` upgrades it.
SCHEMA_VERSION = 2

SchemaVersion = Annotated[
    int,
    Spec(
        ge=1,
        le=SCHEMA_VERSION,
        description=f"The file format's version (absent: 1; current: {SCHEMA_VERSION}); see assay migrate.",
    ),
]
