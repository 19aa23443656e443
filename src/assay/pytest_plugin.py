"""The pytest plugin: controls as test items, their test cases as unit tests, Python checks, a gap report.

The entry point pytest loads is :mod:`_assay_pytestplugin` (options, markers, fixtures; standard
library only); it calls :func:`enable` when ``--assay`` is given or ``pyproject.toml`` has a
``[tool.assay]`` table, and only then is this module imported. What happens then:

- the configured controls folders are added to what pytest collects (unless paths were named on
  the command line), and every controls YAML file is collected as a :class:`ControlFile`: one
  :class:`ControlItem` per control (``controls/crypto.yaml::CRYPTO-01``) and one
  :class:`ControlCaseItem` per embedded test case (``controls/crypto.yaml::CRYPTO-01[case name]``);
- items carry a marker per framework the control is mapped to (``-m soc2``), a severity marker
  (``-m severity_high``) and the requirement ids as keywords (``-k CC6.1``);
- controls are evaluated once per process, on first use, and each item reports its control's status:
  ``pass`` passes, ``fail`` and ``error`` fail with the findings and the evidence, ``not_assessed`` is
  skipped (failed under ``--assay-strict``), ``waived`` is skipped with the waiver;
- a test marked ``@pytest.mark.assay_control("ID")`` (or decorated with :func:`check`) is the check of
  a ``check: python`` control: its outcome becomes the control's result;
- ``--assay-report=PATH`` writes the gap report at the end of the session. Under pytest-xdist each
  worker attaches its results to its test reports (``report.assay_result``, ``report.assay_check``,
  JSON) and the controller, which collects nothing, gathers them and writes the report.

All state lives in ``config.stash``; nothing is kept in module globals.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar, cast

import pytest

from _assay_pytestplugin import FRAMEWORK_MARKERS, STATE
from assay.catalog import Catalog, builtin_paths, catalog_files, read_catalog
from assay.engine import PYTHON_CHECK_REASON, Engine, apply_waivers
from assay.errors import AssayError, Diagnostic, LoadError, Severity
from assay.inputs import Inputs, load_inputs
from assay.lint import check_rules
from assay.model import Control, ControlStatus, TestCase, Waiver
from assay.results import ControlResult, Finding, RunResult
from assay.settings import Settings, parse_timestamp, read_settings

F = TypeVar("F", bound=Callable[..., object])

CONTROL_SUFFIXES = (".yaml", ".yml")
CHECK: pytest.StashKey[str] = pytest.StashKey()  # on a Python check item: the control id it checks
_WORKER_CLOCK = "assay_clock"  # workerinput key: the controller's clock, so all workers agree on "now"


def check(control_id: str) -> Callable[[F], F]:
    """Make a test the Python check of a ``check: python`` control; same as ``@pytest.mark.assay_control``.

    ::

        @check("IAM-09")
        def test_no_admin_without_hardware_key(assay_evidence):
            users = assay_evidence.get("idp.users").data
            assert [u["name"] for u in users if u["admin"] and not u["webauthn"]] == []
    """

    def mark(function: F) -> F:
        return cast(F, pytest.mark.assay_control(control_id)(function))

    return mark


# --- enabling -------------------------------------------------------------------------------------


def enable(config: pytest.Config, pyproject: Path | None) -> None:
    """Read the settings, keep the run's state in ``config.stash`` and register the hooks."""
    try:
        settings = (read_settings(pyproject) if pyproject is not None else None) or Settings()
    except AssayError as exc:
        raise pytest.UsageError(f"assay: {exc}") from None
    option = config.option
    now = None
    if option.assay_now:
        try:
            now = parse_timestamp(option.assay_now)
        except ValueError as exc:
            raise pytest.UsageError(f"--assay-now: {exc}") from None
    report_path = Path(option.assay_report) if option.assay_report else None
    report_format = _report_format(report_path, option.assay_report_format)
    _check_paths_exist(settings)
    worker_clock = getattr(config, "workerinput", {}).get(_WORKER_CLOCK)
    clock = datetime.fromisoformat(worker_clock) if worker_clock else datetime.now(UTC)
    state = AssayState(
        config=config,
        settings=settings,
        strict=bool(option.assay_strict),
        report_path=report_path,
        report_format=report_format,
        now_option=now,
        clock=clock,
    )
    config.stash[STATE] = state
    _add_control_paths(config, state)
    config.pluginmanager.register(AssayPlugin(config, state), "assay-controls")


def _report_format(path: Path | None, name: str | None) -> str | None:
    from assay.render import format_for_path, formats

    if name is not None and name not in formats():
        known = ", ".join(sorted(formats()))
        raise pytest.UsageError(f"--assay-report-format: unknown format {name!r} (known: {known})")
    if path is None:
        return name
    chosen = name or format_for_path(str(path))
    if chosen is None:
        raise pytest.UsageError(
            f"--assay-report: cannot tell the format of {path} from its extension; give --assay-report-format"
        )
    return chosen


def _check_paths_exist(settings: Settings) -> None:
    where = f"{settings.source}: [tool.assay]" if settings.source else "[tool.assay]"
    for key in ("controls", "mappings", "evidence", "waivers", "scope"):
        value = getattr(settings, key)
        paths = value if isinstance(value, tuple) else (value,) if value is not None else ()
        for path in paths:
            if not path.exists():
                raise pytest.UsageError(f"assay: {where} {key}: {path}: no such file or directory")


def _add_control_paths(config: pytest.Config, state: AssayState) -> None:
    """Collect the controls too, unless the command line named what to collect."""
    if config.args_source == pytest.Config.ArgsSource.ARGS:
        return
    base = config.invocation_params.dir
    covered = [(base / arg.split("::")[0]).resolve() for arg in config.args]
    for path in state.control_paths():
        if not any(path == c or path.is_relative_to(c) for c in covered):
            config.args.append(str(path))
            covered.append(path)


# --- state ----------------------------------------------------------------------------------------


class InputsUnavailable(Exception):
    """The evidence, waivers or scope could not be loaded: every control item reports why."""


@dataclass(frozen=True)
class LoadedCatalog:
    """The catalog as read at collection, with its problems and the path shown for each controls file."""

    catalog: Catalog
    errors: tuple[Diagnostic, ...]
    shown: dict[Path, str]  # resolved controls file -> path as diagnostics show it


@dataclass(frozen=True)
class CheckOutcome:
    """How one Python check test went, in the words of the gap report."""

    control: str
    test: str
    outcome: str  # pass, fail, error or skip
    message: str = ""

    RANK: ClassVar[dict[str, int]] = {"pass": 0, "skip": 1, "fail": 2, "error": 3}

    def worse(self, other: CheckOutcome) -> CheckOutcome:
        return other if self.RANK[other.outcome] > self.RANK[self.outcome] else self


@dataclass
class AssayState:
    """Everything the plugin knows during one pytest run, kept in ``config.stash[STATE]``."""

    config: pytest.Config
    settings: Settings
    strict: bool
    report_path: Path | None
    report_format: str | None
    now_option: datetime | None
    clock: datetime
    selected: list[str] = field(default_factory=list)  # control ids the collected items need
    gathered: dict[str, ControlResult] = field(default_factory=dict)  # from test reports
    checks: dict[str, CheckOutcome] = field(default_factory=dict)  # nodeid -> outcome
    report_note: str | None = None
    _catalog: LoadedCatalog | None = None
    _inputs: Inputs | None = None
    _inputs_error: str | None = None
    _engine: Engine | None = None
    _results: dict[str, ControlResult] = field(default_factory=dict)

    # settings

    def control_paths(self) -> list[Path]:
        if self.settings.controls is not None:
            return [p.resolve() for p in self.settings.controls]
        return [builtin_paths().controls.resolve()]

    def is_control_file(self, path: Path) -> bool:
        if path.suffix not in CONTROL_SUFFIXES:
            return False
        resolved = path.resolve()
        return any(resolved == p or resolved.is_relative_to(p) for p in self.control_paths())

    # the catalog, loaded once per process

    def catalog(self) -> LoadedCatalog:
        if self._catalog is None:
            controls = list(self.settings.controls) if self.settings.controls is not None else None
            mappings = list(self.settings.mappings) if self.settings.mappings is not None else None
            root = builtin_paths().root if controls is None or mappings is None else None
            try:
                files = catalog_files(controls if controls is not None else [builtin_paths().controls], root)
                catalog, diagnostics = read_catalog(controls, mappings)
            except AssayError as exc:
                raise pytest.UsageError(f"assay: {exc}") from None
            diagnostics.extend(check_rules(catalog))
            errors = tuple(sorted({d for d in diagnostics if d.severity is Severity.ERROR}))
            self._catalog = LoadedCatalog(catalog, errors, {p.resolve(): s for p, s in files})
            for key in catalog.frameworks:
                if key not in FRAMEWORK_MARKERS:
                    self.config.addinivalue_line("markers", f"{key}: assay controls mapped to {key}")
        return self._catalog

    def catalog_for_fixture(self) -> Catalog:
        loaded = self.catalog()
        if loaded.errors:
            pytest.fail("the assay catalog has errors:\n" + _lines(loaded.errors), pytrace=False)
        return loaded.catalog

    # evidence, waivers, scope: loaded on first use, never at collection

    def inputs(self) -> Inputs:
        if self._inputs is None and self._inputs_error is None:
            loaded = self.catalog()
            if loaded.errors:
                self._inputs_error = "the catalog has errors:\n" + _lines(loaded.errors)
                raise InputsUnavailable(self._inputs_error)
            settings = self.settings
            try:
                self._inputs = load_inputs(
                    controls=settings.controls,
                    mappings=settings.mappings,
                    evidence=settings.evidence,
                    waivers=settings.waivers,
                    scope=settings.scope,
                    max_evidence_bytes=(settings.max_evidence_mb or 32) * 1024 * 1024,
                    catalog=loaded.catalog,
                    parameters=settings.parameters,
                )
            except LoadError as exc:
                self._inputs_error = "the inputs have errors:\n" + _lines(exc.diagnostics)
            except AssayError as exc:
                self._inputs_error = str(exc)
        if self._inputs is None:
            raise InputsUnavailable(self._inputs_error)
        return self._inputs

    def inputs_for_fixture(self) -> Inputs:
        try:
            return self.inputs()
        except InputsUnavailable as exc:
            pytest.fail(f"assay: {exc}", pytrace=False)

    def now(self) -> datetime:
        """--assay-now, else [tool.assay] now, else the evidence snapshot time, else the clock."""
        if self.now_option is not None:
            return self.now_option
        if self.settings.now is not None:
            return self.settings.now
        snapshot = self.inputs().evidence.snapshot_at
        if snapshot is not None:
            return snapshot if snapshot.tzinfo else snapshot.replace(tzinfo=UTC)
        return self.clock

    def now_for_fixture(self) -> datetime:
        try:
            return self.now()
        except InputsUnavailable as exc:
            pytest.fail(f"assay: {exc}", pytrace=False)

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = Engine(self.catalog().catalog)
        return self._engine

    def result(self, control_id: str) -> ControlResult:
        """A control's result: every selected control is evaluated together, on first use."""
        if control_id not in self._results:
            inputs = self.inputs()
            wanted = [c for c in dict.fromkeys([*self.selected, control_id]) if c not in self._results]
            run = self.engine().evaluate(
                inputs.evidence,
                now=self.now(),
                waivers=inputs.waivers,
                scope=inputs.scope,
                controls=wanted,
                parameters=inputs.parameters,
            )
            self._results.update((r.control, r) for r in run.results)
        return self._results[control_id]

    # the gap report (in the controller)

    def build_report_text(self) -> tuple[str, RunResult]:
        from assay.gaps import build_report
        from assay.render import render

        inputs = self.inputs()
        catalog = inputs.catalog
        now = self.now()
        results = {c: r for c, r in self.gathered.items() if _known(catalog, c)}
        missing = [c.id for c in catalog.controls if c.id not in results]
        if missing:
            run = self.engine().evaluate(
                inputs.evidence,
                now=now,
                waivers=inputs.waivers,
                scope=inputs.scope,
                controls=missing,
                parameters=inputs.parameters,
            )
            results.update((r.control, r) for r in run.results)
        by_control: dict[str, list[CheckOutcome]] = defaultdict(list)
        for outcome in self.checks.values():
            by_control[outcome.control].append(outcome)
        for control_id, outcomes in by_control.items():
            if control_id in results:
                results[control_id] = merge_python_checks(results[control_id], outcomes, inputs.waivers, now)
        run = RunResult(
            now=now,
            backend=self.engine().backend.name,
            results=tuple(results[c.id] for c in catalog.controls),
            scope=inputs.scope,
        )
        frameworks = list(self.settings.frameworks) if self.settings.frameworks else None
        unknown = [k for k in frameworks or [] if k not in catalog.frameworks]
        if unknown:
            raise InputsUnavailable(f"[tool.assay] frameworks: unknown framework {', '.join(unknown)}")
        report = build_report(
            catalog, run, evidence=inputs.evidence, waivers=inputs.waivers, frameworks=frameworks
        )
        assert self.report_format is not None
        return render(report, self.report_format), run


def _known(catalog: Catalog, control_id: str) -> bool:
    return any(c.id == control_id for c in catalog.controls)


def _lines(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(str(d) for d in diagnostics)


def merge_python_checks(
    result: ControlResult, outcomes: list[CheckOutcome], waivers: Iterable[Waiver], now: datetime
) -> ControlResult:
    """A ``check: python`` control's result from the outcomes of its Python tests.

    Missing, stale or broken evidence decides first, exactly as for CEL controls (the engine's result
    is kept); otherwise any erroring test gives ``error``, any failing one ``fail`` (each assertion
    message a finding, waivers applied), any skipped one ``not_assessed``, and all passing ``pass``.
    """
    if result.status is not ControlStatus.NOT_ASSESSED or result.reason != PYTHON_CHECK_REASON:
        return result
    if not outcomes:
        return result
    ordered = sorted(outcomes, key=lambda o: o.test)
    errors = [o for o in ordered if o.outcome == "error"]
    failed = [o for o in ordered if o.outcome == "fail"]
    skipped = [o for o in ordered if o.outcome == "skip"]
    findings = tuple(Finding(rule=o.test, message=o.message) for o in failed)
    if errors:
        texts = tuple(f"{o.test}: {o.message}" for o in errors)
        return result.model_copy(
            update={"status": ControlStatus.ERROR, "reason": texts[0], "errors": texts, "findings": findings}
        )
    if failed:
        failing = result.model_copy(
            update={"status": ControlStatus.FAIL, "reason": None, "findings": findings}
        )
        return apply_waivers(failing, list(waivers), now)
    if skipped:
        reason = "; ".join(f"{o.test} was skipped: {o.message}" for o in skipped)
        return result.model_copy(update={"reason": reason})
    return result.model_copy(update={"status": ControlStatus.PASS, "reason": None})


# --- collection -----------------------------------------------------------------------------------


class CatalogFileError(Exception):
    """A controls file that cannot be loaded: its diagnostics, shown as the collection error."""


class ControlFailure(Exception):
    """A control item did not pass; the message is the whole explanation."""


class ControlFile(pytest.File):
    """A controls YAML file: its controls and their embedded test cases."""

    def collect(self) -> Iterator[pytest.Item]:
        state: AssayState = self.config.stash[STATE]
        loaded = state.catalog()
        shown = loaded.shown.get(self.path.resolve())
        if shown is None:  # not a file the catalog read (e.g. hidden by a filter): nothing to collect
            return
        problems = [d for d in loaded.errors if d.path == shown]
        if problems:
            raise CatalogFileError(_lines(problems))
        catalog = loaded.catalog
        for control in catalog.controls:
            source = catalog.control_sources.get(control.id)
            if source is None or source.file != shown or control.check == "python":
                continue
            yield ControlItem.from_parent(self, name=control.id, control=control)
            for index, case in enumerate(control.tests):
                yield ControlCaseItem.from_parent(
                    self, name=f"{control.id}[{case.name}]", control=control, case=case, index=index
                )

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        """A catalog problem is shown as its diagnostics (``path:line:col: error: ...``), no traceback."""
        if isinstance(excinfo.value, CatalogFileError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


def _decorate(item: pytest.Item, control: Control, catalog: Catalog) -> None:
    """Markers per framework and severity, and requirement ids as keywords, for -m and -k."""
    mappings = catalog.mappings_of(control.id)
    item.add_marker("assay")
    for key in sorted({m.framework for m in mappings}):
        item.add_marker(key)
    item.add_marker(f"severity_{control.severity.value}")
    item.extra_keyword_matches.update(m.requirement for m in mappings)
    item.extra_keyword_matches.add(control.id)


class _ControlNode(pytest.Item):
    control: Control

    def _line(self, *sub: str | int) -> int:
        state: AssayState = self.config.stash[STATE]
        source = state.catalog().catalog.control_sources.get(self.control.id)
        return source.position(*sub).line - 1 if source is not None else 0

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str | Any:
        if isinstance(excinfo.value, ControlFailure | InputsUnavailable):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)


class ControlItem(_ControlNode):
    """One control: passes, fails, or is skipped according to its status."""

    def __init__(self, *, control: Control, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.control = control
        self.assay_result: ControlResult | None = None
        state: AssayState = self.config.stash[STATE]
        _decorate(self, control, state.catalog().catalog)

    def runtest(self) -> None:
        state: AssayState = self.config.stash[STATE]
        result = state.result(self.control.id)
        self.assay_result = result
        self.user_properties.append(("assay_status", result.status.value))
        status = result.status
        if status is ControlStatus.PASS:
            return
        if status in (ControlStatus.FAIL, ControlStatus.ERROR) or (
            status is ControlStatus.NOT_ASSESSED and state.strict
        ):
            raise ControlFailure(describe(self.control, result, strict=state.strict))
        if status is ControlStatus.WAIVED:
            raise pytest.skip.Exception(_waived_reason(result), _use_item_location=True)
        raise pytest.skip.Exception(f"not_assessed: {result.reason}", _use_item_location=True)

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, self._line(), f"control {self.control.id}: {self.control.title}"


class ControlCaseItem(_ControlNode):
    """One of a control's embedded test cases: its rules must give the expected status."""

    def __init__(self, *, control: Control, case: TestCase, index: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.control = control
        self.case = case
        self.index = index
        state: AssayState = self.config.stash[STATE]
        _decorate(self, control, state.catalog().catalog)

    def runtest(self) -> None:
        state: AssayState = self.config.stash[STATE]
        outcome = state.engine().run_test_case(self.control, self.case)
        if not outcome.passed:
            lines = [f"{self.control.id} > test case {self.case.name!r}:"]
            lines += [f"  {problem}" for problem in outcome.problems]
            lines += [f"  finding: {_finding(f)}" for f in outcome.result.findings]
            raise ControlFailure("\n".join(lines))

    def reportinfo(self) -> tuple[Path, int, str]:
        name = f"control {self.control.id} > test case {self.case.name!r}"
        return self.path, self._line("tests", self.index), name


# --- messages -------------------------------------------------------------------------------------


def describe(control: Control, result: ControlResult, *, strict: bool = False) -> str:
    """The readable explanation of a control that did not pass: rule, findings, evidence, fix."""
    strict_note = " (failing under --assay-strict)" if strict and _unassessed(result) else ""
    label = result.status.value + strict_note
    lines = [
        f"{control.id} {control.title}: {label}",
        f"  severity: {control.severity.value}",
        f"  claim: {control.claim}",
    ]
    if result.status is ControlStatus.ERROR:
        lines.append("  errors:")
        lines += [f"    {error}" for error in result.errors or (result.reason or "",)]
    elif result.reason:
        lines.append(f"  reason: {result.reason}")
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        by_rule[finding.rule].append(finding)
    for rule, findings in by_rule.items():
        lines.append(f"  rule {rule}:")
        lines += [f"    {_finding(f)}" for f in findings]
    if result.evidence:
        lines.append("  evidence:")
        for use in result.evidence:
            parts = [use.name, use.path or "(in memory)"]
            if use.collected_at is not None:
                parts.append(f"collected {use.collected_at.isoformat()}")
            elif use.sha256 is not None:
                parts.append("undated")
            if use.sha256:
                parts.append(f"sha256 {use.sha256[:12]}")
            if use.problem:
                parts.append(f"problem: {use.problem}")
            lines.append("    " + "  ".join(parts))
    for waiver in result.expired_waivers:
        lines.append(f"  expired waiver: {waiver.ticket} (expired {waiver.expires.isoformat()})")
    lines.append(f"  remediation: {control.remediation}")
    return "\n".join(lines)


def _unassessed(result: ControlResult) -> bool:
    return result.status is ControlStatus.NOT_ASSESSED


def _finding(finding: Finding) -> str:
    where = f"{finding.resource}: " if finding.resource is not None else ""
    waived = f" (waived by {finding.waived_by})" if finding.waived_by else ""
    return f"{where}{finding.message}{waived}"


def _waived_reason(result: ControlResult) -> str:
    waiver = result.waiver
    if waiver is None:  # pragma: no cover - the engine always records the waiver it applied
        return f"waived: {result.reason}"
    covers = f" for {', '.join(waiver.resources)}" if waiver.resources else ""
    return (
        f"waived by {waiver.ticket}{covers}, approved by {waiver.approver}, "
        f"expires {waiver.expires.isoformat()}: {waiver.justification}"
    )


def _check_outcome(control_id: str, report: pytest.TestReport, call: pytest.CallInfo[None]) -> CheckOutcome:
    test = report.nodeid.rsplit("::", 1)[-1]
    if report.passed and not hasattr(report, "wasxfail"):
        return CheckOutcome(control_id, test, "pass")
    if hasattr(report, "wasxfail"):  # xfail: the check is known to fail; xpass: it passes
        outcome = "pass" if report.passed else "fail"
        return CheckOutcome(
            control_id, test, outcome, f"xfail: {report.wasxfail}" if not report.passed else ""
        )
    excinfo = call.excinfo
    if report.skipped:
        message = str(getattr(excinfo.value, "msg", "")) if excinfo is not None else ""
        return CheckOutcome(control_id, test, "skip", message or "skipped")
    if excinfo is None:  # pragma: no cover - a failed report always has its exception
        return CheckOutcome(control_id, test, "error", f"failed in {report.when}")
    value = excinfo.value
    if report.when == "call" and isinstance(value, AssertionError | pytest.fail.Exception):
        text = str(getattr(value, "msg", None) or value).strip()
        return CheckOutcome(control_id, test, "fail", text.splitlines()[0] if text else "assertion failed")
    detail = excinfo.exconly().strip().splitlines()
    return CheckOutcome(control_id, test, "error", f"{report.when}: {detail[0] if detail else 'error'}")


# --- hooks ----------------------------------------------------------------------------------------


class AssayPlugin:
    """The hooks of an enabled run, registered by :func:`enable`."""

    def __init__(self, config: pytest.Config, state: AssayState) -> None:
        self.config = config
        self.state = state

    def pytest_report_header(self) -> str:
        settings = self.state.settings
        controls = ", ".join(str(p) for p in settings.controls) if settings.controls else "built-in"
        evidence = str(settings.evidence) if settings.evidence else "the bundled example"
        return f"assay: controls {controls}; evidence {evidence}"

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        if self.state.is_control_file(file_path):
            return ControlFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Before -m and -k deselect: tie Python checks to their controls' markers and keywords."""
        state = self.state
        checks = [(item, _marked_control(item)) for item in items]
        checks = [(item, control_id) for item, control_id in checks if control_id is not None]
        if not checks and state._catalog is None:
            return
        loaded = state.catalog()
        leftover = [d for d in loaded.errors if d.path not in loaded.shown.values()]
        if leftover:
            raise pytest.UsageError("assay: the catalog has errors:\n" + _lines(leftover))
        for item, control_id in checks:
            assert control_id is not None
            item.stash[CHECK] = control_id
            item.user_properties.append(("assay_control", control_id))
            item.add_marker("assay")
            control = next((c for c in loaded.catalog.controls if c.id == control_id), None)
            if control is not None and control.check == "python":  # otherwise an error when it runs
                _decorate(item, control, loaded.catalog)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        ids = [item.control.id for item in session.items if isinstance(item, ControlItem)]
        ids += [item.stash[CHECK] for item in session.items if CHECK in item.stash]
        self.state.selected = list(dict.fromkeys(ids))

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """A Python check runs only when its control's evidence is usable, as a CEL rule would."""
        control_id = item.stash.get(CHECK, None)
        if control_id is None:
            return
        state = self.state
        catalog = state.catalog().catalog
        control = next((c for c in catalog.controls if c.id == control_id), None)
        if control is None:
            pytest.fail(f"assay_control({control_id!r}): no such control in the catalog", pytrace=False)
        if control.check != "python":
            pytest.fail(
                f"assay_control({control_id!r}): the control is checked by its CEL rules; "
                "declare 'check: python' in its YAML to check it with a Python test",
                pytrace=False,
            )
        try:
            result = state.result(control_id)
        except InputsUnavailable as exc:
            pytest.fail(f"assay: {exc}", pytrace=False)
        if result.reason == PYTHON_CHECK_REASON:
            return
        if result.status is ControlStatus.ERROR or state.strict:
            pytest.fail(describe(control, result, strict=state.strict), pytrace=False)
        raise pytest.skip.Exception(f"{control_id} not_assessed: {result.reason}", _use_item_location=True)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if isinstance(item, ControlItem) and call.when == "call" and item.assay_result is not None:
            report.assay_result = item.assay_result.model_dump_json()  # type: ignore[attr-defined]
        control_id = item.stash.get(CHECK, None)
        if control_id is not None:
            outcome = _check_outcome(control_id, report, call)
            report.assay_check = json.dumps(dataclasses.asdict(outcome))  # type: ignore[attr-defined]
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if hasattr(self.config, "workerinput"):
            return  # a pytest-xdist worker: the controller gathers
        raw_result = getattr(report, "assay_result", None)
        if raw_result is not None:
            result = ControlResult.model_validate_json(raw_result)
            self.state.gathered[result.control] = result
        raw_check = getattr(report, "assay_check", None)
        if raw_check is not None:
            outcome = CheckOutcome(**json.loads(raw_check))
            previous = self.state.checks.get(report.nodeid)
            self.state.checks[report.nodeid] = previous.worse(outcome) if previous else outcome

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """pytest-xdist: every worker evaluates at the controller's clock."""
        node.workerinput[_WORKER_CLOCK] = self.state.clock.isoformat()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        if state.report_path is None or hasattr(self.config, "workerinput"):
            return
        from assay.fileio import atomic_write

        try:
            text, run = state.build_report_text()
            atomic_write(state.report_path, text)
        except (InputsUnavailable, AssayError, OSError) as exc:
            state.report_note = f"assay: could not write the gap report to {state.report_path}: {exc}"
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        counts = ", ".join(f"{n} {status}" for status, n in run.counts().items() if n)
        state.report_note = (
            f"assay: wrote the {state.report_format} gap report to {state.report_path} ({counts})"
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.state.report_note:
            terminalreporter.write_line(self.state.report_note)


def _marked_control(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("assay_control")
    if marker is None:
        return None
    value = marker.args[0] if marker.args else marker.kwargs.get("control_id")
    if not isinstance(value, str):
        raise pytest.UsageError(f"{item.nodeid}: assay_control needs a control id, e.g. assay_control('X-1')")
    return value
