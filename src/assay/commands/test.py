"""``assay test``: run the test cases embedded in the controls."""

from __future__ import annotations

import argparse

from assay.commands._common import Streams
from assay.commands._options import CATALOG_OPTIONS, add_project_options, project_from

NAME = "test"
HELP = "run the test cases embedded in controls"
BACKEND_OPTION = (
    ("--backend", "backend", {"metavar": "native|reference", "help": "CEL runtime (default: native)"}),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser, CATALOG_OPTIONS, BACKEND_OPTION)


def run(args: argparse.Namespace, streams: Streams) -> int:
    from assay.engine import Engine
    from assay.loaded_project import load_project_catalog
    from assay.pipeline import backend_for

    project = project_from(args)
    catalog = load_project_catalog(project)
    engine = Engine(catalog, backend=backend_for(project))
    passed = failed = 0
    for control in catalog.controls:
        for case in control.tests:
            outcome = engine.run_test_case(control, case)
            if outcome.passed:
                passed += 1
                continue
            failed += 1
            streams.say(f"FAIL {control.id} > {case.name}: {'; '.join(outcome.problems)}")
    untested = [c.id for c in catalog.controls if not c.tests and c.check == "cel"]
    if untested:
        streams.say(f"controls without test cases: {', '.join(untested)}")
    streams.say(f"{passed} passed, {failed} failed")
    return 1 if failed else 0
