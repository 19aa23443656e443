"""Organisation-wide runs: one evidence folder per account under a root, one report for them all.

``assay collect aws --output ROOT/<account>`` writes one evidence folder per AWS account; every
non-hidden folder in ROOT is an account, named by its folder. Each account is evaluated by the one
run (:func:`assay.pipeline.run`) with the project's catalog, waivers, scope and parameters and its own
evidence, on an :mod:`assay.executor` (local processes, or Dask). Each account comes back as a
compact :class:`AccountEntry` (its control results and per-framework counts) with its requirement
statuses, from which the organisation summary is built: per control, how many accounts have each
status; per framework requirement, how many accounts meet it and which do not.

An account whose evidence cannot be loaded at all (a broken manifest, an attestation without its
signer) is reported as not evaluated, with the reason, and the others are still evaluated. A folder
that is a link leading outside the root is refused, never read.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay._version import __version__
from assay.cel.readpaths import evidence_read_paths
from assay.engine import Engine
from assay.errors import ConfigError, Diagnostic, LoadError
from assay.evidence import MANIFEST
from assay.executor import Executor
from assay.gaps import Report, mapped_frameworks
from assay.lean_dataclasses import frozen
from assay.loaded_project import load_project, load_project_catalog
from assay.loading.catalog import Catalog
from assay.loading.documents import display_path
from assay.model import Control, ControlStatus, RequirementStatus, Severity
from assay.pipeline import (
    InvalidControls,
    backend_for,
    check_frameworks,
    evaluate,
    evaluation_time,
    lint_errors,
    outcome_of,
)
from assay.project import Project
from assay.results import Finding

ORG_REPORT_SCHEMA_VERSION: Literal[1] = 1
NOT_EVALUATED = "not_evaluated"  # the account's evidence could not be loaded: no status at all
OrgProgress = Callable[[int, int], None]
# Findings kept per control and account: an organisation's report holds the verdicts of every account,
# not every failing resource (a control failing on 2,500 resources in each of 100 accounts would hold
# a quarter of a million findings, over a gigabyte).
MAX_FINDINGS = 100


class Result(BaseModel):
    """Base of the organisation report's records: pydantic models (a few per account, not per finding)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class AccountControl(Result):
    """One control's result in one account: its first :data:`MAX_FINDINGS` findings, and how many in all."""

    control: str
    status: ControlStatus
    reason: str | None = None
    findings: tuple[Finding, ...] = ()
    findings_total: int = 0  # the account's own report (assay check --evidence FOLDER) lists them all


class AccountFramework(Result):
    """One framework's requirement counts in one account."""

    key: str
    counts: dict[str, int]
    share_met: float | None


class AccountEntry(Result):
    """One account: its control results, or why it could not be evaluated."""

    account: str
    evidence: str  # the account's folder, as reports show paths
    evaluated: bool
    failing: bool  # not evaluated, or a control of at least the fail_on severity fails or errors
    error: str | None = None
    summary: dict[str, int] = Field(default_factory=dict)
    controls: tuple[AccountControl, ...] = ()
    frameworks: tuple[AccountFramework, ...] = ()
    notices: tuple[str, ...] = ()


class ControlSummary(Result):
    """One control across the organisation: how many accounts have each status, and which fail."""

    control: str
    title: str
    severity: Severity
    domain: str
    counts: dict[str, int]  # every control status, and not_evaluated
    failing_accounts: tuple[str, ...] = ()  # fail or error


class RequirementSummary(Result):
    """One requirement across the organisation: how many accounts meet it, and which do not."""

    id: str
    title: str
    met: int  # accounts where it is met (met_with_exceptions counted apart, in counts)
    counts: dict[str, int]  # every requirement status, and not_evaluated
    not_met_accounts: tuple[str, ...] = ()


class FrameworkSummary(Result):
    key: str
    name: str
    version: str
    requirements: tuple[RequirementSummary, ...]


class OrgReport(Result):
    """An organisation's report: the JSON organisation report is exactly this record."""

    schema_version: Literal[1] = ORG_REPORT_SCHEMA_VERSION
    kind: Literal["organisation"] = "organisation"
    assay_version: str
    generated_at: datetime
    backend: str
    root: str
    summary: dict[str, int]  # accounts, evaluated, passing, failing, not_evaluated
    controls: tuple[ControlSummary, ...]
    frameworks: tuple[FrameworkSummary, ...]
    accounts: tuple[AccountEntry, ...]

    @property
    def failing(self) -> bool:
        return any(account.failing for account in self.accounts)


@frozen
class Account:
    """An account folder found under the root; ``refused`` says why it is not read."""

    name: str
    folder: Path
    refused: str | None = None


@frozen
class AccountTask:
    """What a worker needs to evaluate one account: all of it picklable, none of it evidence."""

    config: Project  # every path in it absolute
    account: str
    folder: Path  # absolute
    shown: str  # the folder as the report shows it
    clock: datetime
    controls: tuple[str, ...] | None = None


@frozen
class AccountOutcome:
    """A worker's answer: the account's entry, and its requirement statuses by framework."""

    entry: AccountEntry
    statuses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def find_accounts(root: Path) -> list[Account]:
    """Every account folder in ``root``, sorted by name; links leading outside ``root`` are refused."""
    if not root.exists():
        raise ConfigError(f"{root}: no such folder")
    if not root.is_dir():
        raise ConfigError(f"{root}: not a folder: --evidence-root takes a folder of evidence folders")
    if os.path.lexists(root / MANIFEST):
        raise ConfigError(
            f"{root} is one evidence folder (it has {MANIFEST}): give it with --evidence, "
            "or give the folder that holds it with --evidence-root"
        )
    real_root = root.resolve()
    found = []
    for name in sorted(os.listdir(root)):
        path = root / name
        if name.startswith(".") or not path.is_dir():
            continue
        target = path.resolve()
        if target == real_root or not target.is_relative_to(real_root):
            found.append(Account(name, path, "a link leading outside the evidence root: refused"))
        else:
            found.append(Account(name, path))
    if not found:
        raise ConfigError(f"{root}: no account folders in it (one evidence folder per account)")
    return found


# Per worker process: the catalog, compiled engine and lint errors of each project evaluated there.
_PREPARED: dict[bytes, tuple[Catalog, Engine, dict[str, tuple[Diagnostic, ...]]]] = {}


def prepared(config: Project) -> tuple[Catalog, Engine, dict[str, tuple[Diagnostic, ...]]]:
    """The project's catalog, engine and lint errors: made once per process, then reused."""
    key = pickle.dumps(config)
    if key not in _PREPARED:
        catalog = load_project_catalog(config)
        engine = Engine(catalog, backend=backend_for(config))
        _PREPARED[key] = (catalog, engine, lint_errors(catalog))
    return _PREPARED[key]


def evaluate_account(task: AccountTask) -> AccountOutcome:
    """Evaluate one account (in a worker): its entry, or why its evidence could not be loaded."""
    config = dataclasses.replace(task.config, evidence=task.folder)
    shown = task.shown
    try:
        catalog, engine, invalid = prepared(task.config)
        loaded = load_project(project=config, catalog=catalog, read_paths=evidence_read_paths)
        now = evaluation_time(loaded, task.clock)
        result = evaluate(loaded, engine, now=now, controls=task.controls, invalid=invalid)
        outcome = outcome_of(loaded, result)
    except (LoadError, ConfigError) as exc:
        return AccountOutcome(_unevaluated(task.account, shown, str(exc)))
    except OSError as exc:
        return AccountOutcome(_unevaluated(task.account, shown, f"cannot read it: {exc.strerror or exc}"))
    threshold = Severity(task.config.fail_on).rank
    bad = (ControlStatus.FAIL, ControlStatus.ERROR)
    failing = any(r.status in bad and r.severity.rank >= threshold for r in outcome.run.results)
    return AccountOutcome(
        _entry(task.account, shown, outcome.report, failing, outcome.notices), _statuses(outcome.report)
    )


def _unevaluated(account: str, shown: str, reason: str) -> AccountEntry:
    return AccountEntry(account=account, evidence=shown, evaluated=False, failing=True, error=reason)


def _entry(account: str, shown: str, report: Report, failing: bool, notices: Sequence[str]) -> AccountEntry:
    return AccountEntry(
        account=account,
        evidence=shown,
        evaluated=True,
        failing=failing,
        summary=dict(report.summary),
        controls=tuple(
            AccountControl(
                control=c.control,
                status=c.status,
                reason=c.reason,
                findings=c.findings[:MAX_FINDINGS],
                findings_total=len(c.findings),
            )
            for c in report.controls
        ),
        frameworks=tuple(
            AccountFramework(key=f.key, counts=dict(f.counts), share_met=f.share_met)
            for f in report.frameworks
        ),
        notices=tuple(notices),
    )


def _statuses(report: Report) -> dict[str, dict[str, str]]:
    return {f.key: {r.id: r.status.value for r in f.requirements if not r.heading} for f in report.frameworks}


def run_organisation(
    config: Project,
    root: Path,
    executor: Executor,
    *,
    selectors: Sequence[str] | None = None,
    clock: datetime | None = None,
    progress: OrgProgress | None = None,
) -> OrgReport:
    """Evaluate every account under ``root`` on ``executor``: the organisation's report.

    ``selectors`` choose controls as ``assay check -k`` does (control ids, requirement ids).
    The catalog is loaded and linted here first, so a broken catalog stops the run before any
    account is read (:class:`LoadError`, :class:`InvalidControls`); ``clock`` stands for the current
    time of every account without a ``now`` or a snapshot time (default: the clock, read once).
    """
    accounts = find_accounts(root)
    moment = clock or datetime.now(UTC)
    config = dataclasses.replace(_absolute(config), record=False, record_evidence=False)
    catalog, _, invalid = prepared(config)
    wanted = None if selectors is None else tuple(catalog.select(selectors))
    errors = {c: e for c, e in invalid.items() if wanted is None or c in wanted}
    if errors and not config.skip_invalid:
        raise InvalidControls([d for found in errors.values() for d in found])
    keys = check_frameworks(catalog, config.frameworks) or mapped_frameworks(catalog)
    tasks = [
        AccountTask(config, a.name, a.folder.resolve(), display_path(a.folder), moment, wanted)
        for a in accounts
        if a.refused is None
    ]
    outcomes: dict[str, AccountOutcome] = {
        a.name: AccountOutcome(_unevaluated(a.name, display_path(a.folder), a.refused))
        for a in accounts
        if a.refused is not None
    }
    for _, outcome in executor.run(evaluate_account, tasks):
        outcomes[outcome.entry.account] = outcome
        if progress is not None:
            progress(len(outcomes), len(accounts))
    ordered = [outcomes[a.name] for a in accounts]
    selected = [c for c in catalog.controls if wanted is None or c.id in wanted]
    return OrgReport(
        assay_version=__version__,
        generated_at=config.now or moment,
        backend=config.backend,
        root=display_path(root),
        summary=_summary(ordered),
        controls=tuple(_control_summary(c, ordered) for c in selected),
        frameworks=tuple(_framework_summary(catalog, key, ordered) for key in keys),
        accounts=tuple(o.entry for o in ordered),
    )


def _absolute(config: Project) -> Project:
    """The project with every path absolute: a worker (a Dask worker above all) may run in another folder."""
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        if isinstance(value, Path):
            changes[item.name] = value.resolve()
        elif isinstance(value, tuple) and value and all(isinstance(v, Path) for v in value):
            changes[item.name] = tuple(v.resolve() for v in value)
    return dataclasses.replace(config, **changes)


def _summary(outcomes: Sequence[AccountOutcome]) -> dict[str, int]:
    entries = [o.entry for o in outcomes]
    evaluated = [e for e in entries if e.evaluated]
    return {
        "accounts": len(entries),
        "evaluated": len(evaluated),
        "passing": sum(not e.failing for e in evaluated),
        "failing": sum(e.failing for e in evaluated),
        NOT_EVALUATED: len(entries) - len(evaluated),
    }


def _control_summary(control: Control, outcomes: Sequence[AccountOutcome]) -> ControlSummary:
    counts = {status.value: 0 for status in ControlStatus} | {NOT_EVALUATED: 0}
    failing = []
    for outcome in outcomes:
        found = next((c for c in outcome.entry.controls if c.control == control.id), None)
        if found is None:
            counts[NOT_EVALUATED] += 1
            continue
        counts[found.status.value] += 1
        if found.status in (ControlStatus.FAIL, ControlStatus.ERROR):
            failing.append(outcome.entry.account)
    return ControlSummary(
        control=control.id,
        title=control.title,
        severity=control.severity,
        domain=control.domain,
        counts=counts,
        failing_accounts=tuple(failing),
    )


def _framework_summary(catalog: Catalog, key: str, outcomes: Sequence[AccountOutcome]) -> FrameworkSummary:
    framework = catalog.frameworks[key]
    rows = []
    for requirement in framework.assessable():
        counts = {status.value: 0 for status in RequirementStatus} | {NOT_EVALUATED: 0}
        not_met = []
        for outcome in outcomes:
            status = outcome.statuses.get(key, {}).get(requirement.id, NOT_EVALUATED)
            counts[status] += 1
            if status == RequirementStatus.NOT_MET.value:
                not_met.append(outcome.entry.account)
        rows.append(
            RequirementSummary(
                id=requirement.id,
                title=requirement.title,
                met=counts[RequirementStatus.MET.value],
                counts=counts,
                not_met_accounts=tuple(not_met),
            )
        )
    return FrameworkSummary(
        key=framework.key, name=framework.name, version=framework.version, requirements=tuple(rows)
    )
