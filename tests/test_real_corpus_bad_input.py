"""Issue #16, bad input: real exports broken the ways real files break, built here from the corpus.

For one file of each tool family: the file cut in half, with one field of the wrong type, with an
unexpected extra field, and empty. Each gives a short error or the right verdict: never a traceback,
never the file quoted back.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import pytest

from assay.error_text import SCHEMA_PROBLEM_MAX
from assay.model import ControlStatus
from assay.results import ControlResult
from tests.test_real_corpus import CORPUS, entry_for, expectation, judge

EXTRA = "assay_unexpected_field"


@dataclass(frozen=True)
class Family:
    """Where to break one file: the field given the wrong type (a JSON path, a CSV column or a
    security.txt field), the object that gets an extra field, and the verdict a wrong type must give."""

    wrong: tuple[Any, ...]
    extra: tuple[Any, ...]
    verdict: ControlStatus | dict[str, ControlStatus]


ERROR = ControlStatus.ERROR
FAMILIES: dict[str, Family] = {
    "aws/ec2-describe-volumes.cli-v2.json": Family(("Volumes", 1, "Encrypted"), ("Volumes", 1), ERROR),
    # mfa_active "maybe" does not show MFA: IAM-02 fails the user; IAM-03 does not read the column.
    "aws/iam-credential-report.lowercase.csv": Family(
        ("mfa_active",), (), {"IAM-02": ControlStatus.FAIL, "IAM-03": ControlStatus.PASS}
    ),
    "github/branch-protection.2025.json": Family(
        ("example-org/api", "enforce_admins", "enabled"), ("example-org/api",), ERROR
    ),
    "github/org-dependabot-alerts.2025.json": Family((0, "security_advisory", "severity"), (0,), ERROR),
    "sarif/codeql-2.19-critical.sarif": Family(("runs", 0, "results"), ("runs", 0, "results", 0), ERROR),
    "sarif/trivy-0.56.sarif": Family(
        ("runs", 0, "results", 0, "level"), ("runs", 0, "tool", "driver"), ERROR
    ),
    "tls/testssl-3.2-jsonfile.json": Family((7, "finding"), (7,), ERROR),
    "tls/testssl-3.2-jsonfile-pretty.legacy.json": Family(
        ("scanResult", 0, "port"), ("scanResult", 0), ERROR
    ),
    "tls/sslyze-6.0.json": Family(("server_scan_results",), (), ERROR),
    "web/observatory-v1-getScanHeaders.json": Family(("Strict-Transport-Security",), (), ERROR),
    "web/security-txt.crlf.txt": Family(("Expires",), (), ControlStatus.FAIL),
    "idp/google-admin-directory-users-list.json": Family(
        ("users", 1, "isEnrolledIn2Sv"), ("users", 1), ERROR
    ),
    "idp/okta-user-roles.2025.json": Family(
        ("build-bot@acme-ledger.example",), ("helpdesk@acme-ledger.example", 0), ERROR
    ),
}


def other_type(value: Any) -> Any:
    """A value of another JSON type than ``value``."""
    if isinstance(value, bool):
        return "yes"
    if isinstance(value, int | float):
        return "7"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return "not a list"
    return ["not", "an", "object"]


def json_variant(raw: bytes, family: Family, kind: str) -> bytes:
    changed = json.loads(raw)
    if kind == "wrong_type":
        parent = changed
        for key in family.wrong[:-1]:
            parent = parent[key]
        parent[family.wrong[-1]] = other_type(parent[family.wrong[-1]])
    else:  # an extra field, as a newer version of the tool would add one
        target = changed
        for key in family.extra:
            target = target[key]
        target[EXTRA] = "added in a later version"
    return json.dumps(changed, indent=2).encode()


def csv_variant(raw: bytes, column: str, kind: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(raw.decode())))
    out = io.StringIO()
    fields = [*rows[0], *([EXTRA] if kind == "extra_field" else [])]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        if kind == "wrong_type":
            row[column] = "maybe"
        else:
            row[EXTRA] = "later column"
        writer.writerow(row)
    return out.getvalue().encode()


def text_variant(raw: bytes, field: str, kind: str) -> bytes:
    lines = raw.decode().splitlines(keepends=True)
    if kind == "extra_field":
        return b"".join(line.encode() for line in lines) + b"X-Unexpected-Field: yes\r\n"
    changed = [f"{field}: next year\r\n" if line.startswith(f"{field}:") else line for line in lines]
    return "".join(changed).encode()


def variant(file: str, kind: str) -> bytes:
    raw = (CORPUS / file).read_bytes()
    if kind == "truncated":
        return raw[: len(raw) // 2]
    if kind == "empty":
        return b""
    family = FAMILIES[file]
    if file.endswith(".csv"):
        return csv_variant(raw, family.wrong[0], kind)
    if file.endswith(".txt"):
        return text_variant(raw, family.wrong[0], kind)
    return json_variant(raw, family, kind)


def assert_short_and_unquoted(result: ControlResult, raw: bytes, file: str) -> None:
    """The result explains itself briefly and never hands the file back."""
    told = [result.reason or "", *result.errors]
    for text in told:
        assert len(text) <= 400, (file, text)
        for line in raw.decode(errors="replace").splitlines():
            if len(line.strip()) >= 40:
                assert line.strip() not in text, (file, text)
    if "has the wrong shape: " in (result.reason or ""):
        assert len(str(result.reason).split("has the wrong shape: ", 1)[1]) <= SCHEMA_PROBLEM_MAX


CASES = [(file, kind) for file in FAMILIES for kind in ("truncated", "wrong_type", "extra_field", "empty")]


@pytest.mark.parametrize(("file", "kind"), CASES, ids=[f"{f}-{k}" for f, k in CASES])
def test_bad_input_gives_a_short_error_or_the_right_verdict(file: str, kind: str) -> None:
    entry = entry_for(file)
    raw = variant(file, kind)
    results = judge(entry, raw)  # never raises: every problem becomes a result
    for control, value in entry["expect"].items():
        result = results[control]
        assert_short_and_unquoted(result, raw, file)
        context = (file, kind, control, result.status, result.reason)
        if kind == "extra_field":  # tools add fields over time: the verdict does not change
            assert result.status is ControlStatus(expectation(value)["status"]), context
        elif kind == "wrong_type":
            verdict = FAMILIES[file].verdict
            assert result.status is (verdict[control] if isinstance(verdict, dict) else verdict), context
        elif kind == "truncated" and file.endswith((".json", ".sarif")):
            assert result.status is ControlStatus.ERROR, context
            assert "invalid JSON" in (result.reason or ""), context
            assert f"evidence/{file}:" in (result.reason or ""), context  # the file, its line and column
        elif kind == "empty" and not file.endswith(".txt"):
            assert result.status is ControlStatus.ERROR, context
            if file.endswith(".csv"):  # a header-less, row-less report: how many rows, not which
                assert "fails minItems 1, found 0" in (result.reason or ""), context
        elif kind == "empty":  # an empty security.txt publishes no contact: a failure, not an error
            assert result.status is ControlStatus.FAIL, context


def test_a_25_kb_export_of_the_wrong_shape_gets_a_short_error_that_quotes_none_of_it() -> None:
    # A testssl.sh flat export of 25 KB whose 150th finding has a numeric severity, and an SSLyze
    # export padded to 25 KB given in its place.
    findings = [
        {"id": f"cipher-{n}", "ip": f"host-{n}.example.com/203.0.113.{n % 250}", "port": "443"}
        | {"severity": "OK", "finding": f"TLS_AES_128_GCM_SHA256 offered on endpoint {n} " + "x" * 40}
        for n in range(220)
    ]
    findings[150]["severity"] = 3
    raw = json.dumps(findings, indent=1).encode()
    sslyze = json.loads((CORPUS / "tls/sslyze-6.0.json").read_bytes())
    sslyze["invalid_server_strings"] = [f"unreachable-{n}.example.com:443 " + "y" * 60 for n in range(300)]
    padded = json.dumps(sslyze, indent=1).encode()
    entry = entry_for("tls/testssl-3.2-jsonfile.json")
    for document, words in ((raw, "$[150].severity: is not one of"), (padded, "$: is missing the required")):
        assert len(document) >= 25_000
        result = judge(entry, document)["CRYPTO-07"]
        assert result.status is ControlStatus.ERROR
        assert words in (result.reason or "")
        assert "found integer" in (result.reason or "") or "scanResult" in (result.reason or "")
        assert_short_and_unquoted(result, document, "a 25 KB export")
        assert "example.com" not in (result.reason or "")
