"""``assay diff`` and ``assay history``: drift between recorded runs, in text, JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

from tests.commands.conftest import EVIDENCE, write_evidence
from tests.store.conftest import volumes

NOW = ("--now", "2026-11-25T00:00:00Z")


def recorded(cli, small: Path, files: dict[str, str], now: str) -> str:  # type: ignore[no-untyped-def]
    write_evidence(small / "evidence", {**EVIDENCE, **files})
    result = cli("check", "--now", now, "--record")
    return str(result.err.split("recorded run ")[1].split()[0])


def two_runs(cli, small: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    a = recorded(cli, small, {"aws/ec2/volumes.json": volumes(True, False)}, "2026-11-24T00:00:00Z")
    b = recorded(
        cli,
        small,
        {"aws/ec2/volumes.json": volumes(False, True), "aws/ec2/firewall.json": '{"Enabled": false}'},
        "2026-11-25T00:00:00Z",
    )
    return a, b


def test_diff_shows_statuses_resources_and_evidence_that_changed(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    a, b = two_runs(cli, small)
    result = cli("diff", a, b, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert {"key": "NET-01", "before": "pass", "after": "fail"} in data["controls"]
    assert {"key": "soc2:CC6.6", "before": "met", "after": "not_met"} in data["requirements"]
    assert data["started_failing"] == {"DISK-01": ["vol-001"], "NET-01": ["rule enabled"]}
    assert data["stopped_failing"] == {"DISK-01": ["vol-002"]}
    assert sorted(e["key"] for e in data["evidence"]) == ["aws.ec2.firewall", "aws.ec2.volumes"]
    text = cli("diff", a, "last").out
    assert "NET-01: pass -> fail" in text
    assert "Resources that started failing: 2" in text
    page = cli("diff", a, b, "--format", "html").out
    assert "<h3>NET-01: pass to fail</h3>" in page
    assert page.count("<svg ") == len(data["controls"])  # a timeline per control that changed
    assert "<td>DISK-01</td><td>vol-001</td>" in page
    assert "http" not in page.replace("http-equiv", "").replace("http://www.w3.org/2000/svg", "")


def test_diff_of_an_unknown_run_says_did_you_mean(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    a, _ = two_runs(cli, small)
    wrong = a[:-1] + ("x" if a[-1] != "x" else "y")
    result = cli("diff", wrong, "last")
    assert result.code == 2
    assert f"did you mean {a!r}?" in result.err


def test_history_lists_every_run_and_draws_a_timeline(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    two_runs(cli, small)
    data = json.loads(cli("history", "NET-01", "--format", "json").out)
    assert [(r["status"], r["failing_resources"]) for r in data["runs"]] == [("pass", 0), ("fail", 1)]
    page = cli("history", "DISK-01", "--format", "html").out
    assert page.count("<rect ") == 2
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page
    assert "#cf222e" in page  # failing runs in red
    unknown = cli("history", "DISK-1")
    assert unknown.code == 2
    assert "did you mean 'DISK-01'?" in unknown.err


def test_history_escapes_what_the_store_holds(cli, small: Path) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    from assay.store.drift import history_html
    from assay.store.records import ControlPoint

    page = history_html(
        "<script>x</script>", [ControlPoint("<b>r</b>", datetime(2026, 1, 1, tzinfo=UTC), "pass", 0)]
    )
    assert "<script>x" not in page
    assert "<b>r" not in page
    from assay.store.drift import diff_html
    from assay.store.records import RunDiff, RunInfo, StatusChange

    def run(run_id: str) -> RunInfo:
        at = datetime(2026, 1, 1, tzinfo=UTC)
        return RunInfo(run_id, at, at, "0.2.0", "1", "<i>hash</i>", "native")

    hostile = StatusChange("<script>c</script>", "pass", "fail")
    diff = RunDiff(run("<b>a</b>"), run("b"), (hostile,), (), {"<img src=x>": ("<u>r</u>",)}, {}, ())
    page = diff_html(diff)
    for raw in ("<script>c", "<b>a", "<img src", "<u>r"):
        assert raw not in page
    assert "&lt;script&gt;c&lt;/script&gt;" in page
