"""verify_pack and check_signature on packs written here file by file, as a forger would write them.

Each pack is a zip of a hand-made manifest and its files (written with the standard library), signed
or not with keys made in the test: every check of the manifest, its records and its signature is
asserted with its exact outcome.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assay.pack import TrustedKey, verify_pack
from assay.pack.manifest import FORMAT, FORMAT_VERSION, parse_manifest, sha256_hex
from assay.pack.sign import check_signature, key_id, sign, signature_info

REPORT = b'{"report": true}\n'
EVIDENCE = b'{"users": []}\n'
RAW_EVIDENCE = b'{"users": [], "token": "hunter2"}\n'


def entry(data: bytes) -> dict[str, Any]:
    return {"sha256": sha256_hex(data), "size": len(data)}


def manifest(files: dict[str, bytes], **changes: Any) -> dict[str, Any]:
    """A manifest listing ``files``, with one evidence record and one source record that agree."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "assay_version": "0.0.0",
        "now": "2026-11-25T12:00:00Z",
        "frameworks": ["soc2"],
        "inputs": {"controls": ["controls"], "mappings": ["mappings"], "evidence": "evidence"},
        "files": {name: entry(body) for name, body in files.items()},
        "evidence": [
            {
                "name": "aws.iam.users",
                "file": "evidence/aws.iam.users.json",
                "path": "evidence/aws.iam.users.json",
                "format": "json",
                **entry(EVIDENCE),
            }
        ],
        "sources": [{"file": "report.json", "kind": "controls", "path": "controls/c.yaml"}],
    }
    data.update(changes)
    return data


def files() -> dict[str, bytes]:
    return {"report.json": REPORT, "evidence/aws.iam.users.json": EVIDENCE}


def pack(
    contents: dict[str, bytes],
    listed: dict[str, Any],
    key: Ed25519PrivateKey | None = None,
    *,
    signature: bytes | None = None,
) -> bytes:
    """The zip of ``contents`` and the manifest ``listed``; signed with ``key`` (its info recorded)."""
    if key is not None:
        listed = {**listed, "signature": signature_info(key).model_dump(mode="json")}
    raw = (json.dumps(listed, sort_keys=True, indent=2) + "\n").encode()
    if key is not None and signature is None:
        signature = sign(key, raw)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", raw)
        if signature is not None:
            archive.writestr("manifest.sig", signature)
        for name, body in contents.items():
            archive.writestr(name, body)
    return out.getvalue()


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture(scope="module")
def trusted(key: Ed25519PrivateKey) -> list[TrustedKey]:
    return [TrustedKey(key.public_key(), "ours")]


# --- the files against the manifest ----------------------------------------------------------------


def test_a_pack_signed_by_a_trusted_key_is_ok(key: Ed25519PrivateKey, trusted: list[TrustedKey]) -> None:
    result = verify_pack(pack(files(), manifest(files()), key), trusted_keys=trusted)
    fingerprint = key_id(key.public_key())
    assert (result.ok, result.status, result.problems) == (True, "OK", ())
    assert (result.files, result.signer, result.refused) == (2, fingerprint, False)
    assert result.notes == (f"signature: valid, made with the trusted key {fingerprint} (ours)",)


def test_a_file_changed_to_the_same_size_is_found(key: Ed25519PrivateKey, trusted: list[TrustedKey]) -> None:
    changed = {**files(), "report.json": REPORT.replace(b"true", b"fals")[:-1] + b"\n"}
    assert len(changed["report.json"]) == len(REPORT)
    result = verify_pack(pack(changed, manifest(files()), key), trusted_keys=trusted)
    assert (result.ok, result.status) == (False, "FAILED")
    assert result.problems == (
        f"report.json: modified: sha256 {sha256_hex(changed['report.json'])} ({len(REPORT)} bytes); "
        f"the manifest records {sha256_hex(REPORT)} ({len(REPORT)} bytes)",
    )
    assert result.signer is not None  # the signature holds: the file is what was changed


def test_a_manifest_that_records_the_wrong_size_fails(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    listed = manifest(files())
    listed["files"]["report.json"] = {"sha256": sha256_hex(REPORT), "size": len(REPORT) + 1}
    result = verify_pack(pack(files(), listed, key), trusted_keys=trusted)
    assert result.problems == (
        f"report.json: modified: sha256 {sha256_hex(REPORT)} ({len(REPORT)} bytes); "
        f"the manifest records {sha256_hex(REPORT)} ({len(REPORT) + 1} bytes)",
    )


def test_missing_extra_and_self_listed_files(key: Ed25519PrivateKey, trusted: list[TrustedKey]) -> None:
    listed = manifest({**files(), "gone.txt": b"x", "manifest.json": b"{}", "manifest.sig": b"s"})
    contents = {**files(), "smuggled.html": b"<script></script>"}
    result = verify_pack(pack(contents, listed, key), trusted_keys=trusted)
    assert result.problems == (
        "gone.txt: missing (listed in the manifest, not in the archive)",
        "manifest.json: lists manifest.json, which cannot hold its own hash",
        "manifest.json: lists manifest.sig, which cannot hold its own hash",
        "smuggled.html: extra file (in the archive, not in the manifest)",
    )
    assert result.status == "FAILED"
    assert result.files == 5


def test_an_archive_without_a_manifest_is_not_a_pack() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("report.json", REPORT)
    result = verify_pack(out.getvalue(), allow_unsigned=True)
    assert result.problems == ("manifest.json: missing; this is not an assay evidence pack",)
    assert (result.status, result.files, result.refused) == ("FAILED", 0, False)


def test_an_unreadable_manifest_fails_with_why() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("manifest.json", b'{"format": "something-else"}')
    result = verify_pack(out.getvalue(), allow_unsigned=True)
    assert result.problems == (
        'manifest.json: not an assay evidence pack manifest (no "format": "assay-evidence-pack")',
    )
    assert result.status == "FAILED"


def test_an_unsafe_archive_is_refused_unread() -> None:
    result = verify_pack(b"PK\x03\x04 not a zip at all", allow_unsigned=True)
    assert (result.refused, result.status, result.ok) == (True, "REFUSED", False)
    assert result.problems


# --- the manifest's own records --------------------------------------------------------------------


def test_evidence_and_source_records_must_agree_with_the_files(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    other = b"other bytes\n"
    listed = manifest(
        files(),
        evidence=[
            {"name": "a", "file": "nowhere.json", "path": None, "format": "json", **entry(EVIDENCE)},
            {
                "name": "b",
                "file": "evidence/aws.iam.users.json",
                "path": None,
                "format": "json",
                **entry(other),
            },
        ],
        sources=[{"file": "absent.yaml", "kind": "controls", "path": "c.yaml"}],
    )
    result = verify_pack(pack(files(), listed, key), trusted_keys=trusted)
    assert result.problems == (
        "manifest.json: evidence a: nowhere.json is not among the files",
        "manifest.json: evidence b: evidence/aws.iam.users.json is listed with sha256 "
        f"{sha256_hex(EVIDENCE)}, but the evaluated file had {sha256_hex(other)}",
        "manifest.json: source c.yaml: absent.yaml is not among the files",
    )


def redacted(original: bytes, packed: bytes, *, recorded_original: bytes | None = None) -> dict[str, Any]:
    return {
        "name": "aws.iam.users",
        "file": "evidence/aws.iam.users.json",
        "path": None,
        "format": "json",
        **entry(original),
        "redacted": {
            "original_sha256": sha256_hex(recorded_original or original),
            "original_size": len(original),
            "packed_sha256": sha256_hex(packed),
            "packed_size": len(packed),
            "locations": [{"at": "/token", "reason": "secret key"}, {"at": "/users/0", "reason": "token"}],
        },
    }


def test_a_redacted_copy_is_checked_against_its_own_hash(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    good = manifest(files(), evidence=[redacted(RAW_EVIDENCE, EVIDENCE)])
    result = verify_pack(pack(files(), good, key), trusted_keys=trusted)
    assert (result.problems, result.status) == ((), "OK")
    assert result.notes[1:] == ("redacted: 2 value(s) in 1 evidence file(s); manifest.json says where",)
    # The packed copy must be the redacted one the record names, not the original.
    swapped = manifest(files(), evidence=[redacted(RAW_EVIDENCE, RAW_EVIDENCE)])
    assert verify_pack(pack(files(), swapped, key), trusted_keys=trusted).problems == (
        f"manifest.json: evidence aws.iam.users: evidence/aws.iam.users.json is listed with sha256 "
        f"{sha256_hex(EVIDENCE)}, but its redacted copy had {sha256_hex(RAW_EVIDENCE)}",
    )
    twice = manifest(files(), evidence=[redacted(RAW_EVIDENCE, EVIDENCE, recorded_original=b"else")])
    assert verify_pack(pack(files(), twice, key), trusted_keys=trusted).problems == (
        "manifest.json: evidence aws.iam.users: the original sha256 is recorded twice, differently",
    )


def test_no_redaction_no_note(key: Ed25519PrivateKey, trusted: list[TrustedKey]) -> None:
    assert verify_pack(pack(files(), manifest(files()), key), trusted_keys=trusted).notes[1:] == ()


# --- signatures ------------------------------------------------------------------------------------


def test_an_unsigned_pack_fails_unless_allowed() -> None:
    data = pack(files(), manifest(files()))
    refused = verify_pack(data)
    assert refused.status == "FAILED"
    assert refused.problems == (
        "manifest.sig: missing; the pack is not signed, so who made it cannot be checked "
        "(--allow-unsigned checks its files only)",
    )
    allowed = verify_pack(data, allow_unsigned=True)
    assert (allowed.ok, allowed.status, allowed.signer) == (True, "UNSIGNED", None)
    assert allowed.notes == ("signature: none; the pack is not signed (accepted with --allow-unsigned)",)


def test_a_signature_beside_a_manifest_that_names_no_key_fails_even_when_unsigned_is_allowed(
    key: Ed25519PrivateKey,
) -> None:
    data = pack(files(), manifest(files()), signature=b"\0" * 64)
    for allow in (True, False):
        result = verify_pack(data, allow_unsigned=allow)
        assert result.problems == ("manifest.sig: present, but manifest.json names no signing key",)
        assert (result.ok, result.status) == (False, "FAILED")


def test_a_manifest_naming_a_key_needs_its_signature(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    listed = {**manifest(files()), "signature": signature_info(key).model_dump(mode="json")}
    result = verify_pack(pack(files(), listed), trusted_keys=trusted, allow_unsigned=True)
    assert result.problems == (
        "manifest.sig: missing, but manifest.json says the pack is signed with key "
        + key_id(key.public_key()),
    )


def test_a_changed_manifest_breaks_the_signature_even_when_unsigned_is_allowed(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    other = pack(files(), manifest(files(), frameworks=["hipaa"]), key)
    wrong = sign(key, b"another manifest")
    data = pack(files(), manifest(files()), key, signature=wrong)
    problem = (
        "manifest.sig: the signature does not match manifest.json; the manifest or the signature was "
        "changed after signing"
    )
    for trust in (trusted, []):
        for allow in (True, False):
            result = verify_pack(data, trusted_keys=trust, allow_unsigned=allow)
            assert (result.problems, result.signer) == ((problem,), None)
    assert verify_pack(other, trusted_keys=trusted).ok


def test_a_pack_signed_by_an_untrusted_key_fails_naming_it(trusted: list[TrustedKey]) -> None:
    attacker = Ed25519PrivateKey.generate()
    data = pack(files(), manifest(files()), attacker)
    theirs, ours = key_id(attacker.public_key()), trusted[0].fingerprint
    for allow in (True, False):
        result = verify_pack(data, trusted_keys=trusted, allow_unsigned=allow)
        assert result.problems == (
            f"manifest.sig: signed with key {theirs}, which is not trusted; the trusted keys are "
            f"{ours} (ours)",
        )
        assert result.signer is None
    second = TrustedKey(Ed25519PrivateKey.generate().public_key(), "backup")
    assert verify_pack(data, trusted_keys=[*trusted, second]).problems == (
        f"manifest.sig: signed with key {theirs}, which is not trusted; the trusted keys are "
        f"{ours} (ours), {second.fingerprint} (backup)",
    )
    # With no key trusted at all: a problem, unless packs no trusted key signed are allowed.
    assert verify_pack(data).problems == (
        f"manifest.sig: signed with key {theirs}, which is not trusted (no key is: give the signer's "
        "public key with --public-key, or list it in trusted_keys)",
    )
    allowed = verify_pack(data, allow_unsigned=True)
    assert (allowed.ok, allowed.status, allowed.signer) == (True, "UNSIGNED", None)
    assert allowed.notes == (
        f"signature: intact, made with key {theirs}, which is not trusted (no key is); accepted with "
        "--allow-unsigned",
    )


def test_a_manifest_claiming_a_trusted_key_id_for_another_key_fails(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    """The attacker signs with their key, and records it under our fingerprint."""
    attacker = Ed25519PrivateKey.generate()
    info = signature_info(attacker).model_dump(mode="json")
    listed = {**manifest(files()), "signature": {**info, "key_id": key_id(key.public_key())}}
    raw = (json.dumps(listed, sort_keys=True, indent=2) + "\n").encode()
    data = pack(files(), listed, signature=sign(attacker, raw))
    for allow in (True, False):
        result = verify_pack(data, trusted_keys=trusted, allow_unsigned=allow)
        assert result.problems == ("manifest.json: signature.key_id does not match signature.public_key",)


@pytest.mark.parametrize(
    "public_key",
    [
        base64.b64encode(b"\1" * 31).decode(),  # not 32 bytes
        "not base64!",
        "*" + base64.b64encode(bytes(range(32))).decode(),  # a key, behind a character base64 has not
    ],
)
def test_a_public_key_that_is_not_ed25519_fails(key: Ed25519PrivateKey, public_key: str) -> None:
    info = {**signature_info(key).model_dump(mode="json"), "public_key": public_key}
    listed = {**manifest(files()), "signature": info}
    raw = (json.dumps(listed, sort_keys=True, indent=2) + "\n").encode()
    parsed, _ = parse_manifest(raw)
    assert parsed is not None
    check = check_signature(parsed, raw, sign(key, raw), trusted=[], allow_unsigned=True)
    assert (check.problem, check.signer) == (
        "manifest.json: signature.public_key is not an Ed25519 public key",
        None,
    )


def test_the_trusted_key_is_chosen_by_fingerprint_among_several(key: Ed25519PrivateKey) -> None:
    others = [TrustedKey(Ed25519PrivateKey.generate().public_key(), f"other {n}") for n in range(2)]
    trusted = [others[0], TrustedKey(key.public_key(), "ours"), others[1]]
    result = verify_pack(pack(files(), manifest(files()), key), trusted_keys=trusted)
    assert (result.status, result.signer) == ("OK", key_id(key.public_key()))
    assert result.notes == (f"signature: valid, made with the trusted key {key_id(key.public_key())} (ours)",)


def test_a_file_that_cannot_be_read_does_not_stop_the_checks_of_the_others(
    key: Ed25519PrivateKey, trusted: list[TrustedKey]
) -> None:
    body = b"a body of its own, corrupted in the zip\n"
    contents = {"a.txt": body, **files(), "report.json": REPORT.replace(b"true", b"fals")[:-1] + b"\n"}
    listed = manifest({"a.txt": body, **files()})
    out = io.BytesIO()
    raw = (
        json.dumps(
            {**listed, "signature": signature_info(key).model_dump(mode="json")}, sort_keys=True, indent=2
        )
        + "\n"
    ).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("manifest.json", raw)
        archive.writestr("manifest.sig", sign(key, raw))
        for name, data in contents.items():
            archive.writestr(name, data)
    corrupted = out.getvalue().replace(body, body.upper())
    unreadable = "a.txt: cannot be read: its CRC-32 does not match its headers"
    modified = (
        f"report.json: modified: sha256 {sha256_hex(contents['report.json'])} ({len(REPORT)} bytes); "
        f"the manifest records {sha256_hex(REPORT)} ({len(REPORT)} bytes)"
    )
    assert verify_pack(corrupted, trusted_keys=trusted).problems == (unreadable, modified)
    # A signature problem is added to the archive's problems, never put in their place.
    untrusted = verify_pack(corrupted).problems
    assert (len(untrusted), untrusted[0], untrusted[2]) == (3, unreadable, modified)
    assert untrusted[1].startswith("manifest.sig: signed with key ")


def test_a_fingerprint_is_the_sha256_of_the_raw_public_key(key: Ed25519PrivateKey) -> None:
    raw = base64.b64decode(signature_info(key).public_key)
    assert len(raw) == 32
    assert key_id(key.public_key()) == "sha256:" + hashlib.sha256(raw).hexdigest()


def test_checking_a_signature_refuses_an_unsigned_manifest_by_default() -> None:
    raw = (json.dumps(manifest(files()), sort_keys=True, indent=2) + "\n").encode()
    parsed, _ = parse_manifest(raw)
    assert parsed is not None
    check = check_signature(parsed, raw, None, trusted=[])
    assert check.problem is not None
    assert check.problem.startswith("manifest.sig: missing; the pack is not signed")
