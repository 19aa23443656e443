from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from assay.cli import main

# No timing assertions in tests: Hypothesis's per-example deadline and its "too slow" health check
# are both wall-clock judgements that fail on a loaded machine, not on a wrong result.
settings.register_profile("assay", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("assay")

TESTS = Path(__file__).resolve().parent


def pytest_configure(config: pytest.Config) -> None:
    """Build the CEL parser before any test runs, so in-process pytester runs cannot break it.

    The parser is built on first use from lark and cel-python, imported then, and kept. Built inside
    an in-process pytester run, it would outlive those modules (pytester drops what a run imported),
    and the compiler imported by the next run would not recognise the trees it still makes.
    """
    from assay.cel.syntax import parse

    parse("true")


@pytest.fixture(autouse=True, scope="session")
def _private_rule_cache(tmp_path_factory: pytest.TempPathFactory) -> object:
    """The compiled-rule cache of the whole session in a directory of its own, never the user's."""
    import os

    folder = tmp_path_factory.mktemp("assay-cache") / "cache"
    folder.mkdir(mode=0o700)
    before = os.environ.get("ASSAY_CACHE_DIR")
    os.environ["ASSAY_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ASSAY_CACHE_DIR", None)
    else:
        os.environ["ASSAY_CACHE_DIR"] = before


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A rule cache of the test's own, empty, in place of the session's (ASSAY_NO_CACHE unset)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ASSAY_CACHE_DIR", str(folder))
    monkeypatch.delenv("ASSAY_NO_CACHE", raising=False)
    return folder


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


MINIMAL_MAPPING = """
framework: soc2
mappings:
  - requirement: CC6.1
    controls: [%s]
"""


def mapped_controls(ids: list[str]) -> str:
    """The controls of a mapping entry in flow style, each fully covering its requirement."""
    return ", ".join(f"{{control: {i}, coverage: full, rationale: Test.}}" for i in ids)


def catalog_from_yaml(controls_yaml: str, folder: Path):  # type: ignore[no-untyped-def]
    """Write one controls file (every control mapped to SOC 2 CC6.1) under ``folder`` and load it."""
    from assay.loading.catalog import load_catalog
    from assay.yamlsource import parse_yaml

    (folder / "controls").mkdir(parents=True, exist_ok=True)
    (folder / "mappings").mkdir(exist_ok=True)
    (folder / "controls" / "c.yaml").write_text(controls_yaml, encoding="utf-8")
    ids = [c["id"] for c in parse_yaml(controls_yaml, "c.yaml").data["controls"]]
    (folder / "mappings" / "soc2.yaml").write_text(MINIMAL_MAPPING % mapped_controls(ids), encoding="utf-8")
    return load_catalog([folder / "controls"], [folder / "mappings"])


@pytest.fixture
def make_catalog(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Build a catalog from the text of one controls file."""
    return lambda controls_yaml: catalog_from_yaml(controls_yaml, tmp_path / "catalog")
