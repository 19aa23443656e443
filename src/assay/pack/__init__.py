"""Evidence packs: one zip an auditor can open offline and verify, built and checked here.

A pack holds ``index.html`` (the entry page), the gap report as HTML, Markdown, JSON and CSV, every
evidence file the run read (secrets redacted, see :mod:`assay.redact`), the control, mapping,
waiver and scope files used, ``manifest.json`` and, when signed, ``manifest.sig``::

    index.html
    manifest.json            format, assay version, now, inputs, sha256 and size of every other file,
                             per evidence: collected_at, as_of, source, original sha256, redactions
    manifest.sig             Ed25519 signature of the exact bytes of manifest.json (64 raw bytes);
                             the manifest names the signer's key and its fingerprint
    reports/gap-report.{html,md,json,csv}
    evidence/<path under the evidence directory>
    sources/<path as shown in the report>

Building is deterministic: the same inputs and ``now`` give the same bytes. :func:`build_pack` and
:func:`verify_pack` work on bytes; :func:`collect` is the one place that reads files, and the CLI
writes the archive. Verification never extracts anything to disk.

The modules, one job each: :mod:`~assay.pack.manifest` (the format and its records),
:mod:`~assay.pack.build` (collecting and building), :mod:`~assay.pack.sign` (keys, fingerprints and
signatures), :mod:`~assay.pack.zipread` (the zip's structure, read once and strictly),
:mod:`~assay.pack.archive` (reading a zip safely, under limits) and :mod:`~assay.pack.verify` (a pack
verifies only when a trusted key signed it, or when unsigned packs are allowed). This module only
re-exports their public names, so ``from assay.pack import ...`` keeps working; each is imported
when first read, so verifying a pack does not load what building one needs (the run, the renderers).
"""

from __future__ import annotations

import typing

from assay.lazy_names import import_on_first_read

if typing.TYPE_CHECKING:
    from assay.pack.archive import PackLimits
    from assay.pack.build import BuiltPack, EvidenceFile, PackContents, SourceFile, build_pack, collect
    from assay.pack.manifest import (
        FORMAT,
        FORMAT_VERSION,
        INDEX,
        MANIFEST,
        REPORTS,
        SIGNATURE,
        FileEntry,
        MiB,
        PackedEvidence,
        PackedSource,
        PackError,
        PackInputs,
        PackManifest,
        RedactionEntry,
        RedactionRecord,
        SignatureInfo,
        SourceKind,
        manifest_json,
    )
    from assay.pack.sign import (
        TrustedKey,
        generate_key_pair,
        key_id,
        load_private_key,
        load_public_key,
        public_pem,
    )
    from assay.pack.verify import Verification, verify_pack

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "INDEX",
    "MANIFEST",
    "REPORTS",
    "SIGNATURE",
    "BuiltPack",
    "EvidenceFile",
    "FileEntry",
    "MiB",
    "PackContents",
    "PackError",
    "PackInputs",
    "PackLimits",
    "PackManifest",
    "PackedEvidence",
    "PackedSource",
    "RedactionEntry",
    "RedactionRecord",
    "SignatureInfo",
    "SourceFile",
    "SourceKind",
    "TrustedKey",
    "Verification",
    "build_pack",
    "collect",
    "generate_key_pair",
    "key_id",
    "load_private_key",
    "load_public_key",
    "manifest_json",
    "public_pem",
    "verify_pack",
]

# Where each public name lives: read on first use by __getattr__.
_HOMES: dict[str, str] = {
    "BuiltPack": "assay.pack.build",
    "EvidenceFile": "assay.pack.build",
    "FORMAT": "assay.pack.manifest",
    "FORMAT_VERSION": "assay.pack.manifest",
    "FileEntry": "assay.pack.manifest",
    "INDEX": "assay.pack.manifest",
    "MANIFEST": "assay.pack.manifest",
    "MiB": "assay.pack.manifest",
    "PackContents": "assay.pack.build",
    "PackError": "assay.pack.manifest",
    "PackInputs": "assay.pack.manifest",
    "PackLimits": "assay.pack.archive",
    "PackManifest": "assay.pack.manifest",
    "PackedEvidence": "assay.pack.manifest",
    "PackedSource": "assay.pack.manifest",
    "REPORTS": "assay.pack.manifest",
    "RedactionEntry": "assay.pack.manifest",
    "RedactionRecord": "assay.pack.manifest",
    "SIGNATURE": "assay.pack.manifest",
    "SignatureInfo": "assay.pack.manifest",
    "SourceFile": "assay.pack.build",
    "SourceKind": "assay.pack.manifest",
    "TrustedKey": "assay.pack.sign",
    "Verification": "assay.pack.verify",
    "build_pack": "assay.pack.build",
    "collect": "assay.pack.build",
    "generate_key_pair": "assay.pack.sign",
    "key_id": "assay.pack.sign",
    "load_private_key": "assay.pack.sign",
    "load_public_key": "assay.pack.sign",
    "manifest_json": "assay.pack.manifest",
    "public_pem": "assay.pack.sign",
    "verify_pack": "assay.pack.verify",
}


def __getattr__(name: str) -> object:
    return import_on_first_read(__name__, globals(), _HOMES, name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
