"""The wheel carries the built-in catalog: build it, install it in a fresh venv outside the checkout,
and load the catalog there (no access to the source tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("assay-*.whl")
    return found


def test_wheel_contains_catalog_evidence_and_schemas(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "assay/_builtin/controls/cryptography.yaml" in names
    for key in ("soc2", "iso27001", "hipaa", "pci-dss", "gdpr"):
        assert f"assay/_builtin/mappings/{key}.yaml" in names
        assert f"assay/_builtin/frameworks/{key}.yaml" in names
    assert any(n.startswith("assay/_builtin/evidence/") for n in names)
    assert "assay/schemas/control.schema.json" in names
    assert "_assay_pytestplugin.py" in names  # the pytest11 entry point, beside the package


def test_installed_wheel_loads_the_builtin_catalog(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, capture_output=True
    )
    script = (
        "import assay, pathlib; c = assay.builtin_catalog(); "
        "print(len(c.controls), ' '.join(sorted(c.frameworks)), "
        "pathlib.Path(assay.builtin_paths().controls).is_relative_to(pathlib.Path(assay.__file__).parent))"
    )
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    shown = subprocess.run(
        [str(python), "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True, env=clean_env
    ).stdout.split()
    assert int(shown[0]) >= 2
    assert shown[1:6] == ["gdpr", "hipaa", "iso27001", "pci-dss", "soc2"]
    assert shown[6] == "True"  # loaded from inside the installed package, not the checkout
    lint = subprocess.run(
        [str(env_dir / "bin" / "assay"), "lint"], cwd=tmp_path, capture_output=True, text=True, env=clean_env
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    # The README's quick start: the gap report of the bundled example, which fails on purpose.
    check = subprocess.run(
        [str(env_dir / "bin" / "assay"), "check"], cwd=tmp_path, capture_output=True, text=True, env=clean_env
    )
    assert check.returncode == 1, check.stderr
    assert "Controls: 75 · 64 pass · 5 fail · 2 error · 2 not_assessed · 2 waived" in check.stdout
