"""Names a package imports from their modules when first read."""

from __future__ import annotations

import subprocess
import sys

import pytest

from assay.lazy_names import import_on_first_read


def test_a_name_is_imported_from_its_module_and_kept() -> None:
    namespace: dict[str, object] = {}
    value = import_on_first_read("pkg", namespace, {"dedent": "textwrap"}, "dedent")
    import textwrap

    assert value is textwrap.dedent
    assert namespace == {"dedent": textwrap.dedent}  # the next read is a plain lookup


def test_a_name_not_listed_is_an_attribute_error_naming_the_package() -> None:
    with pytest.raises(AttributeError, match=r"module 'pkg' has no attribute 'nope'"):
        import_on_first_read("pkg", {}, {"dedent": "textwrap"}, "nope")


def test_the_packages_load_a_module_only_when_one_of_its_names_is_read() -> None:
    code = (
        "import sys, assay.pack, assay.redact\n"
        "before = {m for m in ('assay.pack.build', 'assay.redact.files') if m in sys.modules}\n"
        "assay.pack.build_pack, assay.redact.redact\n"
        "after = {m for m in ('assay.pack.build', 'assay.redact.files') if m in sys.modules}\n"
        "print(sorted(before), sorted(after))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out == "[] ['assay.pack.build', 'assay.redact.files']\n"
    import assay.pack

    with pytest.raises(AttributeError, match=r"module 'assay\.pack' has no attribute 'nope'"):
        _ = assay.pack.nope  # type: ignore[attr-defined]
