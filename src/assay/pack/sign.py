"""Ed25519 keys and signatures of packs: generating and loading keys, their fingerprints (the key id
``sha256:<hex>`` the manifest records), signing the manifest's bytes, and checking that a signature
was made with a key the caller trusts.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from assay.lean_dataclasses import frozen
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
    """The key's fingerprint: ``sha256:`` and the hex SHA-256 of its 32 raw bytes."""
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


@frozen
class TrustedKey:
    """A public key whose signatures are trusted, and where it came from (for messages)."""

    key: Ed25519PublicKey
    name: str

    @property
    def fingerprint(self) -> str:
        return key_id(self.key)


@frozen
class SignatureCheck:
    """The outcome of :func:`check_signature`: a problem, or a note saying what was proved.

    ``signer`` is the fingerprint of the trusted key that made a valid signature, else None.
    """

    problem: str | None = None
    note: str | None = None
    signer: str | None = None


def check_signature(
    manifest: PackManifest,
    raw: bytes,
    signature: bytes | None,
    *,
    trusted: Sequence[TrustedKey],
    allow_unsigned: bool = False,
) -> SignatureCheck:
    """Check ``signature`` over the manifest's bytes ``raw``: it must be made with a trusted key.

    With ``allow_unsigned``, a pack no trusted key signed is accepted: an unsigned one, or, when no key
    is trusted at all, one signed with a key that is not (its signature must still be intact). A
    signature with a key outside a non-empty trusted set always fails, naming the key's fingerprint.
    """
    info = manifest.signature
    if info is None:
        return _unsigned(signature, allow_unsigned)
    if signature is None:
        return SignatureCheck(
            problem=f"{SIGNATURE}: missing, but {MANIFEST} says the pack is signed with key {info.key_id}"
        )
    named = _named_key(info)
    if isinstance(named, str):
        return SignatureCheck(problem=named)
    keys = {key.fingerprint: key for key in trusted}
    chosen = keys.get(info.key_id)
    try:
        (chosen.key if chosen is not None else named).verify(signature, raw)
    except InvalidSignature:
        return SignatureCheck(
            problem=f"{SIGNATURE}: the signature does not match {MANIFEST}; the manifest or the signature "
            "was changed after signing"
        )
    if chosen is not None:
        return SignatureCheck(
            note=f"signature: valid, made with the trusted key {info.key_id} ({chosen.name})",
            signer=info.key_id,
        )
    return _untrusted(info.key_id, trusted, allow_unsigned)


def _unsigned(signature: bytes | None, allow_unsigned: bool) -> SignatureCheck:
    """A manifest that names no key: accepted only with ``allow_unsigned``, and then without a signature."""
    if signature is not None:
        return SignatureCheck(problem=f"{SIGNATURE}: present, but {MANIFEST} names no signing key")
    if allow_unsigned:
        return SignatureCheck(note="signature: none; the pack is not signed (accepted with --allow-unsigned)")
    return SignatureCheck(
        problem=f"{SIGNATURE}: missing; the pack is not signed, so who made it cannot be checked "
        "(--allow-unsigned checks its files only)"
    )


def _untrusted(fingerprint: str, trusted: Sequence[TrustedKey], allow_unsigned: bool) -> SignatureCheck:
    """An intact signature with a key that is not trusted: a problem, unless nothing is trusted and the
    caller accepts packs no trusted key signed."""
    if trusted:
        names = ", ".join(f"{key.fingerprint} ({key.name})" for key in trusted)
        return SignatureCheck(
            problem=f"{SIGNATURE}: signed with key {fingerprint}, which is not trusted; the trusted keys are "
            f"{names}"
        )
    if allow_unsigned:
        return SignatureCheck(
            note=f"signature: intact, made with key {fingerprint}, which is not trusted (no key is); "
            "accepted with --allow-unsigned"
        )
    return SignatureCheck(
        problem=f"{SIGNATURE}: signed with key {fingerprint}, which is not trusted (no key is: give the "
        "signer's public key with --public-key, or list it in trusted_keys)"
    )


def _named_key(info: SignatureInfo) -> Ed25519PublicKey | str:
    """The public key the manifest names, or why it cannot be used."""
    try:
        named = Ed25519PublicKey.from_public_bytes(base64.b64decode(info.public_key, validate=True))
    except ValueError:
        return f"{MANIFEST}: signature.public_key is not an Ed25519 public key"
    if key_id(named) != info.key_id:
        return f"{MANIFEST}: signature.key_id does not match signature.public_key"
    return named
