"""Collection: a controls YAML file is a pytest file; its controls and their test cases are items."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from _assay_pytestplugin import STATE
from assay.pytest_plugin.messages import describe, finding_text, lines_of, waived_reason
from assay.pytest_plugin.state import AssayState, InputsUnavailable
from assay.statuses import ControlStatus

if TYPE_CHECKING:
    from assay.model import Control, Mapping, TestCase
    from assay.results import ControlResult


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
            raise CatalogFileError(lines_of(problems))
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


def decorate(item: pytest.Item, control: Control, mappings: Sequence[Mapping]) -> None:
    """Markers per framework and severity, and requirement ids as keywords, for -m and -k."""
    item.add_marker("assay")
    for key in sorted({m.framework for m in mappings}):
        item.add_marker(key)
    item.add_marker(f"severity_{control.severity.value}")
    item.extra_keyword_matches.update(m.requirement for m in mappings)
    # pytest's -k cannot hold parentheses: 164.312(a)(1) is also the keyword 164.312.a.1
    item.extra_keyword_matches.update(keyword_alias(m.requirement) for m in mappings)
    item.extra_keyword_matches.add(control.id)


def keyword_alias(requirement: str) -> str:
    """A requirement id as pytest's -k can type it: ``164.312(a)(1)`` -> ``164.312.a.1``."""
    return re.sub(r"\((\w+)\)", r".\1", requirement)


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
        decorate(self, control, state.catalog().mappings_of(control.id))

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
            raise pytest.skip.Exception(waived_reason(result), _use_item_location=True)
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
        decorate(self, control, state.catalog().mappings_of(control.id))

    def runtest(self) -> None:
        state: AssayState = self.config.stash[STATE]
        invalid = state.catalog().invalid.get(self.control.id)
        if invalid:  # collected only under skip_invalid: the control fails lint, so it is not run
            heading = f"{self.control.id} > test case {self.case.name!r}: not run, the control fails lint:"
            raise ControlFailure(heading + "\n" + lines_of(invalid))
        outcome = state.engine().run_test_case(self.control, self.case)
        if not outcome.passed:
            lines = [f"{self.control.id} > test case {self.case.name!r}:"]
            lines += [f"  {problem}" for problem in outcome.problems]
            lines += [f"  finding: {finding_text(f)}" for f in outcome.result.findings]
            raise ControlFailure("\n".join(lines))

    def reportinfo(self) -> tuple[Path, int, str]:
        name = f"control {self.control.id} > test case {self.case.name!r}"
        return self.path, self._line("tests", self.index), name
