from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.collect.tls_servers import GOOD_HEADERS, Certificates, make_certificates, security_txt, tls_server


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="session")
def modern_url(certs: Certificates) -> Iterator[str]:
    """TLS 1.2+ only, good headers, a valid security.txt."""
    with tls_server(
        certs, legacy=False, headers=GOOD_HEADERS, security=security_txt(datetime.now(UTC))
    ) as url:
        yield url


@pytest.fixture(scope="session")
def legacy_url(certs: Certificates) -> Iterator[str]:
    """Still accepts TLS 1.0, no security headers, no security.txt."""
    with tls_server(certs, legacy=True, headers={}, security=None) as url:
        yield url


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "evidence"


AWS_KEY_ID = "AKIAMOTOTESTKEY00001"
AWS_SECRET = "motoSecretKeyForTests0000000000000000000"


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """moto in server mode on a loopback port; tests reset its state before use."""
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto_url(moto_server: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A reset moto server and an environment with dummy credentials only (no real AWS config)."""
    import urllib.request

    # S310 warns of file: and custom schemes; this is the loopback http URL of the server started above.
    # RUF100: S is not enabled in every ruff config yet.
    reset = urllib.request.Request(f"{moto_server}/moto-api/reset", method="POST")  # noqa: S310, RUF100
    urllib.request.urlopen(reset, timeout=10)  # noqa: S310, RUF100 - as above
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", AWS_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", AWS_SECRET)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    _answer_what_moto_lacks(monkeypatch)
    return moto_server


def _answer_what_moto_lacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """moto has no Macie findings nor jobs: answer as an account with Macie on and nothing found.
    Registered last, so a test's own hooks on the same calls answer first."""
    from assay.collect import aws as aws_collector

    real = aws_collector.make_session

    def empty(parsed: dict[str, Any]) -> Callable[..., Any]:
        def respond(**kwargs: Any) -> Any:
            http = type("Http", (), {"status_code": 200, "headers": {}, "content": b""})()
            return http, {**parsed, "ResponseMetadata": {"HTTPStatusCode": 200}}

        return respond

    def session(profile: str | None) -> Any:
        made = real(profile)
        made.events.register_last("before-call.macie2.ListFindings", empty({"findingIds": []}))
        made.events.register_last("before-call.macie2.ListClassificationJobs", empty({"items": []}))
        return made

    monkeypatch.setattr(aws_collector, "make_session", session)
