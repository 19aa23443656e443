"""A cached document's position rows: an entry of their own, in the bundle only once a run asked."""

from __future__ import annotations

from pathlib import Path

import msgspec
import pytest

from assay import cache
from assay.loading.cached import KIND, ROWS_KIND, CachedDocument, load_cached_yaml
from assay.yamlsource import DEFAULT_LIMITS, parse_yaml

TEXT = "controls:\n  - id: A-1\n    title: first\n  - id: B-2\n    title: second\n"


def new_process(monkeypatch: pytest.MonkeyPatch) -> cache.Cache:
    """The cache as the next process opens it (the last one saved its bundle at exit)."""
    opened = cache.default_cache()
    assert opened is not None
    opened.save_bundle()
    monkeypatch.setattr(cache, "_opened", {})
    reopened = cache.default_cache()
    assert reopened is not None
    reopened.get("nothing", "[]")  # opens the bundle
    return reopened


def bundle_kinds(store: cache.Cache) -> list[str]:
    """The kinds of the entries in the bundle the last process saved."""
    return sorted(str(msgspec.json.decode(raw)["kind"]) for raw in store._bundle.unused.values())


def test_rows_join_the_bundle_only_once_a_run_asked_for_a_position(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked, unasked = tmp_path / "asked.yaml", tmp_path / "unasked.yaml"
    for file in (asked, unasked):
        file.write_text(TEXT, encoding="utf-8")
        load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    assert len(list((cache_dir / ROWS_KIND).glob("*.entry"))) == 1  # the same bytes: one material
    assert bundle_kinds(new_process(monkeypatch)) == [KIND]  # the data, not the rows
    warm = load_cached_yaml(asked, asked.name, DEFAULT_LIMITS)
    assert isinstance(warm, CachedDocument)
    expected = parse_yaml(asked.read_bytes(), asked.name)
    assert warm.position(("controls", 1, "title")) == expected.position(("controls", 1, "title"))
    assert bundle_kinds(new_process(monkeypatch)) == [KIND, ROWS_KIND]  # asked for: kept with it now


@pytest.mark.parametrize("damage", ["missing", "tampered"])
def test_rows_missing_or_tampered_are_read_from_the_file_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    file = tmp_path / "c.yaml"
    file.write_text(TEXT, encoding="utf-8")
    load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    new_process(monkeypatch)
    [rows] = (cache_dir / ROWS_KIND).glob("*.entry")
    if damage == "missing":
        rows.unlink()
    else:  # the lines of the second entry moved, the MAC kept
        original = rows.read_bytes()
        rows.write_bytes(original.replace(b"4,", b"9,"))
        assert rows.read_bytes() != original
    warm = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    assert isinstance(warm, CachedDocument)
    expected = parse_yaml(file.read_bytes(), file.name)
    for path in [("controls",), ("controls", 1), ("controls", 1, "id"), ("controls", 1, "title")]:
        assert warm.position(path) == expected.position(path)
        assert warm.position(path, key=True) == expected.position(path, key=True)
