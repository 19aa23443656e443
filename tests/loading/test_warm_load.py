"""A warm run reads the whole catalog from the cache without pydantic (nor jsonschema-rs).

As tests/test_startup.py: each load runs in a fresh interpreter (this one imported everything long
ago), with a cache folder of its own, and reads ``sys.modules`` afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# What a load served from the cache never needs: the validators and the schema checker.
VALIDATORS = ("pydantic", "pydantic_core", "jsonschema_rs", "jsonschema", "annotated_types")
# The example project's catalog and policies, read by the loaders as load_project_catalog and
# load_project do (load_project itself also imports the evidence readers, which are not this test's).
LOAD = """\
import json, sys
from assay.loading.builtin import builtin_paths
from assay.loading.catalog import read_catalog
from assay.loading.policies import load_parameters, load_scope, load_waivers
catalog, diagnostics = read_catalog((), [])
example = builtin_paths().example
waivers = load_waivers(example / "waivers.yaml", "waivers.yaml")
scope = load_scope(example / "scope.yaml", "scope.yaml")
parameters = load_parameters(example / "parameters.yaml", "parameters.yaml")
problems = [*diagnostics, *waivers.diagnostics, *scope.diagnostics, *parameters.diagnostics]
assert not [d for d in problems if d.severity.value == "error"], problems
print(json.dumps({
    "counts": [len(catalog.controls), len(catalog.frameworks), len(catalog.mappings),
               len(waivers.items), len(scope.items), len(parameters.values)],
    "first": catalog.controls[0].model_dump(mode="json") if "--dump" in sys.argv else None,
    "modules": sorted(sys.modules),
}))
"""


def _load(folder: Path, cache: Path, *arguments: str) -> dict[str, object]:
    environment = {**os.environ, "ASSAY_CACHE_DIR": str(cache)}
    environment.pop("ASSAY_NO_CACHE", None)
    command = [sys.executable, "-c", LOAD, *arguments]
    done = subprocess.run(
        command, capture_output=True, text=True, cwd=folder, env=environment, check=False, timeout=300
    )
    assert done.returncode == 0, done.stderr
    found: dict[str, object] = json.loads(done.stdout)
    return found


def _validators(modules: object) -> list[str]:
    assert isinstance(modules, list)
    return [m for m in modules if m.split(".")[0] in VALIDATORS]


def test_the_second_load_of_the_example_imports_no_validator(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _load(tmp_path, cache)
    assert "pydantic" in _validators(cold["modules"])  # the first load validates every file
    warm = _load(tmp_path, cache)
    assert warm["counts"] == cold["counts"]
    counts = warm["counts"]
    assert isinstance(counts, list)
    assert all(count > 0 for count in counts), counts  # controls, frameworks, mappings and policies
    assert _validators(warm["modules"]) == []


def test_what_the_warm_load_gives_is_what_validation_gives(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _load(tmp_path, cache, "--dump")
    warm = _load(tmp_path, cache, "--dump")
    assert warm["first"] == cold["first"]
    fresh = _load(tmp_path, tmp_path / "other", "--dump")
    assert fresh["first"] == warm["first"]
