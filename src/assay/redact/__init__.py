"""Redaction of secrets in evidence before it leaves the company in an evidence pack.

Exports sometimes carry secrets: a password in a config dump, a token in a CI log, an AWS secret
access key in a credentials listing. The packed copy of such a file has them replaced by
``[REDACTED]``; the pack manifest records where, and the sha256 of the original, so an auditor can
see that redaction happened and match the file with the hash in the report. The evidence ``source``
field is redacted when it is read (:func:`redact_text`), and the collectors redact what they write.

* :mod:`assay.redact.names`: which keys name a secret (``password``, ``client_secret``,
  ``SecretAccessKey``) or a header whose credentials are secret (``Authorization``, ``Cookie``).
* :mod:`assay.redact.text`: secrets in text (token shapes, private keys, URL passwords, headers,
  ``key=value`` pairs).
* :mod:`assay.redact.structure`: secrets in parsed data, in keys and values at any depth.
* :mod:`assay.redact.files`: one file by its format, parsed, redacted and written back; a file that
  cannot be parsed is withheld, never passed through.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assay.lazy_names import import_on_first_read

if TYPE_CHECKING:
    from assay.redact.files import DUPLICATE_KEYS, WHOLE_FILE, Redacted, redact
    from assay.redact.names import header_kind, secret_key
    from assay.redact.structure import Redaction, redact_data
    from assay.redact.text import MARK, redact_text

# Each name is imported from its module when first read: reading evidence redacts its ``source`` with
# redact_text alone, and need not load the parsers and writers of whole files (assay.redact.files).
_HOMES = {
    "DUPLICATE_KEYS": "files",
    "WHOLE_FILE": "files",
    "Redacted": "files",
    "redact": "files",
    "header_kind": "names",
    "secret_key": "names",
    "Redaction": "structure",
    "redact_data": "structure",
    "MARK": "text",
    "redact_text": "text",
}
_MODULES = {name: f"{__name__}.{home}" for name, home in _HOMES.items()}


def __getattr__(name: str) -> Any:
    return import_on_first_read(__name__, globals(), _MODULES, name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "DUPLICATE_KEYS",
    "MARK",
    "WHOLE_FILE",
    "Redacted",
    "Redaction",
    "header_kind",
    "redact",
    "redact_data",
    "redact_text",
    "secret_key",
]
