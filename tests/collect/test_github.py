"""assay collect github against recorded API responses served from a local HTTP server."""

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

import assay
from assay.cli import main
from assay.evidence import load_evidence_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "github"
TOKEN = "ghs_recordedFixtureToken0123456789abcdef"


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, list[str]]]:
    """The recorded responses of routes.json; yields the base URL and the Authorization headers seen."""
    routes = json.loads((FIXTURES / "routes.json").read_text())
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            route = routes.get(self.path)
            if route is None:
                route = {"status": 404, "body": "not_protected.json"}
            base = f"http://127.0.0.1:{self.server.server_address[1]}"
            body = (FIXTURES / route["body"]).read_bytes()
            self.send_response(route.get("status", 200))
            self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in route.get("headers", {}).items():
                self.send_header(name, value.replace("{base}", base))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def collect(out: Path, base: str, *repos: str) -> tuple[int, str]:
    stdout = io.StringIO()
    args = ["collect", "github", "--output", str(out), "--api-url", base]
    for repo in repos:
        args += ["--repo", repo]
    return main(args, stdout=stdout, stderr=io.StringIO()), stdout.getvalue()


def test_collects_protection_paged_alerts_and_secret_scanning(out: Path, api: tuple[str, list[str]]) -> None:
    base, seen = api
    code, summary = collect(out, base, "acme/api")
    assert code == 0, summary
    assert seen
    assert all(header == f"Bearer {TOKEN}" for header in seen)
    protection = json.loads((out / "github" / "branch_protection.json").read_text())
    assert protection["acme/api"]["required_pull_request_reviews"]["required_approving_review_count"] == 1
    alerts = json.loads((out / "github" / "dependabot_alerts.json").read_text())
    assert len(alerts) == 3  # two pages, followed through the Link header
    assert {a["repository"]["full_name"] for a in alerts} == {"acme/api"}
    scanning = json.loads((out / "github" / "secret_scanning.json").read_text())
    assert scanning["acme/api"]["secret_scanning"] == {"status": "enabled"}
    repos = json.loads((out / "github" / "repos.json").read_text())
    assert repos[0]["full_name"] == "acme/api"
    assert len(json.loads((out / "github" / "code_scanning_alerts.json").read_text())) == 1
    for file in out.rglob("*"):
        if file.is_file():
            assert TOKEN not in file.read_text()
    assert TOKEN not in summary


def test_unprotected_branch_is_null_and_rate_limit_fails_one_item(
    out: Path, api: tuple[str, list[str]]
) -> None:
    base, _ = api
    code, summary = collect(out, base, "acme/api", "acme/web")
    assert code == 1
    protection = json.loads((out / "github" / "branch_protection.json").read_text())
    assert protection["acme/web"] is None
    assert "FAILED  github/code_scanning_alerts.json: HTTP 403 API rate limit exceeded" in summary
    assert "rate limit exhausted; resets at 2026-11-25T08:00:00+00:00" in summary
    assert not (out / "github" / "code_scanning_alerts.json").exists()
    assert (out / "github" / "dependabot_alerts.json").exists()
    assert TOKEN not in summary


def test_rerun_after_a_failure_removes_the_stale_item(out: Path, api: tuple[str, list[str]]) -> None:
    base, _ = api
    assert collect(out, base, "acme/api")[0] == 0
    assert (out / "github" / "code_scanning_alerts.json").exists()
    code, summary = collect(out, base, "acme/api", "acme/web")
    assert code == 1
    assert "removed github/code_scanning_alerts.json" in summary
    assert not (out / "github" / "code_scanning_alerts.json").exists()


def collect_org(out: Path, base: str, org: str, *repos: str) -> tuple[int, str]:
    stdout = io.StringIO()
    args = ["collect", "github", "--output", str(out), "--api-url", base, "--org", org]
    for repo in repos:
        args += ["--repo", repo]
    return main(args, stdout=stdout, stderr=io.StringIO()), stdout.getvalue()


def iam05(out: Path) -> Any:
    return assay.evaluate(assay.builtin_catalog(), load_evidence_dir(out), now=datetime.now(UTC)).result(
        "IAM-05"
    )


@pytest.mark.parametrize(
    ("org", "status"), [("acme", "pass"), ("acme-lax", "fail"), ("acme-public", "error")]
)
def test_org_settings_feed_iam05(out: Path, api: tuple[str, list[str]], org: str, status: str) -> None:
    base, seen = api
    code, summary = collect_org(out, base, org)
    assert code == 0, summary
    assert seen == [f"Bearer {TOKEN}"]  # only GET /orgs/{org}: no repository item without --repo
    assert sorted(p.name for p in (out / "github").glob("*.json")) == ["org.json"]
    settings = json.loads((out / "github" / "org.json").read_text())
    assert settings["login"] == org
    assert f"source: GET {base}/orgs/{org}" in (out / "github" / "org.json.meta.yaml").read_text()
    result = iam05(out)
    assert result.status.value == status, result


def test_org_with_repos_and_a_missing_org(out: Path, api: tuple[str, list[str]]) -> None:
    base, _ = api
    assert collect_org(out, base, "acme", "acme/api")[0] == 0
    assert (out / "github" / "repos.json").exists()
    assert json.loads((out / "github" / "org.json").read_text())["two_factor_requirement_enabled"] is True
    code, summary = collect_org(out, base, "ghost", "acme/api")
    assert code == 1
    assert "FAILED  github/org.json: HTTP 404 Not Found: GET " in summary
    assert not (out / "github" / "org.json").exists()  # the stale file from the first run is removed
    assert (out / "github" / "repos.json").exists()
    assert iam05(out).status.value == "not_assessed"


def test_neither_repo_nor_org_is_a_usage_error(out: Path, api: tuple[str, list[str]]) -> None:
    base, seen = api
    stderr = io.StringIO()
    code = main(
        ["collect", "github", "--output", str(out), "--api-url", base], stdout=io.StringIO(), stderr=stderr
    )
    assert code == 2, stderr.getvalue()
    assert "--repo OWNER/NAME or --org NAME" in stderr.getvalue()
    assert seen == []
