"""Typed, frozen records for everything assay reads: controls, frameworks, mappings, waivers, scope.

These models are the single definition of each file format: the loader validates YAML against them,
and the JSON Schemas shipped for editors (``assay schema ...``) are generated from them. Every model
forbids unknown keys, because a misspelt key in compliance data must never be silently ignored.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Literal

# The identifiers' patterns and the shared field types have a module of their own; these names stay
# importable from here (explicit re-exports), as do the framework and mapping records.
from assay.catalog_types import CONTROL_ID_PATTERN as CONTROL_ID_PATTERN
from assay.catalog_types import EVIDENCE_NAME_PATTERN as EVIDENCE_NAME_PATTERN
from assay.catalog_types import FRAMEWORK_KEY_PATTERN as FRAMEWORK_KEY_PATTERN
from assay.catalog_types import PARAMETER_NAME_PATTERN as PARAMETER_NAME_PATTERN
from assay.catalog_types import REQUIREMENT_ID_PATTERN as REQUIREMENT_ID_PATTERN
from assay.catalog_types import RULE_ID_PATTERN as RULE_ID_PATTERN
from assay.catalog_types import SCHEMA_VERSION as SCHEMA_VERSION
from assay.catalog_types import CelExpression as CelExpression
from assay.catalog_types import ControlId as ControlId
from assay.catalog_types import EvidenceName as EvidenceName
from assay.catalog_types import FrameworkKey as FrameworkKey
from assay.catalog_types import ParameterName as ParameterName
from assay.catalog_types import RequirementId as RequirementId
from assay.catalog_types import RuleId as RuleId
from assay.catalog_types import SchemaVersion as SchemaVersion
from assay.catalog_types import Text as Text

# Durations have a module of their own; these names stay importable from here (explicit re-exports).
from assay.durations import DURATION_PATTERN as DURATION_PATTERN
from assay.durations import Duration as Duration
from assay.durations import format_duration as format_duration
from assay.durations import parse_duration as parse_duration
from assay.framework_records import Coverage as Coverage
from assay.framework_records import Framework as Framework
from assay.framework_records import FrameworkFile as FrameworkFile
from assay.framework_records import FrameworkInfo as FrameworkInfo
from assay.framework_records import MappedControl as MappedControl
from assay.framework_records import MappedControlEntry as MappedControlEntry
from assay.framework_records import Mapping as Mapping
from assay.framework_records import MappingEntry as MappingEntry
from assay.framework_records import MappingFile as MappingFile
from assay.framework_records import Requirement as Requirement
from assay.framework_records import Together as Together
from assay.records import JsonValue as JsonValue
from assay.records import Record as Record
from assay.records import Spec, record

# A requirement's parameters and parts (an OSCAL catalog's) have a module of their own too.
from assay.requirement_text import RequirementParameter as RequirementParameter
from assay.requirement_text import RequirementPart as RequirementPart

# The status words have a module of their own too.
from assay.statuses import ControlStatus as ControlStatus
from assay.statuses import RequirementStatus as RequirementStatus
from assay.statuses import Severity as Severity

BUILTIN_FRAMEWORKS = ("soc2", "iso27001", "hipaa", "pci-dss", "gdpr")


# --- controls -------------------------------------------------------------------------------------


@record
class EvidenceRequirement(Record):
    """A piece of evidence a control reads, and how old it may be."""

    name: Annotated[
        EvidenceName, Spec(description="Evidence name, e.g. 'aws.ec2.volumes' for aws/ec2/volumes.json.")
    ]
    kind: Annotated[
        Literal["system", "attestation"],
        Spec(
            description=(
                "'system': an export taken from a system; 'attestation': a person's signed statement, which "
                "names who attested, their role and the date (and may list artefacts with sha256 hashes)."
            )
        ),
    ] = "system"
    max_age: Annotated[
        Duration | None,
        Spec(description="Oldest acceptable evidence, e.g. '7d'. Undated evidence cannot satisfy it."),
    ] = None
    description: str | None = None


@record
class Rule(Record):
    """A CEL expression that must hold, once over the evidence or for each resource of a list."""

    # Built by its Python names too (``assert_``), as a pydantic model with populate_by_name was.
    __pydantic_config__: ClassVar[dict[str, Any]] = {**Record.__pydantic_config__, "populate_by_name": True}

    id: RuleId
    assert_: Annotated[CelExpression, Spec(description="CEL expression that must be true.")]
    for_each: Annotated[
        CelExpression | None,
        Spec(description="CEL expression giving a list; the rule is checked for each element as `item`."),
    ] = None
    resource_id: Annotated[
        CelExpression | None,
        Spec(description="CEL expression naming the resource `item` (required with for_each)."),
    ] = None
    message: Annotated[
        CelExpression | None,
        Spec(description="CEL string expression explaining a failure (may use `item`)."),
    ] = None
    description: str | None = None

    def __post_init__(self) -> None:
        if self.for_each is not None and self.resource_id is None:
            raise ValueError("a rule with for_each needs resource_id, so each finding names its resource")
        if self.for_each is None and self.resource_id is not None:
            raise ValueError("resource_id is only meaningful together with for_each")

    def expressions(self) -> dict[str, str]:
        """The rule's CEL expressions by the key they are written under."""
        found = {"for_each": self.for_each, "assert": self.assert_, "resource_id": self.resource_id}
        found["message"] = self.message
        return {key: value for key, value in found.items() if value is not None}


@record
class TestCase(Record):
    """An example evidence set and the status the control must give on it (a unit test for its rules)."""

    __test__ = False  # not a pytest test class, despite the name

    name: Text
    evidence: dict[EvidenceName, JsonValue] = dataclasses.field(default_factory=dict)
    now: Annotated[
        datetime | None, Spec(description="Evaluation time for this case (default: a fixed time).")
    ] = None
    expect: Literal["pass", "fail", "error", "not_assessed"]
    failing: Annotated[
        tuple[str, ...] | None,
        Spec(description="Resource ids that must fail (exactly these), for for_each rules."),
    ] = None
    parameters: Annotated[
        dict[ParameterName, JsonValue],
        Spec(description="Parameter values for this case, over the control's defaults."),
    ] = dataclasses.field(default_factory=dict)


@record
class Control(Record):
    """One testable security commitment."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **Record.__pydantic_config__,
        "json_schema_extra": {
            "if": {"properties": {"check": {"const": "python"}}, "required": ["check"]},
            "then": {"properties": {"rules": {"maxItems": 0}, "tests": {"maxItems": 0}}},
            "else": {"properties": {"rules": {"minItems": 1}}, "required": ["rules"]},
        },
    }

    id: Annotated[ControlId, Spec(description="Upper-case domain prefix and number, e.g. CRYPTO-01.")]
    title: Text
    claim: Annotated[Text, Spec(description="The public sentence this control backs, in plain words.")]
    description: Text
    severity: Severity
    domain: Text
    evidence: Annotated[tuple[EvidenceRequirement, ...], Spec(min_length=1)]
    check: Annotated[
        Literal["cel", "python"],
        Spec(
            description=(
                "How the control is checked: 'cel' by its rules (the default), or 'python' by a pytest test "
                "marked @pytest.mark.assay_control('<id>'); a Python-checked control has no rules or tests."
            )
        ),
    ] = "cel"
    rules: tuple[Rule, ...] = ()
    remediation: Text
    references: tuple[Text, ...] = ()
    parameters: Annotated[
        dict[ParameterName, JsonValue],
        Spec(
            description=(
                "Values a company sets for this control (its hosts, its on-call schedule, ...), read by "
                "rules as params.<name>. The value here is the default; null means the company must set it."
            )
        ),
    ] = dataclasses.field(default_factory=dict)
    tests: tuple[TestCase, ...] = ()
    frequency: Annotated[
        Duration | None,
        Spec(
            description=(
                "How often the control must be evaluated to operate over a period (assay period), e.g. "
                "'1d', '13w'. Default: its evidence's shortest max_age, else a day."
            )
        ),
    ] = None
    tolerance: Annotated[
        Duration | None,
        Spec(
            description=(
                "How long it may fail within a period and still operate effectively. Default: not at all"
            )
        ),
    ] = None

    def __post_init__(self) -> None:
        if self.check == "cel" and not self.rules:
            raise ValueError("a control needs at least one rule under 'rules' (or 'check: python')")
        if self.check == "python" and self.rules:
            raise ValueError("a control with 'check: python' has no rules: a pytest test is its check")
        if self.check == "python" and self.tests:
            raise ValueError("a control with 'check: python' has no test cases: its pytest test checks it")
        _require_unique([r.id for r in self.rules], "rule id")
        _require_unique([e.name for e in self.evidence], "evidence name")
        _require_unique([t.name for t in self.tests], "test name")

    @property
    def attestation_only(self) -> bool:
        """Whether every evidence item the control reads is a person's statement (no system export)."""
        return all(e.kind == "attestation" for e in self.evidence)


@record
class ControlFile(Record):
    """A controls YAML file: a list of controls (one file per domain in the built-in catalog)."""

    schema_version: SchemaVersion = 1
    controls: Annotated[tuple[Control, ...], Spec(min_length=1)]


# --- waivers and scope ----------------------------------------------------------------------------

# At least one resource when the key is there (absent: the whole control).
_Resources = Annotated[tuple[Text, ...], Spec(min_length=1)]


@record
class Waiver(Record):
    """A justified, approved, time-boxed acceptance of a failing control or of some of its resources."""

    control: ControlId
    resources: Annotated[
        _Resources | None, Spec(description="Resource ids covered; omit to cover the whole control.")
    ] = None
    justification: Text
    approver: Text
    ticket: Text
    expires: Annotated[date, Spec(description="Last day the waiver applies (YYYY-MM-DD), in UTC.")]

    def is_active(self, now: datetime) -> bool:
        """Whether the waiver applies at ``now``: the one place where waiver expiry is decided.

        A waiver applies through the whole of its ``expires`` day in UTC; a naive ``now`` is taken as UTC.
        """
        moment = now if now.tzinfo is None else now.astimezone(UTC).replace(tzinfo=None)
        return moment.date() <= self.expires


@record
class WaiverFile(Record):
    """A waivers YAML file."""

    schema_version: SchemaVersion = 1
    waivers: tuple[Waiver, ...] = ()


@record
class ScopeEntry(Record):
    """A requirement declared not applicable, or inherited from a provider, with the reason."""

    framework: FrameworkKey
    requirement: RequirementId
    applicability: Literal["not_applicable", "inherited"]
    provider: Annotated[Text | None, Spec(description="Who carries an inherited requirement (e.g. AWS).")] = (
        None
    )
    proven_by: Annotated[
        ControlId | None,
        Spec(
            description=(
                "Inherited only: the control proving the provider's own assurance report was reviewed "
                "(e.g. VENDOR-01). While it does not pass, the requirement is not_assessed."
            )
        ),
    ] = None
    complementary_controls: Annotated[
        tuple[ControlId, ...],
        Spec(
            description=(
                "Inherited only: the complementary user-entity controls (CUECs) the company runs itself."
            )
        ),
    ] = ()
    justification: Text

    def __post_init__(self) -> None:
        if self.applicability == "inherited" and (self.provider is None or self.proven_by is None):
            raise ValueError(
                "an inherited requirement names its provider and the control that proves the "
                "provider's assurance report was reviewed (proven_by)"
            )
        inherited_only = self.provider, self.proven_by, self.complementary_controls or None
        if self.applicability == "not_applicable" and any(v is not None for v in inherited_only):
            raise ValueError("provider, proven_by and complementary_controls are for inherited requirements")


@record
class ParametersFile(Record):
    """A parameters YAML file: per control, the values this company sets for its parameters."""

    schema_version: SchemaVersion = 1
    parameters: dict[ControlId, dict[ParameterName, JsonValue]] = dataclasses.field(default_factory=dict)


@record
class ScopeFile(Record):
    """A scope YAML file: per framework, what is out of scope and why (ISO's Statement of Applicability)."""

    schema_version: SchemaVersion = 1
    scope: tuple[ScopeEntry, ...] = ()


def _require_unique(values: list[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)


FILE_MODELS: dict[str, type[Record]] = {
    "control": ControlFile,
    "framework": FrameworkFile,
    "mapping": MappingFile,
    "waiver": WaiverFile,
    "scope": ScopeFile,
    "parameters": ParametersFile,
}
