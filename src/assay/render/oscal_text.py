"""What every OSCAL document assay writes shares: stable UUIDs, and text made to fit OSCAL's data types.

OSCAL constrains its strings: a title is one line, a property value has no surrounding white space, an
identifier is an XML NCName ("token"). Evidence and resource names are untrusted text, so each value
goes through the function for its type here rather than into the document as it is.

UUIDs are version 5, made from content: the same inputs give the same document, byte for byte, so two
runs diff cleanly and a document's UUID changes exactly when what it says changes.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson

from assay.render.json_text import PASSTHROUGH as _PASSTHROUGH
from assay.render.json_text import indented, plain_floats

OSCAL_VERSION = "1.1.2"
# The namespace of assay's own properties (a URI, as OSCAL asks of ``ns``).
ASSAY_NS = "urn:assay:oscal"
_UUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, ASSAY_NS)
# Tokens are kept to ASCII: a subset of XML's NCName that every OSCAL tool reads the same way.
_NOT_IN_TOKEN = re.compile(r"[^A-Za-z0-9_.\-]")
_TOKEN_START = re.compile(r"[A-Za-z_]")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

Json = dict[str, Any]


def stable_uuid(*parts: object) -> str:
    """A version 5 UUID made from ``parts`` (any JSON-able values): equal parts, equal UUIDs.

    What is hashed is ``json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str,
    separators=(",", ":"))`` in UTF-8 (as ``uuid.uuid5`` hashes a name). orjson writes the same bytes
    several times faster, except where :func:`~assay.render.json_text.orjson_indented` says it does
    not: those are written by the json module.
    """
    digest = bytearray(hashlib.sha1(_UUID_NAMESPACE.bytes + canonical(parts), usedforsecurity=False).digest())
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # the RFC 4122 variant
    hexed = digest[:16].hex()
    return f"{hexed[:8]}-{hexed[8:12]}-{hexed[12:16]}-{hexed[16:20]}-{hexed[20:]}"


def canonical(value: object) -> bytes:
    """``value`` as the compact JSON with sorted keys that :func:`stable_uuid` hashes, in UTF-8."""
    try:
        raw = orjson.dumps(value, default=str, option=orjson.OPT_SORT_KEYS | _PASSTHROUGH)
    except TypeError:  # orjson.JSONEncodeError: a value orjson does not write as the json module does
        raw = None
    if raw is None or not plain_floats(raw):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))
        return text.encode()
    return raw


def token(text: str) -> str:
    """``text`` as an OSCAL token: characters outside a token become ``_``, and it starts with a letter.

    ``CC6.1`` stays ``CC6.1``; ``Art.5(1)(a)`` becomes ``Art.5_1__a_``; ``164.308`` becomes ``_164.308``.
    """
    cleaned = _NOT_IN_TOKEN.sub("_", text) or "_"
    return cleaned if _TOKEN_START.match(cleaned) else "_" + cleaned


def line(text: str, fallback: str = "-") -> str:
    """One line of text (an OSCAL title): control characters and line breaks become spaces."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or fallback  # no control character, and only single spaces between words: as it is
    flat = " ".join(_CONTROL_CHARACTERS.sub(" ", text).split())
    return flat or fallback


def prop(name: str, value: str, *, ns: bool = True) -> Json | None:
    """An OSCAL property, or ``None`` when ``value`` has nothing printable left to say."""
    flat = line(value, fallback="")
    if not flat:
        return None
    entry: Json = {"name": name, "value": flat}
    if ns:
        entry["ns"] = ASSAY_NS
    return entry


def props(*entries: Json | None) -> list[Json]:
    return [entry for entry in entries if entry is not None]


def aware(moment: datetime) -> datetime:
    """``moment`` with a time zone: a naive moment is taken to be UTC, as assay's dates are."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def timestamp(moment: datetime) -> str:
    """An OSCAL date-time, which always has its time zone."""
    return aware(moment).isoformat()


class Pruned(dict[str, Any]):
    """A document :func:`without_empty` made: pruning it again changes nothing, so it is not walked
    again (the observations of a hundred thousand findings are inside the result, inside the whole)."""


def without_empty(document: Json) -> Json:
    """``document`` without keys whose value is an empty list or ``None``: OSCAL forbids empty arrays."""
    return Pruned({key: _pruned(value) for key, value in document.items() if value not in ([], None)})


def _pruned(value: Any) -> Any:
    if isinstance(value, Pruned):
        return value
    if isinstance(value, dict):
        return without_empty(value)
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def dump(document: Json) -> str:
    return indented(document) + "\n"
