"""What a cached verdict depends on, found without importing the packages it names."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assay.install_stamps import install_stamp, module_file, sources_digest


def test_a_package_is_stamped_without_being_imported() -> None:
    code = (
        "import sys\n"
        "from assay.install_stamps import install_stamp\n"
        "stamp = install_stamp('jsonschema')\n"
        "print(stamp != 'absent', 'jsonschema' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]


def test_an_absent_package_has_a_stamp_of_its_own() -> None:
    assert install_stamp("assay_no_such_package") == "absent"
    assert module_file("assay_no_such_package") is None


def test_a_reinstalled_package_has_another_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "stamped_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = install_stamp("stamped_pkg")
    (package / "__init__.py").write_text("X = 2\n", encoding="utf-8")
    stat = (package / "__init__.py").stat()

    os.utime(package / "__init__.py", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert install_stamp("stamped_pkg") != before


def test_an_edited_module_changes_the_sources_digest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "digested_mod.py").write_text("A = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = sources_digest(["digested_mod", "assay.records"])
    assert sources_digest(["digested_mod", "assay.records"]) == before
    (tmp_path / "digested_mod.py").write_text("A = 2\n", encoding="utf-8")
    assert sources_digest(["digested_mod", "assay.records"]) != before
    assert sources_digest(["assay.records", "digested_mod"]) != before  # the names and their order count
