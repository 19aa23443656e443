"""assay collect, then assay check: the built-in catalog reads collected evidence like exported evidence."""

from __future__ import annotations

import io
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from assay.cli import main
from assay.collect.web import local_support
from assay.loading.builtin import builtin_paths

from .test_aws import seed
from .tls_servers import Certificates


@pytest.mark.skipif(not local_support("TLSv1"), reason="the local OpenSSL cannot offer TLS 1.0 at all")
def test_collect_then_check(
    tmp_path: Path, moto_url: str, modern_url: str, legacy_url: str, certs: Certificates
) -> None:
    ids = seed(moto_url)
    out = tmp_path / "evidence"
    shutil.copytree(builtin_paths().evidence, out)  # the collectors overwrite what they collect
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    aws_args = ["collect", "aws", "--output", str(out), "--endpoint-url", moto_url, "--region", "eu-west-1"]
    assert main(aws_args, **quiet) == 0
    web_args = ["collect", "web", "--output", str(out), "--ca-file", str(certs.ca_file), "--no-cipher-scan"]
    assert main([*web_args, modern_url, f"legacy={legacy_url}"], **quiet) == 0

    report_file = tmp_path / "report.json"
    now = datetime.now(UTC).isoformat()
    stderr = io.StringIO()
    code = main(
        ["check", "--evidence", str(out), "--now", now, "--output", str(report_file)],
        stdout=io.StringIO(),
        stderr=stderr,
    )
    assert code == 1, stderr.getvalue()  # some controls fail, as they should
    report: dict[str, Any] = json.loads(report_file.read_text())
    assert not report["problems"]
    results = {c["control"]: c for c in report["controls"]}

    def failing(control: str) -> list[str]:
        return [f["resource"] for f in results[control]["findings"]]

    assert results["CRYPTO-01"]["status"] == "fail"
    assert failing("CRYPTO-01") == [ids["plain"]]  # the unencrypted volume created in moto
    assert results["CRYPTO-07"]["status"] == "fail"
    legacy_port = legacy_url.rsplit(":", 1)[1]
    assert any(r == f"127.0.0.1:{legacy_port}" for r in failing("CRYPTO-07"))
    modern_port = modern_url.rsplit(":", 1)[1]
    assert all(r != f"127.0.0.1:{modern_port}" for r in failing("CRYPTO-07"))
    assert results["CRYPTO-09"]["status"] == "pass"  # the app's headers come from the modern server
    assert results["SDLC-05"]["status"] == "pass"
    assert results["VULN-01"]["status"] == "pass"
    assert results["IAM-04"]["status"] == "pass"
    assert results["NET-01"]["status"] == "fail"  # SSH open to the world in moto
    assert not list(out.rglob("*.meta.yaml"))  # the folder has a manifest: entries are updated there
    manifest = yaml.safe_load((out / "assay-manifest.yaml").read_text())["evidence"]
    assert manifest["aws/ec2/volumes.json"]["source"].startswith("aws ec2 describe-volumes --output json for")
    assert "attestations/access_review.yaml" in manifest  # the other entries are kept
    for name in ("aws.ec2.volumes", "scans.testssl"):
        entry = next(e for c in report["controls"] for e in c["evidence"] if e["name"] == name)
        assert entry["collected_at"] is not None
        assert entry["source"]
