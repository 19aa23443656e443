from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay import cache
from assay.engine import Engine
from assay.errors import ConfigError, LoadError
from assay.evidence import (
    CLOCK_SKEW,
    EVIDENCE_LIMITS,
    InMemoryEvidence,
    future_dated,
    load_evidence_dir,
    name_for,
    nesting_depth,
    parse_evidence,
)
from assay.loading import cached
from assay.model import ControlStatus
from assay.results import ControlResult
from assay.yamlsource import YamlDocument, dump_yaml, parse_yaml


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


# --- only regular files, never outside the folder ----------------------------------------------------


def test_a_fifo_is_listed_and_skipped_without_being_opened(tmp_path: Path) -> None:
    write(tmp_path, "aws/ok.json", "{}")
    os.mkfifo(tmp_path / "aws" / "pipe.json")  # opening it to read would wait for a writer forever
    os.symlink("pipe.json", tmp_path / "aws" / "link.json")  # a link to it, inside the folder
    store = load_evidence_dir(tmp_path, shown_root="ev")
    assert store.get("aws.ok") is not None
    assert store.get("aws.pipe") is None
    assert store.get("aws.link") is None
    assert sorted(str(p.diagnostic) for p in store.problems()) == [
        "ev/aws/link.json:1:1: error: is a FIFO (named pipe), not a regular file; skipped",
        "ev/aws/pipe.json:1:1: error: is a FIFO (named pipe), not a regular file; skipped",
    ]


def test_a_socket_is_listed_and_skipped(tmp_path: Path) -> None:
    import socket

    write(tmp_path, "ok.json", "{}")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(tmp_path / "listening.json"))
        store = load_evidence_dir(tmp_path, shown_root="ev")
    assert store.get("ok") is not None
    assert only_problem(store) == "ev/listening.json:1:1: error: is a socket, not a regular file; skipped"


def test_a_device_is_refused_before_it_is_opened() -> None:
    from assay.fileio import read_inside

    with pytest.raises(LoadError, match=r"^dev/zero:1:1: error: is a character device, not a regular file"):
        read_inside(Path("/dev"), "zero", 1024, "dev/zero")


def test_a_fifo_manifest_is_an_error_not_a_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "assay-manifest.yaml")
    with pytest.raises(LoadError, match=r"assay-manifest\.yaml:1:1: error: is a FIFO"):
        load_evidence_dir(tmp_path, shown_root="ev")


def test_a_sidecar_linking_outside_the_folder_is_refused_and_never_read(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/private.yaml", "source: CANARY-7f3a\nsecret: CANARY-7f3a\n")
    root = tmp_path / "evidence"
    write(root, "aws/ec2/volumes.json", '{"Volumes": []}')
    os.symlink(outside, root / "aws" / "ec2" / "volumes.json.meta.yaml")
    store = load_evidence_dir(root, shown_root="ev")
    assert only_problem(store) == (
        "ev/aws/ec2/volumes.json.meta.yaml:1:1: error: "
        "is a link that points outside the evidence directory; refusing it"
    )
    item = store.get("aws.ec2.volumes")
    assert item is not None  # the export itself is inside, but its metadata is not believed
    assert item.source is None
    assert "CANARY" not in repr(store)


def test_a_sidecar_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "a.json", "{}")
    os.mkfifo(tmp_path / "a.json.meta.yaml")
    assert only_problem(load_evidence_dir(tmp_path, shown_root="ev")) == (
        "ev/a.json.meta.yaml:1:1: error: is a FIFO (named pipe), not a regular file; skipped"
    )


def test_a_manifest_linking_outside_the_folder_is_refused(tmp_path: Path) -> None:
    outside = write(tmp_path, "outside.yaml", "evidence:\n  a.json: {source: CANARY-7f3a}\n")
    root = tmp_path / "evidence"
    write(root, "a.json", "{}")
    os.symlink(outside, root / "assay-manifest.yaml")
    with pytest.raises(LoadError) as raised:
        load_evidence_dir(root, shown_root="ev")
    assert str(raised.value) == (
        "ev/assay-manifest.yaml:1:1: error: is a link that points outside the evidence directory; refusing it"
    )


def test_links_inside_the_folder_still_work(tmp_path: Path) -> None:
    write(tmp_path, "real/a.json", '{"x": 1}')
    write(tmp_path, "meta/a.yaml", "collected_at: 2026-11-20T06:00:00Z\n")
    os.symlink(tmp_path / "real" / "a.json", tmp_path / "b.json")
    os.symlink(tmp_path / "meta" / "a.yaml", tmp_path / "b.json.meta.yaml")
    store = load_evidence_dir(tmp_path, shown_root="ev")
    item = store.get("b")
    assert item is not None
    assert item.data == {"x": 1}
    assert item.collected_at == datetime(2026, 11, 20, 6, tzinfo=UTC)


# --- depth -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("opening", "closing"), [("[", "]"), ('{"a":', "}")])
def test_json_deeper_than_the_limit_is_a_problem(tmp_path: Path, opening: str, closing: str) -> None:
    write(tmp_path, "deep.json", opening * 500 + "0" + closing * 500)
    assert only_problem(load_evidence_dir(tmp_path, shown_root="ev")) == (
        f"ev/deep.json:1:1: error: JSON is nested more than {EVIDENCE_LIMITS.max_depth} levels deep"
    )


def test_json_at_the_depth_limit_loads(tmp_path: Path) -> None:
    depth = EVIDENCE_LIMITS.max_depth
    write(tmp_path, "deep.json", "[" * depth + "]" * depth)
    store = load_evidence_dir(tmp_path)
    assert list(store.problems()) == []
    assert nesting_depth(store.get("deep").data, depth) == depth  # type: ignore[union-attr]


@given(json_documents, st.integers(min_value=0, max_value=6))
def test_nesting_depth_counts_like_a_recursive_walk(document: object, limit: int) -> None:
    def depth(node: object) -> int:
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        return 0 if children is None else 1 + max((depth(c) for c in children), default=0)

    assert nesting_depth(document, limit) == min(depth(document), limit + 1)


# --- dates from the future -------------------------------------------------------------------------

FUTURE_CONTROL = """
controls:
  - id: CRYPTO-01
    title: Volumes encrypted
    claim: Disks are encrypted.
    description: Every volume is encrypted.
    severity: high
    domain: cryptography
    evidence:
      - name: aws.ec2.volumes
        max_age: 7d
    rules:
      - id: encrypted
        for_each: aws.ec2.volumes.Volumes
        resource_id: item.VolumeId
        assert: item.Encrypted == true
    remediation: Encrypt.
"""
EVALUATED_AT = datetime(2026, 11, 25, 12, tzinfo=UTC)


def run_with_metadata(tmp_path: Path, make_catalog, metadata: str) -> ControlResult:  # type: ignore[no-untyped-def]
    root = tmp_path / "ev"
    write(root, "aws/ec2/volumes.json", '{"Volumes": []}')
    write(root, "aws/ec2/volumes.json.meta.yaml", metadata)
    return (
        Engine(make_catalog(FUTURE_CONTROL))
        .evaluate(load_evidence_dir(root), now=EVALUATED_AT)
        .result("CRYPTO-01")
    )


def test_collected_at_in_the_future_makes_the_evidence_invalid(tmp_path: Path, make_catalog) -> None:  # type: ignore[no-untyped-def]
    result = run_with_metadata(tmp_path, make_catalog, "collected_at: 2099-01-01T00:00:00Z\n")
    assert result.status is ControlStatus.ERROR
    assert result.reason == (
        f"evidence aws.ec2.volumes ({tmp_path}/ev/aws/ec2/volumes.json) is dated in the future: "
        "collected_at 2099-01-01T00:00:00+00:00 is after the evaluation time 2026-11-25T12:00:00+00:00 "
        "by more than the 5-minute clock-skew allowance"
    )
    (use,) = result.evidence
    assert use.problem is not None
    assert "dated in the future" in use.problem


def test_as_of_in_the_future_makes_the_evidence_invalid(tmp_path: Path, make_catalog) -> None:  # type: ignore[no-untyped-def]
    result = run_with_metadata(
        tmp_path, make_catalog, "collected_at: 2026-11-25T11:00:00Z\nas_of: 2026-11-26T00:00:00Z\n"
    )
    assert result.status is ControlStatus.ERROR
    assert "as_of 2026-11-26T00:00:00+00:00 is after the evaluation time" in (result.reason or "")


def test_clock_skew_within_the_allowance_is_accepted(tmp_path: Path, make_catalog) -> None:  # type: ignore[no-untyped-def]
    ahead = EVALUATED_AT + CLOCK_SKEW
    result = run_with_metadata(tmp_path, make_catalog, f"collected_at: {ahead.isoformat()}\n")
    assert result.status is ControlStatus.PASS
    beyond = EVALUATED_AT + CLOCK_SKEW + timedelta(seconds=1)
    result = run_with_metadata(tmp_path, make_catalog, f"collected_at: {beyond.isoformat()}\n")
    assert result.status is ControlStatus.ERROR


def test_naive_dates_are_read_as_utc_when_checked_against_now() -> None:
    store = InMemoryEvidence()
    item = store.add("a.b", {}, collected_at=datetime(2026, 11, 25, 12, 10))
    assert future_dated(item, EVALUATED_AT) is not None
    item = store.add("a.b", {}, collected_at=datetime(2026, 11, 25, 12, 4))
    assert future_dated(item, EVALUATED_AT) is None


@pytest.mark.parametrize(
    ("raw", "position"),
    [
        (b'{"a": "x\\ud800y"}', "1:9"),  # a high half alone
        (b'[\n {"\\udc00": 1}]', "2:4"),  # a low half alone, as a key
        (b'{"a": "\\ude00\\ud83d"}', "1:8"),  # both halves, in the wrong order
    ],
)
def test_an_unpaired_surrogate_is_refused_at_its_escape(raw: bytes, position: str) -> None:
    """No report could be written as UTF-8 with it: refused when read, not when the report is written."""
    with pytest.raises(LoadError) as caught:
        parse_evidence(raw, "json", "f.json")
    assert str(caught.value.diagnostics[0]).startswith(f"f.json:{position}: error: invalid JSON: an unpaired")


def test_a_paired_surrogate_escape_and_an_escaped_backslash_are_text() -> None:
    assert parse_evidence(b'{"a": "\\ud83d\\ude00"}', "json", "f.json") == {"a": "\U0001f600"}
    assert parse_evidence(b'{"a": "\\\\ud800"}', "json", "f.json") == {"a": "\\ud800"}


def test_a_report_is_written_when_evidence_holds_an_unpaired_surrogate(cli, tmp_path: Path) -> None:
    evidence = tmp_path / "evidence" / "aws" / "ec2"
    evidence.mkdir(parents=True)
    (evidence / "volumes.json").write_bytes(
        b'{"Volumes": [{"VolumeId": "vol-\\ud800x", "Encrypted": false}]}'
    )
    result = cli(
        "check",
        "--builtin-controls",
        "CRYPTO-01",
        "--evidence",
        str(tmp_path / "evidence"),
        "--format",
        "json",
        "--now",
        "2026-11-25T00:00:00Z",
    )
    assert result.code in (0, 1), result.err
    assert "an unpaired surrogate escape is not Unicode text" in result.out + result.err


# --- garbage collection while loading ------------------------------------------------------------------


def test_loading_pauses_the_collector_and_freezes_large_evidence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import assay.evidence

    write(
        tmp_path, "aws/ec2/volumes.json", json.dumps({"Volumes": [{"VolumeId": f"v-{i}"} for i in range(50)]})
    )
    seen: list[bool] = []
    real = assay.evidence.parse_evidence

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(assay.evidence, "parse_evidence", spy)
    monkeypatch.setattr(assay.evidence, "FREEZE_ABOVE_BYTES", 1)
    frozen = gc.get_freeze_count()
    try:
        store = load_evidence_dir(tmp_path)
        assert seen == [False]  # paused while parsing
        assert gc.isenabled()  # and running again after
        assert gc.get_freeze_count() > frozen  # what was loaded is out of the collector's sight
        assert store.get("aws.ec2.volumes").data["Volumes"][49] == {"VolumeId": "v-49"}  # type: ignore[union-attr]
    finally:
        gc.unfreeze()


def test_small_evidence_is_not_frozen_and_a_disabled_collector_stays_disabled(tmp_path: Path) -> None:
    import gc

    write(tmp_path, "a.json", "[1]")
    frozen = gc.get_freeze_count()
    gc.disable()
    try:
        load_evidence_dir(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert gc.get_freeze_count() == frozen


# --- YAML evidence through the on-disk cache --------------------------------------------------------


def yaml_entries(cache_folder: Path) -> list[Path]:
    return sorted((cache_folder / "yaml").glob("*.entry"))


def refuse_to_parse(*_: object, **__: object) -> YamlDocument:
    raise AssertionError("parsed, though the cache held the file")


def test_yaml_evidence_read_back_from_the_cache_is_the_evidence_parsed(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "evidence"
    (folder / "acme").mkdir(parents=True)
    document = "users:\n  - name: ann\n    mfa: yes\n    age: 0777\n"
    document += "  - {name: bob, mfa: true, n: 123456789012345678901, f: -0.0}\n"
    (folder / "acme" / "users.yaml").write_text(document)
    (folder / "acme" / "users.yaml.meta.yaml").write_text("collected_at: 2026-11-24T06:00:00Z\n")
    cold = load_evidence_dir(folder).get("acme.users")
    assert cold is not None
    assert len(yaml_entries(cache_dir)) == 2  # the document and its sidecar
    with monkeypatch.context() as probe:  # read back, not parsed: the parser would fail
        probe.setattr(cached, "parse_yaml", refuse_to_parse)
        warm = load_evidence_dir(folder).get("acme.users")
    assert warm is not None
    assert warm.data == cold.data == parse_yaml(document.encode(), "x").data
    assert warm.collected_at == cold.collected_at
    (folder / "acme" / "users.yaml").write_text(document.replace("ann", "eve"))
    changed = load_evidence_dir(folder).get("acme.users")
    assert changed is not None
    assert changed.data["users"][0]["name"] == "eve"  # a changed file is never served stale


def test_a_flipped_byte_in_a_cached_yaml_evidence_entry_parses_the_file_again(
    cache_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "users.yaml").write_text("users: [ann, bob]\n")
    assert load_evidence_dir(folder).get("users").data == {"users": ["ann", "bob"]}  # type: ignore[union-attr]
    (entry,) = yaml_entries(cache_dir)
    original = entry.read_bytes()
    for index in range(0, len(original), 7):
        hostile = bytearray(original)
        hostile[index] ^= 0x01
        entry.write_bytes(bytes(hostile).replace(b"ann", b"eve"))
        cache._opened.clear()  # a new process: no bundle of this one's, the entry file is read
        item = load_evidence_dir(folder).get("users")
        assert item is not None
        assert item.data == {"users": ["ann", "bob"]}, index


def test_a_broken_yaml_manifest_is_reported_at_its_position_with_a_warm_cache(
    cache_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "users.yaml").write_text("users: []\n")
    (folder / "assay-manifest.yaml").write_text(
        "evidence:\n  users.yaml:\n    collected_at: 2026-11-24T06:00:00Z\n"
    )
    load_evidence_dir(folder)
    (folder / "assay-manifest.yaml").write_text(
        "evidence:\n  users.yaml:\n    collected_at: [not, a, time]\n"
    )
    for _ in range(2):  # the broken manifest parses, so it is cached: its error must keep its place
        with pytest.raises(LoadError) as raised:
            load_evidence_dir(folder)
        (diagnostic, *_) = raised.value.diagnostics
        assert (diagnostic.path, diagnostic.line) == (f"{folder}/assay-manifest.yaml", 3)
        assert diagnostic.column > 1


def test_large_yaml_evidence_is_not_kept_in_the_cache(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cached, "MAX_CACHED_BYTES", 64)
    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "small.yaml").write_text("a: 1\n")
    (folder / "large.yaml").write_text("items:\n" + "".join(f"  - item-{i}\n" for i in range(40)))
    store = load_evidence_dir(folder)
    assert store.get("large") is not None
    assert len(yaml_entries(cache_dir)) == 1


YAML_EVIDENCE = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(YAML_EVIDENCE)
def test_any_yaml_evidence_reads_back_from_the_cache_as_parsed(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, data: Any
) -> None:
    folder = cache_dir.parent / "evidence"
    folder.mkdir(exist_ok=True)
    (folder / "doc.yaml").write_text(dump_yaml({"doc": data}), encoding="utf-8")
    cold = load_evidence_dir(folder).get("doc")
    warm = load_evidence_dir(folder).get("doc")
    with monkeypatch.context() as off:
        off.setenv("ASSAY_NO_CACHE", "1")
        plain = load_evidence_dir(folder).get("doc")
    assert cold is not None
    assert warm is not None
    assert plain is not None
    assert repr(warm.data) == repr(cold.data) == repr(plain.data)  # repr: -0.0 and 0.0 differ
