"""Ed25519 keys and signatures of packs: generating and loading keys, key ids, signing the manifest's
bytes and checking a signature against the key the manifest names or a key the caller trusts.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assay.pack.manifest import MANIFEST, SIGNATURE, PackError, PackManifest, SignatureInfo

# --- keys ------------------------------------------------------------------------------------------


def generate_key_pair() -> tuple[bytes, bytes]:
    """A new Ed25519 key pair as PEM: (PKCS#8 private key, SubjectPublicKeyInfo public key)."""
    private = Ed25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return private_pem, public_pem(private.public_key())


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_private_key(data: bytes, shown: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from PEM (PKCS#8), refusing anything else with a clear message."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except TypeError:  # a password is needed
        raise PackError(f"{shown}: the private key is encrypted; give an unencrypted PKCS#8 key") from None
    except (ValueError, NotImplementedError):
        raise PackError(f"{shown}: not a PEM private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise PackError(f"{shown}: not an Ed25519 key (assay keygen writes one)")
    return key


def load_public_key(data: bytes, shown: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo)."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError, NotImplementedError):
        raise PackError(f"{shown}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise PackError(f"{shown}: not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    return "sha256:" + hashlib.sha256(_raw(key)).hexdigest()


def _raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


# --- signing ---------------------------------------------------------------------------------------


def signature_info(key: Ed25519PrivateKey) -> SignatureInfo:
    """What the manifest records about the key that signs it."""
    public = key.public_key()
    return SignatureInfo(public_key=base64.b64encode(_raw(public)).decode("ascii"), key_id=key_id(public))


def sign(key: Ed25519PrivateKey, manifest_bytes: bytes) -> bytes:
    """The signature stored as ``manifest.sig``: 64 raw bytes over the exact bytes of the manifest."""
    return key.sign(manifest_bytes)


# --- checking --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of :func:`check_signature`: a problem, or a note saying what was proved."""

    problem: str | None = None
    note: str | None = None


def check_signature(
    manifest: PackManifest,
    raw: bytes,
    signature: bytes | None,
    *,
    trusted: Ed25519PublicKey | None,
    trusted_name: str,
) -> SignatureCheck:
    """Check ``signature`` over the manifest's bytes ``raw``.

    With ``trusted`` the signature must be made with that key; without it, with the key the manifest
    names (which proves integrity but not who signed).
    """
    info = manifest.signature
    if info is None:
        return _unsigned(signature, trusted, trusted_name)
    if signature is None:
        return SignatureCheck(
            problem=f"{SIGNATURE}: missing, but {MANIFEST} says the pack is signed with key {info.key_id}"
        )
    named = _named_key(info)
    if isinstance(named, str):
        return SignatureCheck(problem=named)
    key = trusted if trusted is not None else named
    try:
        key.verify(signature, raw)
    except InvalidSignature:
        return SignatureCheck(problem=_mismatch(info, trusted, trusted_name))
    if trusted is not None:
        return SignatureCheck(note=f"signature: valid, made with the given key {key_id(trusted)}")
    return SignatureCheck(
        note=f"signature: valid, made with key {info.key_id} named in the manifest; "
        "pass --public-key to check that it is a key you trust"
    )


def _unsigned(signature: bytes | None, trusted: Ed25519PublicKey | None, trusted_name: str) -> SignatureCheck:
    """A manifest that names no key: fine unless there is a signature, or a key to check was given."""
    if signature is not None:
        return SignatureCheck(problem=f"{SIGNATURE}: present, but {MANIFEST} names no signing key")
    if trusted is not None:
        return SignatureCheck(
            problem=f"{SIGNATURE}: missing; the pack is not signed, so {trusted_name} cannot be checked"
        )
    return SignatureCheck(note="signature: none (the pack is not signed)")


def _named_key(info: SignatureInfo) -> Ed25519PublicKey | str:
    """The public key the manifest names, or why it cannot be used."""
    try:
        named = Ed25519PublicKey.from_public_bytes(base64.b64decode(info.public_key, validate=True))
    except ValueError:
        return f"{MANIFEST}: signature.public_key is not an Ed25519 public key"
    if key_id(named) != info.key_id:
        return f"{MANIFEST}: signature.key_id does not match signature.public_key"
    return named


def _mismatch(info: SignatureInfo, trusted: Ed25519PublicKey | None, trusted_name: str) -> str:
    """Why a signature does not verify: another key than the trusted one, or changed bytes."""
    if trusted is not None and key_id(trusted) != info.key_id:
        return (
            f"{SIGNATURE}: the pack was signed with key {info.key_id}, not with the given key "
            f"{key_id(trusted)} ({trusted_name})"
        )
    return (
        f"{SIGNATURE}: the signature does not match {MANIFEST}; the manifest or the signature "
        "was changed after signing"
    )
