"""Evidence JSON Schemas beside the controls: meta-checked by jsonschema-rs, explained by jsonschema."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.loading.controls import SCHEMA_KIND, load_evidence_schemas, schema_problem
from assay.loading.documents import display_path
from assay.loading.paths import _resolved_base


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"type": "invalid_type"}', "not a valid JSON Schema: 'invalid_type' is not valid"),
        ('{"properties": {"a": {"pattern": "(("}}}', "not a valid JSON Schema: '((' is not a 'regex'"),
        ('{"properties": {"a": {"$ref": "#/$defs/nowhere"}}}', "not a valid JSON Schema: "),
        ('{"minimum": "ten"}', "not a valid JSON Schema: 'ten' is not of type 'number'"),
        ("[1, 2]", "a JSON Schema must be an object"),
        ('{"type": ', "invalid JSON"),
    ],
)
def test_an_invalid_schema_is_a_diagnostic_naming_its_file(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "aws.thing.schema.json").write_text(text, encoding="utf-8")
    schemas, diagnostics = load_evidence_schemas([tmp_path], tmp_path)
    assert schemas == {}
    assert len(diagnostics) == 1
    assert diagnostics[0].path == "aws.thing.schema.json"
    assert diagnostics[0].message.startswith(expected)


def test_a_valid_schema_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "aws.thing.schema.json").write_text(
        '{"type": "object", "properties": {"a": {"$ref": "#/$defs/a"}}, "$defs": {"a": {"type": "string"}}}',
        encoding="utf-8",
    )
    schemas, diagnostics = load_evidence_schemas([tmp_path], tmp_path)
    assert diagnostics == []
    assert schemas["aws.thing"]["$defs"] == {"a": {"type": "string"}}


def test_a_reference_jsonschema_accepts_is_still_refused_with_the_reason() -> None:
    # jsonschema's check_schema never resolves references: the reason comes from jsonschema-rs
    problem = schema_problem({"$ref": "#/nowhere"})
    assert problem is not None
    assert "nowhere" in problem


def test_a_valid_schema_is_checked_once_and_a_changed_one_again(cache_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "controls"
    folder.mkdir()
    schema = folder / "aws.thing.schema.json"
    schema.write_text('{"type": "object"}', encoding="utf-8")
    (folder / "aws.bad.schema.json").write_text('{"type": "invalid_type"}', encoding="utf-8")
    for _ in range(2):
        schemas, diagnostics = load_evidence_schemas([folder], folder)
        assert list(schemas) == ["aws.thing"]
        assert [d.path for d in diagnostics] == ["aws.bad.schema.json"]  # explained each time
    assert len(list((cache_dir / SCHEMA_KIND).glob("*.entry"))) == 1  # the valid one's verdict, kept
    schema.write_text('{"type": "invalid_type"}', encoding="utf-8")  # the same file, now invalid
    schemas, diagnostics = load_evidence_schemas([folder], folder)
    assert schemas == {}
    assert sorted(d.path for d in diagnostics) == ["aws.bad.schema.json", "aws.thing.schema.json"]


def test_files_are_shown_relative_to_their_root_resolved_once(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    files = [real / "sub" / f"{name}.schema.json" for name in ("a", "b", "c")]
    _resolved_base.cache_clear()
    assert [display_path(file, link) for file in files] == [
        "sub/a.schema.json",
        "sub/b.schema.json",
        "sub/c.schema.json",
    ]
    assert display_path(link / "sub" / "a.schema.json", real) == "sub/a.schema.json"
    assert display_path(tmp_path / "elsewhere.json", real) == (tmp_path / "elsewhere.json").as_posix()
    assert _resolved_base.cache_info().misses <= 3  # the root, the working directory, the other root
