"""The verified trust page: the public security page built only from what today's evidence proves.

:func:`build_trust_page` is pure: a gap report (which already holds every control's claim, domain,
status and the evidence it read) and a :class:`TrustConfig` in, a :class:`TrustPage` out. Renderers
(:mod:`assay.render.trust_page`) only read that record.

The rules, in order of importance:

* **One control, one claim.** A control's ``claim`` is published only when that control's status
  is ``pass``. ``fail``, ``error``, ``not_assessed`` and ``waived`` (failing, even if accepted) keep
  it off the page; it goes to the private withheld list with the reason. A passing control whose
  evidence carries no collection date is withheld too: every public claim shows when its evidence
  was collected (the oldest ``collected_at`` of the evidence the control read).
* **Sections.** Each control lands in a page section by its ``domain`` (:data:`DOMAIN_SECTIONS`):

  ========================  ============================
  built-in domain           section
  ========================  ============================
  network, vendor-cloud     infrastructure
  cryptography              encryption
  identity-access, people   access-control
  logging-monitoring,       monitoring
  incident-response
  backup-recovery           backups
  secure-development        secure-development
  vulnerability-management  vulnerability-disclosure
  governance-assurance,     compliance
  privacy-data
  ========================  ============================

  A domain of your own is placed by the trust config's ``domains`` table, else by its first word
  (``identity`` -> access-control, ``logging`` -> monitoring, ``governance`` -> compliance); a
  domain that still has no section is withheld rather than guessed.
* **Compliance.** Per framework, the share of in-scope requirements ``met``, by the gap report's own
  status function: a requirement resting on a waived control is ``met_with_exceptions`` there, and
  does not count here either. A report or certificate (:data:`ATTESTATIONS`) is
  named only when at least one control reads its attestation evidence, every control that reads it
  passes, and that evidence is dated. Passing implies the evidence is within the control's
  ``max_age``, and the built-in controls (GOV-02, GOV-03, GOV-04) check the document itself is
  current (SOC 2 period ended within a year or a bridge letter covers today, ISO certificate
  within its validity, PCI AOC signed within a year). Otherwise the statement is withheld.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from assay.errors import Diagnostic, LoadError, Severity
from assay.gaps import ControlEntry, FrameworkReport, Report
from assay.loading.catalog import Catalog
from assay.model import ControlStatus, RequirementStatus, Text
from assay.project import Project, TrustSettings, display, parse_position
from assay.securitytxt_config import SecurityTxtConfig, require_canonical
from assay.strict_model import StrictModel as Record
from assay.suggest import did_you_mean
from assay.verdicts import NOT_IN_SCOPE

SectionKey = Literal[
    "infrastructure",
    "encryption",
    "access-control",
    "monitoring",
    "backups",
    "secure-development",
    "vulnerability-disclosure",
    "compliance",
]
SECTIONS: tuple[SectionKey, ...] = get_args(SectionKey)
SECTION_TITLES: dict[SectionKey, str] = {
    "infrastructure": "Infrastructure",
    "encryption": "Encryption",
    "access-control": "Access control",
    "monitoring": "Monitoring and incident response",
    "backups": "Backups and continuity",
    "secure-development": "Secure development",
    "vulnerability-disclosure": "Vulnerability management and disclosure",
    "compliance": "Compliance",
}
DOMAIN_SECTIONS: dict[str, SectionKey] = {
    "network": "infrastructure",
    "vendor-cloud": "infrastructure",
    "cryptography": "encryption",
    "identity-access": "access-control",
    "people": "access-control",
    "logging-monitoring": "monitoring",
    "incident-response": "monitoring",
    "backup-recovery": "backups",
    "secure-development": "secure-development",
    "vulnerability-management": "vulnerability-disclosure",
    "governance-assurance": "compliance",
    "privacy-data": "compliance",
}
# (evidence name, framework key, the statement the page makes when that evidence is proven current)
ATTESTATIONS: tuple[tuple[str, str, str], ...] = (
    ("attestations.soc2_report", "soc2", "SOC 2 Type 2 report, current"),
    ("attestations.iso27001_certificate", "iso27001", "ISO/IEC 27001 certificate, valid"),
    ("attestations.pci_aoc", "pci-dss", "PCI DSS Attestation of Compliance, current"),
)


SHOWN_FINDINGS = 3  # findings named in a withheld claim's reason; the rest are counted

# --- the config -----------------------------------------------------------------------------------


class TrustConfig(Record):
    """``trust.yaml``: what the trust page says about the company, besides the proven claims."""

    company: Text
    title: Text | None = Field(default=None, description="Default: '<company> security'.")
    introduction: Text | None = None
    contact: Text | None = Field(default=None, description="Shown in the footer; default: the first Contact.")
    canonical_url: Text | None = Field(default=None, description="Where the page is published (https://...).")
    sections: dict[SectionKey, Text] = Field(default_factory=dict, description="Section title overrides.")
    domains: dict[Text, SectionKey] = Field(
        default_factory=dict, description="Page section of control domains of your own."
    )
    security_txt: SecurityTxtConfig | None = None

    @field_validator("security_txt")
    @classmethod
    def _has_canonical(
        cls, value: SecurityTxtConfig | None, info: ValidationInfo
    ) -> SecurityTxtConfig | None:
        return require_canonical(value, info.data.get("canonical_url"))

    @property
    def page_title(self) -> str:
        return self.title or f"{self.company} security"


def load_trust_config(path: Path, shown: str | None = None) -> TrustConfig:
    """Read a trust config with assay's YAML reader; problems raise :class:`LoadError` at file:line:col."""
    from assay.loading.documents import validation_diagnostics
    from assay.yamlsource import load_yaml_file

    document = load_yaml_file(path, shown=shown or str(path))
    if not isinstance(document.data, dict):
        position = document.position(())
        raise LoadError(
            [Diagnostic(document.path, position.line, position.column, Severity.ERROR, "expected a mapping")]
        )
    try:
        return TrustConfig.model_validate(document.data)
    except ValidationError as exc:
        raise LoadError(validation_diagnostics(exc, document, (), "", TrustConfig)) from None


# --- the page record ------------------------------------------------------------------------------


class Result(BaseModel):
    """Base of the trust page's records: pydantic models, frozen, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class PublishedClaim(Result):
    control: str
    claim: str
    collected_at: datetime  # the oldest collection time of the evidence the control read


class TrustSection(Result):
    key: SectionKey
    title: str
    claims: tuple[PublishedClaim, ...]


class FrameworkStatement(Result):
    key: str
    name: str
    version: str
    met: int
    in_scope: int

    @property
    def share(self) -> float | None:
        return self.met / self.in_scope if self.in_scope else None


class AttestationStatement(Result):
    framework: str
    statement: str
    evidence: str
    controls: tuple[str, ...]
    collected_at: datetime


class WithheldItem(Result):
    item: str  # a control id, or the evidence name of a report or certificate
    claim: str
    section: str
    status: str
    reason: str


class TrustPage(Result):
    company: str
    title: str
    introduction: str | None
    contact: str | None
    canonical_url: str | None
    generated_at: datetime
    sections: tuple[TrustSection, ...]  # every section, in page order; empty ones included
    frameworks: tuple[FrameworkStatement, ...]
    attestations: tuple[AttestationStatement, ...]
    withheld: tuple[WithheldItem, ...]
    show_percentages: bool = True  # counts and shares of requirements met
    show_control_ids: bool = False  # internal control ids beside the claims

    def section(self, key: str) -> TrustSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def visible_sections(self) -> list[TrustSection]:
        """The sections the public page shows: those with a claim, and compliance when it says anything."""
        return [
            s
            for s in self.sections
            if s.claims or (s.key == "compliance" and (self.frameworks or self.attestations))
        ]


# --- building it ----------------------------------------------------------------------------------


def section_of(domain: str, overrides: dict[str, SectionKey] | None = None) -> SectionKey | None:
    """The page section of a control domain, or None when there is none (see the module docstring)."""
    if overrides and domain in overrides:
        return overrides[domain]
    if domain in DOMAIN_SECTIONS:
        return DOMAIN_SECTIONS[domain]
    first = domain.split("-", 1)[0]
    for known, section in DOMAIN_SECTIONS.items():
        if known.split("-", 1)[0] == first:
            return section
    return None


def build_trust_page(report: Report, config: TrustConfig, settings: TrustSettings | None = None) -> TrustPage:
    """What the public page may say, and what is withheld and why.

    ``settings`` (the project's ``trust`` table) choose the frameworks and domains the page speaks of,
    and whether it shows figures and control ids.
    """
    settings = settings or TrustSettings()
    titles = {key: config.sections.get(key, SECTION_TITLES[key]) for key in SECTIONS}
    claims: dict[SectionKey, list[PublishedClaim]] = {key: [] for key in SECTIONS}
    withheld: list[WithheldItem] = []
    for control in report.controls:
        section = section_of(control.domain, config.domains)
        shown_section = titles[section] if section is not None else f"none (domain {control.domain})"
        reason = _withheld_reason(control)
        if reason is None and settings.domains is not None and control.domain not in settings.domains:
            reason = f"its domain {control.domain!r} is not among the trust page's domains (trust.domains)"
        collected = _collected(control)
        if reason is None and collected is None:
            reason = "its evidence has no collection date, so the page could not say how current it is"
        if reason is None and section is None:
            reason = (
                f"its domain {control.domain!r} has no section on the page; "
                "map it under 'domains' in the trust config"
            )
        if reason is not None or section is None or collected is None:
            withheld.append(
                WithheldItem(
                    item=control.control,
                    claim=control.claim,
                    section=shown_section,
                    status=control.status.value,
                    reason=reason or "",
                )
            )
            continue
        claims[section].append(
            PublishedClaim(control=control.control, claim=control.claim, collected_at=collected)
        )
    frameworks = [f for f in report.frameworks if settings.frameworks is None or f.key in settings.frameworks]
    attestations, withheld_attestations = _attestations(
        report, titles["compliance"], {f.key for f in frameworks}
    )
    contact = config.contact or (config.security_txt.contact[0] if config.security_txt else None)
    return TrustPage(
        company=config.company,
        title=config.page_title,
        introduction=config.introduction,
        contact=contact,
        canonical_url=config.canonical_url,
        generated_at=report.generated_at,
        sections=tuple(
            TrustSection(key=key, title=titles[key], claims=tuple(claims[key])) for key in SECTIONS
        ),
        frameworks=tuple(_framework_statement(f) for f in frameworks),
        attestations=tuple(attestations),
        withheld=(*withheld, *withheld_attestations),
        show_percentages=settings.show_percentages,
        show_control_ids=settings.show_control_ids,
    )


def _collected(control: ControlEntry) -> datetime | None:
    dates = [use.collected_at for use in control.evidence]
    if not dates or any(d is None for d in dates):
        return None
    return min(d for d in dates if d is not None)


def _withheld_reason(control: ControlEntry) -> str | None:
    status = control.status
    if status is ControlStatus.PASS:
        return None
    if status is ControlStatus.FAIL:
        messages = [
            f"{f.resource}: {f.message}" if f.resource else f.message
            for f in control.findings
            if not f.waived_by
        ]
        shown = "; ".join(messages[:SHOWN_FINDINGS])
        if len(messages) > SHOWN_FINDINGS:
            shown += f"; and {len(messages) - SHOWN_FINDINGS} more"
        return f"the control fails: {shown}" if shown else "the control fails"
    if status is ControlStatus.WAIVED:
        waiver = control.waiver
        if waiver is None:
            return "the control fails and is waived"
        return (
            f"the control fails; waiver {waiver.ticket} (approved by {waiver.approver}, until "
            f"{waiver.expires.isoformat()}) accepts that, but a waiver is not proof"
        )
    if status is ControlStatus.ERROR:
        detail = control.reason or "; ".join(control.errors)
        return (
            f"the control could not be evaluated: {detail}"
            if detail
            else "the control could not be evaluated"
        )
    detail = control.reason or "its evidence is missing or too old"
    return f"the control was not assessed: {detail}"


def _framework_statement(framework: FrameworkReport) -> FrameworkStatement:
    rows = [r for r in framework.requirements if not r.heading]
    in_scope = [r for r in rows if r.status not in NOT_IN_SCOPE]
    met = [r for r in in_scope if r.status is RequirementStatus.MET]  # one status function decides
    return FrameworkStatement(
        key=framework.key,
        name=framework.name,
        version=framework.version,
        met=len(met),
        in_scope=len(in_scope),
    )


def _attestations(
    report: Report, section: str, known: set[str]
) -> tuple[list[AttestationStatement], list[WithheldItem]]:
    statements: list[AttestationStatement] = []
    withheld: list[WithheldItem] = []
    for evidence, framework, statement in ATTESTATIONS:
        if framework not in known:
            continue
        readers = [c for c in report.controls if any(use.name == evidence for use in c.evidence)]
        if not readers:
            continue  # nothing checks such a document: the page says nothing about it
        dates = [use.collected_at for c in readers for use in c.evidence if use.name == evidence]
        failing = [c for c in readers if c.status is not ControlStatus.PASS]
        if failing or any(d is None for d in dates):
            reason = (
                "; ".join(f"{c.control} is {c.status.value}" for c in failing)
                if failing
                else f"{evidence} has no collection date"
            )
            withheld.append(
                WithheldItem(
                    item=evidence, claim=statement, section=section, status="withheld", reason=reason
                )
            )
            continue
        statements.append(
            AttestationStatement(
                framework=framework,
                statement=statement,
                evidence=evidence,
                controls=tuple(c.control for c in readers),
                collected_at=min(d for d in dates if d is not None),
            )
        )
    return statements, withheld


# --- checking the names a trust page relies on ---------------------------------------------------------


def trust_config_path(project: Project) -> Path | None:
    """The trust page config: the project's, else ./trust.yaml, else the example's with the example."""
    from assay.loading.builtin import builtin_paths

    if project.trust.config is not None:
        return project.trust.config
    local = project.root / "trust.yaml"
    if local.is_file():
        return local
    example = builtin_paths().example / "trust.yaml"
    return example if project.evidence is None and example.is_file() else None


def check_domains(project: Project, catalog: Catalog | None = None) -> list[Diagnostic]:
    """Domain names that would make a claim vanish from the trust page, as lint errors.

    A control whose domain has no page section, a ``domains`` entry of the trust config naming a
    domain no control has, and a ``trust.domains`` setting naming one: each is almost always a typo.
    """
    from assay.loaded_project import load_project_catalog

    catalog = catalog or load_project_catalog(project)
    config_file = trust_config_path(project)
    config = load_trust_config(config_file, display(config_file)) if config_file is not None else None
    overrides = dict(config.domains) if config is not None else {}
    domains = {control.domain for control in catalog.controls}
    out: list[Diagnostic] = []
    for control in catalog.controls:
        if section_of(control.domain, overrides) is None:
            source = catalog.control_sources.get(control.id)
            message = (
                f"domain {control.domain!r} has no trust page section"
                f"{did_you_mean(control.domain, DOMAIN_SECTIONS)}; map it under 'domains' in the trust config"
            )
            if source is not None:
                out.append(source.diagnostic(message, "domain"))
    if config_file is not None:
        out += _unknown_config_domains(config_file, overrides, domains)
    for domain in project.trust.domains or ():
        if domain not in domains:
            origin = project.origin("trust.domains")
            out.append(
                _config_error(
                    origin,
                    f"trust.domains: {domain!r} is the domain of no control{did_you_mean(domain, domains)}",
                )
            )
    return out


def _unknown_config_domains(
    config_file: Path, overrides: dict[str, SectionKey], domains: set[str]
) -> list[Diagnostic]:
    """The trust config's ``domains`` keys that no control has, at their line and column."""
    from assay.yamlsource import load_yaml_file

    document = load_yaml_file(config_file, shown=display(config_file))
    out = []
    for domain in overrides:
        if domain not in domains:
            position = document.position(("domains", domain), key=True)
            hint = did_you_mean(domain, domains)
            message = f"trust config domains: {domain!r} is the domain of no control{hint}"
            out.append(Diagnostic(document.path, position.line, position.column, Severity.ERROR, message))
    return out


def _config_error(origin: str, message: str) -> Diagnostic:
    file, line, column = parse_position(origin) or (origin, 1, 1)
    return Diagnostic(file, line, column, Severity.ERROR, message)
