"""Catalog files through the cache: a document read back is the document parsed, to every position."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay import cache
from assay.errors import LoadError
from assay.loading.cached import KIND, CachedDocument, load_cached_yaml
from assay.yamlsource import DEFAULT_LIMITS, Limits, YamlDocument, dump_yaml, parse_yaml

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = sorted(
    p for folder in ("controls", "frameworks", "mappings") for p in (ROOT / folder).glob("*.yaml")
)


def tables(document: YamlDocument) -> tuple[Any, ...]:
    return (
        document.path,
        repr(document.data),
        dict(document.values),
        dict(document.keys),
        dict(document.scalars),
        document.lines,
    )


def entries(folder: Path) -> list[Path]:
    return sorted((folder / KIND).glob("*.entry"))


def test_every_builtin_file_reads_back_as_parsed(cache_dir: Path) -> None:
    assert len(BUILTIN) > 10
    for file in BUILTIN:
        cold = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
        warm = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
        assert isinstance(warm, CachedDocument), file
        assert tables(warm) == tables(cold), file
    assert len(entries(cache_dir)) == len(BUILTIN)


def probes(document: YamlDocument) -> list[tuple[Any, ...]]:
    """Every path of ``document``, each with a child it lacks, and paths that start nowhere."""
    paths = list(document.values)
    return [*paths, *((*path, "absent", 0) for path in paths), ("absent",), (0,), ()]


def test_a_document_read_back_finds_each_position_without_the_table_of_every_path(cache_dir: Path) -> None:
    for file in BUILTIN[:6]:
        cold = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
        warm = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
        assert isinstance(warm, CachedDocument)
        for path in probes(cold):
            for key in (False, True):
                assert warm.position(path, key=key) == cold.position(path, key=key), (file, path, key)
        assert not {"values", "keys", "_paths"} & set(vars(warm))  # never built: the run's cost


def test_the_positions_of_a_document_read_back_are_decoded_only_when_asked_for(cache_dir: Path) -> None:
    file = BUILTIN[0]
    cold = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    warm = load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    assert isinstance(warm, CachedDocument)
    assert warm.data == cold.data
    assert not {"_rows", "lines"} & set(vars(warm))  # a run that reads only the data decodes no row
    assert warm.position(("controls", 0, "id")) == cold.position(("controls", 0, "id"))
    assert "_rows" in vars(warm)


@pytest.mark.parametrize("rows", ["", "[1, 2]", '{"values": [], "keys": 1}', "{"])
def test_position_rows_that_do_not_decode_are_read_from_the_file_again(rows: str) -> None:
    file = BUILTIN[0]
    parsed = parse_yaml(file.read_bytes(), file.name)
    hostile = CachedDocument(file.name, parsed.data, file.read_bytes(), rows, DEFAULT_LIMITS)
    assert tables(hostile) == tables(parsed)
    assert hostile.position(("controls", 1, "rules")) == parsed.position(("controls", 1, "rules"))


YAML_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text()
)
YAML_DATA = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAML_DATA)
def test_any_document_reads_back_to_every_position(cache_dir: Path, data: Any) -> None:
    file = cache_dir.parent / "doc.yaml"
    file.write_text(dump_yaml(data), encoding="utf-8")
    cold = load_cached_yaml(file, "doc.yaml", DEFAULT_LIMITS)
    warm = load_cached_yaml(file, "doc.yaml", DEFAULT_LIMITS)
    assert tables(warm) == tables(cold)
    assert tables(cold) == tables(parse_yaml(file.read_bytes(), "doc.yaml"))
    for path in probes(cold):
        assert warm.position(path) == cold.position(path)
        assert warm.position(path, key=True) == cold.position(path, key=True)
    for path in list(cold.values)[:5]:
        assert warm.locate_in_scalar(path, 1, 2) == cold.locate_in_scalar(path, 1, 2)


def test_a_tampered_entry_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_text("controls:\n  - id: A-1\n    title: real\n", encoding="utf-8")
    cold = load_cached_yaml(file, "c.yaml", DEFAULT_LIMITS)
    [entry] = entries(cache_dir)
    entry.write_bytes(entry.read_bytes().replace(b'"real"', b'"fake"'))
    warm = load_cached_yaml(file, "c.yaml", DEFAULT_LIMITS)
    assert warm.data == cold.data == {"controls": [{"id": "A-1", "title": "real"}]}
    assert not isinstance(warm, CachedDocument)


def test_a_changed_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    load_cached_yaml(file, "c.yaml", DEFAULT_LIMITS)
    file.write_text("a: 2\n", encoding="utf-8")
    assert load_cached_yaml(file, "c.yaml", DEFAULT_LIMITS).data == {"a": 2}


def test_a_file_changed_after_the_bundle_was_written_is_parsed_again(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept, changed = tmp_path / "kept.yaml", tmp_path / "changed.yaml"
    kept.write_text("a: 1\n", encoding="utf-8")
    changed.write_text("controls:\n  - id: A-1\n", encoding="utf-8")
    for file in (kept, changed):
        load_cached_yaml(file, file.name, DEFAULT_LIMITS)
    opened = cache.default_cache()
    assert opened is not None
    opened.save_bundle()  # what the run's exit does
    for entry in entries(cache_dir):
        entry.unlink()  # the bundle alone holds both
    changed.write_text("controls:\n  - id: B-2\n", encoding="utf-8")
    monkeypatch.setattr(cache, "_opened", {})  # a new process
    warm = load_cached_yaml(kept, "kept.yaml", DEFAULT_LIMITS)
    assert isinstance(warm, CachedDocument)  # from the bundle
    assert warm.data == {"a": 1}
    fresh = load_cached_yaml(changed, "changed.yaml", DEFAULT_LIMITS)
    assert not isinstance(fresh, CachedDocument)  # the bundle's copy is of the old bytes: not used
    assert fresh.data == {"controls": [{"id": "B-2"}]}


def test_the_shown_path_is_the_callers_not_the_cached_one(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "c.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    load_cached_yaml(file, "first.yaml", DEFAULT_LIMITS)
    assert load_cached_yaml(file, "second.yaml", DEFAULT_LIMITS).path == "second.yaml"


def test_tighter_limits_are_not_answered_from_a_looser_read(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "deep.yaml"
    file.write_text("a: {b: {c: {d: 1}}}\n", encoding="utf-8")
    load_cached_yaml(file, "deep.yaml", DEFAULT_LIMITS)
    with pytest.raises(LoadError, match="nesting is deeper"):
        load_cached_yaml(file, "deep.yaml", Limits(max_depth=2))


def test_a_file_with_an_error_is_reported_every_time(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text("a: 1\na: 2\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(LoadError) as caught:
            load_cached_yaml(file, "bad.yaml", DEFAULT_LIMITS)
        assert caught.value.diagnostics[0].line == 2
        assert "duplicate key" in caught.value.diagnostics[0].message
    assert entries(cache_dir) == []


def test_data_json_cannot_hold_is_not_kept(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "nan.yaml"
    file.write_text("a: .nan\nb: -.inf\n", encoding="utf-8")
    for _ in range(2):
        document = load_cached_yaml(file, "nan.yaml", DEFAULT_LIMITS)
        assert document.data["b"] == float("-inf")
    assert entries(cache_dir) == []


def test_with_the_cache_off_nothing_is_written(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSAY_NO_CACHE", "1")
    file = tmp_path / "c.yaml"
    file.write_text("a: 1\n", encoding="utf-8")
    assert load_cached_yaml(file, "c.yaml", DEFAULT_LIMITS).data == {"a": 1}
    assert not cache_dir.exists()
