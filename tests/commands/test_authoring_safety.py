"""The commands that write people's files refuse bad input with file:line:col, exit 2, and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

GOOD = (
    "waivers:\n  - control: DISK-01\n    justification: x\n    approver: y\n    ticket: T-1\n"
    "    expires: 2026-12-01\n"
)
BAD_FILES = {
    "tabs": (GOOD.replace("  - control", "\t- control").encode(), "waivers.yaml:2:1: error: invalid YAML"),
    "duplicate key": (
        GOOD.replace("    ticket: T-1\n", "    ticket: T-1\n    ticket: T-2\n").encode(),
        "waivers.yaml:6:5: error: duplicate key 'ticket' (first at line 5, column 5)",
    ),
    "invalid UTF-8": (
        GOOD.replace("x", "\udcff", 1).encode("utf-8", "surrogateescape"),
        "waivers.yaml:3:20: error",
    ),
    "anchors": (
        GOOD.replace("approver: y", "approver: &who y\n    ticket2: *who").encode(),
        "waivers.yaml:4:15: error: the anchor &who: files with anchors or aliases are not rewritten",
    ),
}
WAIVE = ("waive", "DISK-01", "--justification", "j", "--approver", "a", "--ticket", "T-9", "--expires", "3d")
COMMANDS = {"fmt": ("fmt", "waivers.yaml"), "migrate": ("migrate", "waivers.yaml"), "waive": WAIVE}


@pytest.fixture
def waivers(project: Path) -> Path:
    with (project / "assay.toml").open("a") as handle:
        handle.write('waivers = "waivers.yaml"\n')
    path = project / "waivers.yaml"
    path.write_text(GOOD)
    return path


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_input_is_refused_at_its_position_and_left_unchanged(
    cli, waivers: Path, command: str, case: str
) -> None:
    data, message = BAD_FILES[case]
    waivers.write_bytes(data)
    result = cli(*COMMANDS[command])
    assert result.code == 2, result.out
    assert message in result.err
    assert waivers.read_bytes() == data


@pytest.mark.parametrize("command", COMMANDS)
def test_a_file_that_is_not_assays_is_refused(cli, waivers: Path, command: str) -> None:
    other = b"jobs:\n  build: {runs-on: ubuntu}\n"
    waivers.write_bytes(other)
    result = cli(*COMMANDS[command])
    assert result.code == 2
    assert "waivers.yaml" in result.err
    assert "not a" in result.err
    assert waivers.read_bytes() == other


@pytest.mark.parametrize("command", COMMANDS)
def test_a_read_only_file_is_refused(cli, waivers: Path, command: str) -> None:
    messy = GOOD.replace("    expires: 2026-12-01\n", "").replace(
        "  - control:", "  - expires: 2026-12-01\n    control:"
    )
    waivers.write_text(messy)
    waivers.chmod(0o444)
    try:
        result = cli(*COMMANDS[command])
    finally:
        waivers.chmod(0o644)
    assert result.code == 2
    assert "waivers.yaml: the file is read-only; nothing was written" in result.err
    assert waivers.read_text() == messy


@pytest.mark.parametrize("command", ["fmt", "migrate"])
def test_a_path_outside_the_project_is_refused(cli, waivers: Path, tmp_path: Path, command: str) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GOOD)
    result = cli(command, str(outside))
    assert result.code == 2
    assert "outside the project folder" in result.err
    assert outside.read_text() == GOOD


@pytest.mark.parametrize("command", ["fmt", "migrate"])
def test_one_bad_file_leaves_every_file_unchanged(cli, waivers: Path, command: str) -> None:
    messy = GOOD.replace("  - control:", "  - ticket: T-0\n    control:").replace("    ticket: T-1\n", "")
    waivers.write_text(messy)
    broken = waivers.with_name("broken.yaml")
    broken.write_text("waivers:\n  - control: A\n    control: B\n")
    result = cli(command, "waivers.yaml", "broken.yaml")
    assert result.code == 2
    assert "broken.yaml:3:5: error: duplicate key 'control'" in result.err
    assert waivers.read_text() == messy
