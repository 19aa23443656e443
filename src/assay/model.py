"""Typed, frozen records for everything assay reads: controls, frameworks, mappings, waivers, scope.

These models are the single definition of each file format: the loader validates YAML against them,
and the JSON Schemas shipped for editors (``assay schema ...``) are generated from them. Every model
forbids unknown keys, because a misspelt key in compliance data must never be silently ignored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

# Durations have a module of their own; these names stay importable from here (explicit re-exports).
from assay.durations import DURATION_PATTERN as DURATION_PATTERN
from assay.durations import Duration as Duration
from assay.durations import format_duration as format_duration
from assay.durations import parse_duration as parse_duration

# A requirement's parameters and parts (an OSCAL catalog's) have a module of their own too.
from assay.requirement_text import RequirementParameter as RequirementParameter
from assay.requirement_text import RequirementPart as RequirementPart

# The status words have a module of their own too.
from assay.statuses import ControlStatus as ControlStatus
from assay.statuses import RequirementStatus as RequirementStatus
from assay.statuses import Severity as Severity

CONTROL_ID_PATTERN = r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$"
RULE_ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
PARAMETER_NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
EVIDENCE_NAME_PATTERN = r"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*$"
FRAMEWORK_KEY_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
REQUIREMENT_ID_PATTERN = r"^\S+$"

ControlId = Annotated[str, StringConstraints(pattern=CONTROL_ID_PATTERN)]
RuleId = Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN)]
ParameterName = Annotated[str, StringConstraints(pattern=PARAMETER_NAME_PATTERN)]
EvidenceName = Annotated[str, StringConstraints(pattern=EVIDENCE_NAME_PATTERN)]
FrameworkKey = Annotated[str, StringConstraints(pattern=FRAMEWORK_KEY_PATTERN)]
RequirementId = Annotated[str, StringConstraints(pattern=REQUIREMENT_ID_PATTERN, max_length=64)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
CelExpression = Annotated[str, StringConstraints(min_length=1, max_length=8192)]

BUILTIN_FRAMEWORKS = ("soc2", "iso27001", "hipaa", "pci-dss", "gdpr")


# The version of the file formats people write: 2 since mappings carry coverage and rationale. A file
# without ``schema_version`` is version 1; ``assay migrate`` upgrades it.
SCHEMA_VERSION = 2


def _schema_version() -> Any:
    return Field(
        default=1,
        ge=1,
        le=SCHEMA_VERSION,
        description=f"The file format's version (absent: 1; current: {SCHEMA_VERSION}); see assay migrate.",
    )


class Record(BaseModel):
    """Base of every record: immutable, and unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=False)


# --- controls -------------------------------------------------------------------------------------


class EvidenceRequirement(Record):
    """A piece of evidence a control reads, and how old it may be."""

    name: EvidenceName = Field(description="Evidence name, e.g. 'aws.ec2.volumes' for aws/ec2/volumes.json.")
    kind: Literal["system", "attestation"] = Field(
        default="system",
        description=(
            "'system': an export taken from a system; 'attestation': a person's signed statement, which "
            "names who attested, their role and the date (and may list artefacts with sha256 hashes)."
        ),
    )
    max_age: Duration | None = Field(
        default=None,
        description="Oldest acceptable evidence, e.g. '7d'. Undated evidence cannot satisfy it.",
    )
    description: str | None = None


class Rule(Record):
    """A CEL expression that must hold, once over the evidence or for each resource of a list."""

    id: RuleId
    assert_: CelExpression = Field(alias="assert", description="CEL expression that must be true.")
    for_each: CelExpression | None = Field(
        default=None,
        description="CEL expression giving a list; the rule is checked for each element as `item`.",
    )
    resource_id: CelExpression | None = Field(
        default=None,
        description="CEL expression naming the resource `item` (required with for_each).",
    )
    message: CelExpression | None = Field(
        default=None, description="CEL string expression explaining a failure (may use `item`)."
    )
    description: str | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _resource_id_goes_with_for_each(self) -> Rule:
        if self.for_each is not None and self.resource_id is None:
            raise ValueError("a rule with for_each needs resource_id, so each finding names its resource")
        if self.for_each is None and self.resource_id is not None:
            raise ValueError("resource_id is only meaningful together with for_each")
        return self

    def expressions(self) -> dict[str, str]:
        """The rule's CEL expressions by the key they are written under."""
        found = {"for_each": self.for_each, "assert": self.assert_, "resource_id": self.resource_id}
        found["message"] = self.message
        return {key: value for key, value in found.items() if value is not None}


class TestCase(Record):
    """An example evidence set and the status the control must give on it (a unit test for its rules)."""

    __test__ = False  # not a pytest test class, despite the name

    name: Text
    evidence: dict[EvidenceName, JsonValue] = Field(default_factory=dict)
    now: datetime | None = Field(
        default=None, description="Evaluation time for this case (default: a fixed time)."
    )
    expect: Literal["pass", "fail", "error", "not_assessed"]
    failing: tuple[str, ...] | None = Field(
        default=None, description="Resource ids that must fail (exactly these), for for_each rules."
    )
    parameters: dict[ParameterName, JsonValue] = Field(
        default_factory=dict, description="Parameter values for this case, over the control's defaults."
    )


class Control(Record):
    """One testable security commitment."""

    id: ControlId = Field(description="Upper-case domain prefix and number, e.g. CRYPTO-01.")
    title: Text
    claim: Text = Field(description="The public sentence this control backs, in plain words.")
    description: Text
    severity: Severity
    domain: Text
    evidence: tuple[EvidenceRequirement, ...] = Field(min_length=1)
    check: Literal["cel", "python"] = Field(
        default="cel",
        description=(
            "How the control is checked: 'cel' by its rules (the default), or 'python' by a pytest test "
            "marked @pytest.mark.assay_control('<id>'); a Python-checked control has no rules or tests."
        ),
    )
    rules: tuple[Rule, ...] = ()
    remediation: Text
    references: tuple[Text, ...] = ()
    parameters: dict[ParameterName, JsonValue] = Field(
        default_factory=dict,
        description=(
            "Values a company sets for this control (its hosts, its on-call schedule, ...), read by rules "
            "as params.<name>. The value here is the default; null means the company must set it."
        ),
    )
    tests: tuple[TestCase, ...] = ()
    frequency: Duration | None = Field(
        default=None,
        description=(
            "How often the control must be evaluated to operate over a period (assay period), e.g. '1d', "
            "'13w'. Default: its evidence's shortest max_age, else a day."
        ),
    )
    tolerance: Duration | None = Field(
        default=None,
        description="How long it may fail within a period and still operate effectively. Default: not at all",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"check": {"const": "python"}}, "required": ["check"]},
            "then": {"properties": {"rules": {"maxItems": 0}, "tests": {"maxItems": 0}}},
            "else": {"properties": {"rules": {"minItems": 1}}, "required": ["rules"]},
        }
    )

    @model_validator(mode="after")
    def _rules_match_check(self) -> Control:
        if self.check == "cel" and not self.rules:
            raise ValueError("a control needs at least one rule under 'rules' (or 'check: python')")
        if self.check == "python" and self.rules:
            raise ValueError("a control with 'check: python' has no rules: a pytest test is its check")
        if self.check == "python" and self.tests:
            raise ValueError("a control with 'check: python' has no test cases: its pytest test checks it")
        return self

    @model_validator(mode="after")
    def _unique_names(self) -> Control:
        _require_unique([r.id for r in self.rules], "rule id")
        _require_unique([e.name for e in self.evidence], "evidence name")
        _require_unique([t.name for t in self.tests], "test name")
        return self

    @property
    def attestation_only(self) -> bool:
        """Whether every evidence item the control reads is a person's statement (no system export)."""
        return all(e.kind == "attestation" for e in self.evidence)


class ControlFile(Record, defer_build=True):
    """A controls YAML file: a list of controls (one file per domain in the built-in catalog)."""

    schema_version: int = _schema_version()
    controls: tuple[Control, ...] = Field(min_length=1)


# --- frameworks and mappings ----------------------------------------------------------------------


Coverage = Literal["full", "partial", "supporting"]
# A "together" statement is about several partial controls adding up: one alone would be "full".
_TOGETHER_MIN = 2


class MappedControl(Record):
    """A control mapped to a requirement: how much of the requirement it covers, and why.

    ``full``: the control alone, when it passes, satisfies the requirement. ``partial``: it satisfies
    part of it. ``supporting``: it helps, but is not the requirement's substance. (OSCAL calls the
    same relationships equivalent/superset, subset and intersects.)
    """

    control: ControlId
    coverage: Coverage = Field(
        description="full, partial or supporting: how much of the requirement it covers"
    )
    rationale: Text = Field(
        description="One sentence: why this control serves the requirement to that extent"
    )


def _mapped_control(value: Any) -> Any:
    # A bare control id is the format before coverage existed: say what to write instead of a type.
    if isinstance(value, str):
        raise ValueError(
            f"{value} needs its coverage and rationale: write 'control: {value}', "
            "'coverage: full|partial|supporting' and a one-sentence 'rationale'"
        )
    return value


MappedControlEntry = Annotated[MappedControl, BeforeValidator(_mapped_control)]


class Together(Record):
    """A statement that a requirement's partial controls, all passing, together satisfy it."""

    coverage: Literal["full"] = Field(description="What the partial controls achieve together: full.")
    rationale: Text = Field(description="Why the partial controls together cover the whole requirement.")


class Requirement(Record):
    """One requirement of a framework (a SOC 2 criterion, an ISO control, a PCI requirement, ...)."""

    id: RequirementId
    title: Text
    description: Text | None = None
    parent: RequirementId | None = None
    heading: bool = Field(default=False, description="A grouping row: its status is rolled up, not assessed.")
    implementation: Literal["required", "addressable"] | None = Field(
        default=None, description="HIPAA implementation specifications only."
    )
    superseded_after: date | None = Field(
        default=None, description="The last day the requirement applies; after it, its successor does."
    )
    successor: RequirementId | None = Field(default=None, description="The requirement that replaces it.")
    effective_from: date | None = Field(
        default=None,
        description="The first day the requirement is mandatory; before it, it is a best practice.",
    )
    parameters: tuple[RequirementParameter, ...] = Field(
        default=(), description="Values its text leaves to the organisation (an OSCAL catalog's params)."
    )
    parts: tuple[RequirementPart, ...] = Field(
        default=(), description="Its text as parts: statement (with lettered items) and guidance."
    )
    withdrawn: bool = Field(
        default=False,
        description=(
            "Withdrawn from the framework: without superseded_after it is never assessed, but shown as "
            "superseded (by its successor, if it names one) and never counted as a gap."
        ),
    )

    @model_validator(mode="after")
    def _successor_with_date(self) -> Requirement:
        if self.superseded_after is not None and self.successor is None:
            raise ValueError("superseded_after and successor go together")
        if self.successor is not None and self.superseded_after is None and not self.withdrawn:
            raise ValueError(
                "superseded_after and successor go together (unless the requirement is withdrawn)"
            )
        return self

    def in_force(self, on: date) -> bool:
        """Whether the requirement is mandatory on ``on`` (neither future-dated, superseded nor withdrawn)."""
        if self.effective_from is not None and on < self.effective_from:
            return False
        if self.superseded_after is None:
            return not self.withdrawn
        return on <= self.superseded_after


class FrameworkInfo(Record):
    """What a framework file is about."""

    key: FrameworkKey = Field(description="soc2, iso27001, hipaa, pci-dss, gdpr, or a key of your own.")
    name: Text
    version: Text
    source: Text | None = None


class MappingEntry(Record):
    """Controls mapped onto one requirement of the file's framework."""

    requirement: RequirementId
    controls: tuple[MappedControlEntry, ...] = Field(min_length=1)
    together: Together | None = Field(
        default=None,
        description="The partial controls, when all pass, together fully satisfy the requirement; and why.",
    )

    @model_validator(mode="after")
    def _together_needs_partials(self) -> MappingEntry:
        if self.together is not None and sum(c.coverage == "partial" for c in self.controls) < _TOGETHER_MIN:
            raise ValueError("'together' needs at least two controls with coverage: partial")
        return self


class FrameworkFile(Record, defer_build=True):
    """A framework catalog file: the framework's requirements (ids, titles, hierarchy), with no controls.

    Catalogs are data of their own, always available by key; which controls satisfy which requirement
    is said in mapping files (:class:`MappingFile`), the built-in ones and any number of a company's.
    """

    framework: FrameworkInfo
    requirements: tuple[Requirement, ...] = Field(min_length=1)


class MappingFile(Record, defer_build=True):
    """A mappings file: controls mapped onto the requirements of one framework, named by its key."""

    schema_version: int = _schema_version()
    framework: FrameworkKey = Field(description="The key of a framework catalog: soc2, iso27001, ...")
    mappings: tuple[MappingEntry, ...] = Field(min_length=1)


class Framework(Record):
    """A framework's requirement catalog (the mapping part lives in :class:`Mapping`)."""

    key: FrameworkKey
    name: str
    version: str
    source: str | None = None
    requirements: tuple[Requirement, ...]

    def assessable(self) -> tuple[Requirement, ...]:
        """Requirements that get a status of their own (headings are roll-ups)."""
        return tuple(r for r in self.requirements if not r.heading)


class Mapping(Record):
    """One control mapped to one requirement of one framework."""

    framework: FrameworkKey
    requirement: RequirementId
    control: ControlId
    coverage: Coverage
    rationale: str
    together: str | None = Field(
        default=None, description="The requirement's 'together: full' rationale, when its mapping has one."
    )
    together_with: tuple[ControlId, ...] = Field(
        default=(), description="The partial controls that statement is about: all must be satisfied."
    )


# --- waivers and scope ----------------------------------------------------------------------------


class Waiver(Record):
    """A justified, approved, time-boxed acceptance of a failing control or of some of its resources."""

    control: ControlId
    resources: tuple[Text, ...] | None = Field(
        default=None,
        description="Resource ids covered; omit to cover the whole control.",
        min_length=1,
    )
    justification: Text
    approver: Text
    ticket: Text
    expires: date = Field(description="Last day the waiver applies (YYYY-MM-DD), in UTC.")

    def is_active(self, now: datetime) -> bool:
        """Whether the waiver applies at ``now``: the one place where waiver expiry is decided.

        A waiver applies through the whole of its ``expires`` day in UTC; a naive ``now`` is taken as UTC.
        """
        moment = now if now.tzinfo is None else now.astimezone(UTC).replace(tzinfo=None)
        return moment.date() <= self.expires


class WaiverFile(Record, defer_build=True):
    """A waivers YAML file."""

    schema_version: int = _schema_version()
    waivers: tuple[Waiver, ...] = ()


class ScopeEntry(Record):
    """A requirement declared not applicable, or inherited from a provider, with the reason."""

    framework: FrameworkKey
    requirement: RequirementId
    applicability: Literal["not_applicable", "inherited"]
    provider: Text | None = Field(
        default=None, description="Who carries an inherited requirement (e.g. AWS)."
    )
    proven_by: ControlId | None = Field(
        default=None,
        description=(
            "Inherited only: the control proving the provider's own assurance report was reviewed "
            "(e.g. VENDOR-01). While it does not pass, the requirement is not_assessed."
        ),
    )
    complementary_controls: tuple[ControlId, ...] = Field(
        default=(),
        description="Inherited only: the complementary user-entity controls (CUECs) the company runs itself.",
    )
    justification: Text

    @model_validator(mode="after")
    def _provider_iff_inherited(self) -> ScopeEntry:
        if self.applicability == "inherited" and (self.provider is None or self.proven_by is None):
            raise ValueError(
                "an inherited requirement names its provider and the control that proves the "
                "provider's assurance report was reviewed (proven_by)"
            )
        inherited_only = self.provider, self.proven_by, self.complementary_controls or None
        if self.applicability == "not_applicable" and any(v is not None for v in inherited_only):
            raise ValueError("provider, proven_by and complementary_controls are for inherited requirements")
        return self


class ParametersFile(Record):
    """A parameters YAML file: per control, the values this company sets for its parameters."""

    schema_version: int = _schema_version()
    parameters: dict[ControlId, dict[ParameterName, JsonValue]] = Field(default_factory=dict)


class ScopeFile(Record, defer_build=True):
    """A scope YAML file: per framework, what is out of scope and why (ISO's Statement of Applicability)."""

    schema_version: int = _schema_version()
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
