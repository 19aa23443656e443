"""Verifying a pack: :func:`verify_pack` and its :class:`Verification`.

The archive is read safely, and only once, by :mod:`assay.pack.archive`; here every file's hash and
size is checked against ``manifest.json``, nothing may be missing or extra, the manifest's evidence and
source records must agree with its file list, and :mod:`assay.pack.sign` checks that a trusted key
signed the manifest. A pack no trusted key signed fails, unless the caller allows unsigned packs: then
its files are still checked and its status is ``UNSIGNED``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set

from assay.lean_dataclasses import frozen
from assay.pack.archive import PackLimits, UnsafeArchive, read_archive
from assay.pack.manifest import MANIFEST, SIGNATURE, PackManifest, parse_manifest, sha256_hex
from assay.pack.sign import TrustedKey, check_signature

DEFAULT_LIMITS = PackLimits()


@frozen
class Verification:
    """The outcome of :func:`verify_pack`: problems (empty when everything holds) and notes."""

    problems: tuple[str, ...]
    notes: tuple[str, ...] = ()
    files: int = 0  # files listed in the manifest
    refused: bool = False  # the archive was unsafe, and was not read
    signer: str | None = None  # the fingerprint of the trusted key that signed the manifest

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def status(self) -> str:
        """``OK`` (a trusted key signed it), ``UNSIGNED`` (allowed), ``FAILED`` or ``REFUSED``."""
        if self.refused:
            return "REFUSED"
        if self.problems:
            return "FAILED"
        return "OK" if self.signer is not None else "UNSIGNED"


def verify_pack(
    data: bytes,
    *,
    trusted_keys: Sequence[TrustedKey] = (),
    allow_unsigned: bool = False,
    limits: PackLimits = DEFAULT_LIMITS,
) -> Verification:
    """Check a pack: safe to read, every hash as listed, nothing missing or extra, signed by a trusted key.

    A pack that no key of ``trusted_keys`` signed fails, unless ``allow_unsigned``: then it passes
    with the status ``UNSIGNED`` when everything else holds (see :func:`~assay.pack.sign.check_signature`).
    """
    try:
        archive = read_archive(data, limits)
    except UnsafeArchive as exc:
        return Verification(exc.problems, refused=True)
    contents, problems = archive.entries, list(archive.problems)
    raw = contents.get(MANIFEST)
    if raw is None:
        if MANIFEST not in archive.unreadable:
            problems.append(f"{MANIFEST}: missing; this is not an assay evidence pack")
        return Verification(tuple(problems))
    manifest, problem = parse_manifest(raw)
    if manifest is None:
        return Verification((*problems, f"{MANIFEST}: {problem}"))
    notes: list[str] = []
    signed = check_signature(
        manifest, raw, contents.get(SIGNATURE), trusted=trusted_keys, allow_unsigned=allow_unsigned
    )
    problems += [signed.problem] if signed.problem is not None else []
    notes += [signed.note] if signed.note is not None else []
    problems += _check_files(manifest, contents, archive.unreadable)
    problems += _check_records(manifest)
    notes += _redaction_notes(manifest)
    return Verification(tuple(problems), tuple(notes), files=len(manifest.files), signer=signed.signer)


def _check_files(manifest: PackManifest, contents: Mapping[str, bytes], unreadable: Set[str]) -> list[str]:
    """Every listed file is there with its hash and size, and nothing else is (but the manifest)."""
    problems = []
    listed = manifest.files
    for name in sorted(listed):
        entry = listed[name]
        if name in (MANIFEST, SIGNATURE):
            problems.append(f"{MANIFEST}: lists {name}, which cannot hold its own hash")
        elif name in unreadable:
            continue
        elif name not in contents:
            problems.append(f"{name}: missing (listed in the manifest, not in the archive)")
        else:
            body = contents[name]
            digest = sha256_hex(body)
            if digest != entry.sha256 or len(body) != entry.size:
                problems.append(
                    f"{name}: modified: sha256 {digest} ({len(body):,} bytes); "
                    f"the manifest records {entry.sha256} ({entry.size:,} bytes)"
                )
    problems += [
        f"{name}: extra file (in the archive, not in the manifest)"
        for name in sorted(contents)
        if name not in listed and name not in (MANIFEST, SIGNATURE)
    ]
    return problems


def _check_records(manifest: PackManifest) -> list[str]:
    """The evidence and source records agree with the file list (a hand-edited manifest might not)."""
    problems = []
    for evidence in manifest.evidence:
        entry = manifest.files.get(evidence.file)
        if entry is None:
            problems.append(f"{MANIFEST}: evidence {evidence.name}: {evidence.file} is not among the files")
            continue
        redaction = evidence.redacted
        expected = redaction.packed_sha256 if redaction is not None else evidence.sha256
        if entry.sha256 != expected:
            what = "its redacted copy" if redaction is not None else "the evaluated file"
            problems.append(
                f"{MANIFEST}: evidence {evidence.name}: {evidence.file} is listed with sha256 "
                f"{entry.sha256}, but {what} had {expected}"
            )
        if redaction is not None and redaction.original_sha256 != evidence.sha256:
            problems.append(
                f"{MANIFEST}: evidence {evidence.name}: the original sha256 is recorded twice, differently"
            )
    problems += [
        f"{MANIFEST}: source {source.path}: {source.file} is not among the files"
        for source in manifest.sources
        if source.file not in manifest.files
    ]
    return problems


def _redaction_notes(manifest: PackManifest) -> list[str]:
    redacted = [e.redacted for e in manifest.evidence if e.redacted is not None]
    if not redacted:
        return []
    values = sum(len(r.locations) for r in redacted)
    return [f"redacted: {values} value(s) in {len(redacted)} evidence file(s); manifest.json says where"]
