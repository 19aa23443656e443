"""The evaluation engine: catalog + evidence + ``now`` in, a result per control out.

The engine is pure: it reads no files, no clock and no globals. Every CEL expression is compiled
once, when the :class:`Engine` is built; each evidence document is converted to the backend's values
once per run. A control that cannot be evaluated gives ``error`` and never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field, replace
from datetime import UTC, datetime
from typing import Any

from assay.attestations import artefact_problems, attested_in_future
from assay.cel.backend import Backend, Program
from assay.cel.functions import DEFAULT_FUNCTIONS, FunctionRegistry
from assay.cel.native import CelBudgets, NativeBackend
from assay.cel.native.joins import index_scope
from assay.cel.native.scaling import EvidenceSizes
from assay.error_text import RuleFailure, describe
from assay.errors import CelError, CelSyntaxError, ConfigError
from assay.evidence import CLOCK_SKEW, EvidenceItem, EvidenceStore, InMemoryEvidence, future_dated
from assay.evidence_shapes import explain_shape
from assay.evidence_verdicts import fits_schema
from assay.lean_dataclasses import dataclass, frozen
from assay.loaded_project import LoadedProject
from assay.loading.catalog import Catalog
from assay.model import Control, ControlStatus, Rule, ScopeEntry, TestCase, Waiver, format_duration
from assay.results import ControlResult, EvidenceUse, Finding, RunResult, WaiverRef
from assay.rule_eval import CompiledRule, ListCache, RuleRunner

ProgressCallback = Callable[[int, int], None]

# Test cases without their own ``now`` are evaluated at this fixed moment, so they never depend on
# the day they run.
TEST_CASE_NOW = datetime(2026, 1, 1, tzinfo=UTC)

# The result of a ``check: python`` control whose evidence is usable: the pytest plugin replaces it
# with the outcome of the control's Python test.
PYTHON_CHECK_REASON = "checked by a Python test in the pytest suite"


@dataclass
class _Run:
    """Per-run state: the moment, the store, and each evidence document converted once."""

    now: datetime
    store: EvidenceStore
    native_now: Any
    converted: dict[str, Any] = field(default_factory=dict)
    schema_problems: dict[str, str | None] = field(default_factory=dict)
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # by control id
    lists: ListCache = field(default_factory=dict)
    sizes: EvidenceSizes = field(default_factory=EvidenceSizes)  # budgets grow with the evidence read


class Engine:
    """Compiles a catalog's rules once; evaluates them against any number of evidence sets."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        backend: Backend | None = None,
        functions: FunctionRegistry = DEFAULT_FUNCTIONS,
        budgets: CelBudgets | None = None,
    ) -> None:
        self.catalog = catalog
        # The native backend is the default; cel-python (assay.cel.reference) is the reference it is
        # tested against, and can be chosen with backend=ReferenceBackend(). ``budgets`` bound every
        # evaluation of the native backend built here; a backend passed in brings its own.
        if backend is not None and budgets is not None:
            raise ConfigError("give the CEL budgets to the backend passed in: make_backend(..., budgets=...)")
        # Evidence names become trees of bindings, so no binding here has a qualified name.
        self.backend: Backend = backend or NativeBackend(functions, budgets=budgets, qualified_names=False)
        if isinstance(self.backend, NativeBackend):  # a catalog's rules recur from run to run: keep them
            self.backend.persistent = True  # compiled in the on-disk rule cache (assay.cel.rulecache)
        self._rules = RuleRunner(self.backend)
        self._compiled: dict[str, list[CompiledRule]] = {
            control.id: [self._compile(control, index, rule) for index, rule in enumerate(control.rules)]
            for control in catalog.controls
        }

    def _compile(self, control: Control, index: int, rule: Rule) -> CompiledRule:
        programs: dict[str, Program] = {}
        for key, expression in rule.expressions().items():
            try:
                programs[key] = self.backend.compile(expression)
            except CelSyntaxError as exc:
                where = self._where(control, ("rules", index, key), exc.line, exc.column)
                return CompiledRule(
                    rule, {}, f"{where}rule {rule.id} > {key}: CEL syntax error: {exc.message}"
                )
        return CompiledRule(rule, programs)

    def _where(
        self, control: Control, sub: tuple[str | int, ...], line: int | None, column: int | None
    ) -> str:
        source = self.catalog.control_sources.get(control.id)
        if source is None:
            return ""
        path = (*source.path, *sub)
        if line is not None and column is not None:
            position = source.document.locate_in_scalar(path, line, column)
        else:
            position = source.document.position(path)
        return f"{source.file}:{position.line}:{position.column}: "

    def evaluate(
        self,
        evidence: EvidenceStore,
        *,
        now: datetime,
        waivers: Sequence[Waiver] = (),
        scope: Sequence[ScopeEntry] = (),
        controls: Iterable[str] | None = None,
        progress: ProgressCallback | None = None,
        parameters: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> RunResult:
        """Evaluate the catalog's controls (or the named ones) against ``evidence`` at ``now``.

        ``parameters`` gives, per control id, the company's values over the controls' defaults.
        """
        moment = now if now.tzinfo is not None else now.replace(tzinfo=UTC)
        run = _Run(moment, evidence, self.backend.native(moment), parameters=parameters or {})
        wanted = None if controls is None else set(controls)
        selected = [c for c in self.catalog.controls if wanted is None or c.id in wanted]
        results = []
        with index_scope():  # evidence does not change during a run: joins index a list once
            for done, control in enumerate(selected, start=1):
                results.append(self._evaluate_control(control, run, waivers))
                if progress is not None:
                    progress(done, len(selected))
        return RunResult(now=moment, backend=self.backend.name, results=tuple(results), scope=tuple(scope))

    def run(
        self,
        project: LoadedProject,
        *,
        now: datetime | None = None,
        controls: Iterable[str] | None = None,
        progress: ProgressCallback | None = None,
    ) -> RunResult:
        """Evaluate what :func:`~assay.load_project` returned: its evidence, waivers, scope, parameters.

        ``now`` defaults to the project's ``now``, else its evidence's snapshot time; the engine never
        reads the clock, so a project with neither needs ``now``.
        """
        evidence = project.require_evidence()
        moment = now or project.config.now or evidence.snapshot_at
        if moment is None:
            raise ConfigError("no evaluation time: give now (the engine does not read the clock)")
        return self.evaluate(
            evidence,
            now=moment,
            waivers=project.waivers,
            scope=project.scope,
            controls=controls,
            progress=progress,
            parameters=project.parameters,
        )

    # --- one control ----------------------------------------------------------------------------

    def _evaluate_control(self, control: Control, run: _Run, waivers: Sequence[Waiver]) -> ControlResult:
        uses, broken, missing = self._gather_evidence(control, run)
        compiled = self._compiled[control.id]
        compile_errors = [c.error for c in compiled if c.error is not None]
        base: dict[str, Any] = {
            "control": control.id,
            "title": control.title,
            "severity": control.severity,
            "domain": control.domain,
        }
        if compile_errors or broken:
            errors = (*compile_errors, *broken)
            return ControlResult(
                **base, status=ControlStatus.ERROR, reason=errors[0], errors=errors, evidence=tuple(uses)
            )
        if missing:
            return ControlResult(
                **base, status=ControlStatus.NOT_ASSESSED, reason="; ".join(missing), evidence=tuple(uses)
            )
        values = {**control.parameters, **run.parameters.get(control.id, {})}
        unset = sorted(name for name, value in values.items() if value is None)
        if unset:
            reason = (
                f"parameter {', '.join(unset)} is not set: give this company's value in the parameters file"
            )
            return ControlResult(
                **base, status=ControlStatus.NOT_ASSESSED, reason=reason, evidence=tuple(uses)
            )
        if control.check == "python":
            return ControlResult(
                **base, status=ControlStatus.NOT_ASSESSED, reason=PYTHON_CHECK_REASON, evidence=tuple(uses)
            )
        variables = self._variables(control, run)
        if values:
            variables["params"] = self.backend.record({k: self.backend.native(v) for k, v in values.items()})
        findings: list[Finding] = []
        errors_found: list[str] = []
        bound = tuple(sorted(requirement.name for requirement in control.evidence))
        compiled = [replace(c, programs=run.sizes.grow(c.programs, bound, run.store.get)) for c in compiled]
        for index, rule in enumerate(compiled):
            try:
                findings.extend(self._rules.run_rule(rule, variables, run.lists, bound))
            except RuleFailure as failure:
                errors_found.append(self._failure_text(control, index, rule.rule, failure))
        if errors_found:
            return ControlResult(
                **base,
                status=ControlStatus.ERROR,
                reason=errors_found[0],
                errors=tuple(errors_found),
                findings=tuple(findings),
                evidence=tuple(uses),
            )
        status = ControlStatus.FAIL if findings else ControlStatus.PASS
        return self._apply_waivers(
            ControlResult(**base, status=status, findings=tuple(findings), evidence=tuple(uses)),
            waivers,
            run.now,
        )

    def _failure_text(self, control: Control, index: int, rule: Rule, failure: RuleFailure) -> str:
        """The error a rule's evaluation gave, as reports show it: never the backend's raw text.

        A backend's message may quote evidence (cel-python's holds a repr of every variable), so the
        text is built by :func:`assay.error_text.describe` from a fixed vocabulary of kinds.
        """
        error = describe(failure.error, rule.expressions()[failure.key])
        where = self._where(control, ("rules", index, failure.key), error.line, error.column)
        label = f"rule {rule.id}" if failure.key == "assert" else f"rule {rule.id} > {failure.key}"
        resource = f"resource {failure.resource}: " if failure.resource is not None else ""
        return f"{where}{label}: {resource}{error}"

    def _gather_evidence(self, control: Control, run: _Run) -> tuple[list[EvidenceUse], list[str], list[str]]:
        uses: list[EvidenceUse] = []
        broken: list[str] = []
        missing: list[str] = []
        for requirement in control.evidence:
            name = requirement.name
            problem = run.store.problem(name)
            item = run.store.get(name)
            if problem is not None:
                text = str(problem.diagnostic)
                uses.append(EvidenceUse(name=name, path=problem.diagnostic.path, problem=text))
                broken.append(f"evidence {name} cannot be used: {text}")
                continue
            if item is None:
                uses.append(EvidenceUse(name=name, problem="missing"))
                missing.append(f"evidence {name} is missing")
                continue
            issue = future_dated(item, run.now)
            shape = None if issue is not None else self._schema_problem(item, run)
            if shape is not None:
                issue = f"has the wrong shape: {shape}"
            elif issue is None and requirement.kind == "attestation":
                mismatches, _ = artefact_problems(item.data, run.store.digest)
                issue = attested_in_future(item.data, run.now, CLOCK_SKEW) or "; ".join(mismatches) or None
            stale = _staleness(item, requirement.max_age, run.now) if requirement.max_age else None
            uses.append(_use(item, issue or stale))
            if issue is not None:
                broken.append(f"evidence {name} ({item.path or 'in memory'}) {issue}")
            elif stale is not None:
                missing.append(f"evidence {name} {stale}")
        return uses, broken, missing

    def _schema_problem(self, item: EvidenceItem, run: _Run) -> str | None:
        """Where the evidence does not have the shape its schema gives, in words (None when it does)."""
        if item.name not in run.schema_problems:
            # jsonschema-rs answers "valid?" (for a file, from the cache when it was found to fit before);
            # jsonschema, the reference, is imported only to explain what is wrong when it does not fit.
            schema = self.catalog.evidence_schemas.get(item.name)
            content = f"file {item.sha256} {item.format}" if item.path else None
            problem = None
            if schema is not None and not item.pruned and not fits_schema(schema, item.data, content):
                problem = explain_shape(schema, item.data)  # pruned: checked whole when it was loaded
            run.schema_problems[item.name] = problem
        return run.schema_problems[item.name]

    def _variables(self, control: Control, run: _Run) -> dict[str, Any]:
        tree: dict[str, Any] = {}
        for requirement in control.evidence:
            name = requirement.name
            if name not in run.converted:
                item = run.store.get(name)
                if item is None:  # pragma: no cover - _gather_evidence returned early otherwise
                    raise CelError(f"evidence {name} vanished during the run")
                run.converted[name] = self.backend.native(item.data)
            node = tree
            *parents, leaf = name.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[leaf] = run.converted[name]
        variables = {key: self._as_record(value) for key, value in tree.items()}
        variables["now"] = run.native_now
        return variables

    def _as_record(self, value: Any) -> Any:
        if isinstance(value, dict):
            return self.backend.record({k: self._as_record(v) for k, v in value.items()})
        return value

    # --- waivers ----------------------------------------------------------------------------------

    @staticmethod
    def _apply_waivers(result: ControlResult, waivers: Sequence[Waiver], now: datetime) -> ControlResult:
        mine = [w for w in waivers if w.control == result.control]
        active = [w for w in mine if w.is_active(now)]
        result = result.with_expired_waivers(tuple(WaiverRef.of(w) for w in mine if not w.is_active(now)))
        if result.status is not ControlStatus.FAIL or not active:
            return result
        whole = next((w for w in active if w.resources is None), None)
        if whole is not None:
            reason = f"waived by {whole.ticket} until {whole.expires}: {whole.justification}"
            result = result.with_findings(tuple(f.waived(whole.ticket) for f in result.findings))
            return result.with_waiver(WaiverRef.of(whole), status=ControlStatus.WAIVED, reason=reason)
        covered: list[Finding] = []
        used: Waiver | None = None
        for finding in result.findings:
            waiver = next((w for w in active if w.resources and finding.resource in w.resources), None)
            if waiver is not None:
                used = used or waiver
                finding = finding.waived(waiver.ticket)
            covered.append(finding)
        result = result.with_findings(tuple(covered))
        if used is None:
            return result
        if not all(f.waived_by for f in covered):
            return result.with_waiver(WaiverRef.of(used))
        reason = f"every failing resource is waived ({used.ticket} until {used.expires.isoformat()})"
        return result.with_waiver(WaiverRef.of(used), status=ControlStatus.WAIVED, reason=reason)

    # --- a control's own test cases ----------------------------------------------------------------

    def run_test_case(self, control: Control, case: TestCase) -> TestCaseOutcome:
        """Evaluate one of a control's embedded test cases and compare with what it expects."""
        now = case.now or TEST_CASE_NOW
        store = InMemoryEvidence.from_values(
            case.evidence, collected_at=now, source=f"test case {case.name!r}"
        )
        run = _Run(now, store, self.backend.native(now), parameters={control.id: case.parameters})
        result = self._evaluate_control(control, run, ())
        failing = sorted({f.resource for f in result.findings if f.resource is not None})
        problems = []
        if result.status.value != case.expect:
            detail = f" ({result.reason})" if result.reason else ""
            problems.append(f"expected {case.expect}, got {result.status.value}{detail}")
        if case.failing is not None and failing != sorted(case.failing):
            problems.append(f"expected failing resources {sorted(case.failing)}, got {failing}")
        return TestCaseOutcome(control.id, case.name, result, tuple(problems))


@frozen
class TestCaseOutcome:
    """How one embedded test case went: ``problems`` is empty when it passed."""

    __test__ = False

    control: str
    case: str
    result: ControlResult
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def _staleness(item: EvidenceItem, max_age: Any, now: datetime) -> str | None:
    dated = item.dated
    limit = format_duration(max_age)
    if dated is None:
        return f"is undated, so it cannot show it is at most {limit} old"
    moment = dated if dated.tzinfo is not None else dated.replace(tzinfo=UTC)
    if now - moment > max_age:
        return f"is from {moment.isoformat()}, older than the {limit} the control allows"
    return None


def _use(item: EvidenceItem, problem: str | None) -> EvidenceUse:
    return EvidenceUse(
        name=item.name,
        sha256=item.sha256,
        collected_at=item.collected_at,
        as_of=item.as_of,
        source=item.source,
        path=item.path,
        problem=problem,
    )


def apply_waivers(result: ControlResult, waivers: Sequence[Waiver], now: datetime) -> ControlResult:
    """Apply the active waivers to a failing result (the engine's own rule, for results made elsewhere)."""
    return Engine._apply_waivers(result, waivers, now)


def evaluate(
    catalog: Catalog,
    evidence: EvidenceStore,
    *,
    now: datetime,
    waivers: Sequence[Waiver] = (),
    scope: Sequence[ScopeEntry] = (),
    backend: Backend | None = None,
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
) -> RunResult:
    """Evaluate every control of ``catalog`` against ``evidence`` at ``now`` (see :class:`Engine`)."""
    return Engine(catalog, backend=backend).evaluate(
        evidence, now=now, waivers=waivers, scope=scope, parameters=parameters
    )
