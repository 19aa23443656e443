"""Collectors never write a credential: each runs with a canary credential against a local server that
echoes it back wherever it can (bodies, headers, error messages, next-page links), and the canary
is looked for in every file written and in everything printed."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assay.cli import main

from .conftest import AWS_KEY_ID
from .tls_servers import GOOD_HEADERS, Certificates, security_txt, tls_server

# Long enough to be scrubbed as a known value, shaped like no token pattern: only exact scrubbing or
# the URL and header rules can catch it.
CANARY = "canary-7f3a9c41e2b8d605"


def run(*argv: str) -> tuple[int, str]:
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=stdout, stderr=stderr)
    return code, stdout.getvalue() + stderr.getvalue()


def assert_no_canary(out: Path, printed: str, *canaries: str) -> None:
    files = [f for f in out.rglob("*") if f.is_file()]  # sidecars, manifest and hidden state included
    assert files
    for canary in canaries:
        assert canary not in printed, printed
        for file in files:
            assert canary not in file.read_text(encoding="utf-8", errors="replace"), file


# --- web -----------------------------------------------------------------------------------------


def test_web_never_writes_a_url_password_nor_an_echoed_secret(out: Path, certs: Certificates) -> None:
    headers = {
        **GOOD_HEADERS,
        "Set-Cookie": f"session={CANARY}; Path=/; Secure; HttpOnly",
        "X-Api-Key": CANARY,
        "Location": f"https://deploy:{CANARY}@elsewhere.example/",
    }
    body = security_txt(datetime.now(UTC)) + f"Canonical: https://ops:{CANARY}@example.test/.well-known\n"
    with tls_server(certs, legacy=False, headers=headers, security=body) as url:
        userinfo = url.replace("https://", f"https://auditor:{CANARY}@")
        code, printed = run(
            "collect", "web", "--output", str(out), f"app={userinfo}/?token={CANARY}",
            "--ca-file", str(certs.ca_file), "--no-cipher-scan",
        )  # fmt: skip
    assert code == 0, printed
    assert_no_canary(out, printed, CANARY)
    sidecar = (out / "web" / "headers" / "app.json.meta.yaml").read_text()
    assert "auditor:[REDACTED]@127.0.0.1" in sidecar
    saved = json.loads((out / "web" / "headers" / "app.json").read_text())
    assert saved["set-cookie"] == "session=[REDACTED]; Path=/; Secure; HttpOnly"
    assert saved["x-api-key"] == "[REDACTED]"


def test_web_usage_errors_do_not_print_the_password(out: Path) -> None:
    for url in (f"http://auditor:{CANARY}@example.test/", f"https://auditor:{CANARY}@example.test:99999999/"):
        code, printed = run("collect", "web", "--output", str(out), url)
        assert code == 2, printed
        assert CANARY not in printed
        assert "URL" in printed


# --- GitHub --------------------------------------------------------------------------------------


@pytest.fixture
def echoing_api() -> Iterator[tuple[str, list[str]]]:
    """A GitHub API that echoes the Authorization header back in bodies, headers and errors."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            auth = self.headers.get("Authorization", "")
            seen.append(auth)
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            token = auth.removeprefix("Bearer ")
            status, body, extra = self.route(base, auth, token)
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("X-Echo", auth)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def route(self, base: str, auth: str, token: str) -> tuple[int, Any, dict[str, str]]:
            if self.path == "/orgs/acme":
                return 200, {"login": "acme", "two_factor_requirement_enabled": True, "debug": auth}, {}
            if self.path == "/repos/acme/api":
                security = {"secret_scanning": {"status": "enabled", "note": token}}
                return (
                    200,
                    {"full_name": "acme/api", "default_branch": "main", "security_and_analysis": security},
                    {},
                )
            if self.path.endswith("/protection"):
                return 404, {"message": f"Branch not protected (you sent {auth})"}, {}
            if "dependabot" in self.path:
                return 401, {"message": f"Bad credentials: {token}"}, {}
            if self.path.startswith("/repos/acme/api/code-scanning"):
                link = f'<{base}/next-page?access_token={token}>; rel="next"'
                return 200, [{"number": 1, "rule": {"description": f"token {token} found"}}], {"Link": link}
            return 500, {"message": f"server error for {token}"}, {}

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_github_token_from_any_variable_is_never_written_nor_printed(
    out: Path, echoing_api: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    base, seen = echoing_api
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("ACME_GH", CANARY)  # a name that does not look like a credential's
    code, printed = run(
        "collect", "github", "--output", str(out), "--api-url", base, "--token-env", "ACME_GH",
        "--repo", "acme/api", "--org", "acme",
    )  # fmt: skip
    assert seen
    assert all(header == f"Bearer {CANARY}" for header in seen)  # the token was used
    assert code == 1, printed  # dependabot answered 401, the second code-scanning page 500
    assert "FAILED  github/dependabot_alerts.json: HTTP 401 Bad credentials: [REDACTED]" in printed
    assert "access_token=[REDACTED]" in printed
    assert_no_canary(out, printed, CANARY)
    assert json.loads((out / "github" / "org.json").read_text())["debug"] == "Bearer [REDACTED]"


def test_github_refuses_credentials_in_the_api_url(out: Path) -> None:
    code, printed = run(
        "collect",
        "github",
        "--output",
        str(out),
        "--api-url",
        f"https://x:{CANARY}@api.example",
        "--org",
        "a",
    )
    assert code == 2
    assert "--api-url must not hold credentials" in printed
    assert CANARY not in printed


# --- AWS -----------------------------------------------------------------------------------------


def test_aws_credentials_are_never_written_even_when_echoed(
    out: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3 = pytest.importorskip("boto3")
    from assay.collect import aws as aws_collector

    secret, session_token = f"{CANARY}-secret-key", f"{CANARY}-session"
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", secret)
    monkeypatch.setenv("AWS_SESSION_TOKEN", session_token)
    s3 = boto3.client("s3", region_name="eu-west-1", endpoint_url=moto_url)
    s3.create_bucket(Bucket="acme-data", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_tagging(
        Bucket="acme-data",
        Tagging={"TagSet": [{"Key": "note", "Value": f"{AWS_KEY_ID} {secret} {session_token}"}]},
    )
    real = aws_collector.make_session

    def deny(**kwargs: Any) -> Any:
        response = {"Error": {"Code": "AccessDenied", "Message": f"denied for {AWS_KEY_ID}:{secret}"}}
        response["ResponseMetadata"] = {"HTTPStatusCode": 403}
        return type("Http", (), {"status_code": 403, "headers": {}, "content": b""})(), response

    def session(profile: str | None) -> Any:
        made = real(profile)
        made.events.register("before-call.kms.ListKeys", deny)
        return made

    monkeypatch.setattr(aws_collector, "make_session", session)
    code, printed = run(
        "collect", "aws", "--output", str(out), "--endpoint-url", moto_url, "--region", "eu-west-1"
    )
    assert code == 1, printed
    assert "AccessDenied: denied for [REDACTED]:[REDACTED]" in printed
    tags = json.loads((out / "aws" / "s3" / "bucket_tagging.json").read_text())
    assert tags["acme-data"]["TagSet"][0]["Value"] == "[REDACTED] [REDACTED] [REDACTED]"
    assert_no_canary(out, printed, CANARY, AWS_KEY_ID)


def test_aws_refuses_credentials_in_the_endpoint_url(out: Path) -> None:
    code, printed = run(
        "collect", "aws", "--output", str(out), "--endpoint-url", f"http://k:{CANARY}@127.0.0.1:1"
    )
    assert code == 2
    assert CANARY not in printed
