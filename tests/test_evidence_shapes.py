"""Why evidence has the wrong shape: the same words from the cache as from jsonschema."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assay.evidence_shapes import KIND, explain_shape

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"Volumes": {"type": "array", "items": {"type": "object", "required": ["VolumeId"]}}},
    "required": ["Volumes"],
}


def entries(folder: Path) -> list[Path]:
    return sorted((folder / KIND).glob("*.entry"))


def test_the_words_come_back_from_the_cache(cache_dir: Path) -> None:
    data = {"Volumes": [{"VolumeId": "v-1"}, {"Size": 8}]}
    cold = explain_shape(SCHEMA, data)
    assert cold == "$.Volumes[1]: is missing the required property 'VolumeId'"
    assert len(entries(cache_dir)) == 1
    assert explain_shape(SCHEMA, data) == cold
    assert len(entries(cache_dir)) == 1


def test_other_evidence_is_other_words(cache_dir: Path) -> None:
    first = explain_shape(SCHEMA, {"Volumes": [{"Size": 8}]})
    second = explain_shape(SCHEMA, {"Volumes": "none"})
    assert first != second
    assert second == "$.Volumes: must be of type array, found string"
    assert len(entries(cache_dir)) == 2


def test_a_tampered_entry_is_worded_again(cache_dir: Path) -> None:
    data = {"Volumes": [{"Size": 8}]}
    cold = explain_shape(SCHEMA, data)
    [entry] = entries(cache_dir)
    entry.write_bytes(entry.read_bytes().replace(b"VolumeId", b"Forged!!"))
    assert explain_shape(SCHEMA, data) == cold


def test_evidence_that_is_not_json_is_explained_and_not_kept(cache_dir: Path) -> None:
    data = {"Volumes": [{"Size": datetime(2026, 1, 1, tzinfo=UTC)}]}
    assert explain_shape(SCHEMA, data) == "$.Volumes[0]: is missing the required property 'VolumeId'"
    assert entries(cache_dir) == []
