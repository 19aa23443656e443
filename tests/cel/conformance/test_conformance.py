"""Google's CEL conformance suite, every file on both backends, against the expected-failures file.

A file's test fails when one of its tests fails that expected_failures.yaml does not list for that
backend (a regression), and when a listed test passes (a fix: remove its entry). Tests that need
protobuf messages, a container and so on are skipped by the runner, each with its reason, and
counted in benchmarks/cel_conformance.py's table.
"""

from __future__ import annotations

import pytest

from tests.cel.conformance import expected, suite

FILES = suite.suite_files() or ["(absent)"]


@pytest.fixture(scope="module")
def failures() -> expected.ExpectedFailures:
    return expected.load(suite.EXPECTED_FAILURES)


def require_suite() -> None:
    if not suite.available():
        pytest.skip(suite.absent_reason())


@pytest.mark.parametrize("backend", suite.BACKENDS)
@pytest.mark.parametrize("file", FILES)
def test_conformance_file(file: str, backend: str, failures: expected.ExpectedFailures) -> None:
    require_suite()
    results = suite.run_file(file, backend)
    problems = expected.differences(results, failures[backend])
    assert problems == [], f"{len(problems)} differences from expected_failures.yaml:\n" + "\n".join(problems)


def test_the_suite_is_read_whole() -> None:
    """Every file parses against the schema, and the tests the runner can express are most of the core."""
    require_suite()
    every = [case for file in suite.suite_files() for case in suite.cases(file)]
    assert len(every) > 2000
    assert len({case.id for case in every}) == len(every)
    runnable = [c for c in every if c.skip is None and c.file not in suite.EXTENSION_FILES]
    assert len(runnable) > 1000
    # Skips are for what the public API cannot express, never for a failure.
    reasons = {c.skip for c in every if c.skip}
    assert all(
        any(word in r for word in ("protobuf", "container", "check", "macros", "unknown", "nanoseconds"))
        for r in reasons
    ), reasons


def test_every_expected_failure_has_a_reason(failures: expected.ExpectedFailures) -> None:
    assert expected.missing_reasons(failures) == [], "write a reason for each of these entries"


def test_every_expected_failure_names_a_test(failures: expected.ExpectedFailures) -> None:
    require_suite()
    known = {case.id for file in suite.suite_files() for case in suite.cases(file)}
    assert expected.stale(failures, known) == []
