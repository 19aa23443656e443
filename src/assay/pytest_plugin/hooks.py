"""The hooks of an enabled run: collection, Python checks, xdist, and the gap report at the end."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from assay.errors import AssayError
from assay.pytest_plugin.items import ControlFile, ControlItem, decorate
from assay.pytest_plugin.messages import CheckOutcome, check_outcome, describe, lines_of
from assay.pytest_plugin.state import AssayState, InputsUnavailable
from assay.records import from_data, to_data
from assay.results import ControlResult
from assay.statuses import ControlStatus

CHECK: pytest.StashKey[str] = pytest.StashKey()  # on a Python check item: the control id it checks
WORKER_CLOCK = "assay_clock"  # workerinput key: the controller's clock, so all workers agree on "now"


class AssayPlugin:
    """The hooks of an enabled run, registered by :func:`enable`."""

    def __init__(self, config: pytest.Config, state: AssayState) -> None:
        self.config = config
        self.state = state

    def pytest_report_header(self) -> str:
        project = self.state.project
        controls = ", ".join(str(p) for p in project.controls) if project.controls else "built-in"
        evidence = str(project.evidence) if project.evidence else "the bundled example"
        return f"assay: controls {controls}; evidence {evidence}"

    def pytest_collect_file(self, file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
        if self.state.is_control_file(file_path):
            return ControlFile.from_parent(parent, path=file_path)
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        """Before -m and -k deselect: tie Python checks to their controls' markers and keywords."""
        state = self.state
        checks = [(item, control_id) for item in items if (control_id := marked_control(item)) is not None]
        if not checks and state._catalog is None:
            return
        loaded = state.catalog()
        leftover = [d for d in loaded.errors if d.path not in loaded.shown.values()]
        if leftover:
            raise pytest.UsageError("assay: the catalog has errors:\n" + lines_of(leftover))
        for item, control_id in checks:
            item.stash[CHECK] = control_id
            item.user_properties.append(("assay_control", control_id))
            item.add_marker("assay")
            control = next((c for c in loaded.catalog.controls if c.id == control_id), None)
            if control is not None and control.check == "python":  # otherwise an error when it runs
                decorate(item, control, loaded.mappings_of(control.id))

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
        from assay.engine import PYTHON_CHECK_REASON

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
            # the tagged JSON of assay's cache: read back without pydantic (a worker's own result)
            report.assay_result = json.dumps(to_data(item.assay_result))  # type: ignore[attr-defined]
        control_id = item.stash.get(CHECK, None)
        if control_id is not None:
            outcome = check_outcome(control_id, report, call)
            report.assay_check = json.dumps(dataclasses.asdict(outcome))  # type: ignore[attr-defined]
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if hasattr(self.config, "workerinput"):
            return  # a pytest-xdist worker: the controller gathers
        raw_result = getattr(report, "assay_result", None)
        if raw_result is not None:
            result = from_data(json.loads(raw_result))
            if not isinstance(result, ControlResult):
                raise TypeError(f"a worker sent {type(result).__name__} for a control's result")
            self.state.gathered[result.control] = result
        raw_check = getattr(report, "assay_check", None)
        if raw_check is not None:
            outcome = CheckOutcome(**json.loads(raw_check))
            previous = self.state.checks.get(report.nodeid)
            self.state.checks[report.nodeid] = previous.worse(outcome) if previous else outcome

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        """pytest-xdist: every worker evaluates at the controller's clock."""
        node.workerinput[WORKER_CLOCK] = self.state.clock.isoformat()

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        state = self.state
        if state.report_path is None or hasattr(self.config, "workerinput"):
            return
        from assay.fileio import atomic_write

        try:
            text, run = state.build_report()
            atomic_write(state.report_path, text)
        except (InputsUnavailable, AssayError, OSError) as exc:
            state.report_note = f"assay: could not write the gap report to {state.report_path}: {exc}"
            session.exitstatus = pytest.ExitCode.USAGE_ERROR
            return
        counts = ", ".join(f"{n} {status}" for status, n in run.counts.items() if n)
        state.report_note = (
            f"assay: wrote the {state.report_format} gap report to {state.report_path} ({counts})"
        )

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.state.report_note:
            terminalreporter.write_line(self.state.report_note)


def marked_control(item: pytest.Item) -> str | None:
    marker = item.get_closest_marker("assay_control")
    if marker is None:
        return None
    value = marker.args[0] if marker.args else marker.kwargs.get("control_id")
    if not isinstance(value, str):
        raise pytest.UsageError(f"{item.nodeid}: assay_control needs a control id, e.g. assay_control('X-1')")
    return value
