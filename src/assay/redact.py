"""Redaction of secrets in evidence before it leaves the company in an evidence pack.

Exports sometimes carry secrets: a password in a config dump, a token in a CI log, an AWS secret
access key in a credentials listing. The packed copy of such a file has them replaced by
``[REDACTED]``; the pack manifest records where, and the sha256 of the original, so an auditor can
see that redaction happened and match the file with the hash in the report.

Two kinds of redaction, applied together:

* structured (JSON, YAML, CSV): the file is parsed and every scalar value under a key named like a
  secret (``password``, ``client_secret``, ``SecretAccessKey``, ``api_key``, ``private_key``,
  ``token``, ...) is replaced; the file is then re-serialised (JSON indented by two spaces, YAML in
  block style, CSV with its line ending kept). Locations are JSON pointers into the parsed
  evidence, the way rules read it (for CSV: ``/row/column``).
* patterns, over every string value and over text files: private key PEM blocks, AWS access key
  ids and secret access keys, GitHub and Slack tokens, bearer tokens, JWTs and passwords in URLs;
  in text files also ``key = value`` lines whose key is named like a secret. Locations are line
  numbers.

A file with nothing to redact is returned byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assay.yamlsource import dump_yaml, parse_yaml

MARK = "[REDACTED]"

# Words that, as the last word of a key, make its value a secret: ``db_password``, ``id_token``.
_SECRET_LAST = {
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "authorization",
    "credential",
    "credentials",
}
# Last two words that make a secret: ``private_key``, ``x-api-key``.
_SECRET_PAIRS = {("private", "key"), ("api", "key"), ("secret", "key"), ("signing", "key")}
# With "secret" anywhere in the key, these last words name the secret itself: ``SecretAccessKey``,
# ``SecretString`` (AWS Secrets Manager), ``secret_value``.
_SECRET_WITH = {"key", "value", "string", "binary", "data"}
# Tokens that guard nothing: pagination cursors, idempotency and optimistic-locking tokens in AWS
# API output (EC2 ``ClientToken``, WAF ``LockToken`` and ``ChangeToken``).
_NOT_SECRET_TOKENS = {
    "next",
    "continuation",
    "page",
    "pagination",
    "client",
    "idempotency",
    "lock",
    "change",
    "sync",
}
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def secret_key(key: str) -> bool:
    """Whether a key (a JSON or YAML key, a CSV column, a ``key=value`` name) names a secret.

    ``password``, ``DB_PASSWORD``, ``clientSecret``, ``SecretAccessKey``, ``api-key`` and
    ``private_key`` do; ``password_enabled``, ``PasswordLastUsed``, ``AccessKeyId``, ``NextToken``
    and ``ClientToken`` do not.
    """
    words = [w.lower() for w in _WORDS.findall(key)]
    if not words:
        return False
    if len(words) > 1 and words[-1] == "token" and words[-2] in _NOT_SECRET_TOKENS:
        return False
    if words[-1] in _SECRET_LAST or tuple(words[-2:]) in _SECRET_PAIRS:
        return True
    return "secret" in words and words[-1] in _SECRET_WITH


@dataclass(frozen=True)
class Redaction:
    """One redacted value: where (a JSON pointer or ``line N``) and why."""

    at: str
    reason: str


@dataclass(frozen=True)
class Redacted:
    """A file after redaction: its bytes to pack and what was replaced (empty: the bytes are the original)."""

    data: bytes
    redactions: tuple[Redaction, ...]


# --- patterns over text ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pattern:
    reason: str
    regex: re.Pattern[str]
    group: int  # the group that holds the secret


_PATTERNS = (
    _Pattern(
        "private key",
        re.compile(r"-----BEGIN ((?:[A-Z0-9]+ )*PRIVATE KEY)-----(.+?)-----END \1-----", re.DOTALL),
        2,
    ),
    _Pattern(
        "AWS secret access key",
        re.compile(
            r"(?i:aws_?secret_?access_?key|secret_?access_?key)[\"']?\s*[:=]\s*[\"']?"
            r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])"
        ),
        1,
    ),
    _Pattern("AWS access key id", re.compile(r"\b((?:AKIA|ASIA)[0-9A-Z]{16})\b"), 1),
    _Pattern("GitHub token", re.compile(r"\b((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,255})\b"), 1),
    _Pattern("GitHub token", re.compile(r"\b(github_pat_[A-Za-z0-9_]{22,255})\b"), 1),
    _Pattern("Slack token", re.compile(r"\b(xox[abeoprs]-[A-Za-z0-9-]{10,255})"), 1),
    _Pattern("bearer token", re.compile(r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{16,}=*)"), 1),
    _Pattern(
        "JSON Web Token", re.compile(r"\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})"), 1
    ),
    _Pattern("password in a URL", re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@"), 1),
)
# ``key = value`` / ``key: value`` lines in text files; the value is one token or one quoted string.
_KEY_VALUE = re.compile(
    r"^[ \t]*(?:export[ \t]+)?([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\1[ \t]*[:=][ \t]*"
    r"(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']+)[ \t]*\r?$",
    re.MULTILINE,
)


def _spans(text: str, *, key_values: bool = False) -> list[tuple[int, int, str]]:
    """The (start, end, reason) of every secret in ``text``, in order and without overlaps."""
    found: list[tuple[int, int, str]] = []
    if key_values:
        for match in _KEY_VALUE.finditer(text):
            value = match.group(3).strip("\"'")
            if secret_key(match.group(2)) and value and value != MARK:
                found.append((*match.span(3), f"key {match.group(2)!r}"))
    for pattern in _PATTERNS:
        for match in pattern.regex.finditer(text):
            start, end = match.span(pattern.group)
            if text[start:end].strip() != MARK:
                found.append((start, end, pattern.reason))
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -s[1])):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _scrub(text: str, spans: list[tuple[int, int, str]]) -> str:
    pieces: list[str] = []
    last = 0
    for start, end, reason in spans:
        pieces += [text[last:start], f"\n{MARK}\n" if reason == "private key" else MARK]
        last = end
    return "".join([*pieces, text[last:]])


# --- files -----------------------------------------------------------------------------------------


def redact(raw: bytes, fmt: str) -> Redacted:
    """Redact one evidence file of format ``json``, ``yaml``, ``csv`` or ``text``.

    Bytes that are not UTF-8, or structured files that no longer parse, are treated as text (and,
    if not UTF-8, returned unchanged): redaction never refuses a file the evidence loader accepted.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return Redacted(raw, ())
    handlers: dict[str, Callable[[str], tuple[str, list[Redaction]] | None]] = {
        "json": _redact_json,
        "yaml": _redact_yaml,
        "csv": _redact_csv,
    }
    handler = handlers.get(fmt)
    result = handler(text) if handler is not None else None
    if result is None:
        result = _redact_text(text)
    new_text, redactions = result
    if not redactions:
        return Redacted(raw, ())
    return Redacted(new_text.encode("utf-8"), tuple(redactions))


def _redact_text(text: str) -> tuple[str, list[Redaction]]:
    spans = _spans(text, key_values=True)
    # Line numbers are those of the original file: a private key's body shrinks to one line.
    redactions = [Redaction(f"line {text.count(chr(10), 0, start) + 1}", why) for start, _, why in spans]
    return _scrub(text, spans), redactions


def _redact_json(text: str) -> tuple[str, list[Redaction]] | None:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    redactions: list[Redaction] = []
    new = _walk(data, "", redactions)
    if not redactions:
        return text, []
    try:
        return json.dumps(new, indent=2, ensure_ascii=False, allow_nan=False) + "\n", redactions
    except ValueError:  # a number JSON cannot write back (1e999 read as infinity)
        return None


def _redact_yaml(text: str) -> tuple[str, list[Redaction]] | None:
    try:
        data = parse_yaml(text, "evidence").data
    except Exception:  # the loader accepted the file; anything else is read as text
        return None
    redactions: list[Redaction] = []
    new = _walk(data, "", redactions)
    if not redactions:
        return text, []
    dumped = dump_yaml(new)
    if parse_yaml(dumped, "evidence").data != new:  # pragma: no cover - dump_yaml round-trips
        dumped = json.dumps(new, indent=2, ensure_ascii=False) + "\n"  # JSON is YAML too
    return dumped, redactions


def _redact_csv(text: str) -> tuple[str, list[Redaction]] | None:
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    if not rows:
        return text, []
    header = rows[0]
    secret_columns = {i for i, name in enumerate(header) if secret_key(name)}
    redactions: list[Redaction] = []
    for number, row in enumerate(rows[1:]):
        for index, cell in enumerate(row):
            column = header[index] if index < len(header) else str(index)
            at = f"/{number}/{_pointer_part(column)}"
            if index in secret_columns and cell and cell != MARK:
                row[index] = MARK
                redactions.append(Redaction(at, f"column {column!r}"))
                continue
            spans = _spans(cell)
            if spans:
                row[index] = _scrub(cell, spans)
                redactions += [Redaction(at, reason) for reason in sorted({r for _, _, r in spans})]
    if not redactions:
        return text, []
    buffer = io.StringIO()
    ending = "\r\n" if "\r\n" in text else "\n"
    csv.writer(buffer, lineterminator=ending).writerows(rows)
    return buffer.getvalue(), redactions


def _walk(value: Any, pointer: str, found: list[Redaction]) -> Any:
    """A copy of ``value`` with secrets replaced; each replacement is appended to ``found``."""
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        for key, item in value.items():
            at = f"{pointer}/{_pointer_part(str(key))}"
            if isinstance(key, str) and secret_key(key):
                out[key] = _redact_secret(item, at, f"key {key!r}", found)
            else:
                out[key] = _walk(item, at, found)
        return out
    if isinstance(value, list):
        return [_walk(item, f"{pointer}/{index}", found) for index, item in enumerate(value)]
    if isinstance(value, str):
        spans = _spans(value)
        found += [Redaction(pointer, reason) for reason in sorted({r for _, _, r in spans})]
        return _scrub(value, spans) if spans else value
    return value


def _redact_secret(value: Any, pointer: str, reason: str, found: list[Redaction]) -> Any:
    """The value under a secret-looking key: a string or number is replaced, a list's scalars too."""
    if isinstance(value, bool) or value is None or value in ("", MARK):
        return value
    if isinstance(value, str | int | float):
        found.append(Redaction(pointer, reason))
        return MARK
    if isinstance(value, list):
        return [_redact_secret(item, f"{pointer}/{index}", reason, found) for index, item in enumerate(value)]
    return _walk(value, pointer, found)


def _pointer_part(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")
