"""The expected-failures file: per backend, each conformance test that fails today and why.

The file is a YAML mapping ``backend -> {test id: reason}``. The conformance test fails when a test not
listed fails (a regression) and when a listed test passes (a fix: the list must shrink with it).
:func:`updated` rewrites the lists from current results: it keeps the reasons of entries that still
fail, drops the entries that pass, and gives each new entry :data:`PLACEHOLDER` followed by what was
observed. A placeholder is no reason: :func:`missing_reasons` names every entry still carrying one, and
a test fails while any does.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from tests.cel.conformance.suite import BACKENDS, Result

PLACEHOLDER = "REASON NEEDED"
HEADER = """\
# cel-spec conformance tests that fail today through assay's public API, per backend, with why.
# tests/cel/conformance/test_conformance.py fails when a test not listed here fails (a regression)
# and when a listed test passes (remove it: the list only shrinks). Regenerate from the current
# results with `python benchmarks/cel_conformance.py --update`, which keeps the reasons given here
# and marks each new entry with "REASON NEEDED"; every such entry needs a real reason before merging.
"""

ExpectedFailures = dict[str, dict[str, str]]


class ExpectedFailuresError(ValueError):
    """An expected-failures file of the wrong shape."""


def load(path: Path) -> ExpectedFailures:
    """The file's lists; an empty list per backend where the file or a backend's list is absent."""
    if not path.is_file():
        return {backend: {} for backend in BACKENDS}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or set(data) - set(BACKENDS):
        raise ExpectedFailuresError(f"{path}: the top level maps the backends {BACKENDS} to lists")
    result: ExpectedFailures = {}
    for backend in BACKENDS:
        entries = data.get(backend) or {}
        if not isinstance(entries, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in entries.items()
        ):
            raise ExpectedFailuresError(f"{path}: {backend} must map test ids to reasons (strings)")
        result[backend] = dict(entries)
    return result


def render(failures: Mapping[str, Mapping[str, str]]) -> str:
    body = {backend: dict(sorted(failures.get(backend, {}).items())) for backend in BACKENDS}
    return HEADER + yaml.safe_dump(body, sort_keys=False, allow_unicode=True, width=100_000)


def write(path: Path, failures: Mapping[str, Mapping[str, str]]) -> None:
    """Write the file whole or not at all: a temporary file beside it, then renamed over it."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(render(failures), encoding="utf-8")
    os.replace(temporary, path)


def missing_reasons(failures: Mapping[str, Mapping[str, str]]) -> list[str]:
    """``backend: test id`` for every entry whose reason is empty or still the placeholder."""
    return [
        f"{backend}: {test}"
        for backend, entries in failures.items()
        for test, reason in entries.items()
        if not reason.strip() or reason.strip().startswith(PLACEHOLDER)
    ]


def updated(old: ExpectedFailures, results: Mapping[str, Iterable[Result]]) -> ExpectedFailures:
    """The lists for ``results`` (per backend), keeping the reasons ``old`` gives."""
    new: ExpectedFailures = {}
    for backend in BACKENDS:
        known = old.get(backend, {})
        new[backend] = {
            r.case.id: known.get(r.case.id) or f"{PLACEHOLDER} (observed: {r.detail})"
            for r in results.get(backend, [])
            if r.status == "failed"
        }
    return new


def differences(results: Iterable[Result], listed: Mapping[str, str]) -> list[str]:
    """What is wrong with one file's results against the list: regressions and listed tests that pass."""
    problems = []
    for result in results:
        expected_to_fail = result.case.id in listed
        if result.status == "failed" and not expected_to_fail:
            problems.append(f"regression: {result.case.id}: `{result.case.expression}` {result.detail}")
        elif result.status == "passed" and expected_to_fail:
            problems.append(f"now passes, remove it from the expected failures: {result.case.id}")
        elif result.status == "skipped" and expected_to_fail:
            problems.append(f"listed but skipped ({result.detail}): {result.case.id}")
    return problems


def stale(failures: Mapping[str, Mapping[str, str]], known_ids: set[str]) -> list[str]:
    """Entries naming no test of the suite (renamed or removed upstream)."""
    return [f"{b}: {test}" for b, entries in failures.items() for test in entries if test not in known_ids]
