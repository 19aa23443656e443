"""``assay collect web``: TLS, certificates, security headers and security.txt of HTTPS endpoints.

Standard library only (``ssl``, ``http.client``). It writes:

- ``scans/testssl.json``: testssl.sh-style findings (a flat list of ``{id, ip, port, severity,
  finding}``) for every URL, so CRYPTO-07 reads collected and testssl.sh-exported evidence alike:
  ``SSLv3``/``TLS1``/``TLS1_1``/``TLS1_2``/``TLS1_3`` offered or not (SSLv2 and, with an OpenSSL
  built without it, SSLv3 cannot be probed and get an ``INFO`` note instead of a result),
  ``cipher_negotiated_<proto>``, ``supportedciphers_<proto>``, the certificate (``cert_*``) and
  ``overall_grade``;
- ``web/headers/<name>.json``: the response headers of a GET of the URL (lower-case name -> value;
  cookie values and any credential redacted, as in everything a collector writes), as CRYPTO-09 and
  SDLC-05 read ``web.headers.app``. A URL given as ``NAME=URL`` is saved under that name; otherwise
  the first is ``app`` and the others are named after their host;
- ``web/security_txt.txt``: ``/.well-known/security.txt`` of the first URL's origin (VULN-01).

Protocol probes complete a handshake pinned to one version (``minimum_version == maximum_version``)
without checking the certificate, since they only ask "is this version offered"; the certificate is
checked on a separate connection against the system trust store or ``--ca-file``, and a failure is
reported (``cert_chain_of_trust`` CRITICAL), never ignored.

A user name and password in a URL are not sent (nothing here needs them) and never written: the URL
is shown with its password redacted.

The grade, a simple documented rule: ``F`` when the certificate is expired or untrusted, SSL 2/3 is
offered, or neither TLS 1.2 nor 1.3 is; ``B`` when TLS 1.0 or 1.1 is offered; otherwise ``A+`` when
the response sends HSTS with ``max-age`` of at least 180 days, else ``A``.
"""

from __future__ import annotations

import argparse
import http.client
import re
import socket
import ssl
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import unquote, urlsplit, urlunsplit

from assay.collect import EvidenceWriter
from assay.errors import ConfigError
from assay.lean_dataclasses import frozen
from assay.redact import MARK, redact_text

TIMEOUT = 10.0
_PROTOCOLS: list[tuple[str, str]] = [
    ("SSLv3", "SSLv3"),
    ("TLS1", "TLSv1"),
    ("TLS1_1", "TLSv1_1"),
    ("TLS1_2", "TLSv1_2"),
    ("TLS1_3", "TLSv1_3"),
]
_LEGACY = {"SSLv3", "TLS1", "TLS1_1"}
_HSTS_A_PLUS = 15552000  # 180 days, testssl.sh's threshold
_CERT_WARN_DAYS = 30
_HTTPS_PORT = 443
_Add = Callable[[str, str, str], None]  # add(finding id, severity, finding)


@frozen
class Target:
    name: str
    url: str  # as shown: without a password
    host: str
    port: int
    path: str
    secrets: tuple[str, ...] = ()  # the URL's password, to keep out of everything written


def parse_targets(values: list[str]) -> list[Target]:
    targets: list[Target] = []
    for index, value in enumerate(values):
        name, _, url = value.partition("=") if re.match(r"^[a-z][a-z0-9_]*=", value) else ("", "", value)
        target = _target(name, url, first=index == 0)
        targets.append(target)
    if len({t.name for t in targets}) != len(targets):
        raise ConfigError("assay collect web: two URLs would be saved under the same headers name")
    return targets


def _target(name: str, url: str, *, first: bool) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port or _HTTPS_PORT
        shown = _shown(url)
    except ValueError:  # a bad port or IPv6 address
        raise ConfigError(f"assay collect web: {redact_text(url)!r} is not a valid URL") from None
    if parts.scheme != "https" or not parts.hostname:
        raise ConfigError(f"assay collect web: {shown!r} is not an https:// URL")
    if not name:
        name = "app" if first else re.sub(r"[^a-z0-9]+", "_", parts.hostname.lower()).strip("_")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    password = parts.password or ""
    secrets = tuple(sorted(s for s in {password, unquote(password)} if s))
    return Target(name, shown, parts.hostname, port, path, secrets)


def _shown(url: str) -> str:
    """The URL as written in evidence and messages: its password replaced, and any other secret."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        url = urlunsplit(parts._replace(netloc=f"{parts.username or ''}:{MARK}@{host}"))
    return redact_text(url)


def local_support(version_name: str) -> bool:
    """Whether this Python's OpenSSL can send a ClientHello for exactly that version."""
    version = getattr(ssl.TLSVersion, version_name, None)
    if version is None:
        return False
    try:
        context = _probe_context(version)
        tls = context.wrap_bio(ssl.MemoryBIO(), ssl.MemoryBIO(), server_hostname="localhost")
        tls.do_handshake()
    except ssl.SSLWantReadError:
        return True  # the ClientHello went out; it waits for the server
    except (ssl.SSLError, ValueError):
        return False
    return True


def _probe_context(version: ssl.TLSVersion) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # a probe only asks whether this version is offered
    with warnings.catch_warnings():  # TLS 1.0/1.1 are deprecated: probing for them is the point
        warnings.simplefilter("ignore", DeprecationWarning)
        context.minimum_version = version
        context.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        context.set_ciphers("DEFAULT:@SECLEVEL=0")  # modern OpenSSL refuses TLS 1.0/1.1 otherwise
    return context


def _handshake(
    host: str, port: int, context: ssl.SSLContext, timeout: float
) -> tuple[str | None, str | None]:
    """(negotiated cipher, None) after a handshake, or (None, the reason) when it fails."""
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            cipher = tls.cipher()
            return (cipher[0] if cipher else "unknown"), None
    except (ssl.SSLError, OSError) as exc:
        return None, str(exc)


class WebCollector:
    name = "web"
    description = "TLS versions, ciphers and certificate, security headers and security.txt of HTTPS URLs"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("urls", nargs="+", metavar="URL", help="https:// URL, or NAME=URL")
        parser.add_argument(
            "--ca-file", metavar="PEM", help="trust these CA certificates instead of the system store"
        )
        parser.add_argument(
            "--timeout", type=float, default=TIMEOUT, metavar="SECONDS", help="per connection (default: 10)"
        )
        parser.add_argument(
            "--no-cipher-scan", action="store_true", help="skip listing every cipher offered (faster)"
        )

    def collect(self, options: argparse.Namespace, writer: EvidenceWriter) -> None:
        targets = parse_targets(options.urls)
        for secret in (s for target in targets for s in target.secrets):
            writer.add_secret(secret)
        timeout: float = options.timeout
        verified = ssl.create_default_context(cafile=options.ca_file)
        findings: list[dict[str, str]] = []
        problems: list[str] = []
        for target in targets:
            writer.progress(f"TLS {target.host}:{target.port}")
            try:
                headers = self._headers(target, verified, timeout)
            except (OSError, http.client.HTTPException) as exc:
                headers = None
                writer.fail(f"web/headers/{target.name}.json", f"GET {target.url}: {exc}")
            else:
                writer.write_json(
                    f"web/headers/{target.name}.json", headers, f"HTTPS GET {target.url}, response headers"
                )
            try:
                findings.extend(
                    self._tls_findings(target, verified, timeout, headers, options.no_cipher_scan)
                )
            except OSError as exc:
                problems.append(f"{target.host}:{target.port}: {exc}")
        if problems:
            writer.fail("scans/testssl.json", "; ".join(problems))
        else:
            hosts = " ".join(f"{t.host}:{t.port}" for t in targets)
            writer.write_json(
                "scans/testssl.json",
                findings,
                f"assay collect web: TLS probes (testssl.sh findings) of {hosts}",
            )
        first = targets[0]
        origin = f"https://{first.host}" + ("" if first.port == _HTTPS_PORT else f":{first.port}")
        url = origin + "/.well-known/security.txt"
        writer.progress(f"GET {url}")
        try:
            status, body = _get(first.host, first.port, "/.well-known/security.txt", verified, timeout)
        except (OSError, http.client.HTTPException) as exc:
            writer.fail("web/security_txt.txt", f"GET {url}: {exc}")
        else:
            if status != HTTPStatus.OK:
                writer.fail("web/security_txt.txt", f"GET {url}: HTTP {status}")
            else:
                writer.write_text(
                    "web/security_txt.txt", body.decode("utf-8", errors="replace"), f"GET {url}"
                )

    def _headers(self, target: Target, context: ssl.SSLContext, timeout: float) -> dict[str, str]:
        connection = http.client.HTTPSConnection(target.host, target.port, context=context, timeout=timeout)
        try:
            connection.request("GET", target.path, headers={"User-Agent": "assay-collect"})
            response = connection.getresponse()
            response.read(1024 * 1024)
            headers: dict[str, str] = {}
            for name, value in response.getheaders():
                key = name.lower()  # cookie values are redacted by the writer, as every credential is
                headers[key] = f"{headers[key]}, {value}" if key in headers else value
            return headers
        finally:
            connection.close()

    def _tls_findings(
        self,
        target: Target,
        verified: ssl.SSLContext,
        timeout: float,
        headers: dict[str, str] | None,
        no_cipher_scan: bool,
    ) -> list[dict[str, str]]:
        address = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)[0][4][0]
        ip = f"{target.host}/{address}"
        port = str(target.port)
        findings: list[dict[str, str]] = []

        def add(finding_id: str, severity: str, text: str) -> None:
            findings.append({"id": finding_id, "ip": ip, "port": port, "severity": severity, "finding": text})

        add("service", "INFO", "HTTP" if headers is not None else "unknown")
        add("protocol_probe_note", "INFO", "SSLv2 not probed: no client library can offer it")
        offered = self._protocol_findings(target, timeout, no_cipher_scan, add)
        trusted, reason, der = self._certificate(target, verified, timeout)
        expired = True if der is None else _certificate_findings(der, add)
        add(
            "cert_chain_of_trust",
            "OK" if trusted else "CRITICAL",
            "passed." if trusted else f"failed ({reason})",
        )
        grade = _grade(trusted, expired, offered, headers)
        add("overall_grade", {"A+": "OK", "A": "OK", "B": "MEDIUM"}.get(grade, "CRITICAL"), grade)
        return findings

    def _protocol_findings(
        self, target: Target, timeout: float, no_cipher_scan: bool, add: _Add
    ) -> dict[str, bool]:
        """Probe every protocol version this OpenSSL can offer; return version -> offered."""
        offered: dict[str, bool] = {}
        for finding_id, version_name in _PROTOCOLS:
            if not local_support(version_name):
                add(
                    "protocol_probe_note",
                    "INFO",
                    f"{finding_id} not probed: the local OpenSSL cannot offer it",
                )
                continue
            context = _probe_context(getattr(ssl.TLSVersion, version_name))
            cipher, _ = _handshake(target.host, target.port, context, timeout)
            offered[finding_id] = cipher is not None
            if cipher is None:
                add(finding_id, "OK" if finding_id in _LEGACY else "INFO", "not offered")
                continue
            if finding_id == "SSLv3":
                add(finding_id, "CRITICAL", "offered (NOT ok)")
            elif finding_id in _LEGACY:
                add(finding_id, "LOW", "offered (deprecated)")
            else:
                add(finding_id, "OK", "offered")
            add(f"cipher_negotiated_{finding_id}", "INFO", cipher)
            if not no_cipher_scan and finding_id != "TLS1_3":
                ciphers = self._ciphers(target, version_name, timeout)
                add(f"supportedciphers_{finding_id}", "INFO", " ".join(ciphers))
        return offered

    def _ciphers(self, target: Target, version_name: str, timeout: float) -> list[str]:
        """Every cipher of the local OpenSSL's list that the server accepts for this version."""
        version = getattr(ssl.TLSVersion, version_name)
        accepted: list[str] = []
        candidates = [c["name"] for c in _probe_context(version).get_ciphers() if c["protocol"] != "TLSv1.3"]
        for name in sorted(set(candidates))[:64]:  # bounded: at most 64 handshakes per version
            context = _probe_context(version)
            try:
                context.set_ciphers(name + (":@SECLEVEL=0" if version < ssl.TLSVersion.TLSv1_2 else ""))
            except ssl.SSLError:
                continue
            cipher, _ = _handshake(target.host, target.port, context, timeout)
            if cipher is not None:
                accepted.append(cipher)
        return accepted

    def _certificate(
        self, target: Target, verified: ssl.SSLContext, timeout: float
    ) -> tuple[bool, str, bytes | None]:
        """(trusted, why not, the leaf certificate in DER)."""
        try:
            with (
                socket.create_connection((target.host, target.port), timeout=timeout) as raw,
                verified.wrap_socket(raw, server_hostname=target.host) as tls,
            ):
                return True, "", tls.getpeercert(binary_form=True)
        except ssl.SSLCertVerificationError as exc:
            reason = exc.verify_message or str(exc)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # only to read the certificate that failed verification
        with (
            socket.create_connection((target.host, target.port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=target.host) as tls,
        ):
            return False, reason, tls.getpeercert(binary_form=True)


def _certificate_findings(der: bytes, add: _Add) -> bool:
    """The ``cert_*`` findings of the leaf certificate; whether it has expired."""
    from cryptography import x509  # imported when a certificate is read, not by every assay command
    from cryptography.x509.oid import NameOID

    certificate = x509.load_der_x509_certificate(der)
    not_after = certificate.not_valid_after_utc
    days = (not_after - datetime.now(UTC)).days
    expired = not_after <= datetime.now(UTC)
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    add("cert_commonName", "OK", str(names[0].value) if names else "")
    try:
        san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        add("cert_subjectAltName", "INFO", " ".join(str(n.value) for n in san))
    except x509.ExtensionNotFound:
        add("cert_subjectAltName", "MEDIUM", "missing (NOT ok)")
    add("cert_notBefore", "INFO", certificate.not_valid_before_utc.strftime("%Y-%m-%d %H:%M"))
    add("cert_notAfter", "CRITICAL" if expired else "OK", not_after.strftime("%Y-%m-%d %H:%M"))
    if expired:
        add("cert_expirationStatus", "CRITICAL", "expired")
    elif days < _CERT_WARN_DAYS:
        add("cert_expirationStatus", "MEDIUM", f"expires < {_CERT_WARN_DAYS} days ({days})")
    else:
        add("cert_expirationStatus", "OK", f"{days} >= {_CERT_WARN_DAYS} days")
    return expired


def _grade(trusted: bool, expired: bool, offered: dict[str, bool], headers: dict[str, str] | None) -> str:
    """The overall grade, by the rule of the module docstring."""
    hsts = _max_age((headers or {}).get("strict-transport-security", ""))
    if not trusted or expired or offered.get("SSLv3") or not (offered.get("TLS1_2") or offered.get("TLS1_3")):
        return "F"
    if offered.get("TLS1") or offered.get("TLS1_1"):
        return "B"
    return "A+" if hsts is not None and hsts >= _HSTS_A_PLUS else "A"


def _max_age(value: str) -> int | None:
    match = re.search(r"max-age\s*=\s*\"?(\d+)", value, re.I)
    return int(match.group(1)) if match else None


def _get(host: str, port: int, path: str, context: ssl.SSLContext, timeout: float) -> tuple[int, bytes]:
    connection = http.client.HTTPSConnection(host, port, context=context, timeout=timeout)
    try:
        connection.request("GET", path, headers={"User-Agent": "assay-collect"})
        response = connection.getresponse()
        return response.status, response.read(1024 * 1024)
    finally:
        connection.close()
