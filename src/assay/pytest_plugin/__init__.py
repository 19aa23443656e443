"""The pytest plugin: controls as test items, their test cases as unit tests, Python checks, a gap report.

The entry point pytest loads is :mod:`_assay_pytestplugin` (options, markers, fixtures; standard
library only). When ``--assay`` is given or the project has an assay config (``assay.toml`` or
``[tool.assay]``), it has pytest import this package as a plug-in, whose ``pytest_configure`` calls
:func:`enable`. The import goes one way only: this package uses the entry module's stash key and
markers; the entry module names this package only as a string. What happens then:

- the project is resolved like every command resolves it (:func:`assay.project.resolve_project`:
  config file, environment such as ``ASSAY_CEL_BACKEND``, then ``--assay-now``);
- the configured controls folders are added to what pytest collects (unless paths were named on
  the command line), and every controls YAML file is collected: one item per control
  (``controls/crypto.yaml::CRYPTO-01``) and one per embedded test case;
- items carry a marker per framework (``-m soc2``), a severity marker (``-m severity_high``) and the
  requirement ids as keywords (``-k CC6.1``);
- controls are evaluated once per process, on first use; ``pass`` passes, ``fail`` and ``error`` fail
  with the findings and the evidence, ``not_assessed`` is skipped (failed under ``--assay-strict``),
  ``waived`` is skipped with the waiver;
- a test marked ``@pytest.mark.assay_control("ID")`` (or decorated with :func:`check`) is the check of
  a ``check: python`` control: its outcome becomes the control's result;
- ``--assay-report=PATH`` writes the gap report through :func:`assay.pipeline.run`. Under
  pytest-xdist each worker attaches its results to its test reports and the controller writes it.

All state lives in ``config.stash``; nothing is kept in module globals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, cast

import pytest

from _assay_pytestplugin import STATE
from assay.errors import AssayError, LoadError
from assay.project import Project, resolve_project
from assay.pytest_plugin.hooks import WORKER_CLOCK, AssayPlugin
from assay.pytest_plugin.messages import CheckOutcome, describe, lines_of, merge_python_checks
from assay.pytest_plugin.state import AssayState

F = TypeVar("F", bound=Callable[..., object])

__all__ = ["CheckOutcome", "check", "describe", "enable", "merge_python_checks"]


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


def pytest_configure(config: pytest.Config) -> None:
    """Registered by the entry module only when assay is enabled: set the run up."""
    if config.stash.get(STATE, None) is None:
        enable(config)


def resolve(config: pytest.Config) -> Project:
    """The project of this pytest run, with ``--assay-now`` over its config and environment."""
    option = config.option
    options = {"now": (option.assay_now, "--assay-now")} if option.assay_now else {}
    from _assay_pytestplugin import project_file

    try:
        return resolve_project(config.rootpath, config=project_file(config), options=options)
    except LoadError as exc:
        raise pytest.UsageError("assay: " + lines_of(exc.diagnostics)) from None
    except AssayError as exc:
        raise pytest.UsageError(f"assay: {exc}") from None


def enable(config: pytest.Config) -> None:
    """Resolve the project, keep the run's state in ``config.stash`` and register the hooks."""
    project = resolve(config)
    option = config.option
    report_path = Path(option.assay_report) if option.assay_report else None
    report_format = _report_format(report_path, option.assay_report_format)
    _check_paths_exist(project)
    worker_clock = getattr(config, "workerinput", {}).get(WORKER_CLOCK)
    clock = datetime.fromisoformat(worker_clock) if worker_clock else datetime.now(UTC)
    state = AssayState(
        config=config,
        project=project,
        strict=bool(option.assay_strict),
        report_path=report_path,
        report_format=report_format,
        clock=clock,
        controller=_is_xdist_controller(config),
        worker=hasattr(config, "workerinput"),
    )
    config.stash[STATE] = state
    _add_control_paths(config, state)
    config.pluginmanager.register(AssayPlugin(config, state), "assay-controls")


def _is_xdist_controller(config: pytest.Config) -> bool:
    """Whether this process hands the tests to pytest-xdist workers (and collects and runs none)."""
    if hasattr(config, "workerinput") or config.getoption("collectonly"):
        return False
    return config.getoption("dist", "no") != "no" and bool(config.getoption("tx", None))


def _report_format(path: Path | None, name: str | None) -> str | None:
    from assay.render import format_for_path, formats
    from assay.suggest import did_you_mean

    if name is not None and name not in formats():
        raise pytest.UsageError(
            f"--assay-report-format: unknown format {name!r}{did_you_mean(name, formats())}"
        )
    if path is None:
        return name
    chosen = name or format_for_path(str(path))
    if chosen is None:
        raise pytest.UsageError(
            f"--assay-report: cannot tell the format of {path} from its extension; give --assay-report-format"
        )
    return chosen


def _check_paths_exist(project: Project) -> None:
    for key in ("controls", "mappings", "catalogs", "evidence", "waivers", "scope"):
        value = getattr(project, key)
        paths = value if isinstance(value, tuple) else (value,) if value is not None else ()
        for path in paths:
            if not path.exists():
                where = project.origin(key)
                raise pytest.UsageError(f"assay: {where}: {key}: {path}: no such file or directory")


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
