"""Secrets in text: every string value of a parsed file, every text file, an evidence ``source``.

What is found (each a :class:`Span`, the secret's place and why), in this order of precedence:

* values named like secrets: ``key = value`` and ``key: value`` lines (``export`` allowed), inline
  ``name=value`` pairs (URL queries, ``Password=...;`` connection strings, ``--token=...``) and
  quoted pairs (``"password": "..."``, JSON or a Python repr inside a string);
* ``Authorization`` headers (the scheme is kept: ``Bearer [REDACTED]``), ``Cookie`` and
  ``Set-Cookie`` headers (the cookie names and attributes are kept, their values are not);
* the password of a URL (``postgres://app:[REDACTED]@db/app``), or its user when that is as long
  as a token;
* private keys: PEM blocks (PKCS#1, PKCS#8, EC, DSA, OpenSSH, encrypted), PGP private key blocks,
  SSH2 (``---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----``) and the private lines of PuTTY key files;
  a block without its end is redacted to the end of the text;
* token shapes: AWS access key ids, secret access keys (next to their name) and session tokens,
  GitHub, GitLab, Slack, Google API, Stripe and npm tokens, Slack webhooks, bearer tokens, JWTs.

A value already reading ``[REDACTED]`` is left as it is, so redaction is idempotent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace

from assay.lazy_regex import LazyRegex
from assay.lean_dataclasses import frozen
from assay.redact.names import HeaderKind, header_kind, secret_key

MARK = "[REDACTED]"
_BLOCK = f"\n{MARK}\n"  # a private key's body: the BEGIN and END lines stay, the body is one line
_PRIVATE_KEY_REASON = "private key"


@frozen
class Span:
    """A secret in a text: ``text[start:end]`` is replaced by ``replacement``."""

    start: int
    end: int
    reason: str
    replacement: str = MARK


_NOT_MARK = LazyRegex(r"(?:\\[nrt]|[\s\"'])+")
# Two keys that redact to the same text are told apart by a number after the later one ("(2)"): at the
# end of a key such as "Cookie: sid=[REDACTED] (2)" the number reads as part of the cookie's value.
_KEY_NUMBER = LazyRegex(r" \(\d+\)$")


def is_mark(value: str) -> bool:
    """Whether ``value`` is already a redaction mark (quotes, whitespace, escaped newlines and the
    number a redacted key may carry aside)."""
    return len(value) < 64 and _NOT_MARK.sub("", _KEY_NUMBER.sub("", value)).upper() == MARK  # noqa: PLR2004


# --- private keys ----------------------------------------------------------------------------------

_ARMOUR = r"-{4,5}[ \t]?"
_LABEL = r"(?:[A-Z0-9]+[ \t])*PRIVATE[ \t]KEY(?:[ \t]BLOCK)?"
_PRIVATE_KEY = LazyRegex(
    rf"{_ARMOUR}BEGIN[ \t]{_LABEL}[ \t]?-{{4,5}}(.*?)(?:{_ARMOUR}END[ \t]{_LABEL}[ \t]?-{{4,5}}|\Z)",
    re.DOTALL,
)
_PUTTY = LazyRegex(
    r"PuTTY-User-Key-File-[0-9]+:.*?Private-Lines:[ \t]*[0-9]+(.*?)(?=Private-MAC:|\Z)", re.DOTALL
)


def _private_keys(text: str, lower: str) -> Iterator[Span]:
    if "PRIVATE" not in text and "PuTTY-User-Key-File" not in text:
        return
    for regex in (_PRIVATE_KEY, _PUTTY):
        for match in regex.finditer(text):
            if match.group(1).strip():
                yield Span(*match.span(1), _PRIVATE_KEY_REASON, _BLOCK)


# --- token shapes ----------------------------------------------------------------------------------

_NOT_AFTER = r"(?<![A-Za-z0-9])"
# (why, the pattern (group 1 is the secret), strings one of which the text holds when it can match:
# a quick test that spares most strings the regular expression; in lower case for ``(?i`` patterns).
_TOKEN_PATTERNS = (
    (
        "AWS access key id",
        rf"{_NOT_AFTER}((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{{16}})(?![A-Za-z0-9])",
        ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
    ),
    (
        "AWS secret access key",
        r"(?i:aws_?secret_?access_?key|secret_?access_?key)[\"']?\s*[:=]\s*[\"']?"
        r"([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])",
        ("access",),
    ),
    (
        "AWS session token",
        r"(?<![A-Za-z0-9/+])((?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)[A-Za-z0-9/+=]{40,})",
        ("IQoJb3JpZ2luX2Vj", "FwoGZXIvYXdzE"),
    ),
    (
        "GitHub token",
        rf"{_NOT_AFTER}(gh[pousr]_[A-Za-z0-9_]{{30,255}})",
        ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    ),
    ("GitHub token", rf"{_NOT_AFTER}(github_pat_[A-Za-z0-9_]{{30,255}})", ("github_pat_",)),
    ("GitLab token", rf"{_NOT_AFTER}(gl(?:pat|dt|rt|ptt|cbt|oas)-[A-Za-z0-9_-]{{20,255}})", ("gl",)),
    (
        "Slack token",
        rf"{_NOT_AFTER}((?:xox[abeoprs]|xoxe\.xox[bp]|xapp)-[A-Za-z0-9-]{{10,255}})",
        ("xox", "xapp-"),
    ),
    (
        "Slack webhook",
        r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9/_+-]{20,})",
        ("hooks.slack.com",),
    ),
    ("Google API key", rf"{_NOT_AFTER}(AIza[0-9A-Za-z_-]{{35}})", ("AIza",)),
    ("Stripe key", rf"{_NOT_AFTER}((?:sk|rk)_(?:live|test)_[0-9A-Za-z]{{16,255}})", ("k_live_", "k_test_")),
    ("npm token", rf"{_NOT_AFTER}(npm_[A-Za-z0-9]{{36}})", ("npm_",)),
    ("bearer token", rf"{_NOT_AFTER}(?i:bearer)\s+([A-Za-z0-9\-._~+/]{{16,}}=*)", ("bearer",)),
    (
        "JSON Web Token",
        r"(?<![A-Za-z0-9_-])(ey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*)",
        (".ey",),
    ),
)
_TOKENS = tuple((reason, LazyRegex(pattern), hints) for reason, pattern, hints in _TOKEN_PATTERNS)


def _tokens(text: str, lower: str) -> Iterator[Span]:
    for reason, regex, hints in _TOKENS:
        haystack = lower if "(?i" in regex.pattern else text
        if any(hint in haystack for hint in hints):
            for match in regex.finditer(text):
                yield Span(*match.span(1), reason)


# --- URLs --------------------------------------------------------------------------------------

_URL_PASSWORD = LazyRegex(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#\s@:\"'<>]*:([^/?#\s\"'<>]*)@")
_URL_USER = LazyRegex(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#\s@:\"'<>]{16,})@")


def _urls(text: str, lower: str) -> Iterator[Span]:
    if "://" not in text or "@" not in text:
        return
    for match in _URL_PASSWORD.finditer(text):
        yield Span(*match.span(1), "password in a URL")
    for match in _URL_USER.finditer(text):
        yield Span(*match.span(1), "credentials in a URL")


# --- HTTP headers ----------------------------------------------------------------------------------

_HEADER = LazyRegex(
    r"(?i)(?<![A-Za-z0-9_-])(proxy-authorization|authorization|set-cookie|cookie)[\"']?[ \t]*[:=][ \t]*[\"']?"
)
_HEADER_END = LazyRegex(r"[\"'\r\n]|\Z")
# Authorization schemes that are kept (IANA's registry and common vendor ones); any other first word
# may be the credential itself.
_SCHEMES = {
    "basic", "bearer", "digest", "negotiate", "ntlm", "token", "bot", "oauth", "dpop", "hawk", "mac", "hoba",
    "mutual", "apikey", "api-key", "ssws", "aws", "aws4-hmac-sha256", "scram-sha-1", "scram-sha-256",
    "vapid", "kerberos", "splunk", "key", "privatetoken", "concealed", "gnap", "origin",
}  # fmt: skip
_SCHEME = LazyRegex(r"([A-Za-z][A-Za-z0-9_.-]*)[ \t]+(?=\S)")
_SET_COOKIE_VALUE = LazyRegex(r"(?:^|,)[ \t]*[^=;,\s]+[ \t]*=([^;,\r\n]*)", re.MULTILINE)
_COOKIE_VALUE = LazyRegex(r"(?:^|;)[ \t]*[^=;\s]+[ \t]*=([^;\r\n]*)", re.MULTILINE)


def header_spans(kind: HeaderKind, value: str, offset: int = 0) -> list[Span]:
    """The secrets in the value of a header: the credentials after an Authorization scheme, the
    values of cookies. ``offset`` is where ``value`` starts in the text the spans are for."""
    if kind == "authorization":
        scheme = _SCHEME.match(value)
        start = scheme.end() if scheme and scheme.group(1).lower() in _SCHEMES else 0
        end = len(value.rstrip())
        return [Span(offset + start, offset + end, "Authorization header")] if end > start else []
    regex = _SET_COOKIE_VALUE if kind == "set-cookie" else _COOKIE_VALUE
    spans = []
    for match in regex.finditer(value):
        start, end = match.span(1)
        if value[start:end].strip():
            spans.append(Span(offset + start, offset + end, "cookie"))
    return spans


def _headers(text: str, lower: str) -> Iterator[Span]:
    if "authorization" not in lower and "cookie" not in lower:
        return
    for match in _HEADER.finditer(text):
        kind = header_kind(match.group(1))
        end = _HEADER_END.search(text, match.end())
        value = text[match.end() : end.start()] if end is not None else ""
        if kind is not None and value.strip().lower() not in _NOT_VALUES:
            yield from header_spans(kind, value, match.end())


# --- values named like secrets ---------------------------------------------------------------------

_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*"
# ``key = value`` lines: with ``=`` the value is the rest of the line; with ``:`` one token or one
# quoted string (and a comment), so prose such as "Password: at least 12 characters" stays.
_LINE = LazyRegex(
    rf"^[ \t]*(?:export[ \t]+)?([\"']?)({_NAME})\1[ \t]*"
    r"(?:=[ \t]*(?P<eq>[^\r\n]*?)"
    r"|:[ \t]*(?P<colon>\"[^\"\r\n]*\"|'[^'\r\n]*'|[^\s\"'#]+)(?:[ \t]+#[^\r\n]*)?)"
    r"[ \t]*,?[ \t]*\r?$",
    re.MULTILINE,
)
# The value is matched in a lookahead, so that a pair inside a value (``a=password=x``) is found too.
_INLINE = LazyRegex(
    r"(?<![A-Za-z0-9_.-])([A-Za-z_.-][A-Za-z0-9_.-]*)[ \t]*=(?!=)[ \t]*"
    r"(?=(\"[^\"\r\n]*\"|'[^'\r\n]*'|[^\s&;,\"'<>]+))"
)
# ``"name": value`` as in JSON or a Python repr, also with escaped quotes (JSON inside a JSON string).
_QUOTED = LazyRegex(
    r"(\\?[\"'])([^\"'\\\r\n]{1,100})\1[ \t]*[:=][ \t]*"
    r"(?=(\\\"(?:[^\"\\\r\n]|\\[^\"\r\n])*\\\"|\"(?:[^\"\\\r\n]|\\.)*\"|'(?:[^'\\\r\n]|\\.)*'|[^\s,}\])\"'{\[\\]+))"
)
_NOT_VALUES = {"", "null", "none", "nil", "true", "false", "~", "{}", "[]", "|", ">", "|-", ">-"}


def _value_span(name: str, start: int, value: str, *, quote_bare: bool = False) -> Span | None:
    """The span of a value named ``name`` found at ``start``: inside its quotes when quoted."""
    if not secret_key(name) or header_kind(name) is not None:
        return None
    escaped = len(value) >= 4 and value.startswith('\\"') and value.endswith('\\"')  # noqa: PLR2004
    quoted = 1 if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else 0  # noqa: PLR2004
    quoted = 2 if escaped else quoted
    inner = value[quoted:-quoted] if quoted else value.strip()
    if inner.strip().lower() in _NOT_VALUES or is_mark(inner):
        return None
    reason = f"key {shown_name(name)!r}"
    if quoted:
        return Span(start + quoted, start + len(value) - quoted, reason)
    if quote_bare:  # a number in JSON-like text: keep the text valid JSON
        return Span(start, start + len(value), reason, f'"{MARK}"')
    return Span(start, start + len(value.rstrip()), reason)


# Every secret name holds one of these (see :mod:`assay.redact.names`): text without any has no pair.
_NAME_HINTS = ("pass", "pwd", "secret", "token", "key", "auth", "credential")


def _pairs(text: str, lower: str) -> Iterator[Span]:
    if not any(hint in lower for hint in _NAME_HINTS) or ("=" not in text and ":" not in text):
        return
    for match in _LINE.finditer(text):
        group = "eq" if match.group("eq") is not None else "colon"
        span = _value_span(match.group(2), match.start(group), match.group(group))
        if span is not None:
            yield span
    for regex, quote_bare in ((_INLINE, False), (_QUOTED, True)):
        for match in regex.finditer(text):
            name = match.group(2) if regex is _QUOTED else match.group(1)
            value_group = 3 if regex is _QUOTED else 2
            span = _value_span(
                name, match.start(value_group), match.group(value_group), quote_bare=quote_bare
            )
            if span is not None:
                yield span


def shown_name(name: str) -> str:
    """A name as it may be shown in a redaction's reason: with any token shape in it redacted."""
    lower = name.lower()
    spans = merge([*_tokens(name, lower), *_urls(name, lower), *_private_keys(name, lower)], name)
    return scrub(name, spans) if spans else name


# --- all together ----------------------------------------------------------------------------------

_FINDERS: tuple[Callable[[str, str], Iterator[Span]], ...] = (_pairs, _headers, _urls, _private_keys, _tokens)


# What a text holds when any finder can find anything: one quick search spares most strings them all.
_HINTS = LazyRegex(
    "|".join(
        re.escape(hint)
        for hint in (
            *(hint for _, pattern, hints in _TOKEN_PATTERNS if "(?i" not in pattern for hint in hints),
            "PRIVATE",
            "PuTTY-User-Key-File",
            "://",
        )
    )
)
_LOWER_HINTS = LazyRegex(
    "|".join(
        re.escape(hint)
        for hint in (
            *(hint for _, pattern, hints in _TOKEN_PATTERNS if "(?i" in pattern for hint in hints),
            *_NAME_HINTS,
            "cookie",
        )
    )
)


def find(text: str) -> list[Span]:
    """Every secret in ``text``, in order; overlapping finds are merged into one."""
    lower = text.lower()
    if _HINTS.search(text) is None and _LOWER_HINTS.search(lower) is None:
        return []
    return merge([span for finder in _FINDERS for span in finder(text, lower)], text)


def merge(spans: list[Span], text: str) -> list[Span]:
    """The spans of ``text`` that are not empty or already redacted, in text order, overlapping ones
    joined (the first found gives the reason)."""
    spans = [s for s in spans if s.end > s.start and not is_mark(text[s.start : s.end])]
    ordered = sorted(enumerate(spans), key=lambda pair: (pair[1].start, -pair[1].end, pair[0]))
    kept: list[Span] = []
    for _, span in ordered:
        if kept and span.start < kept[-1].end:
            if span.end > kept[-1].end:
                joined = replace(kept[-1], end=span.end)
                if "\n" in text[joined.start : joined.end]:  # keep what follows on a line of its own
                    joined = replace(joined, replacement=_BLOCK)
                kept[-1] = joined
            continue
        kept.append(span)
    return kept


def scrub(text: str, spans: list[Span]) -> str:
    """``text`` with every span replaced (``spans`` as :func:`find` gives them: ordered, disjoint)."""
    pieces: list[str] = []
    last = 0
    for span in spans:
        pieces += [text[last : span.start], span.replacement]
        last = span.end
    return "".join([*pieces, text[last:]])


def redact_text(text: str) -> str:
    """``text`` with every secret :func:`find` finds replaced by ``[REDACTED]``."""
    spans = find(text)
    return scrub(text, spans) if spans else text
