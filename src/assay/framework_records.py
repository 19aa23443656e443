"""Framework catalogs and the mappings of controls onto their requirements, as records.

A framework file lists a framework's requirements (ids, titles, hierarchy, dates); a mapping file says
which controls satisfy which requirement, how much of it and why. Re-exported by :mod:`assay.model`,
where the control records live: ``from assay.model import Requirement`` keeps working.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from assay.catalog_types import ControlId, FrameworkKey, RequirementId, SchemaVersion, Text
from assay.records import Record, Spec, record
from assay.requirement_text import RequirementParameter, RequirementPart

Coverage = Literal["full", "partial", "supporting"]
# A "together" statement is about several partial controls adding up: one alone would be "full".
_TOGETHER_MIN = 2


@record
class MappedControl(Record):
    """A control mapped to a requirement: how much of the requirement it covers, and why.

    ``full``: the control alone, when it passes, satisfies the requirement. ``partial``: it satisfies
    part of it. ``supporting``: it helps, but is not the requirement's substance. (OSCAL calls the
    same relationships equivalent/superset, subset and intersects.)
    """

    control: ControlId
    coverage: Annotated[
        Coverage, Spec(description="full, partial or supporting: how much of the requirement it covers")
    ]
    rationale: Annotated[
        Text, Spec(description="One sentence: why this control serves the requirement to that extent")
    ]


def _mapped_control(value: Any) -> Any:
    # A bare control id is the format before coverage existed: say what to write instead of a type.
    if isinstance(value, str):
        raise ValueError(
            f"{value} needs its coverage and rationale: write 'control: {value}', "
            "'coverage: full|partial|supporting' and a one-sentence 'rationale'"
        )
    return value


MappedControlEntry = Annotated[MappedControl, Spec(before=_mapped_control)]


@record
class Together(Record):
    """A statement that a requirement's partial controls, all passing, together satisfy it."""

    coverage: Annotated[
        Literal["full"], Spec(description="What the partial controls achieve together: full.")
    ]
    rationale: Annotated[
        Text, Spec(description="Why the partial controls together cover the whole requirement.")
    ]


@record
class Requirement(Record):
    """One requirement of a framework (a SOC 2 criterion, an ISO control, a PCI requirement, ...)."""

    id: RequirementId
    title: Text
    description: Text | None = None
    parent: RequirementId | None = None
    heading: Annotated[bool, Spec(description="A grouping row: its status is rolled up, not assessed.")] = (
        False
    )
    implementation: Annotated[
        Literal["required", "addressable"] | None,
        Spec(description="HIPAA implementation specifications only."),
    ] = None
    superseded_after: Annotated[
        date | None,
        Spec(description="The last day the requirement applies; after it, its successor does."),
    ] = None
    successor: Annotated[RequirementId | None, Spec(description="The requirement that replaces it.")] = None
    effective_from: Annotated[
        date | None,
        Spec(description="The first day the requirement is mandatory; before it, it is a best practice."),
    ] = None
    parameters: Annotated[
        tuple[RequirementParameter, ...],
        Spec(description="Values its text leaves to the organisation (an OSCAL catalog's params)."),
    ] = ()
    parts: Annotated[
        tuple[RequirementPart, ...],
        Spec(description="Its text as parts: statement (with lettered items) and guidance."),
    ] = ()
    withdrawn: Annotated[
        bool,
        Spec(
            description=(
                "Withdrawn from the framework: without superseded_after it is never assessed, but shown as "
                "superseded (by its successor, if it names one) and never counted as a gap."
            )
        ),
    ] = False

    def __post_init__(self) -> None:
        if self.superseded_after is not None and self.successor is None:
            raise ValueError("superseded_after and successor go together")
        if self.successor is not None and self.superseded_after is None and not self.withdrawn:
            raise ValueError(
                "superseded_after and successor go together (unless the requirement is withdrawn)"
            )

    def in_force(self, on: date) -> bool:
        """Whether the requirement is mandatory on ``on`` (neither future-dated, superseded nor withdrawn)."""
        if self.effective_from is not None and on < self.effective_from:
            return False
        if self.superseded_after is None:
            return not self.withdrawn
        return on <= self.superseded_after


@record
class FrameworkInfo(Record):
    """What a framework file is about."""

    key: Annotated[
        FrameworkKey, Spec(description="soc2, iso27001, hipaa, pci-dss, gdpr, or a key of your own.")
    ]
    name: Text
    version: Text
    source: Text | None = None


@record
class MappingEntry(Record):
    """Controls mapped onto one requirement of the file's framework."""

    requirement: RequirementId
    controls: Annotated[tuple[MappedControlEntry, ...], Spec(min_length=1)]
    together: Annotated[
        Together | None,
        Spec(
            description=(
                "The partial controls, when all pass, together fully satisfy the requirement; and why."
            )
        ),
    ] = None

    def __post_init__(self) -> None:
        if self.together is not None and sum(c.coverage == "partial" for c in self.controls) < _TOGETHER_MIN:
            raise ValueError("'together' needs at least two controls with coverage: partial")


@record
class FrameworkFile(Record):
    """A framework catalog file: the framework's requirements (ids, titles, hierarchy), with no controls.

    Catalogs are data of their own, always available by key; which controls satisfy which requirement
    is said in mapping files (:class:`MappingFile`), the built-in ones and any number of a company's.
    """

    framework: FrameworkInfo
    requirements: Annotated[tuple[Requirement, ...], Spec(min_length=1)]


@record
class MappingFile(Record):
    """A mappings file: controls mapped onto the requirements of one framework, named by its key."""

    schema_version: SchemaVersion = 1
    framework: Annotated[
        FrameworkKey, Spec(description="The key of a framework catalog: soc2, iso27001, ...")
    ]
    mappings: Annotated[tuple[MappingEntry, ...], Spec(min_length=1)]


@record
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


@record
class Mapping(Record):
    """One control mapped to one requirement of one framework."""

    framework: FrameworkKey
    requirement: RequirementId
    control: ControlId
    coverage: Coverage
    rationale: str
    together: Annotated[
        str | None,
        Spec(description="The requirement's 'together: full' rationale, when its mapping has one."),
    ] = None
    together_with: Annotated[
        tuple[ControlId, ...],
        Spec(description="The partial controls that statement is about: all must be satisfied."),
    ] = ()
