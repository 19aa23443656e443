"""Properties of redaction over generated data: no secret survives, nothing under a secret's name
survives, and redacting again changes nothing; in JSON, YAML, CSV and text."""

from __future__ import annotations

import csv
import io
import json
import math
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from assay.redact import MARK, header_kind, redact, secret_key
from assay.yamlsource import dump_yaml, parse_yaml

UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ALNUM = UPPER + "abcdefghijklmnopqrstuvwxyz"
B64URL = ALNUM + "-_"

# Filler is lower-case prose: it can never contain the upper-case secret bodies generated below.
filler = st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,;:!?", max_size=16)
separators = st.sampled_from(
    [" ", "\n", "\t", ", ", "; ", " | ", "(", ")", '"', "'", "=", ": ", "/", "<", ">"]
)


def chars(alphabet: str, low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, min_size=low, max_size=high)


# Each strategy gives (the text to plant, the parts of it that are secret).
Planted = tuple[str, tuple[str, ...]]


def _aws() -> st.SearchStrategy[Planted]:
    return st.builds(lambda p, b: (p + b, (p + b,)), st.sampled_from(["AKIA", "ASIA"]), chars(UPPER, 16, 16))


def _github() -> st.SearchStrategy[Planted]:
    return st.builds(lambda b: ("ghp_" + b, (b,)), chars(UPPER, 36, 40))


def _slack() -> st.SearchStrategy[Planted]:
    return st.builds(lambda d, b: (f"xoxb-{d}-{b}", (b,)), chars("0123456789", 12, 12), chars(UPPER, 24, 24))


def _jwt() -> st.SearchStrategy[Planted]:
    def jwt(h: str, p: str, s: str) -> Planted:
        return f"eyJ{h}.eyJ{p}.{s}", (h, p, s)

    return st.builds(jwt, chars(UPPER, 12, 20), chars(UPPER, 12, 20), chars(UPPER, 16, 30))


def _url() -> st.SearchStrategy[Planted]:
    def url(scheme: str, user: str, password: str) -> Planted:
        return f"{scheme}://{user}:{password}@db.internal/app", (password,)

    schemes = st.sampled_from(["postgres", "https", "mysql", "redis", "amqp"])
    return st.builds(url, schemes, chars("abcdefgh", 1, 8), chars(UPPER, 8, 16))


def _private_key() -> st.SearchStrategy[Planted]:
    def key(kind: str, lines: list[str]) -> Planted:
        body = "\n".join(lines)
        if kind == "putty":
            return (
                f"PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nPublic-Lines: 1\nAAAApublic\n"
                f"Private-Lines: {len(lines)}\n{body}\nPrivate-MAC: 0a1b",
                tuple(lines),
            )
        return f"-----BEGIN {kind} PRIVATE KEY-----\n{body}\n-----END {kind} PRIVATE KEY-----", tuple(lines)

    kinds = st.sampled_from(["RSA", "EC", "OPENSSH", "ENCRYPTED", "PGP", "putty"])
    return st.builds(key, kinds, st.lists(chars(UPPER + "+/", 12, 40), min_size=1, max_size=3))


def _named() -> st.SearchStrategy[Planted]:
    def pair(form: str, value: str) -> Planted:
        return form.format(value), (value,)

    forms = st.sampled_from(
        [
            "password={}",
            "DB_PASSWORD = {}",
            "Server=db;Password={};",
            '"client_secret": "{}"',
            "Authorization: Bearer {}",
            "Authorization: {}",
            "Cookie: sid={}",
            "https://h/p?access_token={}&x=1",
        ]
    )
    return st.builds(pair, forms, chars(UPPER, 8, 20))


planted = st.one_of(_aws(), _github(), _slack(), _jwt(), _url(), _private_key(), _named())


@st.composite
def texts(draw: st.DrawFn, found: list[str]) -> str:
    """Prose with secrets planted in it; the secret parts are appended to ``found``."""
    pieces: list[str] = []
    for item in draw(st.lists(st.one_of(filler.map(lambda t: (t, ())), planted), max_size=4)):
        text, secrets = item
        found.extend(secrets)
        pieces += [text, draw(separators)]
    return "".join(pieces)


SECRET_NAMES = [
    "password",
    "client_secret",
    "api_key",
    "SecretAccessKey",
    "private_key",
    "token",
    "credentials",
]
HEADER_NAMES = ["Authorization", "Cookie", "set-cookie"]


@st.composite
def documents(draw: st.DrawFn) -> tuple[Any, list[str]]:
    """Nested data with secrets in values and keys, under secret names and header names."""
    found: list[str] = []
    keys = st.one_of(
        st.sampled_from(SECRET_NAMES + HEADER_NAMES), filler, texts(found).filter(lambda t: "\n" not in t)
    )
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        texts(found),
    )
    data = draw(
        st.recursive(
            scalars,
            lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
            max_leaves=24,
        )
    )
    return data, found


def check_nothing_left(data: Any) -> None:
    """No value under a secret's name survives; Authorization credentials neither."""
    if isinstance(data, list):
        for item in data:
            check_nothing_left(item)
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        kind = header_kind(key)
        if kind == "authorization":
            assert value in (None, True, False, "", [], {}, MARK) or _ends_with_mark(value), (key, value)
        elif kind is None and secret_key(key):
            assert value in (None, True, False, "", [], {}, MARK), (key, value)
        check_nothing_left(value)


def _ends_with_mark(value: Any) -> bool:
    if isinstance(value, list):
        return all(v in (None, True, False, "", [], {}) or _ends_with_mark(v) for v in value)
    return isinstance(value, str) and (not value.strip() or value.rstrip().endswith(MARK))


def assert_redacted(raw: bytes, fmt: str, secrets: list[str]) -> bytes:
    result = redact(raw, fmt)
    out = result.data.decode("utf-8").replace(MARK, "")  # a secret may be "REDACTED" itself
    for secret in secrets:
        assert secret not in out, (secret, out)
    again = redact(result.data, fmt)
    assert again.redactions == (), again.redactions
    assert again.data == result.data
    return result.data


@settings(max_examples=300)
@given(documents())
# Found by this test in CI: two cookie keys that redact to one text; the second is numbered "(2)",
# which a second pass read as part of the cookie's value and redacted again.
@example(({"Cookie: sid=00000000 ": None, "Cookie: sid=00000000  ": None}, ["00000000"]))
def test_json_keeps_no_secret_and_is_idempotent(document: tuple[Any, list[str]]) -> None:
    data, secrets = document
    out = assert_redacted(json.dumps(data).encode(), "json", secrets)
    check_nothing_left(json.loads(out))


@settings(max_examples=200)
@given(documents())
def test_yaml_keeps_no_secret_and_is_idempotent(document: tuple[Any, list[str]]) -> None:
    data, secrets = document
    out = assert_redacted(dump_yaml(data).encode(), "yaml", secrets)
    check_nothing_left(parse_yaml(out, "x").data)


@settings(max_examples=200)
@given(st.data())
def test_csv_keeps_no_secret_and_is_idempotent(data: st.DataObject) -> None:
    found: list[str] = []
    cell = texts(found)
    header = data.draw(
        st.lists(st.one_of(st.sampled_from(SECRET_NAMES + HEADER_NAMES), cell), min_size=1, max_size=4)
    )
    rows = data.draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=4))
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    out = assert_redacted(buffer.getvalue().encode(), "csv", found)
    table = list(csv.reader(io.StringIO(out.decode(), newline="")))
    check_nothing_left([dict(zip(table[0], row, strict=False)) for row in table[1:]])


@settings(max_examples=300)
@given(st.data())
def test_text_keeps_no_secret_and_is_idempotent(data: st.DataObject) -> None:
    found: list[str] = []
    text = data.draw(texts(found))
    assert_redacted(text.encode(), "text", found)


@given(st.floats(allow_nan=False), st.floats(allow_nan=False))
def test_json_numbers_read_back_the_same(first: float, second: float) -> None:
    raw = json.dumps({"a": first, "password": "x", "b": [second]}).encode()
    data = json.loads(redact(raw, "json").data)
    assert data["a"] == first or (math.isinf(first) and data["a"] == first)
    assert data["b"] == [second]
