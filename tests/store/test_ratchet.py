"""``assay check --baseline``: exit 1 only when less compliant than a recorded run or a JSON report."""

from __future__ import annotations

from pathlib import Path

from tests.commands.conftest import EVIDENCE, write, write_evidence
from tests.store.conftest import volumes

NOW = ("--now", "2026-11-25T00:00:00Z")


def with_volumes(root: Path, *encrypted: bool) -> None:
    write_evidence(root / "evidence", {**EVIDENCE, "aws/ec2/volumes.json": volumes(*encrypted)})


def test_known_failures_pass_and_a_new_failing_resource_fails(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    with_volumes(small, True, False)  # a failing estate on day one
    assert cli("check", *NOW, "--record").code == 1
    same = cli("check", *NOW, "--baseline", "last")
    assert same.code == 0
    assert "no worse than the baseline" in same.err
    with_volumes(small, True, False, False)
    worse = cli("check", *NOW, "--baseline", "last")
    assert worse.code == 1
    assert "DISK-01 fails on 2 resources, 1 in " in worse.err
    assert "new vol-003" in worse.err
    with_volumes(small, True, True)
    assert cli("check", *NOW, "--baseline", "last").code == 0  # better is never worse


def test_a_control_that_passed_and_now_fails_and_a_met_requirement_lost_fail(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    recorded = cli("check", *NOW, "--record")
    assert recorded.code == 0
    run_id = recorded.err.split("recorded run ")[1].split()[0]
    write_evidence(small / "evidence", {**EVIDENCE, "aws/ec2/firewall.json": '{"Enabled": false}'})
    result = cli("check", *NOW, "--baseline", run_id)
    assert result.code == 1
    assert f"NET-01 passed in {run_id} and now is fail" in result.err
    assert f"soc2 CC6.6 was met in {run_id} and now is not_met" in result.err


def test_the_baseline_may_be_a_json_report_file(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    with_volumes(small, False, False)
    assert cli("check", *NOW, "--output", "baseline.json").code == 1
    assert cli("check", *NOW, "--baseline", "baseline.json").code == 0
    write_evidence(
        small / "evidence",
        {
            **EVIDENCE,
            "aws/ec2/volumes.json": volumes(False, False),
            "aws/kms/rotation.json": '{"Keys": [{"KeyId": "key-1", "Rotation": false}]}',
        },
    )
    assert cli("check", *NOW, "--baseline", "baseline.json").code == 1


def test_a_bad_baseline_is_a_clear_error(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    recorded = cli("check", *NOW, "--record")
    run_id = recorded.err.split("recorded run ")[1].split()[0]
    typo = run_id[:-2] + "zz"
    missing = cli("check", *NOW, "--baseline", typo)
    assert missing.code == 2
    assert f"no run {typo!r}; did you mean {run_id!r}?" in missing.err
    write(small / "not-a-report.json", '{"controls": 3}')
    bad = cli("check", *NOW, "--baseline", "not-a-report.json")
    assert bad.code == 2
    assert "not-a-report.json: not an assay JSON gap report" in bad.err
    absent = cli("check", *NOW, "--baseline", "absent.json")
    assert absent.code == 2
    assert "absent.json: cannot read the baseline" in absent.err
