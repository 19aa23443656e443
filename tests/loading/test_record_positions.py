"""Each entry's ``id`` position kept with its records: a warm report finds each control's line
without decoding the file's position rows, and finds the very line the parse gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.cache import default_cache
from assay.loading import record_cache
from assay.loading.builtin import builtin_paths
from assay.loading.cached import CachedDocument
from assay.loading.catalog import catalog_files
from assay.loading.controls import load_controls
from assay.yamlsource import parse_yaml

CONTROLS = """\
# a comment, so that lines are not indexes
controls:
  - id: A-1
    title: first
    claim: c
    description: d
    severity: high
    domain: network
    evidence: [{name: aws.x}]
    rules: [{id: r, assert: "true"}]
    remediation: r
  -   title: second
      claim: c
      description: d
      severity: low
      domain: network
      evidence: [{name: aws.x}]
      rules: [{id: r, assert: "true"}]
      remediation: r
      id:    "B-2"
"""


def shown_positions(file: Path) -> list[tuple[object, ...]]:
    loaded = load_controls([(file, file.name)])
    assert loaded.diagnostics == []
    found = []
    for item in loaded.items:
        source = item.source
        found.append((source.position("id"), source.position("id", key=True), source.position("title")))
    return found


def test_a_warm_load_answers_each_id_position_without_the_rows(cache_dir: Path, tmp_path: Path) -> None:
    file = tmp_path / "controls.yaml"
    file.write_text(CONTROLS, encoding="utf-8")
    parsed = parse_yaml(file.read_bytes(), file.name)
    expected = [
        (parsed.position(("controls", i, "id")), parsed.position(("controls", i, "id"), key=True))
        for i in range(2)
    ]
    cold = shown_positions(file)
    loaded = load_controls([(file, file.name)])
    document = loaded.items[0].source.document
    assert isinstance(document, CachedDocument)
    assert [
        (s.position("id"), s.position("id", key=True)) for s in (i.source for i in loaded.items)
    ] == expected
    assert "_rows" not in vars(document)  # answered from what the records kept
    assert [row[:2] for row in cold] == expected
    assert shown_positions(file) == cold  # the title's position, from the rows, as before


@pytest.mark.parametrize("ids", [None, [], [[1, 2, 3]], [["1", 2, 3, 4], [1, 2, 3, 4]], "x"])
def test_positions_of_another_shape_in_a_signed_entry_are_not_believed(
    cache_dir: Path, tmp_path: Path, ids: object
) -> None:
    file = tmp_path / "controls.yaml"
    file.write_text(CONTROLS, encoding="utf-8")
    cold = shown_positions(file)
    store = default_cache()
    assert store is not None
    [entry] = (cache_dir / record_cache.KIND).glob("*.entry")
    material = json.loads(entry.read_bytes().partition(b"\n")[2])["material"]
    payload = store.get(record_cache.KIND, material)
    payload["ids"] = ids
    store.put(record_cache.KIND, material, payload)
    assert shown_positions(file) == cold  # from the rows


def test_the_example_catalog_shows_each_controls_line_as_parsed(cache_dir: Path) -> None:
    builtin = builtin_paths()
    files = catalog_files([builtin.controls], builtin.root)
    load_controls(files)
    warm = load_controls(files)
    for item in warm.items:
        document = item.source.document
        assert isinstance(document, CachedDocument)
        parsed = parse_yaml(document._raw, document.path)
        path = (*item.source.path, "id")
        assert item.source.position("id") == parsed.position(path)
        assert "_rows" not in vars(document)
