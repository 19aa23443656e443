from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.errors import ConfigError, LoadError
from assay.evidence import InMemoryEvidence, load_evidence_dir, name_for


def write(root: Path, relative: str, data: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def only_problem(store: InMemoryEvidence) -> str:
    (problem,) = store.problems()
    return str(problem.diagnostic)


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        ("aws/ec2/volumes.json", "aws.ec2.volumes"),
        ("github/branch-protection.json", "github.branch_protection"),
        ("web/security.txt", "web.security"),
        ("aws/iam/Credential Report.csv", "aws.iam.credential_report"),
        ("attestations/pentest", "attestations.pentest"),
    ],
)
def test_names_derive_from_paths(relative: str, name: str) -> None:
    assert name_for(relative) == name


def test_formats_are_kept_and_hashed(tmp_path: Path) -> None:
    raw = b'{"Volumes": [{"VolumeId": "v1"}]}'
    write(tmp_path, "aws/ec2/volumes.json", raw)
    write(tmp_path, "aws/iam/credential_report.csv", "user,mfa_active\nalice,true\nbob,false\n")
    write(tmp_path, "web/security.txt", "Contact: mailto:security@example.com\n")
    write(tmp_path, "attestations/audit.yaml", "attested_by: Firm\nresult: no, none\n")
    store = load_evidence_dir(tmp_path, shown_root="ev")
    volumes = store.get("aws.ec2.volumes")
    assert volumes is not None
    assert volumes.data == {"Volumes": [{"VolumeId": "v1"}]}
    assert volumes.sha256 == hashlib.sha256(raw).hexdigest()
    assert volumes.path == "ev/aws/ec2/volumes.json"
    report = store.get("aws.iam.credential_report")
    assert report is not None
    assert report.data == [
        {"user": "alice", "mfa_active": "true"},
        {"user": "bob", "mfa_active": "false"},
    ]
    text = store.get("web.security")
    assert text is not None
    assert text.data.startswith("Contact:")
    audit = store.get("attestations.audit")
    assert audit is not None
    assert audit.data["result"] == "no, none"
    assert list(store.problems()) == []


def test_metadata_from_manifest_and_sidecar(tmp_path: Path) -> None:
    write(tmp_path, "a/one.json", "{}")
    write(tmp_path, "a/two.json", "{}")
    write(
        tmp_path,
        "assay-manifest.yaml",
        "evidence:\n  a/one.json: {collected_at: 2026-11-20T06:00:00Z, source: aws ec2 describe-volumes}\n",
    )
    write(
        tmp_path, "a/two.json.meta.yaml", "collected_at: 2026-11-21T06:00:00Z\nas_of: 2026-11-20T00:00:00Z\n"
    )
    store = load_evidence_dir(tmp_path)
    one, two = store.get("a.one"), store.get("a.two")
    assert one is not None
    assert one.collected_at == datetime(2026, 11, 20, 6, tzinfo=UTC)
    assert one.source == "aws ec2 describe-volumes"
    assert two is not None
    assert two.dated == datetime(2026, 11, 20, tzinfo=UTC)
    assert store.get("assay_manifest") is None  # metadata files are not evidence


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    write(tmp_path, "aws/ec2/volumes.json", '{"Volumes": [\n  {"VolumeId": "v1",}\n]}')
    store = load_evidence_dir(tmp_path, shown_root="ev")
    assert store.get("aws.ec2.volumes") is None
    assert only_problem(store) == (
        "ev/aws/ec2/volumes.json:2:21: error: invalid JSON: Expecting property name enclosed in double quotes"
    )


def test_not_utf8(tmp_path: Path) -> None:
    write(tmp_path, "web/headers.json", b'{"server": "caf\xe9"}')
    assert only_problem(load_evidence_dir(tmp_path, shown_root="ev")) == (
        "ev/web/headers.json:1:16: error: not valid UTF-8: byte 0xe9 cannot be decoded"
    )


def test_50_mb_file_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "aws" / "big.json"
    path.parent.mkdir()
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert only_problem(load_evidence_dir(tmp_path, shown_root="ev")) == (
        "ev/aws/big.json:1:1: error: file is 52,428,800 bytes; the limit is 33,554,432 bytes"
    )


def test_nested_10000_deep_json_and_yaml(tmp_path: Path) -> None:
    write(tmp_path, "deep/a.json", "[" * 10_000 + "]" * 10_000)
    write(tmp_path, "deep/b.yaml", "a: " + "[" * 10_000 + "]" * 10_000)
    store = load_evidence_dir(tmp_path, shown_root="ev")
    problems = sorted(str(p.diagnostic) for p in store.problems())
    assert problems[0] == "ev/deep/a.json:1:1: error: JSON is nested too deeply to read"
    assert problems[1].startswith("ev/deep/b.yaml:1:")
    assert "nesting" in problems[1]


def test_symlink_outside_the_directory_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside, "secret.json", '{"password": "x"}')
    root = tmp_path / "evidence"
    root.mkdir()
    os.symlink(secret, root / "leak.json")
    os.symlink(outside, root / "leakdir")
    write(root, "ok.json", "{}")
    store = load_evidence_dir(root, shown_root="ev")
    assert store.get("leak") is None
    assert store.get("ok") is not None
    problems = sorted(str(p.diagnostic) for p in store.problems())
    assert problems == [
        "ev/leak.json:1:1: error: is a link that points outside the evidence directory; refusing it",
        "ev/leakdir:1:1: error: is a link that points outside the evidence directory; refusing it",
    ]


def test_two_files_with_one_name(tmp_path: Path) -> None:
    write(tmp_path, "a/b.json", "{}")
    write(tmp_path, "a/b.yaml", "{}")
    assert "evidence 'a.b' is also provided by ev/a/b.json" in only_problem(
        load_evidence_dir(tmp_path, shown_root="ev")
    )


def test_csv_with_ragged_rows(tmp_path: Path) -> None:
    write(tmp_path, "r.csv", "user,mfa\nalice,true,extra\n")
    assert only_problem(load_evidence_dir(tmp_path, shown_root="ev")) == (
        "ev/r.csv:2:1: error: row has 3 fields but the header has 2"
    )


def test_broken_manifest_is_a_load_error(tmp_path: Path) -> None:
    write(tmp_path, "assay-manifest.yaml", "evidence:\n  a.json: {collected: yesterday}\n")
    with pytest.raises(LoadError, match="unknown key 'collected'"):
        load_evidence_dir(tmp_path, shown_root="ev")


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="evidence directory not found"):
        load_evidence_dir(tmp_path / "nope")


def test_in_memory_store_hashes_canonical_json() -> None:
    store = InMemoryEvidence.from_values({"a.b": {"y": 1, "x": [1, 2]}})
    item = store.get("a.b")
    assert item is not None
    assert item.sha256 == hashlib.sha256(b'{"x":[1,2],"y":1}').hexdigest()
    with pytest.raises(ConfigError):
        store.add("Not A Name", {})


json_documents = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
    max_leaves=25,
)


@given(json_documents)
def test_any_json_document_loads_unchanged(
    tmp_path_factory: pytest.TempPathFactory, document: object
) -> None:
    root = tmp_path_factory.mktemp("ev")
    raw = json.dumps(document).encode("utf-8")
    write(root, "doc.json", raw)
    item = load_evidence_dir(root).get("doc")
    assert item is not None
    assert item.data == document
    assert item.sha256 == hashlib.sha256(raw).hexdigest()
