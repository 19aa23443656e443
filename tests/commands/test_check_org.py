"""Organisation runs: one evidence folder per account, one report, the same verdicts as one check each.

The accounts are the command tests' small project (tests/commands/conftest.py) with evidence written
per account: one passing, one with an unencrypted volume, one whose manifest is broken.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.errors import ConfigError
from assay.executor import SerialExecutor
from assay.loaded_project import load_project
from assay.org import find_accounts, run_organisation
from assay.pipeline import run
from assay.project import resolve_project
from assay.schemas import shipped_path
from tests.commands.conftest import EVIDENCE, write, write_evidence

PASSING = "111111111111"
FAILING = "222222222222"
BROKEN = "333333333333"
UNENCRYPTED = EVIDENCE["aws/ec2/volumes.json"].replace(
    '"vol-002", "Encrypted": true', '"vol-002", "Encrypted": false'
)


def make_org(root: Path, *, broken: bool = True) -> Path:
    write_evidence(root / PASSING, EVIDENCE)
    write_evidence(root / FAILING, {**EVIDENCE, "aws/ec2/volumes.json": UNENCRYPTED})
    if broken:
        write_evidence(root / BROKEN, EVIDENCE)
        write(root / BROKEN / "assay-manifest.yaml", "evidence: [\n")
    return root


@pytest.fixture
def org(project: Path) -> Path:
    return make_org(project / "org")


def org_json(cli, *options: str) -> tuple[int, dict]:  # type: ignore[no-untyped-def]
    result = cli("check", "--evidence-root", "org", "--format", "json", *options)
    assert result.code in (0, 1), result.err
    return result.code, json.loads(result.out)


# --- the report -------------------------------------------------------------------------------------


def test_one_report_with_every_account_and_the_organisation_summary(cli, org: Path) -> None:
    code, report = org_json(cli, "--jobs", "1")
    assert code == 1
    assert report["kind"] == "organisation"
    assert report["summary"] == {
        "accounts": 3,
        "evaluated": 2,
        "passing": 1,
        "failing": 1,
        "not_evaluated": 1,
    }
    accounts = {a["account"]: a for a in report["accounts"]}
    assert list(accounts) == [PASSING, FAILING, BROKEN]
    assert accounts[PASSING]["failing"] is False
    assert accounts[FAILING]["failing"] is True
    disk = next(c for c in accounts[FAILING]["controls"] if c["control"] == "DISK-01")
    assert disk["status"] == "fail"
    assert [f["resource"] for f in disk["findings"]] == ["vol-002"]
    controls = {c["control"]: c for c in report["controls"]}
    assert controls["DISK-01"]["counts"]["pass"] == 1
    assert controls["DISK-01"]["counts"]["fail"] == 1
    assert controls["DISK-01"]["counts"]["not_evaluated"] == 1
    assert controls["DISK-01"]["failing_accounts"] == [FAILING]
    assert controls["NET-01"]["counts"]["pass"] == 2
    assert controls["NET-01"]["failing_accounts"] == []
    soc2 = next(f for f in report["frameworks"] if f["key"] == "soc2")
    rows = {r["id"]: r for r in soc2["requirements"]}
    assert rows["CC6.1"]["met"] == 1
    assert rows["CC6.1"]["not_met_accounts"] == [FAILING]
    assert rows["CC6.6"]["met"] == 2
    assert rows["CC6.6"]["counts"]["not_evaluated"] == 1


def test_each_account_has_exactly_the_results_of_its_own_check(cli, org: Path) -> None:
    _, report = org_json(cli, "--jobs", "1")
    for account in (PASSING, FAILING):
        single = cli("check", "--evidence", f"org/{account}", "--format", "json")
        alone = json.loads(single.out)
        entry = next(a for a in report["accounts"] if a["account"] == account)
        assert entry["summary"] == alone["summary"]
        expected = [
            {
                "control": c["control"],
                "status": c["status"],
                "reason": c["reason"],
                "findings": c["findings"],
                "findings_total": len(c["findings"]),
            }
            for c in alone["controls"]
        ]
        assert entry["controls"] == expected
        frameworks = [
            {"key": f["key"], "counts": f["counts"], "share_met": f["share_met"]} for f in alone["frameworks"]
        ]
        assert entry["frameworks"] == frameworks


def test_an_account_whose_evidence_cannot_load_is_reported_and_the_others_still_run(cli, org: Path) -> None:
    result = cli("check", "--evidence-root", "org", "--format", "json", "--jobs", "1")
    broken = next(a for a in json.loads(result.out)["accounts"] if a["account"] == BROKEN)
    assert broken["evaluated"] is False
    assert broken["error"].startswith(f"org/{BROKEN}/assay-manifest.yaml:2:1: error:")
    assert f"account {BROKEN} not evaluated: org/{BROKEN}/assay-manifest.yaml:2:1" in result.err
    assert "Traceback" not in result.err


def test_a_broken_evidence_file_is_an_error_of_its_controls_in_that_account_only(cli, org: Path) -> None:
    write(org / PASSING / "aws" / "kms" / "rotation.json", '{"Keys": [')
    _, report = org_json(cli, "--jobs", "1")
    controls = {c["control"]: c for c in report["controls"]}
    assert controls["KEYS-01"]["counts"]["error"] == 1
    assert controls["KEYS-01"]["counts"]["pass"] == 1
    assert controls["KEYS-01"]["failing_accounts"] == [PASSING]


def test_exit_code_0_when_every_account_passes(cli, project: Path) -> None:
    write_evidence(project / "org" / "a", EVIDENCE)
    write_evidence(project / "org" / "b", EVIDENCE)
    result = cli("check", "--evidence-root", "org")
    assert result.code == 0, result.err
    assert "Accounts: 2 · passing 2 · failing 0 · not evaluated 0" in result.out


def test_fail_on_decides_which_accounts_fail(cli, org: Path) -> None:
    (org / BROKEN / "assay-manifest.yaml").unlink()
    write_evidence(org / BROKEN, EVIDENCE)
    assert cli("check", "--evidence-root", "org").code == 1  # DISK-01 is high
    assert cli("check", "--evidence-root", "org", "--fail-on", "critical").code == 0


def test_the_json_report_validates_against_the_shipped_schema(cli, org: Path) -> None:
    _, report = org_json(cli, "--jobs", "1")
    schema = json.loads(shipped_path("org-report").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)


def test_local_processes_give_the_report_of_one_process(cli, org: Path) -> None:
    serial = cli(
        "check", "--evidence-root", "org", "--format", "json", "--jobs", "1", "--now", "2026-11-25T00:00:00Z"
    )
    parallel = cli(
        "check", "--evidence-root", "org", "--format", "json", "--jobs", "2", "--now", "2026-11-25T00:00:00Z"
    )
    assert parallel.out == serial.out
    assert parallel.code == serial.code == 1


def test_a_dask_local_cluster_gives_the_report_of_local_processes(cli, org: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = cli("check", "--evidence-root", "org", "--format", "json", "--jobs", "2")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    try:
        dask = cli(
            "check", "--evidence-root", "org", "--format", "json", "--executor", "dask",
            "--scheduler", cluster.scheduler_address,
        )  # fmt: skip
    finally:
        cluster.close()
    assert dask.code == local.code == 1, dask.err
    assert dask.out == local.out
    assert json.loads(dask.out)["summary"]["evaluated"] == 2


# --- the accounts under the root --------------------------------------------------------------------


def test_links_leading_outside_the_root_are_refused_never_read(cli, org: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    write_evidence(
        outside, {**EVIDENCE, "aws/ec2/volumes.json": UNENCRYPTED.replace("vol-002", "vol-SECRET")}
    )
    (org / "444444444444").symlink_to(outside, target_is_directory=True)
    (org / "555555555555").symlink_to(org.resolve(), target_is_directory=True)  # the root itself
    (org / "666666666666").symlink_to(org / PASSING, target_is_directory=True)  # inside: fine
    result = cli("check", "--evidence-root", "org", "--format", "json", "--jobs", "1")
    accounts = {a["account"]: a for a in json.loads(result.out)["accounts"]}
    for refused in ("444444444444", "555555555555"):
        assert accounts[refused]["evaluated"] is False
        assert accounts[refused]["error"] == "a link leading outside the evidence root: refused"
    assert accounts["666666666666"]["evaluated"] is True
    assert "vol-SECRET" not in result.out
    assert result.code == 1


def test_hidden_folders_and_files_at_the_root_are_not_accounts(tmp_path: Path) -> None:
    write_evidence(tmp_path / "acct", EVIDENCE)
    write_evidence(tmp_path / ".cache", EVIDENCE)
    write(tmp_path / "README.md", "# accounts\n")
    assert [a.name for a in find_accounts(tmp_path)] == ["acct"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root.mkdir(), "no account folders in it"),
        (lambda root: write(root, "not a folder\n"), "not a folder: --evidence-root takes a folder"),
        (lambda root: None, "no such folder"),
        (lambda root: write_evidence(root, EVIDENCE), "is one evidence folder (it has assay-manifest.yaml)"),
        (lambda root: (root.mkdir(), write(root / ".hidden" / "x.json", "{}")), "no account folders in it"),
    ],
)
def test_a_root_that_holds_no_accounts_is_a_usage_error(cli, project: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    make(project / "org")
    result = cli("check", "--evidence-root", "org")
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert "Traceback" not in result.err


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--evidence", "evidence"), "--evidence cannot be used with --evidence-root"),
        (("--baseline", "last"), "--baseline cannot be used with --evidence-root"),
        (("--record",), "--record cannot be used with --evidence-root"),
        (
            ("--format", "sarif"),
            "the organisation report is written as terminal (.txt), json (.json), markdown (.md)",
        ),
        (("--output", "report.sarif"), "the organisation report is written as"),
        (("--executor", "spark"), "invalid choice: 'spark'"),
        (("--jobs", "0"), "must be a whole number of at least 1"),
    ],
)
def test_options_that_do_not_fit_an_organisation_run_are_usage_errors(
    cli, org: Path, options, message: str
) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--evidence-root", "org", *options)
    assert result.code == 2
    assert message in result.err


def test_executor_and_scheduler_need_an_evidence_root(cli, project: Path) -> None:
    for options in (("--executor", "dask"), ("--scheduler", "tcp://127.0.0.1:8786")):
        result = cli("check", *options)
        assert result.code == 2
        assert "--executor and --scheduler go with --evidence-root" in result.err


def test_controls_that_fail_lint_stop_the_run_before_any_account_is_read(
    cli, org: Path, project: Path
) -> None:
    controls = project / "controls" / "controls.yaml"
    controls.write_text(
        controls.read_text(encoding="utf-8").replace("item.Rotation == true", "item.Rotation ==="),
        encoding="utf-8",
    )
    (org / BROKEN / "assay-manifest.yaml").unlink()  # the broken account would be reported otherwise
    result = cli("check", "--evidence-root", "org")
    assert result.code == 2
    assert "controls/controls.yaml" in result.err
    assert result.out == ""


def test_output_writes_the_format_its_extension_names(cli, org: Path, project: Path) -> None:
    assert cli("check", "--evidence-root", "org", "--output", "org.md", "--jobs", "1").code == 1
    text = (project / "org.md").read_text(encoding="utf-8")
    assert text.startswith("# assay organisation report\n")
    assert f"## Account {FAILING}" in text
    assert "vol-002" in text


# --- the same verdicts as a check per account, on random evidence -----------------------------------

volumes = st.lists(
    st.fixed_dictionaries(
        {
            "VolumeId": st.from_regex(r"vol-[0-9a-f]{3}", fullmatch=True),
            "Encrypted": st.booleans() | st.none(),
        }
    ),
    max_size=4,
)


# The project fixture is only read: every example writes its accounts in a folder of its own.
@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(accounts=st.lists(st.tuples(volumes, st.booleans()), min_size=1, max_size=3))
def test_organisation_verdicts_are_those_of_one_check_per_account(project: Path, accounts: list) -> None:  # type: ignore[type-arg]
    config = resolve_project()
    with tempfile.TemporaryDirectory(dir=project) as folder:
        root = Path(folder)
        for number, (found, rotated) in enumerate(accounts):
            write_evidence(
                root / f"acct-{number}",
                {
                    **EVIDENCE,
                    "aws/ec2/volumes.json": json.dumps({"Volumes": found}),
                    "aws/kms/rotation.json": json.dumps({"Keys": [{"KeyId": "k", "Rotation": rotated}]}),
                },
            )
        report = run_organisation(config, root, SerialExecutor())
        for number, entry in enumerate(report.accounts):
            single = run(
                load_project(project=resolve_project(options={"evidence": (root / f"acct-{number}", "test")}))
            )
            assert [(c.control, c.status, c.findings) for c in entry.controls] == [
                (c.control, c.status, c.findings) for c in single.report.controls
            ]
            assert entry.failing == any(c.status.value in ("fail", "error") for c in single.report.controls)


def test_the_library_refuses_a_root_that_is_no_folder(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such folder"):
        run_organisation(resolve_project(start=tmp_path), tmp_path / "missing", SerialExecutor())
    assert not os.path.exists(tmp_path / "missing")


def test_k_selects_controls_in_every_account(cli, org: Path) -> None:
    _, report = org_json(cli, "--jobs", "1", "-k", "CC6.6")
    assert [c["control"] for c in report["controls"]] == ["NET-01"]
    evaluated = [a for a in report["accounts"] if a["evaluated"]]
    assert [[c["control"] for c in a["controls"]] for a in evaluated] == [["NET-01"], ["NET-01"]]
    assert report["summary"]["passing"] == 2  # the failing volume is not among the selected controls
    unknown = cli("check", "--evidence-root", "org", "-k", "NOPE-99")
    assert unknown.code == 2
    assert "NOPE-99" in unknown.err


def test_an_account_keeps_its_first_findings_and_counts_them_all(
    cli, org: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assay import org as organisation

    write(
        org / FAILING / "aws" / "ec2" / "volumes.json",
        UNENCRYPTED.replace('"vol-001", "Encrypted": true', '"vol-001", "Encrypted": false'),
    )
    monkeypatch.setattr(organisation, "MAX_FINDINGS", 1)
    _, report = org_json(cli, "--jobs", "1")
    failing = next(a for a in report["accounts"] if a["account"] == FAILING)
    disk = next(c for c in failing["controls"] if c["control"] == "DISK-01")
    assert [f["resource"] for f in disk["findings"]] == ["vol-001"]
    assert disk["findings_total"] == 2
