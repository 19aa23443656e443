"""Records validated clean are kept in the cache: the next run rebuilds them without pydantic, a changed
file or changed record code is validated afresh, and a damaged entry is never believed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import assay
from assay.loading.controls import load_controls
from assay.loading.record_cache import KIND, RECORD_MODULES, records_version, validator_digest

CONTROL = """\
controls:
  - id: NET-01
    title: {title}
    claim: Traffic is encrypted.
    description: Every listener uses TLS.
    severity: high
    domain: network
    evidence:
      - name: aws.elb.listeners
        max_age: 7d
    rules:
      - id: tls
        assert: evidence.aws.elb.listeners.all(l, l.protocol == "HTTPS")
    remediation: Use HTTPS listeners.
    parameters:
      ports: [443, {{"odd": ["$t", {{"$m": 1}}]}}]
      looks_kept: {{"$r": "assay.model:Rule", "f": {{"description": null, "for_each": null}}}}
"""


def _write(folder: Path, title: str = "Encrypted traffic") -> Path:
    file = folder / "controls.yaml"
    file.write_text(CONTROL.format(title=title), encoding="utf-8")
    return file


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / KIND).glob("*")) if (cache / KIND).is_dir() else []


def test_a_clean_file_is_kept_and_rebuilt_equal(tmp_path: Path, cache_dir: Path) -> None:
    file = _write(tmp_path)
    first = load_controls([(file, "controls.yaml")])
    assert first.diagnostics == []
    assert len(_entries(cache_dir)) == 1
    again = load_controls([(file, "controls.yaml")])
    assert [i.value for i in again.items] == [i.value for i in first.items]
    # Data that looks like the cache's own tags is the user's data, given back as written.
    assert again.items[0].value.parameters == {
        "ports": [443, {"odd": ["$t", {"$m": 1}]}],
        "looks_kept": {"$r": "assay.model:Rule", "f": {"description": None, "for_each": None}},
    }
    # The fields left at their default are not written: the class gives them back.
    (entry,) = _entries(cache_dir)
    assert b'"frequency"' not in entry.read_bytes()
    assert again.items[0].value.frequency is None
    assert again.items[0].source.position("title").line == 3


def test_a_changed_file_is_not_served_stale(tmp_path: Path, cache_dir: Path) -> None:
    file = _write(tmp_path)
    load_controls([(file, "controls.yaml")])
    _write(tmp_path, title="Changed title")
    assert load_controls([(file, "controls.yaml")]).items[0].value.title == "Changed title"
    _write(tmp_path, title="''")  # now wrong: its problem is reported, not a kept record
    broken = load_controls([(file, "controls.yaml")])
    assert broken.items == []
    assert [(d.line, d.message) for d in broken.diagnostics] == [(3, "must not be empty")]


def test_a_file_with_a_problem_is_not_kept(tmp_path: Path, cache_dir: Path) -> None:
    file = _write(tmp_path, title="''")
    for _ in range(2):
        assert [d.message for d in load_controls([(file, "controls.yaml")]).diagnostics] == [
            "must not be empty"
        ]
    assert _entries(cache_dir) == []


def test_a_damaged_entry_is_validated_again_not_believed(tmp_path: Path, cache_dir: Path) -> None:
    file = _write(tmp_path)
    load_controls([(file, "controls.yaml")])
    (entry,) = _entries(cache_dir)
    stored = entry.read_bytes()
    assert b"Encrypted traffic" in stored
    entry.write_bytes(stored.replace(b"Encrypted traffic", b"Encrypted traffiX"))  # one byte flipped
    assert load_controls([(file, "controls.yaml")]).items[0].value.title == "Encrypted traffic"
    assert entry.read_bytes() == stored  # validated again, and kept anew


def test_the_version_covers_every_record_module() -> None:
    for name in RECORD_MODULES:
        assert name in sys.modules, name  # imported by the loaders: their sources are in the digest
    assert records_version().startswith(assay.__version__ + " ")


def test_the_version_covers_the_validator_without_importing_it() -> None:
    import hashlib

    import pydantic

    version_file = Path(pydantic.__file__).with_name("version.py")
    expected = hashlib.sha256(version_file.read_bytes()).hexdigest()[:16]
    assert validator_digest() == expected
    assert records_version().endswith(f" pydantic {expected}")
    code = (
        "import sys; from assay.loading.record_cache import records_version; records_version(); "
        "print('pydantic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.split() == ["False"]


def _load_in_fresh_interpreter(source: Path, file: Path, cache: Path) -> str:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from assay.loading.controls import load_controls\n"
        f"loaded = load_controls([(Path({str(file)!r}), 'controls.yaml')])\n"
        "assert not loaded.diagnostics, loaded.diagnostics\n"
        "print(loaded.items[0].value.title, 'pydantic' in sys.modules)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(source), "ASSAY_CACHE_DIR": str(cache)}
    environment.pop("ASSAY_NO_CACHE", None)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("module", ["model.py", "records.py"])
def test_changing_a_record_module_misses(tmp_path: Path, module: str) -> None:
    package = Path(assay.__file__).parent
    original = package.parent
    changed = tmp_path / "changed"
    shutil.copytree(package, changed / "assay", ignore=shutil.ignore_patterns("__pycache__", "_builtin"))
    with (changed / "assay" / module).open("a", encoding="utf-8") as handle:
        handle.write("\n# a change to the record code\n")
    file, cache = _write(tmp_path), tmp_path / "cache"
    assert _load_in_fresh_interpreter(original, file, cache) == "Encrypted traffic True"
    assert _load_in_fresh_interpreter(original, file, cache) == "Encrypted traffic False"  # kept
    assert _load_in_fresh_interpreter(changed, file, cache) == "Encrypted traffic True"  # missed
    assert len(_entries(cache)) == 2
