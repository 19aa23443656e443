"""``assay new``: scaffolds that pass ``assay test``, placeholders lint flags, and nothing overwritten."""

from __future__ import annotations

from pathlib import Path

PLACEHOLDER = "a placeholder of assay new"


def test_new_control_is_appended_keeping_the_file_and_passes_assay_test(cli, project: Path) -> None:
    file = project / "controls" / "controls.yaml"
    before = file.read_bytes()
    result = cli("new", "control", "ACME-01", "--domain", "cryptography", "--file", "controls/controls.yaml")
    assert result.code == 0, result.err
    after = file.read_bytes()
    assert after.startswith(before)
    assert b"  - id: ACME-01\n" in after[len(before) :]
    tested = cli("test")
    assert tested.code == 0, tested.out + tested.err
    linted = cli("lint")
    assert sum(PLACEHOLDER in line for line in linted.out.splitlines()) == 9


def test_a_filled_in_scaffold_lints_without_placeholders_and_still_passes(cli, project: Path) -> None:
    assert cli("new", "control", "ACME-01", "--domain", "cryptography").code == 0
    file = project / "controls" / "cryptography.yaml"
    assert file.read_text().startswith(
        "# yaml-language-server: $schema=control.schema.json\nschema_version: 2\n"
    )
    filled = file.read_text().replace("item.compliant", "item.enabled").replace("compliant:", "enabled:")
    filled = "\n".join(line.split("  # TODO(assay new)")[0] for line in filled.splitlines()) + "\n"
    file.write_text(filled)
    assert cli("test").code == 0
    assert PLACEHOLDER not in cli("lint").out


def test_new_control_refuses_a_bad_or_taken_id(cli, project: Path) -> None:
    taken = cli("new", "control", "DISK-01", "--domain", "cryptography")
    assert (taken.code, taken.err) == (2, "assay: error: control DISK-01 already exists\n")
    bad = cli("new", "control", "acme1", "--domain", "cryptography")
    assert bad.code == 2
    assert "not a control id" in bad.err
    assert not (project / "controls" / "cryptography.yaml").exists()


def test_new_mapping_extends_a_framework_and_never_overwrites(cli, project: Path) -> None:
    result = cli("new", "mapping", "soc2", "--control", "DISK-01", "--file", "mappings/more.yaml")
    assert result.code == 0, result.err
    text = (project / "mappings" / "more.yaml").read_text()
    assert "framework: soc2\n" in text
    assert "      - control: DISK-01\n" in text
    existing = project / "mappings" / "soc2.yaml"
    before = existing.read_bytes()
    again = cli("new", "mapping", "soc2", "--control", "DISK-01")
    assert again.code == 2
    assert "already exists" in again.err
    assert existing.read_bytes() == before


def test_new_mapping_refuses_unknown_names_with_a_suggestion(cli, project: Path) -> None:
    framework = cli("new", "mapping", "soc3", "--control", "DISK-01", "--file", "mappings/x.yaml")
    assert "unknown framework 'soc3'" in framework.err
    assert "did you mean 'soc2'" in framework.err
    control = cli("new", "mapping", "soc2", "--control", "DISK-1", "--file", "mappings/x.yaml")
    assert "did you mean 'DISK-01'" in control.err
    assert not (project / "mappings" / "x.yaml").exists()
