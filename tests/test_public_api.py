"""``assay.__all__`` is the public API: everything in it exists, and nothing public is left out."""

from __future__ import annotations

import types

import assay


def test_all_names_exist() -> None:
    missing = [name for name in assay.__all__ if not hasattr(assay, name)]
    assert missing == []


def test_all_is_sorted_and_unique() -> None:
    assert list(assay.__all__) == sorted(set(assay.__all__))


def test_every_public_attribute_is_listed() -> None:
    public = {
        name
        for name, value in vars(assay).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public - set(assay.__all__) == set()
