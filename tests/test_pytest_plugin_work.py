"""The pytest plugin does each piece of work once: per session serially, never again in an xdist controller.

A conftest in the pytester folder counts, per process, the rules the CEL backend compiles and the
expressions parsed, and writes them out when the process ends; the tests read those counts.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import assay.pytest_plugin  # noqa: F401 - imported before pytester snapshots sys.modules
from assay.loading.catalog import load_catalog
from tests.test_pytest_plugin import ACME, SETTINGS

pytest_plugins = ["pytester"]

COUNTING = """
import collections, json, os

import lark

from assay.cel.native import NativeBackend

COUNTS = collections.Counter()
_compile = NativeBackend.compile
_parse = lark.Lark.parse


def compile(self, expression):
    COUNTS["compile " + expression] += 1
    return _compile(self, expression)


def parse(self, text, *args, **kwargs):
    COUNTS["parse"] += 1
    return _parse(self, text, *args, **kwargs)


NativeBackend.compile = compile
lark.Lark.parse = parse


def pytest_unconfigure(config):
    role = config.workerinput["workerid"] if hasattr(config, "workerinput") else "main"
    with open(f"counts-{role}-{os.getpid()}.json", "w", encoding="utf-8") as out:
        json.dump(COUNTS, out)
"""


@pytest.fixture
def acme(pytester: pytest.Pytester) -> pytest.Pytester:
    shutil.copytree(ACME, pytester.path, dirs_exist_ok=True)
    (pytester.path / "pyproject.toml").write_text(SETTINGS, encoding="utf-8")
    pytester.makeconftest(COUNTING)
    return pytester


def expressions(folder: Path) -> set[str]:
    catalog = load_catalog([folder / "controls"], [folder / "mappings"])
    return {e for control in catalog.controls for rule in control.rules for e in rule.expressions().values()}


def counts(folder: Path, role: str) -> list[dict[str, int]]:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob(f"counts-{role}-*.json"))]
    for path in folder.glob("counts-*.json"):
        path.unlink()
    return found


def compiled(count: dict[str, int]) -> dict[str, int]:
    return {key.removeprefix("compile "): n for key, n in count.items() if key.startswith("compile ")}


def test_a_session_compiles_each_rule_once(acme: pytest.Pytester) -> None:
    result = acme.runpytest_subprocess("-p", "no:xdist")
    result.assert_outcomes(passed=1, failed=2, skipped=3)
    (count,) = counts(acme.path, "main")
    assert compiled(count) == dict.fromkeys(expressions(acme.path), 1)


def test_the_xdist_controller_repeats_none_of_the_workers_work(acme: pytest.Pytester) -> None:
    # The report needs every control's result: the workers send theirs, so the controller neither
    # lints nor compiles a single rule, and its report is the serial one.
    serial = acme.runpytest_subprocess("-p", "no:xdist", "--assay-report=serial.json")
    serial.assert_outcomes(passed=1, failed=2, skipped=3)
    counts(acme.path, "main")
    result = acme.runpytest_subprocess("-n", "2", "--assay-report=xdist.json")
    result.assert_outcomes(passed=1, failed=2, skipped=3)
    (controller,) = counts(acme.path, "main")
    assert controller == {}
    report = json.loads((acme.path / "xdist.json").read_text(encoding="utf-8"))
    assert report == json.loads((acme.path / "serial.json").read_text(encoding="utf-8"))


def test_the_xdist_controller_evaluates_only_the_controls_no_worker_ran(acme: pytest.Pytester) -> None:
    # -k leaves NET-01 to the controller: it compiles that control's rules and no other.
    result = acme.runpytest_subprocess("-n", "2", "-k", "not NET-01", "--assay-report=xdist.json")
    result.stdout.fnmatch_lines(["assay: wrote the json gap report to xdist.json*"])
    (controller,) = counts(acme.path, "main")
    catalog = load_catalog([acme.path / "controls"], [acme.path / "mappings"])
    (control,) = [c for c in catalog.controls if c.id == "NET-01"]
    assert compiled(controller) == dict.fromkeys(
        {e for rule in control.rules for e in rule.expressions().values()}, 1
    )
    statuses = {
        c["control"]: c["status"] for c in json.loads((acme.path / "xdist.json").read_text())["controls"]
    }
    assert statuses["NET-01"] in ("pass", "fail", "waived", "not_assessed", "error")


def test_xdist_workers_share_the_evaluation(acme: pytest.Pytester) -> None:
    # Each worker evaluates the controls of the items it runs, not every control it collected.
    acme.makeconftest(
        COUNTING
        + """
import assay.pytest_plugin.state as state

_evaluate = state.evaluate


def evaluate(*args, controls, **kwargs):
    COUNTS["evaluated"] += len(controls)
    return _evaluate(*args, controls=controls, **kwargs)


state.evaluate = evaluate
"""
    )
    result = acme.runpytest_subprocess("-n", "2")
    result.assert_outcomes(passed=1, failed=2, skipped=3)
    workers = counts(acme.path, "gw*")
    assert len(workers) == 2
    assert sum(worker.get("evaluated", 0) for worker in workers) == 6  # the six controls, once each
