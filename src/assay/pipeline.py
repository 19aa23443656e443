"""The one run: project -> catalog -> evidence -> evaluation -> requirement statuses -> report.

Every way of running assay goes through :func:`run`: each CLI command, the pytest plugin, ``pack``,
``trust-page`` and library users. Nothing else assembles a run, so a fix here is a fix everywhere.
This is also the one place, besides the command line, that reads the clock: a project without a
``now`` and evidence without a snapshot time are evaluated at the current time.

A run evaluates only controls that pass ``assay lint``'s rule checks (:func:`assay.lint.check_rules`):
with a control that fails them it raises :class:`InvalidControls` and evaluates nothing, unless the
project sets ``skip_invalid``, which reports those controls as ``error`` (the lint message is the
reason) and evaluates the rest (:func:`evaluate`).

With ``jobs`` above 1, controls are evaluated in that many forked worker processes (on Linux; serial
elsewhere), each given a share of the controls weighed by the evidence they read and the loops their
rules write (:func:`work`), the heaviest first; each worker sends its results back with large ones'
findings as columns (:mod:`assay.packed_results`), and they are put back in catalog order, so the
report is the one a serial run gives. Evidence of fewer than
:data:`PARALLEL_THRESHOLD` resources is evaluated serially: starting workers costs more than they save.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assay.cel import CelBudgets, make_backend
from assay.cel.backend import Backend
from assay.cel.program_set import compiled_together
from assay.engine import Engine, ProgressCallback
from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.evidence import EvidenceItem, EvidenceStore, collection_paused
from assay.gaps import Report, build_report
from assay.lean_dataclasses import dataclass, frozen
from assay.lint import check_rules
from assay.loaded_project import LoadedProject, load_project
from assay.loading.catalog import Catalog
from assay.locate import locate_results
from assay.model import Control, ControlStatus
from assay.project import Project
from assay.results import ControlResult, RunResult
from assay.suggest import did_you_mean

if TYPE_CHECKING:
    from assay.packed_results import PackedRun

RunAdjustment = Callable[[RunResult], RunResult]
MAX_SUGGESTION_POOL = 5000  # "did you mean" compares with every candidate: skip it over huge evidence
# Below this many resources (list elements in the evidence) a run is serial whatever ``jobs`` says:
# on the bundled example (about 200) forking workers costs more than evaluating (benchmarks/org_scale.py).
PARALLEL_THRESHOLD = 20_000
SHARES_PER_WORKER = 3


@frozen
class Outcome:
    """What one run produced: the loaded project, every control's result, the report, and notices."""

    project: LoadedProject
    run: RunResult
    report: Report
    # Warnings for a person: unreadable evidence, waivers naming resources nowhere in their evidence,
    # evidence no control reads. They never change a status.
    notices: tuple[str, ...] = ()
    run_id: str | None = None  # its id in the run store, when the project records runs


def evaluation_time(project: LoadedProject, clock: datetime | None = None) -> datetime:
    """The project's ``now``, else the evidence's snapshot time (a frozen example), else the clock.

    ``clock`` stands for the current time when given (pytest-xdist workers share their controller's).
    """
    if project.config.now is not None:
        return project.config.now
    snapshot = project.evidence.snapshot_at if project.evidence is not None else None
    if snapshot is not None:
        return snapshot if snapshot.tzinfo else snapshot.replace(tzinfo=UTC)
    return clock or datetime.now(UTC)


def backend_for(config: Project) -> Backend:
    """The project's CEL backend, with the project's budgets for every evaluation."""
    budgets = CelBudgets(
        steps=config.cel_max_steps, memory=config.cel_max_memory, milliseconds=config.cel_max_ms
    )
    # The engine's bindings are evidence trees, item, now and params: never a qualified name.
    return make_backend(config.backend, budgets=budgets, qualified_names=False)


def engine_for(project: LoadedProject) -> Engine:
    """The engine for the project's catalog, on the project's CEL backend and budgets; its rules read
    from the rule cache as one entry (:mod:`assay.cel.program_set`)."""
    backend = backend_for(project.config)
    rules = (rule for control in project.catalog.controls for rule in control.rules)
    with compiled_together(backend, (e for rule in rules for e in rule.expressions().values())):
        return Engine(project.catalog, backend=backend)


def run(
    project: LoadedProject | Project | Path | None = None,
    *,
    controls: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    adjust: RunAdjustment | None = None,
    engine: Engine | None = None,
    clock: datetime | None = None,
    jobs: int | None = None,
) -> Outcome:
    """Run a project: load it when needed, evaluate every control (or ``controls``), build the report.

    ``adjust`` may replace results before the report is built (the pytest plugin puts the outcomes
    of Python checks there); ``jobs`` is the number of processes evaluating controls (default: the
    project's ``jobs``, else 1: a library caller forks only when asked to).
    Raises :class:`~assay.errors.LoadError` or :class:`ConfigError`.
    """
    loaded = project if isinstance(project, LoadedProject) else _load(project)
    loaded.require_evidence()
    check_frameworks(loaded.catalog, loaded.config.frameworks)
    engine = engine or engine_for(loaded)
    now = evaluation_time(loaded, clock)
    jobs = jobs if jobs is not None else (loaded.config.jobs or 1)
    result = evaluate(loaded, engine, now=now, controls=controls, progress=progress, jobs=jobs)
    if adjust is not None:
        result = adjust(result)
    return outcome_of(loaded, result)


def outcome_of(loaded: LoadedProject, result: RunResult) -> Outcome:
    """The end of a run: results located in the user's files, the report, the notices, the record."""
    evidence = loaded.require_evidence()
    frameworks = check_frameworks(loaded.catalog, loaded.config.frameworks)
    with collection_paused():  # a finding and its location per failing resource: none of them garbage
        result = locate_results(result, loaded)
    report = build_report(
        loaded.catalog,
        result,
        evidence=evidence,
        waivers=loaded.waivers,
        frameworks=frameworks,
        require_system_evidence=loaded.config.require_system_evidence,
    )
    notices = [str(problem.diagnostic) for problem in evidence.problems()]
    notices += waiver_notices(loaded, evidence)
    if report.unused_evidence:
        notices.append(f"evidence that no control reads: {', '.join(report.unused_evidence)}")
    run_id = None
    if loaded.config.record or loaded.config.record_evidence:
        from assay.store import record_outcome  # SQLAlchemy is imported only by runs that record

        run_id = record_outcome(loaded, result, report)
    return Outcome(loaded, result, report, tuple(notices), run_id)


class InvalidControls(LoadError):
    """Controls that fail lint with an error: a run refuses them unless the project sets skip_invalid."""

    hint = "fix them, or give --skip-invalid to report them as errors and evaluate the rest"


def lint_errors(catalog: Catalog, controls: Iterable[str] | None = None) -> dict[str, tuple[Diagnostic, ...]]:
    """The lint errors of each control (of ``controls``, when given) that has any, by control id."""
    wanted = None if controls is None else set(controls)
    found: dict[str, tuple[Diagnostic, ...]] = {}
    for control in catalog.controls:
        if wanted is not None and control.id not in wanted:
            continue
        # check_rules reads only the catalog's controls and their sources: one control at a time
        diagnostics = check_rules(dataclasses.replace(catalog, controls=(control,)))
        errors = tuple(sorted(d for d in diagnostics if d.severity is Severity.ERROR))
        if errors:
            found[control.id] = errors
    return found


def evaluate(
    project: LoadedProject,
    engine: Engine,
    *,
    now: datetime,
    controls: Iterable[str] | None = None,
    progress: ProgressCallback | None = None,
    invalid: Mapping[str, Sequence[Diagnostic]] | None = None,
    jobs: int = 1,
) -> RunResult:
    """The engine's results for the project's controls (or ``controls``), in catalog order.

    Controls that fail lint raise :class:`InvalidControls` before anything is evaluated; with the
    project's ``skip_invalid`` they are ``error`` results, with the lint message as the reason.
    ``invalid`` gives :func:`lint_errors` when the caller has it already; ``jobs`` the number of
    processes that evaluate (see the module's docstring).
    """
    catalog = project.catalog
    wanted = None if controls is None else set(controls)
    if invalid is None:
        invalid = lint_errors(catalog, wanted)
    else:
        invalid = {c: errors for c, errors in invalid.items() if wanted is None or c in wanted}
    if invalid and not project.config.skip_invalid:
        raise InvalidControls([d for errors in invalid.values() for d in errors])
    valid = [c.id for c in catalog.controls if (wanted is None or c.id in wanted) and c.id not in invalid]
    result = _evaluate_valid(project, engine, now, valid, progress=progress, jobs=jobs)
    if not invalid:
        return result
    by_id: Mapping[str, ControlResult] = {
        **{r.control: r for r in result.results},
        **{c.id: invalid_result(c, invalid[c.id]) for c in catalog.controls if c.id in invalid},
    }
    return result.with_results(tuple(by_id[c.id] for c in catalog.controls if c.id in by_id))


def _evaluate_valid(
    project: LoadedProject,
    engine: Engine,
    now: datetime,
    controls: Sequence[str],
    *,
    progress: ProgressCallback | None,
    jobs: int,
) -> RunResult:
    """The engine's results for ``controls``: in ``jobs`` forked processes when that pays, else here."""
    from assay.executor import can_fork

    evidence = project.require_evidence()
    if jobs <= 1 or len(controls) <= 1 or not can_fork() or workload(evidence) < PARALLEL_THRESHOLD:
        return engine.run(project, now=now, controls=controls, progress=progress)
    return evaluate_in_processes(project, engine, now, controls, progress=progress, jobs=jobs)


def workload(evidence: EvidenceStore) -> int:
    """About how many resources the evidence holds (see :func:`resources`)."""
    return sum(resources(item.data) for item in evidence.items())


def resources(data: Any) -> int:
    """About how many resources a document holds: the entries of its lists and maps, two levels deep."""
    values = data.values() if isinstance(data, dict) else (data,)
    return sum(len(value) for value in values if isinstance(value, list | dict))


# What forked workers evaluate: set by the parent just before it forks them, read by _evaluate_share.
_SHARED: dict[str, Any] = {}


def evaluate_in_processes(
    project: LoadedProject,
    engine: Engine,
    now: datetime,
    controls: Sequence[str],
    *,
    progress: ProgressCallback | None = None,
    jobs: int,
) -> RunResult:
    """Evaluate ``controls`` in ``jobs`` forked worker processes; the results in catalog order.

    The workers are forked, so they start with the parent's project, evidence and compiled rules;
    only the control ids go to them and only the results come back. Each worker gets one share of
    the controls, balanced by the size of the evidence each reads.
    """
    from assay.executor import ProcessExecutor
    from assay.packed_results import unpack

    shares = _shares(project, controls, jobs)
    _SHARED.update(project=project, engine=engine, now=now)
    executor = ProcessExecutor(jobs)
    results: dict[str, ControlResult] = {}
    first: RunResult | None = None
    try:
        for _, packed in executor.run(_evaluate_share, shares):
            part = unpack(packed)
            first = first or part
            results.update((r.control, r) for r in part.results)
            if progress is not None:
                progress(len(results), len(controls))
    finally:
        executor.close()
        _SHARED.clear()
    if first is None:  # pragma: no cover - there are at least two controls, so at least one share
        return engine.run(project, now=now, controls=controls)
    return first.with_results(tuple(results[c] for c in controls))


def _evaluate_share(controls: Sequence[str]) -> PackedRun:
    """In a forked worker: the engine's results for some of the controls, packed to be sent back."""
    from assay.packed_results import pack

    return pack(_SHARED["engine"].run(_SHARED["project"], now=_SHARED["now"], controls=controls))


def _shares(project: LoadedProject, controls: Sequence[str], jobs: int) -> list[list[str]]:
    """``controls`` in up to three shares per worker, heaviest first, each about as heavy as the others.

    A control's weight is the work :func:`weight` guesses from the evidence it reads and the loops its
    rules write. With more shares than workers, a worker that finishes early takes the next share,
    which evens out what the weights misjudge; the heaviest share starts first, as the control that
    takes longest should (it bounds the run's length).
    """
    sizes = {item.name: 1 + resources(item.data) for item in project.require_evidence().items()}
    by_id = {c.id: c for c in project.catalog.controls}
    weight = {c: work(by_id[c], sizes) for c in controls}
    count = min(len(controls), SHARES_PER_WORKER * jobs)
    shares: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for control in sorted(controls, key=lambda c: -weight[c]):
        lightest = loads.index(min(loads))
        shares[lightest].append(control)
        loads[lightest] += weight[control]
    order = sorted(range(count), key=lambda i: -loads[i])
    return [shares[i] for i in order if shares[i]]


def work(control: Control, sizes: Mapping[str, int]) -> int:
    """About how much work evaluating ``control`` is, given the size of each evidence document: for each
    rule, the size of the evidence its expressions name times one plus the loops they write (a loop
    in a loop over the same evidence visits its elements' elements). A guess, for the order of work
    only; at least 1."""
    total = 0
    for rule in control.rules:
        text = " ".join(rule.expressions().values())
        named = sum(sizes.get(e.name, 1) for e in control.evidence if e.name in text)
        total += named * (1 + len(re.findall(_LOOPS, text)))
    return total or sum(sizes.get(e.name, 1) for e in control.evidence) or 1


# The loops a rule writes (compiled by re the first time a parallel run weighs its controls).
_LOOPS = r"\.\s*(?:map|filter|exists|exists_one|all|transformList|transformMap)\s*\(|\bflatten\s*\("


def invalid_result(control: Control, errors: Sequence[Diagnostic]) -> ControlResult:
    """A control that fails lint, not evaluated: an ``error`` whose reason is its first lint error."""
    texts = tuple(
        f"{d.path}:{d.line}:{d.column}: not evaluated, fails lint: {d.breadcrumb}: {d.message}"
        for d in errors
    )
    return ControlResult(
        control=control.id,
        title=control.title,
        severity=control.severity,
        domain=control.domain,
        status=ControlStatus.ERROR,
        reason=texts[0],
        errors=texts,
    )


def _load(project: Project | Path | None) -> LoadedProject:
    if isinstance(project, Project):
        return load_project(project=project)
    return load_project(project)


def check_frameworks(catalog: Catalog, keys: Sequence[str] | None) -> list[str] | None:
    """The framework keys to report, each checked against the catalog (with a "did you mean")."""
    if keys is None:
        return None
    for key in keys:
        if key not in catalog.frameworks:
            raise ConfigError(f"unknown framework {key!r}{did_you_mean(key, catalog.frameworks)}")
    return list(keys)


def waiver_notices(project: LoadedProject, evidence: EvidenceStore) -> list[str]:
    """A warning for each resource a waiver names that appears nowhere in its control's evidence."""
    controls = {control.id: control for control in project.catalog.controls}
    documents = _Documents()
    notices = []
    for waiver in project.waivers:
        control = controls.get(waiver.control)
        if control is None or not waiver.resources:
            continue
        items = [item for r in control.evidence if (item := evidence.get(r.name)) is not None]
        missing = [r for r in waiver.resources if not any(_holds(documents, item, r) for item in items)]
        pool, many = _suggestion_pool(items) if missing else (set(), False)
        for resource in missing:
            # the strings of a document are no list of resources: suggest one, never list them
            few = not many and len(pool) <= MAX_SUGGESTION_POOL
            hint = did_you_mean(resource, pool, list_known=False) if few else ""
            notices.append(
                f"waiver {waiver.ticket} for {waiver.control} names resource {resource!r}, which appears "
                f"in none of the control's evidence{hint}"
            )
    return notices


def _holds(documents: _Documents, item: EvidenceItem, resource: str) -> bool:
    if item.sightings is not None:  # pruned: what its whole document showed when it was loaded
        return resource in item.sightings.present
    return documents.holds(item, resource)


def _suggestion_pool(items: Sequence[EvidenceItem]) -> tuple[set[str], bool]:
    """The strings a "did you mean" compares a missing resource with, and whether a pruned document
    had more of them than a suggestion looks through."""
    pool: set[str] = set()
    many = False
    for item in items:
        if item.sightings is not None:
            pool |= item.sightings.pool or frozenset()
            many = many or item.sightings.pool is None
    pool |= _strings([item for item in items if item.sightings is None], MAX_SUGGESTION_POOL)
    return pool, many


def _strings(items: Sequence[EvidenceItem], limit: int | None = None) -> set[str]:
    """Every string (and map key) in the items' documents, iteratively (evidence may be deep); once
    there are more than ``limit``, some of them only."""
    found: set[str] = set()
    stack = [item.data for item in items]
    while stack and (limit is None or len(found) <= limit):
        node = stack.pop()
        if isinstance(node, str):
            found.add(node)
        elif isinstance(node, dict):
            found.update(k for k in node if isinstance(k, str))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


# A string as compact JSON writes it when it needs no escape, and not in a place where a closing quote
# could stand for its opening one (a closing quote is followed by one of ",:]}").
_PLAIN = re.compile(r'[^",:\]}\x00-\x1f\\\ud800-\udfff][^"\\\x00-\x1f\ud800-\udfff]*')


@dataclass
class _Documents:
    """Whether a document holds a string, asked of evidence files of a million resources.

    A JSON or CSV file the loader parsed holds only JSON values: its document is written once as
    compact JSON (in C), where a string that needs no escape is a literal ``"name"`` whose opening
    quote is not escaped. Any other document, or name, is walked string by string.
    """

    encoded: dict[str, bytes | None] = dataclasses.field(default_factory=dict)
    walked: dict[str, frozenset[str]] = dataclasses.field(default_factory=dict)

    def holds(self, item: EvidenceItem, name: str) -> bool:
        text = self._encoded(item) if _PLAIN.fullmatch(name) else None
        if text is None:
            if item.name not in self.walked:
                self.walked[item.name] = frozenset(_strings([item]))
            return name in self.walked[item.name]
        literal = b'"' + name.encode() + b'"'
        at = text.find(literal)
        while at >= 0:
            before = at
            while text[before - 1 : before] == b"\\":
                before -= 1
            if (at - before) % 2 == 0:
                return True
            at = text.find(literal, at + 1)
        return False

    def _encoded(self, item: EvidenceItem) -> bytes | None:
        import msgspec  # the evidence loader has imported it: a run with no waiver never asks

        if item.name not in self.encoded:
            parsed = item.path is not None and item.format in ("json", "csv")
            try:
                self.encoded[item.name] = msgspec.json.encode(item.data) if parsed else None
            except (TypeError, ValueError, OverflowError, msgspec.EncodeError):  # a lone surrogate
                self.encoded[item.name] = None
        return self.encoded[item.name]
