"""``assay verify``: a pack verifies only when a trusted key signed it.

Trusted keys come from ``--public-key`` (repeatable) or the project config's ``trusted_keys``;
``--allow-unsigned`` accepts a pack no trusted key signed, and says UNSIGNED. A pack re-signed with an
attacker's key fails, naming that key's fingerprint. Exit codes: 0 verified, 1 not, 2 usage errors.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from assay.pack import MANIFEST, SIGNATURE, key_id, manifest_json
from assay.pack.manifest import parse_manifest
from assay.pack.sign import sign, signature_info
from tests.pack.packs import Packs, build_packs

VOLUMES = "evidence/aws/ec2/volumes.json"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> Packs:
    return build_packs(tmp_path_factory.mktemp("packs"))


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, packs: Packs) -> Path:
    """A working directory holding the packs and the signer's public key (keys/signer.pub)."""
    (tmp_path / "keys").mkdir()
    (tmp_path / "keys" / "signer.pub").write_bytes(packs.public.read_bytes())
    (tmp_path / "signed.zip").write_bytes(packs.signed)
    (tmp_path / "unsigned.zip").write_bytes(packs.unsigned)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def other_key(cli, folder: Path) -> tuple[Path, str]:
    """A second key pair's public key, and its fingerprint as keygen prints it."""
    fingerprint = cli("keygen", "--private", "other.pem", "--public", "keys/other.pub").out.strip()
    return folder / "keys" / "other.pub", fingerprint


def resigned(packs: Packs, attacker: Ed25519PrivateKey) -> bytes:
    """The signed pack with one evidence file changed, its hash updated and the manifest signed again,
    with the attacker's key: every hash holds and the signature is valid, for the attacker's key."""
    with zipfile.ZipFile(io.BytesIO(packs.signed)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files[VOLUMES] = files[VOLUMES].replace(b"false", b"true ")
    manifest, _ = parse_manifest(files[MANIFEST])
    assert manifest is not None
    listed = dict(manifest.files)
    listed[VOLUMES] = listed[VOLUMES].model_copy(
        update={"sha256": hashlib.sha256(files[VOLUMES]).hexdigest(), "size": len(files[VOLUMES])}
    )
    evidence = tuple(
        e.model_copy(update={"sha256": listed[VOLUMES].sha256, "size": listed[VOLUMES].size})
        if e.file == VOLUMES
        else e
        for e in manifest.evidence
    )
    forged = manifest.model_copy(
        update={"files": listed, "evidence": evidence, "signature": signature_info(attacker)}
    )
    files[MANIFEST] = manifest_json(forged)
    files[SIGNATURE] = sign(attacker, files[MANIFEST])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
    return buffer.getvalue()


def test_keygen_prints_the_fingerprint_the_manifest_records_and_verify_names(
    cli, folder: Path, packs: Packs
) -> None:
    with zipfile.ZipFile(io.BytesIO(packs.signed)) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["signature"]["key_id"] == packs.fingerprint  # keygen printed it
    assert manifest["assay_version"] == __import__("assay").__version__
    result = cli("verify", "signed.zip", "--public-key", "keys/signer.pub")
    assert result.code == 0
    assert result.out == (
        f"signature: valid, made with the trusted key {packs.fingerprint} (keys/signer.pub)\n"
        f"assay verify: signed.zip: OK: 21 files match manifest.json, signed with the trusted key "
        f"{packs.fingerprint}\n"
    )


def test_a_pack_re_signed_with_another_key_fails_naming_it(cli, folder: Path, packs: Packs) -> None:
    attacker = Ed25519PrivateKey.generate()
    forged = key_id(attacker.public_key())
    (folder / "forged.zip").write_bytes(resigned(packs, attacker))
    result = cli("verify", "forged.zip", "--public-key", "keys/signer.pub")
    assert result.code == 1
    assert result.out == (
        f"manifest.sig: signed with key {forged}, which is not trusted; the trusted keys are "
        f"{packs.fingerprint} (keys/signer.pub)\n"
        "assay verify: forged.zip: FAILED: 1 problem(s)\n"
    )
    untrusted = cli("verify", "forged.zip")  # no key is trusted: still a failure, naming the signer
    assert untrusted.code == 1
    assert untrusted.out.startswith(
        f"manifest.sig: signed with key {forged}, which is not trusted (no key is"
    )
    allowed = cli("verify", "forged.zip", "--public-key", "keys/signer.pub", "--allow-unsigned")
    assert (allowed.code, allowed.out) == (1, result.out)


def test_trusted_keys_come_from_the_project_config(cli, folder: Path, packs: Packs) -> None:
    (folder / "assay.toml").write_text('trusted_keys = ["keys/signer.pub"]\n', encoding="utf-8")
    (folder / "sub").mkdir()
    result = cli("verify", "signed.zip")
    assert result.code == 0, result.out + result.err
    assert result.out.startswith(
        f"signature: valid, made with the trusted key {packs.fingerprint} (keys/signer.pub)\n"
    )
    assert result.out.endswith(f"signed with the trusted key {packs.fingerprint}\n")
    unsigned = cli("verify", "unsigned.zip")
    assert unsigned.code == 1
    assert unsigned.out.startswith("manifest.sig: missing; the pack is not signed")


def test_the_config_is_found_above_and_named_with_project(
    cli, folder: Path, packs: Packs, monkeypatch: pytest.MonkeyPatch
) -> None:
    (folder / "assay.toml").write_text('trusted_keys = ["keys/signer.pub"]\n', encoding="utf-8")
    (folder / "sub").mkdir()
    monkeypatch.chdir(folder / "sub")  # paths in the config are relative to its folder, not to here
    assert cli("verify", "../signed.zip").code == 0
    elsewhere = folder.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert cli("verify", str(folder / "signed.zip")).code == 1  # no config here: nothing is trusted
    assert cli("verify", str(folder / "signed.zip"), "--project", str(folder)).code == 0


def test_public_key_replaces_the_configured_keys_and_repeats(
    cli, folder: Path, packs: Packs, other_key: tuple[Path, str]
) -> None:
    (folder / "assay.toml").write_text('trusted_keys = ["keys/other.pub"]\n', encoding="utf-8")
    configured = cli("verify", "signed.zip")
    assert configured.code == 1
    assert configured.out.startswith(
        f"manifest.sig: signed with key {packs.fingerprint}, which is not trusted; the trusted keys are "
        f"{other_key[1]} (keys/other.pub)\n"
    )
    given = cli("verify", "signed.zip", "--public-key", "keys/other.pub", "--public-key", "keys/signer.pub")
    assert given.code == 0
    assert given.out.startswith(
        f"signature: valid, made with the trusted key {packs.fingerprint} (keys/signer.pub)\n"
    )


def test_allow_unsigned_checks_the_files_and_says_unsigned(cli, folder: Path, packs: Packs) -> None:
    result = cli("verify", "unsigned.zip", "--allow-unsigned")
    assert result.code == 0
    assert result.out.endswith(
        "assay verify: unsigned.zip: UNSIGNED: 21 files match manifest.json, but no trusted key signed it\n"
    )
    signed_untrusted = cli("verify", "signed.zip", "--allow-unsigned")  # no key is trusted at all
    assert signed_untrusted.code == 0
    assert signed_untrusted.out == (
        f"signature: intact, made with key {packs.fingerprint}, which is not trusted (no key is); "
        "accepted with --allow-unsigned\n"
        "assay verify: signed.zip: UNSIGNED: 21 files match manifest.json, but no trusted key signed it\n"
    )
    with zipfile.ZipFile(io.BytesIO(packs.unsigned)) as source:
        files = {name: source.read(name) for name in source.namelist()}
    files[VOLUMES] = files[VOLUMES].replace(b"false", b"true ")
    with zipfile.ZipFile(folder / "changed.zip", "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    changed = cli("verify", "changed.zip", "--allow-unsigned")  # the hashes are still checked
    assert changed.code == 1
    assert changed.out.startswith(f"{VOLUMES}: modified: sha256 ")
    assert changed.out.endswith("assay verify: changed.zip: FAILED: 1 problem(s)\n")


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            'trusted_keys = ["keys/missing.pub"]\n',
            "assay: error: trusted_keys (assay.toml:1:1) {folder}/keys/missing.pub: "
            "No such file or directory\n",
        ),
        (
            'trusted_keys = ["assay.toml"]\n',
            "assay: error: trusted_keys (assay.toml:1:1): assay.toml: not a PEM public key\n",
        ),
        (
            "trusted_keys = 3\n",
            "assay.toml:1:1: error: config > trusted_keys: trusted_keys must be a path or a non-empty list "
            "of paths, not a number\n"
            "assay verify: the inputs have errors; nothing was evaluated\n",
        ),
    ],
    ids=["missing", "not-a-key", "not-a-list"],
)
def test_a_trusted_key_that_cannot_be_used_is_a_configuration_error(
    cli, folder: Path, config: str, message: str
) -> None:
    (folder / "assay.toml").write_text(config, encoding="utf-8")
    result = cli("verify", "signed.zip")
    assert (result.code, result.out) == (2, "")
    assert result.err == message.format(folder=folder)
