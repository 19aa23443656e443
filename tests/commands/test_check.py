"""``assay check``: nothing silent, one vocabulary for options, and config errors before any output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assay.loading.builtin import builtin_paths
from assay.yamlsource import parse_yaml
from tests.commands.conftest import ASSAY_TOML, EVIDENCE, OWN_CONTROL, write, write_evidence

NOW = ("--now", "2026-11-25T00:00:00Z")


def controls_in(report_text: str) -> list[str]:
    return [c["control"] for c in json.loads(report_text)["controls"]]


# --- nothing silent: waivers naming resources nowhere ----------------------------------------------

WAIVER = """\
waivers:
  - control: DISK-01
    resources: [{resource}]
    justification: A scratch disk, replaced next month.
    approver: Dana Whitfield
    ticket: SEC-9
    expires: 2026-12-31
"""


def test_a_waiver_naming_a_resource_nowhere_in_the_evidence_is_a_warning(cli, project: Path) -> None:
    without = cli("check")
    write(project / "waivers.yaml", WAIVER.format(resource="vol-00Z"))
    result = cli("check", "--waivers", "waivers.yaml")
    assert result.code == without.code == 0  # a warning, not a failure
    assert result.err == (
        "waiver SEC-9 for DISK-01 names resource 'vol-00Z', which appears in none of the control's "
        "evidence; did you mean 'vol-002'?\n"
    )


def test_the_warning_does_not_change_a_failing_exit_code(cli, project: Path) -> None:
    write(
        project / "evidence" / "aws" / "ec2" / "volumes.json",
        EVIDENCE["aws/ec2/volumes.json"].replace(
            '"vol-002", "Encrypted": true', '"vol-002", "Encrypted": false'
        ),
    )
    without = cli("check", "--format", "json")
    write(project / "waivers.yaml", WAIVER.format(resource="vol-02"))
    result = cli("check", "--format", "json", "--waivers", "waivers.yaml")
    assert result.code == without.code == 1
    assert "waiver SEC-9 for DISK-01 names resource 'vol-02'" in result.err
    assert json.loads(result.out)["summary"] == json.loads(without.out)["summary"]


def test_a_waiver_naming_a_resource_in_the_evidence_gives_no_warning(cli, project: Path) -> None:
    write(project / "waivers.yaml", WAIVER.format(resource="vol-002"))
    result = cli("check", "--waivers", "waivers.yaml")
    assert (result.code, result.err) == (0, "")


# --- nothing silent: evidence no control reads -----------------------------------------------------


def test_evidence_no_control_reads_is_listed_on_stderr_and_in_the_report(cli, project: Path) -> None:
    write_evidence(
        project / "evidence",
        {**EVIDENCE, "aws/ec2/snapshots.json": '{"Snapshots": []}', "github/repos.json": "[]"},
    )
    result = cli("check", "--format", "json")
    assert result.code == 0
    assert result.err == "evidence that no control reads: aws.ec2.snapshots, github.repos\n"
    assert json.loads(result.out)["unused_evidence"] == ["aws.ec2.snapshots", "github.repos"]


def test_no_unused_evidence_no_notice(cli, project: Path) -> None:
    result = cli("check", "--format", "json")
    assert (result.code, result.err) == (0, "")
    assert json.loads(result.out)["unused_evidence"] == []


# --- nothing silent: unknown names ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["explain", "CRYPT-01"], "assay: error: unknown control 'CRYPT-01'; did you mean 'CRYPTO-01'?"),
        (["check", "--framework", "soc"], "assay: error: unknown framework 'soc'; did you mean 'soc2'?"),
        (
            ["check", "-k", "CC6.99"],
            "assay: error: 'CC6.99' is neither a control id nor a requirement id; did you mean 'CC6.8'?",
        ),
        (
            ["check", "-k", "CRYPTO-1"],
            "assay: error: 'CRYPTO-1' is neither a control id nor a requirement id; "
            "did you mean 'CRYPTO-01'?",
        ),
        (
            ["check", "-k", "cc6.1"],
            "assay: error: 'cc6.1' is neither a control id nor a requirement id; did you mean 'CC6.1'?",
        ),
        (["check", "--format", "jsn"], "assay check: error: unknown format 'jsn'; did you mean 'json'?"),
    ],
    ids=["control", "framework", "requirement", "selector-zeros", "selector-case", "format"],
)
def test_an_unknown_name_exits_2_with_a_suggestion(cli, nowhere: Path, argv: list[str], message: str) -> None:
    result = cli(*argv, *NOW)
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"{message}\n"


def test_unknown_names_in_a_project_of_its_own(cli, project: Path) -> None:
    result = cli("explain", "DISK-1")
    assert (result.code, result.err) == (
        2,
        "assay: error: unknown control 'DISK-1'; did you mean 'DISK-01'?\n",
    )
    result = cli("check", "--framework", "iso27000")
    assert (result.code, result.err) == (
        2,
        "assay: error: unknown framework 'iso27000'; did you mean 'iso27001'?\n",
    )


# --- one vocabulary: --output and --format ------------------------------------------------------------


def test_output_writes_the_report_in_the_format_of_its_extension(cli, project: Path) -> None:
    result = cli("check", "--output", "report.json")
    assert result.code == 0
    assert result.out == ""
    assert result.err == "assay check: wrote json report to report.json\n"
    assert controls_in((project / "report.json").read_text(encoding="utf-8")) == [
        "DISK-01",
        "KEYS-01",
        "NET-01",
    ]


def test_out_is_a_deprecated_alias_of_output(cli, project: Path) -> None:
    result = cli("check", "--out", "report.md")
    assert result.code == 0
    assert result.err == (
        "assay check: warning: --out is deprecated; use --output\n"
        "assay check: wrote markdown report to report.md\n"
    )
    assert (project / "report.md").read_text(encoding="utf-8").startswith("#")


def test_an_output_extension_no_renderer_writes_exits_2_and_writes_nothing(cli, project: Path) -> None:
    before = sorted(p.name for p in project.iterdir())
    result = cli("check", "--output", "report.pdf")
    assert result.code == 2
    assert result.out == ""
    assert result.err == (
        "assay check: error: no renderer writes 'report.pdf': give --format, or an extension of "
        ".csv, .html, .json, .md, .oscal.json, .sarif, .txt, .xml\n"
    )
    assert sorted(p.name for p in project.iterdir()) == before


def test_format_wins_over_the_extension(cli, project: Path) -> None:
    result = cli("check", "--output", "report.pdf", "--format", "json")
    assert result.code == 0
    assert controls_in((project / "report.pdf").read_text(encoding="utf-8")) == [
        "DISK-01",
        "KEYS-01",
        "NET-01",
    ]


# --- one vocabulary: -k / --control selects by control id or any framework's requirement id ------


def mapped_to(framework: str, requirement: str) -> set[str]:
    """The built-in controls the built-in mapping file maps to ``requirement`` or a requirement under it."""
    builtin = builtin_paths()
    catalog = parse_yaml((builtin.frameworks / f"{framework}.yaml").read_text(encoding="utf-8"), framework)
    wanted = {requirement}
    for entry in catalog.data["requirements"]:  # parents are listed before their children
        if entry.get("parent") in wanted:
            wanted.add(str(entry["id"]))
    mappings = parse_yaml((builtin.mappings / f"{framework}.yaml").read_text(encoding="utf-8"), framework)
    found: set[str] = set()
    for entry in mappings.data["mappings"]:
        if str(entry["requirement"]) in wanted:
            found |= {c if isinstance(c, str) else c["control"] for c in entry["controls"]}
    return found


REQUIREMENTS = [
    ("soc2", "CC6.1"),
    ("iso27001", "A.8.24"),
    ("hipaa", "164.312(a)(2)(iv)"),
    ("pci-dss", "3.5.1"),
    ("gdpr", "Art.32(1)(a)"),
    ("gdpr", "Art.32"),  # a heading: the controls mapped to the requirements under it
]


@pytest.mark.parametrize(("framework", "requirement"), REQUIREMENTS)
def test_k_selects_the_controls_mapped_to_a_requirement(
    cli, nowhere: Path, framework: str, requirement: str
) -> None:
    expected = mapped_to(framework, requirement)
    assert expected  # the built-in mappings do map something there
    result = cli("check", "--format", "json", *NOW, "-k", requirement)
    assert result.code in (0, 1), result.err
    assert set(controls_in(result.out)) == expected


def test_k_and_control_select_by_control_id_and_combine(cli, nowhere: Path) -> None:
    result = cli("check", "--format", "json", *NOW, "-k", "NET-01", "--control", "CRYPTO-01", "-k", "3.5.1")
    assert result.code in (0, 1), result.err
    assert set(controls_in(result.out)) == {"NET-01", "CRYPTO-01"} | mapped_to("pci-dss", "3.5.1")


def test_k_in_a_project_of_its_own(cli, project: Path) -> None:
    assert controls_in(cli("check", "--format", "json", "-k", "A.8.20").out) == ["NET-01"]
    assert controls_in(cli("check", "--format", "json", "-k", "CC6.1").out) == ["DISK-01", "KEYS-01"]
    assert controls_in(cli("check", "--format", "json", "--control", "KEYS-01").out) == ["KEYS-01"]


# --- one vocabulary: --builtin-controls takes one id or domain as well as a list ----------------------


@pytest.mark.parametrize(
    ("value", "builtin"),
    [("CRYPTO-02", {"CRYPTO-02"}), ("CRYPTO-02,CRYPTO-01", {"CRYPTO-01", "CRYPTO-02"})],
)
def test_builtin_controls_option_takes_one_id_or_several(
    cli, project: Path, value: str, builtin: set[str]
) -> None:
    result = cli("check", "--format", "json", "--builtin-controls", value)
    assert result.code in (0, 1), result.err
    assert set(controls_in(result.out)) == {"DISK-01", "KEYS-01", "NET-01"} | builtin


def test_builtin_controls_option_naming_nothing_exits_2(cli, project: Path) -> None:
    result = cli("check", "--builtin-controls", "CRYPTO-1")
    assert result.code == 2
    assert result.err.startswith(
        "assay: error: builtin_controls: 'CRYPTO-1' is neither a built-in control id nor a domain; "
        "did you mean 'CRYPTO-"
    )


def test_own_controls_run_against_the_bundled_example_evidence(cli, nowhere: Path) -> None:
    write(nowhere / "controls" / "own.yaml", OWN_CONTROL)
    result = cli("check", "--format", "json", *NOW, "--controls", "controls", "--builtin-controls", "none")
    assert result.code in (0, 1), result.err
    assert controls_in(result.out) == ["OWN-01"]


# --- one vocabulary: the terminal report follows the terminal's width ---------------------------------


def terminal_lines(cli, monkeypatch: pytest.MonkeyPatch, columns: int) -> list[str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", str(columns))
    result = cli("check", *NOW)
    assert result.code == 1, result.err  # the bundled example has failing controls, long findings
    return result.out.splitlines()


def test_the_terminal_report_wraps_to_columns(cli, nowhere: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    narrow = terminal_lines(cli, monkeypatch, 60)
    assert max(len(line) for line in narrow) <= 60
    wide = terminal_lines(cli, monkeypatch, 140)
    assert max(len(line) for line in wide) > 60
    assert max(len(line) for line in wide) <= 140
    assert len(wide) < len(narrow)


def test_the_terminal_report_is_never_narrower_than_40_columns(
    cli, nowhere: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = terminal_lines(cli, monkeypatch, 20)  # terminal._MIN_WIDTH: narrower stops helping
    assert max(len(line) for line in lines) <= 40
    assert max(len(line) for line in lines) > 20


# --- a broken project config: exit 2, the file:line:col, and nothing written ------------------------


def broken(project: Path, *, toml: str = ASSAY_TOML, soc2: str | None = None) -> None:
    write(project / "assay.toml", toml)
    if soc2 is not None:
        write(project / "mappings" / "soc2.yaml", soc2)


DISK = "{control: DISK-01, coverage: full, rationale: Test.}"
NET = "{control: NET-01, coverage: full, rationale: Test.}"
NOTHING_EVALUATED = "assay check: the inputs have errors; nothing was evaluated\n"
CONFIG_ERRORS = [
    (
        {"soc2": f"framework: soc3\nmappings:\n  - requirement: CC6.1\n    controls: [{DISK}]\n"},
        "mappings/soc2.yaml:1:12: error: framework: framework 'soc3' has no catalog; did you mean 'soc2'?\n",
    ),
    (
        {
            "soc2": f"framework: soc2\nmappings:\n  - requirement: CC6.1\n    controls: [{DISK}]\n"
            f"  - requirement: CC6.66\n    controls: [{NET}]\n"
        },
        "mappings/soc2.yaml:5:18: error: mapping CC6.66 > requirement: requirement 'CC6.66' is not in the "
        "soc2 catalog; did you mean 'CC6.6'?\n",
    ),
    (
        {"toml": ASSAY_TOML + 'builtin_controls = ["CRYPTO-1"]\n'},
        "assay.toml:5:1: error: builtin_controls: builtin_controls: 'CRYPTO-1' is neither a built-in control "
        "id nor a domain; did you mean 'CRYPTO-01'?\n",
    ),
    (
        {"toml": ASSAY_TOML.replace("mappings =", "mapping =")},
        "assay.toml:2:1: error: config > mapping: unknown key 'mapping'; did you mean 'mappings'?\n",
    ),
    (
        {"toml": ASSAY_TOML + "max_evidence_mb = 1.5\n"},
        "assay.toml:5:1: error: config > max_evidence_mb: max_evidence_mb must be a whole number of at "
        "least 1, not 1.5\n",
    ),
    (
        {"toml": ASSAY_TOML.replace('controls = "controls"', "controls = 3")},
        "assay.toml:1:1: error: config > controls: controls must be a path or a non-empty list of paths, "
        "not a number\n",
    ),
    (
        {"toml": ASSAY_TOML + "\n[trust]\nshow_percentages = 'no'\n"},
        "assay.toml:7:1: error: [trust] > show_percentages: trust.show_percentages must be true or false, "
        "not 'no'\n",
    ),
]


@pytest.mark.parametrize(
    ("change", "message"),
    CONFIG_ERRORS,
    ids=["unknown-framework", "unknown-requirement", "builtin-controls", "unknown-key", "wrong-type",
         "wrong-type-path", "wrong-type-trust"],
)  # fmt: skip
def test_a_config_error_exits_2_at_its_position_and_writes_nothing(
    cli, project: Path, change: dict[str, str], message: str
) -> None:
    broken(project, **change)
    result = cli("check", "--output", "out.json")
    assert (result.code, result.out) == (2, "")
    assert result.err == message + NOTHING_EVALUATED
    assert not (project / "out.json").exists()
