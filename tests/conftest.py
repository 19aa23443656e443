from __future__ import annotations

import io
from pathlib import Path

import pytest

from assay.cli import main

TESTS = Path(__file__).resolve().parent


class Run:
    """The outcome of one CLI invocation."""

    def __init__(self, code: int, out: str, err: str) -> None:
        self.code = code
        self.out = out
        self.err = err


@pytest.fixture
def cli() -> object:
    def run(*argv: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        code = main(list(argv), stdout=out, stderr=err)
        return Run(code, out.getvalue(), err.getvalue())

    return run
