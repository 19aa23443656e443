"""``assay fmt``: canonical key order and indentation, comments kept; ``--check`` for CI; pre-commit hooks."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from assay.commands import HELPS, build_parser

ROOT = Path(__file__).resolve().parents[2]
# Built-in files fmt would still change, reported to the lead (they put `parameters` before `rules`):
# run `assay fmt examples/acme` and empty this set.

MESSY = """\
# yaml-language-server: $schema=waiver.schema.json
waivers:
# the HSM one
- expires: 2026-12-01
  ticket: 'SEC-1'   # in Jira
  control: KEYS-01
  justification: >-
    The key lives in the old HSM
    until the migration.
  approver: CISO
"""
TIDY = """\
# yaml-language-server: $schema=waiver.schema.json
waivers:
  # the HSM one
  - control: KEYS-01
    justification: >-
      The key lives in the old HSM
      until the migration.
    approver: CISO
    ticket: 'SEC-1' # in Jira
    expires: 2026-12-01
"""


def test_fmt_orders_keys_and_indents_keeping_comments_and_quotes(cli, project: Path) -> None:
    file = project / "waivers.yaml"
    file.write_text(MESSY)
    result = cli("fmt", "waivers.yaml")
    assert result.code == 0, result.err
    assert file.read_text() == TIDY
    assert cli("fmt", "waivers.yaml").out == "0 of 1 file(s) reformatted\n"


def test_fmt_check_prints_a_diff_exits_1_and_writes_nothing(cli, project: Path) -> None:
    file = project / "waivers.yaml"
    file.write_text(MESSY)
    result = cli("fmt", "--check", "waivers.yaml")
    assert result.code == 1
    assert result.out.startswith("--- a/waivers.yaml\n+++ b/waivers.yaml\n")
    assert "+  - control: KEYS-01\n" in result.out
    assert file.read_text() == MESSY


def test_fmt_formats_the_projects_files_by_default(cli, project: Path) -> None:
    mapping = project / "mappings" / "soc2.yaml"
    before = mapping.read_text()
    mapping.write_text(before.replace("framework: soc2\n", "") + "framework: soc2\n")
    assert cli("fmt", "--check").code == 1
    assert cli("fmt").code == 0
    assert mapping.read_text().startswith("framework: soc2\n")


def test_fmt_refuses_a_file_that_is_not_assays_and_leaves_it_unchanged(cli, project: Path) -> None:
    other = project / "ci.yaml"
    other.write_text("jobs:\n  build: {runs-on: ubuntu}\n")
    result = cli("fmt", "ci.yaml")
    assert result.code == 2
    assert "ci.yaml:1:1: error: not an assay file that fmt formats" in result.err
    assert other.read_text() == "jobs:\n  build: {runs-on: ubuntu}\n"
    assert cli("fmt", "--skip-other", "ci.yaml").code == 0
    template = project / "stack.yaml"
    template.write_text("Resources:\n  Bucket: !Ref Name\n")
    skipped = cli("fmt", "--skip-other", "stack.yaml", "ci.yaml")
    assert skipped.code == 0
    assert "assay fmt: skipped stack.yaml:2:11: error:" in skipped.err
    assert template.read_text() == "Resources:\n  Bucket: !Ref Name\n"


def test_the_builtin_files_are_formatted() -> None:
    from assay.commands._layout import KINDS, kind_of, reorder
    from assay.roundtrip import read_document, render

    unformatted = set()
    for folder in ("controls", "mappings", "example", "examples"):
        for file in sorted((ROOT / folder).rglob("*.yaml")):
            document = read_document(file)
            kind = kind_of(document.data)
            if kind is None:
                continue
            reorder(document.data, KINDS[kind])
            if render(document, reindent=True) != document.original:
                unformatted.add(file.relative_to(ROOT).as_posix())
    assert not unformatted, sorted(unformatted)


@pytest.mark.parametrize("hook", yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()))
def test_each_pre_commit_hook_runs_a_real_assay_command(hook: dict[str, object]) -> None:
    assert hook["id"] in ("assay-fmt", "assay-lint")
    assert hook["language"] == "python"
    words = shlex.split(str(hook["entry"]))
    assert words[0] == "assay"
    assert words[1] in HELPS
    arguments = [*words[1:], "x.yaml"] if hook.get("pass_filenames", True) else words[1:]
    args = build_parser().parse_args(arguments)
    assert args.command == words[1]
