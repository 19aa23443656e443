"""The sample report every renderer's golden file is made from.

tests/fixtures/acme is a small company whose run shows every control status (pass, fail, error,
not_assessed, waived) and every requirement status (met, not_met, not_assessed, not_covered,
out_of_scope), a waiver expiring within 30 days and an expired one, at a fixed moment.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from assay.engine import Engine
from assay.gaps import Report, build_report
from assay.loaded_project import load_project
from assay.locate import locate_results
from assay.project import Project

ACME = Path(__file__).resolve().parents[1] / "fixtures" / "acme"
GOLDEN = Path(__file__).resolve().parent / "golden"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_sample_report() -> Report:
    """Build the sample report with paths shown relative to the fixture folder."""
    previous = Path.cwd()
    os.chdir(ACME)
    try:
        inputs = load_project(
            project=Project(
                controls=(Path("controls"),),
                mappings=(Path("mappings"),),
                evidence=Path("evidence"),
                waivers=Path("waivers.yaml"),
                scope=Path("scope.yaml"),
            )
        )
        run = Engine(inputs.catalog).evaluate(
            inputs.evidence, now=NOW, waivers=inputs.waivers, scope=inputs.scope
        )
        # As pipeline.run does: each result points at its place in the fixture's files.
        run = locate_results(run, inputs)
        return build_report(inputs.catalog, run, evidence=inputs.evidence, waivers=inputs.waivers)
    finally:
        os.chdir(previous)


@pytest.fixture(scope="session")
def sample_report() -> Report:
    return make_sample_report()


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare text with a golden file; ASSAY_UPDATE_GOLDEN=1 rewrites it (review the diff!)."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("ASSAY_UPDATE_GOLDEN"):
            path.write_text(text, encoding="utf-8", newline="")
        with path.open(encoding="utf-8", newline="") as handle:
            expected = handle.read()
        assert expected == text, f"{name} differs from its golden file"

    return check
