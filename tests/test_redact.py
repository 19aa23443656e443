"""Redaction of secrets in evidence: structured by key, patterns over text, locations recorded."""

from __future__ import annotations

import json

import pytest

from assay.redact import MARK, Redaction, redact, secret_key
from assay.yamlsource import parse_yaml

# Realistic-looking but fake values (AWS's documented examples, made-up tokens).
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
AKIA = "AKIAIOSFODNN7EXAMPLE"
GHP = "ghp_" + "a1B2c3D4e5" * 3 + "f6G7h8"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"


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
        "AccessKeyId",
        "access_key_1_active",
        "NextToken",
        "ClientToken",
        "LockToken",
        "token_type",
        "SecretList",
        "KmsKeyId",
        "user",
        "",
    ],
)
def test_keys_that_are_not_secrets(key: str) -> None:
    assert not secret_key(key)


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


def test_yaml_is_reserialised_and_reads_back_to_the_same_values() -> None:
    raw = b"# exported\ndb:\n  password: hunter2  # secret\n  port: 5432\n  when: 2026-01-01\n  flag: no\n"
    result = redact(raw, "yaml")
    assert result.redactions == (Redaction("/db/password", "key 'password'"),)
    assert parse_yaml(result.data, "x").data == {
        "db": {"password": MARK, "port": 5432, "when": "2026-01-01", "flag": "no"}
    }


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
        ]
    )
    result = redact(text.encode(), "text")
    assert [(r.at, r.reason) for r in result.redactions] == [
        ("line 2", "key 'DB_PASSWORD'"),
        ("line 3", "key 'API_TOKEN'"),
        ("line 4", "key 'aws_secret_access_key'"),
        ("line 5", "private key"),
        ("line 8", "bearer token"),
        ("line 9", "Slack token"),
        ("line 10", "GitHub token"),
        ("line 10", "GitHub token"),
        ("line 11", "JSON Web Token"),
        ("line 12", "password in a URL"),
        ("line 13", "AWS access key id"),
    ]
    assert result.data.decode().splitlines() == [
        "# deploy settings",
        "DB_PASSWORD=[REDACTED]",
        "export API_TOKEN=[REDACTED]",
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
    ]


def test_aws_secret_key_inside_a_json_string_value() -> None:
    raw = json.dumps({"UserData": f"#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY={AWS_SECRET}\n"}).encode()
    result = redact(raw, "json")
    assert result.redactions == (Redaction("/UserData", "AWS secret access key"),)
    assert json.loads(result.data)["UserData"] == f"#!/bin/sh\nexport AWS_SECRET_ACCESS_KEY={MARK}\n"


@pytest.mark.parametrize(
    ("raw", "fmt"),
    [
        (b'{"password": "hunter2", "note": "AKIAIOSFODNN7EXAMPLE"}', "json"),
        (b"password: hunter2\n", "yaml"),
        (b"user,password\nalice,pw\n", "csv"),
        (b"TOKEN=abc\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n", "text"),
    ],
)
def test_redaction_is_idempotent(raw: bytes, fmt: str) -> None:
    once = redact(raw, fmt)
    assert once.redactions
    twice = redact(once.data, fmt)
    assert twice.redactions == ()
    assert twice.data == once.data


def test_bytes_that_are_not_utf8_are_left_alone() -> None:
    raw = b"\xff\xfepassword=hunter2"
    assert redact(raw, "text").data is raw
