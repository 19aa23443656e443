"""benchmarks/check_scale.py: every control evaluates on the synthetic evidence (all the catalog is timed)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def check_scale() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_scale", ROOT / "benchmarks" / "check_scale.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_control_errors_or_goes_unassessed_on_the_synthetic_evidence(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bench = check_scale()
    evidence = tmp_path / "evidence"
    scaled = bench.make_evidence(evidence, 80, joins=True)
    assert len(scaled) == 5  # volumes, instances, security groups, the credential report, patch states
    report = tmp_path / "report.json"
    command = bench.command(evidence, report)
    result = cli(*command[command.index("check") :])
    assert result.code in (0, 1), result.err
    assert bench.unevaluated(report) == []
    statuses = {c["control"]: c["status"] for c in json.loads(report.read_text(encoding="utf-8"))["controls"]}
    assert len(statuses) >= 70  # the whole built-in catalog ran
    instances = json.loads((evidence / "aws/ec2/instances.json").read_text(encoding="utf-8"))
    first = instances["Reservations"][0]["Instances"][0]
    assert "PublicIpAddress" not in first  # the AWS CLI omits what an instance does not have
    assert first["InstanceId"].startswith("i-")


def test_the_check_names_a_control_that_stops_early(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    controls = [
        {
            "control": "NET-02",
            "status": "error",
            "reason": "rule instance-private > message: no such overload",
        },
        {"control": "CRYPTO-01", "status": "pass", "reason": None},
        {"control": "PRIV-02", "status": "not_assessed", "reason": "parameter allowed_regions is not set"},
    ]
    report.write_text(json.dumps({"controls": controls}), encoding="utf-8")
    found = check_scale().unevaluated(report)
    assert [line.split()[0] for line in found] == ["NET-02", "PRIV-02"]
    assert check_scale().unevaluated(tmp_path / "missing.json") == ["(no report written)"]
