"""Round-trip writing: unchanged trees give the original bytes, edits touch only their lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import LoadError
from assay.roundtrip import WriteRefused, merge, read_document, render, write_document

ROOT = Path(__file__).resolve().parent.parent
BUILTIN_FOLDERS = ("controls", "mappings", "frameworks", "example", "examples", "evidence")


def builtin_yaml_files() -> list[Path]:
    files = [f for folder in BUILTIN_FOLDERS for f in sorted((ROOT / folder).rglob("*.yaml"))]
    return [f for f in files if f.name != "pyproject.yaml"]


def test_every_builtin_yaml_file_is_rewritten_to_identical_bytes() -> None:
    files = builtin_yaml_files()
    assert len(files) > 40
    for file in files:
        document = read_document(file)
        assert render(document) == file.read_bytes(), file


def test_an_edit_keeps_comments_quotes_styles_bom_and_crlf(tmp_path: Path) -> None:
    text = (
        "# yaml-language-server: $schema=../schemas/mapping.schema.json\n"
        "# Why these controls: decided with the auditor.\n"
        "framework: soc2\n"
        "mappings:\n"
        "  - requirement: 'CC6.1'  # quoted on purpose\n"
        "    controls:\n"
        "      - control: IAM-01\n"
        "        coverage: partial\n"
        "        rationale: >-\n"
        "          A folded rationale that\n"
        "          spans two lines.\n"
        "        tags: [a, b]\n"
        '  - requirement: "CC6.2"\n'
        "    controls:\n"
        "      - control: IAM-02\n"
        "        coverage: full\n"
        "        rationale: plain text that a dump\n"
        "          would fold differently\n"
    )
    file = tmp_path / "m.yaml"
    file.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    document = read_document(file)
    document.data["mappings"][1]["controls"][0]["coverage"] = "partial"
    written = render(document)
    expected = text.replace("coverage: full", "coverage: partial")
    assert written == b"\xef\xbb\xbf" + expected.replace("\n", "\r\n").encode()
    assert write_document(document, written)
    assert file.read_bytes() == written


def test_a_new_entry_is_added_without_touching_the_rest(tmp_path: Path) -> None:
    file = tmp_path / "w.yaml"
    file.write_text("waivers:\n  - control: IAM-01  # keep\n    ticket: 'T-1'\n    note: a\n      b\n")
    document = read_document(file)
    document.data["waivers"].append({"control": "IAM-02", "ticket": "T-2"})
    assert render(document).decode() == file.read_text() + "  - control: IAM-02\n    ticket: T-2\n"


@pytest.mark.parametrize("text", ["a: &x {b: 1}\nc: *x\n", "a: &x 1\n"])
def test_anchors_and_aliases_are_refused_with_their_position(tmp_path: Path, text: str) -> None:
    file = tmp_path / "a.yaml"
    file.write_text(text)
    with pytest.raises(LoadError) as caught:
        read_document(file)
    diagnostic = caught.value.diagnostics[0]
    assert (diagnostic.line, diagnostic.column) == (1, 4)
    assert "anchor &x" in diagnostic.message


def test_a_file_changed_on_disk_after_reading_is_not_overwritten(tmp_path: Path) -> None:
    file = tmp_path / "w.yaml"
    file.write_text("waivers: []\n")
    document = read_document(file)
    document.data["waivers"].append({"control": "IAM-02"})
    file.write_text("waivers: []  # someone else's edit\n")
    with pytest.raises(WriteRefused, match="changed on disk"):
        write_document(document, render(document))
    assert file.read_text() == "waivers: []  # someone else's edit\n"


def test_merge_applies_only_the_changed_lines() -> None:
    original = "a: x\n  y\nb: 1\n"
    base = "a: x y\nb: 1\n"
    assert merge(original, base, "a: x y\nb: 2\n") == "a: x\n  y\nb: 2\n"
    assert merge(original, base, base) == original


def test_a_value_ruamel_cannot_read_is_a_load_error_not_a_crash(tmp_path: Path) -> None:
    file = tmp_path / "w.yaml"
    file.write_text("waivers:\n  - expires: 2026-02-30\n")
    with pytest.raises(LoadError, match="day is out of range for month"):
        read_document(file)


LINES = st.lists(st.sampled_from(["a: 1\n", "b: x\n", "  c: y\n", "# note\n", "\n", "- z\n"]), max_size=12)


@given(original=LINES, base=LINES)
def test_merge_without_an_edit_gives_the_original(original: list[str], base: list[str]) -> None:
    assert merge("".join(original), "".join(base), "".join(base)) == "".join(original)


@given(original=LINES, new=LINES)
def test_merge_onto_its_own_dump_gives_the_edit(original: list[str], new: list[str]) -> None:
    text = "".join(original)
    assert merge(text, text, "".join(new)) == "".join(new)
