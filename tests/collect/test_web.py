"""assay collect web against real TLS servers on 127.0.0.1 (throwaway certificates)."""

from __future__ import annotations

import functools
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import assay
from assay.cli import main
from assay.collect.web import local_support
from assay.evidence import load_evidence_dir

from .tls_servers import GOOD_HEADERS, Certificates, make_certificates, tls_server


def collect(out: Path, *args: str) -> tuple[int, str]:
    stdout = io.StringIO()
    code = main(["collect", "web", "--output", str(out), *args], stdout=stdout, stderr=io.StringIO())
    return code, stdout.getvalue()


def findings(out: Path) -> dict[tuple[str, str], dict[str, str]]:
    return {(f["port"], f["id"]): f for f in json.loads((out / "scans" / "testssl.json").read_text())}


@functools.cache
def catalog() -> assay.Catalog:
    return assay.builtin_catalog()


def statuses(out: Path, *controls: str) -> list[str]:
    run = assay.evaluate(catalog(), load_evidence_dir(out), now=datetime.now(UTC))
    return [run.result(control).status.value for control in controls]


def test_modern_server_passes_tls_headers_and_security_txt(
    out: Path, modern_url: str, certs: Certificates
) -> None:
    code, summary = collect(out, modern_url, "--ca-file", str(certs.ca_file))
    assert code == 0, summary
    port = modern_url.rsplit(":", 1)[1]
    found = findings(out)
    assert found[(port, "TLS1_2")]["finding"] == "offered"
    assert found[(port, "TLS1_3")]["finding"] == "offered"
    assert found[(port, "TLS1")]["finding"] == "not offered"
    assert found[(port, "cert_chain_of_trust")]["finding"] == "passed."
    assert found[(port, "overall_grade")]["finding"] == "A+"
    headers = json.loads((out / "web" / "headers" / "app.json").read_text())
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["set-cookie"].startswith("session=[REDACTED];")
    assert (out / "web" / "security_txt.txt").read_text().startswith("Contact: mailto:")
    assert statuses(out, "CRYPTO-07", "CRYPTO-09", "SDLC-05", "VULN-01") == ["pass"] * 4


@pytest.mark.skipif(not local_support("TLSv1"), reason="the local OpenSSL cannot offer TLS 1.0 at all")
def test_legacy_server_fails_tls_and_headers(out: Path, legacy_url: str, certs: Certificates) -> None:
    code, summary = collect(out, legacy_url, "--ca-file", str(certs.ca_file), "--no-cipher-scan")
    assert code == 1  # no security.txt
    assert "FAILED  web/security_txt.txt" in summary
    assert "HTTP 404" in summary
    port = legacy_url.rsplit(":", 1)[1]
    found = findings(out)
    assert found[(port, "TLS1")]["finding"] == "offered (deprecated)"
    assert found[(port, "overall_grade")]["finding"] == "B"
    assert statuses(out, "CRYPTO-07", "CRYPTO-09", "SDLC-05", "VULN-01") == [
        "fail",
        "fail",
        "fail",
        "not_assessed",
    ]


def test_untrusted_certificate_is_reported_not_ignored(out: Path, modern_url: str) -> None:
    code, summary = collect(out, modern_url, "--no-cipher-scan")  # the test CA is not trusted
    assert code == 1
    assert "FAILED  web/headers/app.json" in summary
    assert "CERTIFICATE_VERIFY_FAILED" in summary
    port = modern_url.rsplit(":", 1)[1]
    chain = findings(out)[(port, "cert_chain_of_trust")]
    assert chain["severity"] == "CRITICAL"
    assert chain["finding"].startswith("failed (")
    assert findings(out)[(port, "overall_grade")]["finding"] == "F"
    assert statuses(out, "CRYPTO-07") == ["fail"]


def test_rejects_non_https_urls(out: Path) -> None:
    stderr = io.StringIO()
    code = main(
        ["collect", "web", "--output", str(out), "http://example.test"], stdout=io.StringIO(), stderr=stderr
    )
    assert code == 2
    assert "is not an https:// URL" in stderr.getvalue()


def test_expired_certificate_is_critical_and_graded_f(out: Path, tmp_path: Path) -> None:
    expired = make_certificates(tmp_path / "expired", days=-2)
    with tls_server(expired, legacy=False, headers=GOOD_HEADERS, security=None) as url:
        collect(out, url, "--ca-file", str(expired.ca_file), "--no-cipher-scan")
    port = url.rsplit(":", 1)[1]
    found = findings(out)
    assert found[(port, "cert_expirationStatus")] == {
        "id": "cert_expirationStatus",
        "ip": "127.0.0.1/127.0.0.1",
        "port": port,
        "severity": "CRITICAL",
        "finding": "expired",
    }
    assert found[(port, "overall_grade")]["finding"] == "F"
    assert statuses(out, "CRYPTO-07") == ["fail"]
