"""``assay migrate``: a mapping file of the first schema becomes the current one, comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from assay.model import SCHEMA_VERSION

# The schema before coverage: bare control ids, and mappings without coverage or rationale.
OLD_MAPPING = """\
# yaml-language-server: $schema=mapping.schema.json
# Agreed with the auditor in 2025: keep these comments.
framework: soc2
mappings:
  - requirement: CC6.1
    controls: [DISK-01, KEYS-01]  # encryption
  - requirement: CC6.6
    controls:
      - {control: NET-01}
"""
REVIEW = "  # assay migrate: review coverage and rationale, then delete this comment"
RATIONALE = "rationale: Not reviewed yet, mapped before coverage existed, so it counts as supporting only."
NEW_MAPPING = f"""\
# yaml-language-server: $schema=mapping.schema.json
# Agreed with the auditor in 2025: keep these comments.
schema_version: {SCHEMA_VERSION}
framework: soc2
mappings:
  - requirement: CC6.1
    controls:                     # encryption
      - control: DISK-01
        coverage: supporting{REVIEW}
        {RATIONALE}
      - control: KEYS-01
        coverage: supporting{REVIEW}
        {RATIONALE}
  - requirement: CC6.6
    controls:
      - control: NET-01
        coverage: supporting{REVIEW}
        {RATIONALE}
"""


@pytest.fixture
def old_mapping(project: Path) -> Path:
    path = project / "mappings" / "soc2.yaml"
    path.write_text(OLD_MAPPING)
    return path


def test_migrate_gives_supporting_coverage_and_a_review_comment(
    cli, project: Path, old_mapping: Path
) -> None:
    result = cli("migrate", "mappings/soc2.yaml")
    assert result.code == 0, result.err
    assert old_mapping.read_text() == NEW_MAPPING
    assert result.out == "mappings/soc2.yaml: migrated to schema_version 2; 3 entries left to review\n"
    again = cli("migrate", "mappings/soc2.yaml")
    assert again.out == "mappings/soc2.yaml: already at the current schema; 3 entries left to review\n"
    assert old_mapping.read_text() == NEW_MAPPING


def test_migrate_dry_run_prints_the_diff_and_writes_nothing(cli, old_mapping: Path) -> None:
    result = cli("migrate", "--dry-run", "mappings/soc2.yaml")
    assert result.code == 0, result.err
    assert "-    controls: [DISK-01, KEYS-01]  # encryption\n" in result.out
    assert f"+schema_version: {SCHEMA_VERSION}\n" in result.out
    assert "would be migrated to schema_version 2; 3 entries left to review" in result.out
    assert old_mapping.read_text() == OLD_MAPPING


def test_lint_warns_on_each_entry_left_to_review(cli, old_mapping: Path) -> None:
    before = cli("lint")
    assert "needs its coverage and rationale" in before.out + before.err
    assert cli("migrate").code == 0
    result = cli("lint")
    warnings = [line for line in result.out.splitlines() if "coverage set by assay migrate" in line]
    assert [w.split(": warning")[0] for w in warnings] == [
        "mappings/soc2.yaml:9:31",
        "mappings/soc2.yaml:12:31",
        "mappings/soc2.yaml:17:31",
    ]
    assert "error" not in result.out


def test_a_schema_version_newer_than_assay_is_an_error_at_its_position(cli, old_mapping: Path) -> None:
    old_mapping.write_text(NEW_MAPPING.replace(f"schema_version: {SCHEMA_VERSION}", "schema_version: 99"))
    result = cli("lint")
    assert "mappings/soc2.yaml:3:17: error: schema_version 99 is newer than this assay reads" in result.out
