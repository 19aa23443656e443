"""Redaction of secrets in evidence: by name at any depth, in keys, by shape in text; never passed through."""

from __future__ import annotations

import functools
import json
import math
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from assay.evidence import InMemoryEvidence, load_evidence_dir, parse_evidence
from assay.redact import MARK, WHOLE_FILE, Redaction, header_kind, redact, redact_text, secret_key
from assay.yamlsource import parse_yaml

# Realistic-looking but fake values (AWS's documented examples, made-up tokens).
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AKIA = "AKIAIOSFODNN7EXAMPLE"
GHP = "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
BUILTIN_EVIDENCE = Path(__file__).resolve().parents[1] / "evidence"


def packed(raw: bytes, fmt: str) -> str:
    """The redacted text, checked to be stable: redacting it again changes nothing."""
    result = redact(raw, fmt)
    again = redact(result.data, fmt)
    assert again.redactions == ()
    assert again.data == result.data
    return result.data.decode("utf-8")


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "DB_PASSWORD",
        "passwd",
        "clientSecret",
        "client_secret",
        "SecretAccessKey",
        "aws_secret_access_key",
        "SecretString",
        "api_key",
        "x-api-key",
        "APIKey",
        "private_key",
        "privateKey",
        "token",
        "access_token",
        "SessionToken",
        "Authorization",
        "identitytoken",
        "AccountKey",
        "SharedAccessKey",
    ],
)
def test_secret_keys(key: str) -> None:
    assert secret_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "password_enabled",
        "PasswordLastUsed",
        "password_last_changed",
        "password_storage",
        "AccessKeyId",
        "access_key_1_active",
        "NextToken",
        "ClientToken",
        "LockToken",
        "token_type",
        "tokens",  # an inventory of tokens: its items' own keys decide
        "SecretList",
        "secret_name",
        "redaction/secrets",
        "log_secrets",
        "authorizationType",
        "KmsKeyId",
        "user",
        "",
    ],
)
def test_keys_that_are_not_secrets(key: str) -> None:
    assert not secret_key(key)


def test_header_names_in_any_spelling() -> None:
    assert [header_kind(n) for n in ("Authorization", "proxy-authorization", "COOKIE", "Set-Cookie")] == [
        "authorization",
        "authorization",
        "cookie",
        "set-cookie",
    ]
    assert header_kind("set_cookie") == "set-cookie"
    assert header_kind("authorization_type") is None


# --- JSON ----------------------------------------------------------------------------------------


def test_json_values_under_secret_keys_are_replaced_and_located_by_pointer() -> None:
    raw = json.dumps(
        {
            "Users": [{"name": "alice", "password": "hunter2", "password_enabled": True, "n/a~": "x"}],
            "db": {"host": "db.internal", "api_key": 12345, "token": None, "secret": ""},
            "notes": f"rotated key {AKIA} today",
        }
    ).encode()
    result = redact(raw, "json")
    assert result.redactions == (
        Redaction("/Users/0/password", "key 'password'"),
        Redaction("/db/api_key", "key 'api_key'"),
        Redaction("/notes", "AWS access key id"),
    )
    data = json.loads(result.data)
    assert data["Users"][0] == {"name": "alice", "password": MARK, "password_enabled": True, "n/a~": "x"}
    assert data["db"] == {"host": "db.internal", "api_key": MARK, "token": None, "secret": ""}
    assert data["notes"] == f"rotated key {MARK} today"
    assert result.data.endswith(b"}\n")
    assert b"hunter2" not in result.data


def test_json_pointer_escapes_slash_and_tilde() -> None:
    result = redact(json.dumps({"a/b": {"c~d": {"password": "p"}}}).encode(), "json")
    assert result.redactions == (Redaction("/a~1b/c~0d/password", "key 'password'"),)


def test_a_file_without_secrets_is_returned_byte_for_byte() -> None:
    raw = b'{ "Volumes": [ {"VolumeId": "vol-1", "Encrypted": true} ],\n  "NextToken": "abc" }'
    result = redact(raw, "json")
    assert result.data is raw
    assert result.redactions == ()


def test_a_number_too_large_for_a_float_does_not_stop_redaction() -> None:
    raw = b'{"limit": 1e999, "floor": -1E400, "db": {"password": "hunter2"}, "ok": 1.5}'
    text = packed(raw, "json")
    assert "hunter2" not in text
    assert '"limit": 1e999' in text
    assert '"floor": -1e999' in text
    # The packed copy reads back (through the evidence loader) to what the run read, secret aside.
    data = parse_evidence(text.encode(), "json", "x.json")
    assert data == {"limit": math.inf, "floor": -math.inf, "db": {"password": MARK}, "ok": 1.5}


def test_a_byte_order_mark_does_not_stop_redaction() -> None:
    text = packed(b'\xef\xbb\xbf{"password": "hunter2"}', "json")
    assert json.loads(text) == {"password": MARK}


def test_duplicate_keys_are_dropped_not_passed_through() -> None:
    # The loader keeps the last value; a secret in an earlier duplicate must not ride along.
    raw = b'{"note": "AKIAIOSFODNN7EXAMPLE", "note": "nothing here", "password": "x", "password": ""}'
    result = redact(raw, "json")
    assert b"AKIAIOSFODNN7EXAMPLE" not in result.data
    assert json.loads(result.data) == {"note": "nothing here", "password": ""}
    assert result.redactions == (
        Redaction("(duplicate keys)", "2 duplicate key(s) dropped: a rule read the last"),
    )


def test_objects_and_lists_under_secret_keys_are_redacted_whole() -> None:
    raw = json.dumps(
        {
            "credentials": {"user": "svc", "pw": "hunter2", "extra": {"pin": 4711}},
            "api_key": ["k-one", "k-two"],
            "private_key": {"kty": "EC", "d": "c2VjcmV0LXNjYWxhcg"},
            "client_secret": 12.5,
            "secret": {},
            "token": False,
        }
    ).encode()
    data = json.loads(packed(raw, "json"))
    assert data == {
        "credentials": MARK,
        "api_key": MARK,
        "private_key": MARK,
        "client_secret": MARK,
        "secret": {},
        "token": False,
    }


def test_name_value_settings_named_like_secrets() -> None:
    raw = json.dumps(
        {
            "Tags": [{"Key": "db_password", "Value": "hunter2"}, {"Key": "Name", "Value": "web"}],
            "containerDefinitions": [{"environment": [{"name": "API_TOKEN", "value": "t0ken"}]}],
            "Parameters": [{"ParameterKey": "MasterUserPassword", "ParameterValue": "p4ss"}],
        }
    ).encode()
    result = redact(raw, "json")
    data = json.loads(result.data)
    assert data["Tags"] == [{"Key": "db_password", "Value": MARK}, {"Key": "Name", "Value": "web"}]
    assert data["containerDefinitions"][0]["environment"] == [{"name": "API_TOKEN", "value": MARK}]
    assert data["Parameters"] == [{"ParameterKey": "MasterUserPassword", "ParameterValue": MARK}]
    assert Redaction("/Tags/0/Value", "value of 'db_password'") in result.redactions


def test_secrets_used_as_keys_are_redacted_and_numbered_apart() -> None:
    raw = json.dumps(
        {
            GHP: {"scopes": ["repo"]},
            "https://deploy:hunter2@git.example/repo.git": "mirror",
            "xoxb-123456789012-abcdefghijkl": 1,
            MARK: "a key that read [REDACTED] already",
        }
    ).encode()
    result = redact(raw, "json")
    text = result.data.decode()
    for secret in (GHP, "hunter2", "xoxb-123456789012"):
        assert secret not in text
    assert json.loads(text) == {
        MARK: {"scopes": ["repo"]},
        f"https://deploy:{MARK}@git.example/repo.git": "mirror",
        f"{MARK} (2)": 1,
        f"{MARK} (3)": "a key that read [REDACTED] already",
    }
    assert Redaction(f"/{MARK}", "GitHub token in a key") in result.redactions
    assert all(GHP not in r.at + r.reason for r in result.redactions)
    assert redact(result.data, "json").redactions == ()


def test_authorization_and_cookie_headers_keep_their_shape_not_their_credentials() -> None:
    raw = json.dumps(
        {
            "request": {
                "Authorization": "Bearer abc.def.ghi",
                "proxy-authorization": "Basic dXNlcjpodW50ZXIy",
                "authorization": "rawtoken-no-scheme",
                "Cookie": "theme=dark; sid=s3ss10n",
            },
            "response": {
                "set-cookie": "a=1; Path=/; Secure, b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly",
                "Set-Cookie": ["sid=abc; Secure; SameSite=Lax"],
            },
            "cookies": {"sid": "abc123", "prefs": "x"},
            "browser": {"cookie": {"name": "sid", "value": "abc123", "secure": True, "sameSite": "Lax"}},
        }
    ).encode()
    data = json.loads(packed(raw, "json"))
    assert data["request"] == {
        "Authorization": f"Bearer {MARK}",
        "proxy-authorization": f"Basic {MARK}",
        "authorization": MARK,
        "Cookie": f"theme={MARK}; sid={MARK}",
    }
    assert data["response"] == {
        "set-cookie": f"a={MARK}; Path=/; Secure, b={MARK}; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly",
        "Set-Cookie": [f"sid={MARK}; Secure; SameSite=Lax"],
    }
    assert data["cookies"] == {"sid": MARK, "prefs": MARK}
    assert data["browser"]["cookie"] == {"name": "sid", "value": MARK, "secure": True, "sameSite": "Lax"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("postgres://app:s3cr3t@db.internal:5432/app", f"postgres://app:{MARK}@db.internal:5432/app"),
        ("https://user:pa@ss@example.com/x", f"https://user:{MARK}@example.com/x"),
        ("redis://:s3cr3t@cache:6379/0", f"redis://:{MARK}@cache:6379/0"),
        ("mongodb+srv://u:p4ss@cluster0.example.net/db", f"mongodb+srv://u:{MARK}@cluster0.example.net/db"),
        ("https://0123456789abcdef0123@sentry.example/1", f"https://{MARK}@sentry.example/1"),
        ("ssh://git@github.com/acme/api.git", "ssh://git@github.com/acme/api.git"),
        (
            "Server=db;Database=app;User Id=sa;Password=hunter2;",
            f"Server=db;Database=app;User Id=sa;Password={MARK};",
        ),
        (
            "host=db user=app password=hunter2 sslmode=require",
            f"host=db user=app password={MARK} sslmode=require",
        ),
        (
            "jdbc:mysql://db/app?user=app&password=hunter2&ssl=true",
            f"jdbc:mysql://db/app?user=app&password={MARK}&ssl=true",
        ),
        (
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=bXlrZXk=;EndpointSuffix=core.windows.net",
            f"DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={MARK};EndpointSuffix=core.windows.net",
        ),
        ("mysql --password=hunter2 -h db", f"mysql --password={MARK} -h db"),
    ],
)
def test_url_userinfo_and_connection_strings(value: str, expected: str) -> None:
    assert json.loads(packed(json.dumps({"dsn": value}).encode(), "json")) == {"dsn": expected}
    assert redact_text(value) == expected


@functools.cache
def _pem_keys() -> dict[str, str]:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pkcs8, pkcs1 = serialization.PrivateFormat.PKCS8, serialization.PrivateFormat.TraditionalOpenSSL
    pem, none = serialization.Encoding.PEM, serialization.NoEncryption()
    return {
        "rsa": rsa_key.private_bytes(pem, pkcs1, none).decode(),
        "pkcs8": rsa_key.private_bytes(pem, pkcs8, none).decode(),
        "encrypted": rsa_key.private_bytes(
            pem, pkcs8, serialization.BestAvailableEncryption(b"correct horse")
        ).decode(),
        "ec": ec.generate_private_key(ec.SECP256R1()).private_bytes(pem, pkcs1, none).decode(),
        "openssh": ed25519.Ed25519PrivateKey.generate()
        .private_bytes(pem, serialization.PrivateFormat.OpenSSH, none)
        .decode(),
        "pgp": "-----BEGIN PGP PRIVATE KEY BLOCK-----\nComment: test\n\n"
        "lQOYBGbx1c0BCADH8zq2Qm9ja1NlY3JldEJvZHkx\nQmFzZTY0U2VjcmV0Qm9keTI=\n=AbCd\n"
        "-----END PGP PRIVATE KEY BLOCK-----\n",
        "ssh2": '---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\nComment: "rsa-key"\n'
        "P2/56wAAA0pTZWNyZXRCb2R5T2ZTc2gy\n"
        "---- END SSH2 ENCRYPTED PRIVATE KEY ----\n",
        "putty2": "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: rsa-key-2026\nPublic-Lines: 2\n"
        "AAAAB3NzaC1yc2EAAAADAQABAAABAQC7\nUHVibGljTGluZQ==\nPrivate-Lines: 2\nAAABAFByaXZhdGVMaW5lT25l\n"
        "AAAAgQDPcml2YXRlTGluZVR3bw==\nPrivate-MAC: 0123456789abcdef0123456789abcdef01234567\n",
        "putty3": "PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\nComment: ed\nPublic-Lines: 2\n"
        "AAAAC3NzaC1lZDI1NTE5AAAAIEp1Ymxp\nY0xpbmU=\nKey-Derivation: Argon2id\nArgon2-Memory: 8192\n"
        "Argon2-Passes: 13\nArgon2-Parallelism: 1\nArgon2-Salt: 0123abcd\nPrivate-Lines: 1\n"
        "UHJpdmF0ZVB1dHR5VGhyZWVTZWNyZXQ=\nPrivate-MAC: 89abcdef\n",
        "truncated": "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAdHJ1bmNhdGVkU2VjcmV0\nQm9keQ==",
    }


def _body_lines(key: str) -> list[str]:
    """The lines of a private key that are secret: base64 lines other than the public ones."""
    lines = key.splitlines()
    if key.startswith("PuTTY"):
        start = next(i for i, line in enumerate(lines) if line.startswith("Private-Lines"))
        return [line for line in lines[start + 1 :] if not line.startswith("Private-MAC")]
    return [line for line in lines if line and "-----" not in line and "----" not in line and ":" not in line]


@pytest.mark.parametrize("kind", list(_pem_keys()))
def test_private_keys_of_every_format(kind: str) -> None:
    key = _pem_keys()[kind]
    secret_lines = _body_lines(key)
    assert secret_lines
    for fmt, raw in (
        ("json", json.dumps({"config": {"ssh": key}}).encode()),
        ("yaml", ("ssh: |\n" + "".join(f"  {line}\n" for line in key.splitlines())).encode()),
        ("text", f"deploy key follows\n{key}\nthat was it\n".encode()),
    ):
        text = packed(raw, fmt)
        for line in secret_lines:
            assert line not in text, (fmt, line)
        assert MARK in text


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        (AKIA, "AWS access key id"),
        ("ASIAY34FZKBOKMUTVV7A", "AWS access key id"),
        (GHP, "GitHub token"),
        ("ghs_" + "Zz9" * 12, "GitHub token"),
        ("github_pat_11ABCDEFG0123456789_" + "abcdefghij" * 6, "GitHub token"),
        ("glpat-" + "x1Y2z3" * 4, "GitLab token"),
        ("xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack token"),
        ("xoxp-123456789012-abcdefghijkl", "Slack token"),
        ("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX", "Slack webhook"),
        (JWT, "JSON Web Token"),
        ("AIza" + "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "Google API key"),
        ("IQoJb3JpZ2luX2VjEJr" + "A" * 60 + "/+=", "AWS session token"),
    ],
)
def test_token_shapes_anywhere_in_a_string(token: str, reason: str) -> None:
    raw = json.dumps({"log": [f"2026-01-01 deploy used {token}, then stopped"]}).encode()
    result = redact(raw, "json")
    assert token not in result.data.decode()
    assert result.redactions == (Redaction("/log/0", reason),)
    assert token not in redact_text(f"({token})")


def test_json_text_inside_a_string_stays_valid_json() -> None:
    policy = json.dumps({"Statement": [{"Sid": "x"}], "password": "hunter2", "pin": 4711, "api_key": 31337})
    data = json.loads(packed(json.dumps({"Policy": policy}).encode(), "json"))
    assert json.loads(data["Policy"]) == {
        "Statement": [{"Sid": "x"}],
        "password": MARK,
        "pin": 4711,
        "api_key": MARK,
    }


def test_aws_secret_key_inside_a_json_string_value() -> None:
    raw = json.dumps({"UserData": f"#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"}).encode()
    result = redact(raw, "json")
    assert result.redactions == (Redaction("/UserData", "key 'AWS_SECRET_ACCESS_KEY'"),)
    assert json.loads(result.data)["UserData"] == f"#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY={MARK}\n"
    assert AWS_SECRET not in redact_text(f'{{"aws_secret_access_key": "{AWS_SECRET}"}}')


# --- YAML and CSV --------------------------------------------------------------------------------


def test_yaml_is_reserialised_and_reads_back_to_the_same_values() -> None:
    raw = b"# exported\ndb:\n  password: hunter2  # secret\n  port: 5432\n  when: 2026-01-01\n  flag: no\n"
    result = redact(raw, "yaml")
    assert result.redactions == (Redaction("/db/password", "key 'password'"),)
    assert parse_yaml(result.data, "x").data == {
        "db": {"password": MARK, "port": 5432, "when": "2026-01-01", "flag": "no"}
    }


def test_yaml_nested_secrets_keys_and_infinities() -> None:
    raw = (
        f"limit: .inf\nfloor: -.inf\nvault:\n  secret:\n    nested: {{deep: value}}\n{GHP}: owner\n".encode()
    )
    text = packed(raw, "yaml")
    assert parse_yaml(text, "x").data == {
        "limit": math.inf,
        "floor": -math.inf,
        "vault": {"secret": MARK},
        MARK: "owner",
    }


def test_a_yaml_comment_with_a_secret_is_dropped() -> None:
    raw = f"# old key {GHP}, rotated\nregion: eu-west-1\n".encode()
    result = redact(raw, "yaml")
    assert GHP not in result.data.decode()
    assert parse_yaml(result.data, "x").data == {"region": "eu-west-1"}
    assert result.redactions == (Redaction("line 1", "GitHub token in a comment (comments dropped)"),)


def test_csv_columns_named_like_secrets_are_replaced_and_line_endings_kept() -> None:
    raw = f"user,password,password_enabled,note\r\nalice,pw1,true,{GHP}\r\nbob,,false,ok\r\n".encode()
    result = redact(raw, "csv")
    assert result.redactions == (
        Redaction("/0/password", "column 'password'"),
        Redaction("/0/note", "GitHub token"),
    )
    assert result.data == (
        b"user,password,password_enabled,note\r\nalice,[REDACTED],true,[REDACTED]\r\nbob,,false,ok\r\n"
    )


def test_csv_headers_holding_secrets_and_header_columns() -> None:
    raw = f"user,{GHP},Authorization,Cookie\nbob,x,Bearer abcdef,sid=abc\n".encode()
    result = redact(raw, "csv")
    assert result.data.decode().splitlines() == [
        f"user,{MARK},Authorization,Cookie",
        f"bob,x,Bearer {MARK},sid={MARK}",
    ]
    assert Redaction("/header/1", "GitHub token in a column name") in result.redactions


# --- text ----------------------------------------------------------------------------------------


def test_text_patterns_and_key_value_lines_with_line_numbers() -> None:
    text = "\n".join(
        [
            "# deploy settings",  # 1
            "DB_PASSWORD=hunter2",  # 2
            'export API_TOKEN="abc123"',  # 3
            f"aws_secret_access_key = {AWS_SECRET}",  # 4
            "-----BEGIN RSA PRIVATE KEY-----",  # 5
            "MIIEowIBAAKCAQEAexample",  # 6
            "-----END RSA PRIVATE KEY-----",  # 7
            "Authorization: Bearer abcdefghijklmnopqrstuvwxyz",  # 8
            "slack: xoxb-123456789012-abcdefghijkl",  # 9
            f"github: {GHP} and github_pat_11ABCDEFG0123456789_abcdefghijklmnop",  # 10
            f"id token {JWT}",  # 11
            "db url postgres://app:s3cr3t@db.internal/app",  # 12
            f"access key id {AKIA}",  # 13
            "Contact: mailto:security@example.com",  # 14
            "Password: must be 12 characters long",  # 15 (prose, kept)
            "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",  # 16 (40 hex chars, kept)
            "ldap_password = two words  # comment",  # 17
            "Cookie: sid=abc; theme=dark",  # 18
        ]
    )
    result = redact(text.encode(), "text")
    assert [(r.at, r.reason) for r in result.redactions] == [
        ("line 2", "key 'DB_PASSWORD'"),
        ("line 3", "key 'API_TOKEN'"),
        ("line 4", "key 'aws_secret_access_key'"),
        ("line 5", "private key"),
        ("line 8", "Authorization header"),
        ("line 9", "Slack token"),
        ("line 10", "GitHub token"),
        ("line 10", "GitHub token"),
        ("line 11", "JSON Web Token"),
        ("line 12", "password in a URL"),
        ("line 13", "AWS access key id"),
        ("line 17", "key 'ldap_password'"),
        ("line 18", "cookie"),
        ("line 18", "cookie"),
    ]
    assert result.data.decode().splitlines() == [
        "# deploy settings",
        "DB_PASSWORD=[REDACTED]",
        'export API_TOKEN="[REDACTED]"',
        "aws_secret_access_key = [REDACTED]",
        "-----BEGIN RSA PRIVATE KEY-----",
        "[REDACTED]",
        "-----END RSA PRIVATE KEY-----",
        "Authorization: Bearer [REDACTED]",
        "slack: [REDACTED]",
        "github: [REDACTED] and [REDACTED]",
        "id token [REDACTED]",
        "db url postgres://app:[REDACTED]@db.internal/app",
        "access key id [REDACTED]",
        "Contact: mailto:security@example.com",
        "Password: must be 12 characters long",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "ldap_password = [REDACTED]",
        "Cookie: sid=[REDACTED]; theme=[REDACTED]",
    ]


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        (b'{"password": "hunter2", "note": "AKIAIOSFODNN7EXAMPLE"}', "json"),
        (b"password: hunter2\n", "yaml"),
        (b"user,password\nalice,pw\n", "csv"),
        (b"TOKEN=abc\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", "text"),
        (b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA", "text"),
        (b"Authorization: Basic dXNlcjpwYXNz\nSet-Cookie: a=1; Secure\n", "text"),
    ],
)
def test_redaction_is_idempotent(raw: bytes, fmt: str) -> None:
    once = redact(raw, fmt)
    assert once.redactions
    twice = redact(once.data, fmt)
    assert twice.redactions == ()
    assert twice.data == once.data


# --- what cannot be parsed is withheld -----------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fmt", "why"),
    [
        (b'{"password": "hunter2", ', "json", "invalid JSON at line 1, column 25"),
        (b'password: "hunter2\n', "yaml", "invalid YAML at line 2"),
        (b'a,b\n"password,hunter2\n', "csv", "invalid CSV"),
        (b"\xff\xfep\x00a\x00s\x00s\x00=\x00hunter2", "text", "it is not UTF-8 (byte 1)"),
        (b"\xff" + b'{"password": "hunter2"}', "json", "it is not UTF-8"),
        (b'{"a": ' * 5000 + b'"hunter2"' + b"}" * 5000, "json", "nested too deeply"),
    ],
)
def test_what_cannot_be_parsed_is_withheld_never_passed_through(raw: bytes, fmt: str, why: str) -> None:
    result = redact(raw, fmt)
    assert b"hunter2" not in result.data
    assert result.withheld
    [redaction] = result.redactions
    assert redaction.at == WHOLE_FILE
    assert why in redaction.reason
    if fmt in ("json", "yaml"):
        assert "withheld" in json.loads(result.data)
    assert redact(result.data, fmt if fmt != "text" else "text").redactions == ()


def test_the_bundled_example_evidence_only_loses_its_session_cookie() -> None:
    """No false alarm on real exports: of the example evidence, only a cookie value is a secret."""
    from assay.evidence import FORMATS

    redacted = {}
    for file in sorted(BUILTIN_EVIDENCE.rglob("*")):
        if file.is_file() and not file.name.endswith(".meta.yaml") and file.name != "assay-manifest.yaml":
            result = redact(file.read_bytes(), FORMATS.get(file.suffix.lower(), "text"))
            if result.redactions:
                redacted[file.relative_to(BUILTIN_EVIDENCE).as_posix()] = result.redactions
    assert redacted == {"web/headers/app.json": (Redaction("/set-cookie", "cookie"),)}


# --- the source field, and a whole pack ----------------------------------------------------------


def test_the_source_of_evidence_is_redacted_when_read(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    source = f"curl -H 'Authorization: Bearer {GHP}' https://ops:hunter2@api.example/v1?token=abc"
    (tmp_path / "a.json.meta.yaml").write_text(f"source: {json.dumps(source)}\n")
    item = load_evidence_dir(tmp_path).get("a")
    assert item is not None
    assert (
        item.source
        == f"curl -H 'Authorization: Bearer {MARK}' https://ops:{MARK}@api.example/v1?token={MARK}"
    )
    added = InMemoryEvidence().add("b", {}, source="postgres://app:hunter2@db/app")
    assert added.source == f"postgres://app:{MARK}@db/app"


ACME = Path(__file__).resolve().parent / "fixtures" / "acme"
PACK_ARGS = [
    "--controls", "controls", "--mappings", "mappings", "--evidence", "evidence",
    "--waivers", "waivers.yaml", "--scope", "scope.yaml", "--now", "2026-11-25T12:00:00Z",
]  # fmt: skip


def test_a_pack_holds_no_secret_from_hostile_evidence(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    project = tmp_path / "acme"
    shutil.copytree(ACME, project)
    monkeypatch.chdir(project)
    hostile = project / "evidence" / "hostile"
    hostile.mkdir()
    secrets = ["hunter2", GHP, "s3ss10nvalue", "Zm9vYmFyYmF6cXV4", "pgpsecretbody", "canary-in-the-source"]
    (hostile / "huge.json").write_text(
        '{"n": 1e999, "db": {"password": {"value": "hunter2"}}, "' + GHP + '": "owner",'
        ' "headers": {"Cookie": "sid=s3ss10nvalue", "Authorization": "Basic Zm9vYmFyYmF6cXV4"}}'
    )
    (hostile / "key.txt").write_text(
        "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\npgpsecretbody\n-----END PGP PRIVATE KEY BLOCK-----\n"
    )
    (hostile / "huge.json.meta.yaml").write_text(
        "source: GET https://auditor:canary-in-the-source@api.example/export\n"
    )
    result = cli("pack", *PACK_ARGS, "--framework", "soc2", "--output", "p.zip")
    assert result.code == 0, result.err
    with zipfile.ZipFile(project / "p.zip") as archive:
        everything = b"".join(archive.read(name) for name in archive.namelist())
    for secret in secrets:
        assert secret.encode() not in everything, secret
        assert secret not in result.out + result.err


def test_every_public_name_of_the_package_is_its_modules_own() -> None:
    import importlib
    import subprocess
    import sys

    code = (
        "import importlib, sys, assay.redact as r\n"
        "assert 'assay.redact.files' not in sys.modules, 'imported before a name was read'\n"
        "homes = {n: importlib.import_module('assay.redact.' + m) for n, m in r._HOMES.items()}\n"
        "print(sorted(homes) == sorted(r.__all__), all(getattr(r, n) is getattr(homes[n], n) for n in homes),"
        " set(r.__all__) <= set(dir(r)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.stdout == "True True True\n", done.stderr
    with pytest.raises(AttributeError, match="has no attribute 'redact_txt'"):
        _ = importlib.import_module("assay.redact").redact_txt
