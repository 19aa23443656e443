"""What the plugin knows during one pytest run, kept in ``config.stash``: the project, loaded once.

The project is resolved and loaded the way every other entry point does it (:mod:`assay.project`,
:mod:`assay.loaded_project`), and the gap report is built by :func:`assay.pipeline.run`.

Each process does only what it needs, once: collection reads and lints the catalog (a failing
control is a collection error), the first item that runs compiles the rules (one engine per process,
from the on-disk rule cache when it is warm, which pytest-xdist workers share), and the first control
item evaluates every selected control; a pytest-xdist worker evaluates only the control of each item
it is sent. A pytest-xdist controller collects and runs nothing: it reads the catalog without linting
it and, for the report, evaluates only the controls no worker reported (linting and compiling just
those), so it repeats none of the workers' work.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import field
from datetime import datetime
from pathlib import Path

import pytest

from _assay_pytestplugin import FRAMEWORK_MARKERS
from assay.engine import Engine
from assay.errors import AssayError, Diagnostic, LoadError, Severity
from assay.lean_dataclasses import dataclass, frozen
from assay.loaded_project import LoadedProject, load_project, read_project_catalog
from assay.loading.builtin import builtin_paths
from assay.loading.catalog import Catalog, catalog_files
from assay.model import Mapping
from assay.pipeline import backend_for, evaluate, evaluation_time, lint_errors
from assay.pipeline import run as run_project
from assay.project import Project
from assay.pytest_plugin.messages import CheckOutcome, lines_of, merge_python_checks
from assay.results import ControlResult, RunResult

CONTROL_SUFFIXES = (".yaml", ".yml")


class InputsUnavailable(Exception):
    """The evidence, waivers or scope could not be loaded: every control item reports why."""


@frozen
class LoadedCatalog:
    """The catalog as read at collection, with its problems and the path shown for each controls file."""

    catalog: Catalog
    errors: tuple[Diagnostic, ...]  # what stops the run: lint errors too, unless skip_invalid
    shown: dict[Path, str]  # resolved controls file -> path as diagnostics show it
    invalid: dict[str, tuple[Diagnostic, ...]] = field(default_factory=dict)  # lint errors by control
    mappings: dict[str, tuple[Mapping, ...]] = field(default_factory=dict)  # by control, for its items

    def mappings_of(self, control_id: str) -> tuple[Mapping, ...]:
        return self.mappings.get(control_id, ())


@dataclass
class AssayState:
    """Everything the plugin knows during one pytest run, kept in ``config.stash[STATE]``."""

    config: pytest.Config
    project: Project
    strict: bool
    report_path: Path | None
    report_format: str | None
    clock: datetime
    controller: bool = False  # a pytest-xdist controller: it only writes the report from the workers'
    worker: bool = False  # a pytest-xdist worker: it runs the items it is sent, not all it collected
    selected: list[str] = field(default_factory=list)  # control ids the collected items need
    gathered: dict[str, ControlResult] = field(default_factory=dict)  # from test reports
    checks: dict[str, CheckOutcome] = field(default_factory=dict)  # nodeid -> outcome
    report_note: str | None = None
    _catalog: LoadedCatalog | None = None
    _loaded: LoadedProject | None = None
    _load_error: str | None = None
    _engine: Engine | None = None
    _results: dict[str, ControlResult] = field(default_factory=dict)

    def control_paths(self) -> list[Path]:
        paths = [p.resolve() for p in self.project.controls]
        if self.project.builtin_controls not in ("none", None) or not paths:
            paths.insert(0, builtin_paths().controls.resolve())
        return paths

    def is_control_file(self, path: Path) -> bool:
        if path.suffix not in CONTROL_SUFFIXES:
            return False
        resolved = path.resolve()
        return any(resolved == p or resolved.is_relative_to(p) for p in self.control_paths())

    # the catalog, loaded once per process

    def catalog(self) -> LoadedCatalog:
        if self._catalog is None:
            try:
                catalog, diagnostics = read_project_catalog(self.project)
                files = catalog_files(self.project.controls)
                files += catalog_files([builtin_paths().controls], builtin_paths().root)
            except LoadError as exc:
                raise pytest.UsageError(
                    "assay: the project has errors:\n" + lines_of(exc.diagnostics)
                ) from None
            except AssayError as exc:
                raise pytest.UsageError(f"assay: {exc}") from None
            # like assay check: controls that fail lint stop the run (here, as collection errors of
            # their files), unless skip_invalid makes each one an error of its own items. The workers
            # lint what they collect; the controller's report lints what it evaluates itself.
            invalid = {} if self.controller else lint_errors(catalog)
            if not self.project.skip_invalid:
                diagnostics.extend(d for errors in invalid.values() for d in errors)
            errors = tuple(sorted({d for d in diagnostics if d.severity is Severity.ERROR}))
            shown = {p.resolve(): s for p, s in files}
            by_control: dict[str, list[Mapping]] = defaultdict(list)
            for mapping in catalog.mappings:  # once, not once per item: 300 items, 1,000 mappings
                by_control[mapping.control].append(mapping)
            mappings = {control: tuple(found) for control, found in by_control.items()}
            self._catalog = LoadedCatalog(catalog, errors, shown, invalid, mappings)
            for key in catalog.frameworks:
                if key not in FRAMEWORK_MARKERS:
                    self.config.addinivalue_line("markers", f"{key}: assay controls mapped to {key}")
        return self._catalog

    def catalog_for_fixture(self) -> Catalog:
        loaded = self.catalog()
        if loaded.errors:
            pytest.fail("the assay catalog has errors:\n" + lines_of(loaded.errors), pytrace=False)
        return loaded.catalog

    # evidence, waivers, scope: loaded on first use, never at collection

    def loaded(self) -> LoadedProject:
        if self._loaded is None and self._load_error is None:
            catalog = self.catalog()
            if catalog.errors:
                self._load_error = "the catalog has errors:\n" + lines_of(catalog.errors)
                raise InputsUnavailable(self._load_error)
            try:
                self._loaded = load_project(project=self.project, catalog=catalog.catalog)
            except LoadError as exc:
                self._load_error = "the inputs have errors:\n" + lines_of(exc.diagnostics)
            except AssayError as exc:
                self._load_error = str(exc)
        if self._loaded is None:
            raise InputsUnavailable(self._load_error)
        return self._loaded

    def loaded_for_fixture(self) -> LoadedProject:
        try:
            return self.loaded()
        except InputsUnavailable as exc:
            pytest.fail(f"assay: {exc}", pytrace=False)

    def now(self) -> datetime:
        """The project's now (``--assay-now`` included), else the evidence snapshot, else the clock."""
        return evaluation_time(self.loaded(), self.clock)

    def now_for_fixture(self) -> datetime:
        try:
            return self.now()
        except InputsUnavailable as exc:
            pytest.fail(f"assay: {exc}", pytrace=False)

    def engine(self) -> Engine:
        """The one engine of this process: every rule of the catalog compiled once."""
        if self._engine is None:
            self._engine = self._new_engine(self.catalog().catalog)
        return self._engine

    def _new_engine(self, catalog: Catalog) -> Engine:
        return Engine(catalog, backend=backend_for(self.project))

    def engine_for(self, controls: Iterable[str]) -> Engine:
        """An engine that evaluates ``controls``: this process's, else one compiling only those."""
        if self._engine is not None:
            return self._engine
        wanted = set(controls)
        catalog = self.catalog().catalog
        return self._new_engine(
            dataclasses.replace(catalog, controls=tuple(c for c in catalog.controls if c.id in wanted))
        )

    def result(self, control_id: str) -> ControlResult:
        """A control's result: every selected control is evaluated together, on first use.

        A pytest-xdist worker runs only the items it is sent, so it evaluates each control when its
        item runs: the workers share the evaluation instead of each doing all of it.
        """
        if control_id not in self._results:
            wanted = [control_id] if self.worker else list(dict.fromkeys([*self.selected, control_id]))
            wanted = [c for c in wanted if c not in self._results]
            invalid = self.catalog().invalid
            run = evaluate(self.loaded(), self.engine(), now=self.now(), controls=wanted, invalid=invalid)
            self._results.update((r.control, r) for r in run.results)
        return self._results[control_id]

    # the gap report (in the controller)

    def build_report(self) -> tuple[str | bytes, RunResult]:
        """The gap report ``assay check`` would write, with the results the items reported."""
        from assay.render import render

        loaded = self.loaded()
        catalog = loaded.catalog
        known = {c.id for c in catalog.controls}
        gathered = {c: r for c, r in self.gathered.items() if c in known}
        missing = [c for c in known if c not in gathered]
        by_control: dict[str, list[CheckOutcome]] = defaultdict(list)
        for check in self.checks.values():
            by_control[check.control].append(check)
        now = self.now()

        def combine(run: RunResult) -> RunResult:
            results = {**gathered, **{r.control: r for r in run.results}}
            for control_id, outcomes in by_control.items():
                if control_id in results:
                    results[control_id] = merge_python_checks(
                        results[control_id], outcomes, loaded.waivers, now
                    )
            return run.with_results(tuple(results[c.id] for c in catalog.controls))

        engine = self.engine_for(missing)  # under xdist the workers evaluated the rest
        outcome = run_project(loaded, controls=missing, adjust=combine, engine=engine, clock=self.clock)
        if self.report_format is None:  # pragma: no cover - enable() sets it with the report path
            raise InputsUnavailable("no report format")
        return render(outcome.report, self.report_format), outcome.run
