"""``assay collect github``: branch protection, Dependabot, code scanning, secret scanning, the org.

Standard library only (``urllib``). The token comes from ``GITHUB_TOKEN`` (or the variable named
by ``--token-env``) and is sent only to ``--api-url``'s origin, never written anywhere, nor printed,
even when a server echoes it back (and ``--api-url`` may not hold credentials of its own). For each
``--repo OWNER/NAME`` it reads, with every list paged through its ``Link: rel="next"`` headers:

- ``github/repos.json``: a list of ``GET /repos/{owner}/{repo}`` responses (``security_and_analysis``
  is included when the token may see it), as VULN-05 reads ``github.repos``;
- ``github/branch_protection.json``: map ``owner/repo`` -> ``GET /repos/{owner}/{repo}/branches/
  {default branch}/protection``, ``null`` for a 404 "Branch not protected" (SDLC-01, SDLC-02);
- ``github/dependabot_alerts.json``: the open alerts of every repository, one list (VULN-04);
  ``repository.full_name`` is added when the repository endpoint leaves it out, as the
  organisation endpoint has it;
- ``github/code_scanning_alerts.json``: the open code scanning alerts, one list, likewise;
- ``github/secret_scanning.json``: map ``owner/repo`` -> the ``secret_scanning`` and
  ``secret_scanning_push_protection`` entries of ``security_and_analysis``.

With ``--org NAME`` (with or without ``--repo``) it also writes ``github/org.json``, the
``GET /orgs/{org}`` response (IAM-05). ``two_factor_requirement_enabled`` is only in it for an
organisation owner's token; without it the file is written as GitHub sent it and IAM-05 errors.

A failed call (a 403 rate limit, a missing permission) fails the evidence item it belongs to, with
the status and GitHub's message; the other items are still collected.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, urlsplit

from assay.collect import EvidenceWriter
from assay.errors import ConfigError

DEFAULT_API = "https://api.github.com"
MAX_PAGES = 1000
TIMEOUT = 30.0
_LINK_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="next"')


class GitHubError(Exception):
    """A call that did not give a usable answer; the message says why (never with the token)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHubClient:
    def __init__(self, api_url: str, token: str | None, timeout: float = TIMEOUT) -> None:
        self.api_url = api_url.rstrip("/")
        self._origin = _origin(self.api_url)
        self._token = token
        self.timeout = timeout

    def get(self, path: str) -> tuple[Any, str | None]:
        """The decoded JSON of ``GET path`` (or of a full URL on the API origin) and the next page's URL."""
        url = path if path.startswith(("http://", "https://")) else self.api_url + path
        if _origin(url) != self._origin:
            raise GitHubError(f"refusing to follow {url}: not on {self._origin}")
        # S310 (ignored here and below) warns of file: and custom schemes: this URL is on the origin of
        # the --api-url the user gave, checked above.
        request = urllib.request.Request(url, headers={"Accept": "application/vnd.github+json"})  # noqa: S310
        request.add_header("X-GitHub-Api-Version", "2022-11-28")
        request.add_header("User-Agent", "assay-collect")
        if self._token:
            request.add_unredirected_header("Authorization", f"Bearer {self._token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - see above
                body = response.read()
                link = response.headers.get("Link", "")
        except urllib.error.HTTPError as exc:
            raise GitHubError(_http_error(exc), exc.code) from None
        except (urllib.error.URLError, OSError) as exc:
            raise GitHubError(f"GET {url}: {getattr(exc, 'reason', exc)}") from None
        try:
            data = json.loads(body)
        except ValueError:
            raise GitHubError(f"GET {url}: the response is not JSON") from None
        match = _LINK_NEXT.search(link)
        return data, (match.group(1) if match else None)

    def get_all(self, path: str) -> list[Any]:
        """Every page of a list endpoint, concatenated."""
        items: list[Any] = []
        url: str | None = path
        for _ in range(MAX_PAGES):
            if url is None:
                return items
            page, url = self.get(url)
            if not isinstance(page, list):
                raise GitHubError(f"GET {path}: expected a list, got {type(page).__name__}")
            items.extend(page)
        raise GitHubError(f"GET {path}: more than {MAX_PAGES} pages")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _http_error(exc: urllib.error.HTTPError) -> str:
    try:
        message = str(json.loads(exc.read()).get("message", ""))
    except (ValueError, AttributeError, OSError):
        message = ""
    text = f"HTTP {exc.code}" + (f" {message}" if message else "")
    headers = exc.headers
    if headers is not None and headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset", "")
        when = datetime.fromtimestamp(int(reset), UTC).isoformat() if reset.isdigit() else "unknown"
        text += f" (rate limit exhausted; resets at {when})"
    return f"{text}: GET {exc.url}"


class GitHubCollector:
    name = "github"
    description = (
        "branch protection, Dependabot, code scanning and secret scanning of GitHub repositories,"
        " and organisation settings"
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--repo", action="append", default=[], metavar="OWNER/NAME", help="repository (repeatable)"
        )
        parser.add_argument(
            "--org", metavar="NAME", help="also read the organisation's settings (GET /orgs/NAME)"
        )
        parser.add_argument("--api-url", default=DEFAULT_API, metavar="URL", help=f"default: {DEFAULT_API}")
        parser.add_argument(
            "--token-env",
            default="GITHUB_TOKEN",
            metavar="VAR",
            help="environment variable holding the token",
        )

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        repos: list[str] = options.repo
        org: str | None = options.org
        _check_arguments(repos, org)
        _check_api_url(options.api_url)
        token = os.environ.get(options.token_env) or None
        if token is not None:
            # Whatever the variable is called: a server that echoes it back must not get it written.
            writer.add_secret(token)
        client = GitHubClient(options.api_url, token)
        if org is not None:
            writer.progress(f"GET /orgs/{org}")
            try:
                settings, _ = client.get(f"/orgs/{org}")
            except GitHubError as exc:
                writer.fail("github/org.json", str(exc))
            else:
                writer.write_json("github/org.json", settings, f"GET {client.api_url}/orgs/{org}")
        if repos:
            _collect_repos(client, repos, writer)


def _check_arguments(repos: list[str], org: str | None) -> None:
    if not repos and not org:
        raise ConfigError("assay collect github: give at least one --repo OWNER/NAME or --org NAME")
    if org is not None and not re.fullmatch(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?", org):
        raise ConfigError(f"assay collect github: {org!r} is not an organisation name")
    for repo in repos:
        if not re.fullmatch(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+", repo):
            raise ConfigError(f"assay collect github: {repo!r} is not OWNER/NAME")


def _check_api_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a bad port raises here rather than at the first call
    except ValueError:
        raise ConfigError("assay collect github: --api-url is not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("assay collect github: --api-url must be an http:// or https:// URL")
    if "@" in parts.netloc:
        raise ConfigError(
            "assay collect github: --api-url must not hold credentials; the token comes from --token-env"
        )


Errors = dict[str, list[str]]  # evidence item -> why it failed


def _collect_repos(client: GitHubClient, repos: list[str], writer: EvidenceWriter) -> None:
    """Read every repository, then write each item, or fail it with every reason it failed for."""
    errors: Errors = {}
    repo_objects: dict[str, Any] = {}
    for repo in repos:
        writer.progress(f"GET /repos/{repo}")
        try:
            repo_objects[repo], _ = client.get(f"/repos/{repo}")
        except GitHubError as exc:
            errors.setdefault("repos", []).append(str(exc))
    protection = _branch_protection(client, repos, repo_objects, writer=writer, errors=errors)
    alerts = {item: _open_alerts(client, repos, item, writer=writer, errors=errors) for item in _ALERTS}
    outputs = _repo_outputs(client.api_url, repos, repo_objects, protection, alerts)
    for item, data, source in outputs:
        path = f"github/{item}.json"
        if item in errors or (item == "secret_scanning" and "repos" in errors):
            writer.fail(path, "; ".join(errors.get(item) or errors["repos"]))
        else:
            writer.write_json(path, data, source)


_ALERTS = {"dependabot_alerts": "dependabot", "code_scanning_alerts": "code-scanning"}  # item -> endpoint


def _branch_protection(
    client: GitHubClient,
    repos: list[str],
    repo_objects: dict[str, Any],
    *,
    writer: EvidenceWriter,
    errors: Errors,
) -> dict[str, Any]:
    """``owner/repo`` -> the protection of its default branch, ``None`` where it is not protected."""
    protection: dict[str, Any] = {}
    for repo in repos:
        if repo not in repo_objects:
            errors.setdefault("branch_protection", []).append(f"{repo}: the repository could not be read")
            continue
        branch = str(repo_objects[repo].get("default_branch") or "main")
        writer.progress(f"branch protection of {repo}@{branch}")
        try:
            protection[repo], _ = client.get(f"/repos/{repo}/branches/{quote(branch, safe='')}/protection")
        except GitHubError as exc:
            if exc.status == HTTPStatus.NOT_FOUND:
                protection[repo] = None  # "Branch not protected"
            else:
                errors.setdefault("branch_protection", []).append(str(exc))
    return protection


def _open_alerts(
    client: GitHubClient, repos: list[str], item: str, *, writer: EvidenceWriter, errors: Errors
) -> list[Any]:
    """The open alerts of every repository, one list, each with ``repository.full_name``."""
    alerts: list[Any] = []
    endpoint = _ALERTS[item]
    for repo in repos:
        writer.progress(f"{endpoint} alerts of {repo}")
        try:
            found = client.get_all(f"/repos/{repo}/{endpoint}/alerts?state=open&per_page=100")
        except GitHubError as exc:
            errors.setdefault(item, []).append(str(exc))
            continue
        for alert in found:
            if isinstance(alert, dict):
                alert.setdefault("repository", {"full_name": repo})
        alerts.extend(found)
    return alerts


def _repo_outputs(
    api: str,
    repos: list[str],
    repo_objects: dict[str, Any],
    protection: dict[str, Any],
    alerts: dict[str, list[Any]],
) -> list[tuple[str, Any, str]]:
    """(item, data, source) of every repository item, in the order they are written."""
    secret_scanning = {
        repo: {
            key: (value.get("security_and_analysis") or {}).get(key)
            for key in ("secret_scanning", "secret_scanning_push_protection")
        }
        for repo, value in repo_objects.items()
    }
    names = ", ".join(repos)
    return [
        (
            "repos",
            [repo_objects.get(r) for r in repos],
            f"GET {api}/repos/{{owner}}/{{repo}} for {names}",
        ),
        (
            "branch_protection",
            protection,
            f"GET {api}/repos/{{owner}}/{{repo}}/branches/{{default branch}}/protection for {names};"
            " map owner/repo -> response (null when not protected)",
        ),
        (
            "dependabot_alerts",
            alerts["dependabot_alerts"],
            f"GET {api}/repos/{{owner}}/{{repo}}/dependabot/alerts?state=open&per_page=100, all pages,"
            f" for {names}",
        ),
        (
            "code_scanning_alerts",
            alerts["code_scanning_alerts"],
            f"GET {api}/repos/{{owner}}/{{repo}}/code-scanning/alerts?state=open&per_page=100, all pages,"
            f" for {names}",
        ),
        (
            "secret_scanning",
            secret_scanning,
            f"security_and_analysis.secret_scanning* of GET {api}/repos/{{owner}}/{{repo}} for {names}",
        ),
    ]
