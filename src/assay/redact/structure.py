"""Secrets in parsed data (JSON, YAML, CSV rows), at any depth, in keys and in values.

* The value of a key named like a secret is replaced whole, whatever it is: a string, a number, a
  list or a nested object becomes ``[REDACTED]``. ``null``, booleans and empty values stay: they
  say whether a secret is set, not what it is.
* The value of an ``Authorization`` header keeps its scheme, ``Cookie`` and ``Set-Cookie`` values
  keep the cookie names and attributes (see :mod:`assay.redact.text`); a cookie map (name ->
  value) keeps its names.
* Every other string, and every key, is searched for secrets (:func:`assay.redact.text.find`): a
  key that holds a secret becomes ``[REDACTED]`` (numbered when two keys would then be equal).

Locations are JSON pointers (RFC 6901) into the redacted data, so none of them holds a secret.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from assay.lean_dataclasses import frozen
from assay.redact.names import HeaderKind, header_kind, secret_key
from assay.redact.text import MARK, Span, find, header_spans, is_mark, merge, scrub, shown_name


@frozen
class Redaction:
    """One redacted value: where (a JSON pointer, ``line N`` or ``(whole file)``) and why."""

    at: str
    reason: str


def redact_data(value: Any) -> tuple[Any, list[Redaction]]:
    """A copy of ``value`` with its secrets replaced, and where they were."""
    found: list[Redaction] = []
    return _walk(value, "", found), found


def _walk(value: Any, pointer: str, found: list[Redaction]) -> Any:
    """One frame per level of nesting: deep data is limited by the parser, not by this walk."""
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        named_value = _named_value(value)
        for key, item in value.items():
            name = _key(key, out, pointer, found)
            at = f"{pointer}/{pointer_part(str(name))}"
            if key == named_value:
                out[name] = _secret(item, at, f"value of {shown_name(_pair_name(value))!r}", found)
                continue
            handled, new = _named(key, name, item, at, found)
            out[name] = new if handled else _walk(item, at, found)
        return out
    if isinstance(value, list):
        items = []
        for index, item in enumerate(value):
            items.append(_walk(item, f"{pointer}/{index}", found))
        return items
    if isinstance(value, str):
        return redact_string(value, pointer, found)
    return value


# A setting as a name/value object: AWS tags and CloudFormation parameters, ECS and Kubernetes
# environment variables (``{"name": "DB_PASSWORD", "value": "..."}``).
_PAIR_NAMES = ("Key", "key", "Name", "name", "ParameterKey", "OptionName")
_PAIR_VALUES = ("Value", "value", "ParameterValue")


def _pair_name(mapping: dict[Any, Any]) -> str:
    return next((str(mapping[k]) for k in _PAIR_NAMES if isinstance(mapping.get(k), str)), "")


def _named_value(mapping: dict[Any, Any]) -> str | None:
    """The key holding the value of a name/value object whose name is a secret's, else None."""
    if len(mapping) > 6:  # noqa: PLR2004 - a name/value object has a few keys, not a record's many
        return None
    name = _pair_name(mapping)
    if not name or not secret_key(name) or header_kind(name) is not None:
        return None
    return next((k for k in _PAIR_VALUES if k in mapping), None)


def redact_field(name: str, shown: str, value: Any, pointer: str, found: list[Redaction]) -> Any:
    """The value of a field named ``name`` (a CSV column; ``shown`` is its name with any secret in it
    redacted), redacted as the value of that key would be."""
    handled, new = _named(name, shown, value, pointer, found)
    return new if handled else _walk(value, pointer, found)


def redact_string(value: str, pointer: str, found: list[Redaction]) -> str:
    """``value`` with its secrets replaced; one redaction per reason, at ``pointer``."""
    spans = find(value)
    if not spans:
        return value
    found += [Redaction(pointer, reason) for reason in sorted({s.reason for s in spans})]
    return scrub(value, spans)


def _key(key: Any, taken: dict[Any, Any], pointer: str, found: list[Redaction]) -> Any:
    """The key as written: with any secret in it replaced, and unique among the keys so far."""
    if not isinstance(key, str):
        return key
    name = key
    spans = _find_in_key(key)
    if spans:
        name = scrub(key, spans)
    unique, number = name, 1
    while unique in taken:
        number += 1
        unique = f"{name} ({number})"
    if spans:
        reasons = sorted({s.reason for s in spans})
        found += [Redaction(f"{pointer}/{pointer_part(unique)}", f"{r} in a key") for r in reasons]
    return unique


@lru_cache(maxsize=4096)  # the same keys come back in every item of a list
def _find_in_key(key: str) -> list[Span]:
    return find(key)


def _named(key: Any, name: Any, value: Any, at: str, found: list[Redaction]) -> tuple[bool, Any]:
    """(True, the redacted value) when the key's name decides how its value is redacted."""
    if not isinstance(key, str):
        return False, None
    kind = header_kind(key)
    if kind is not None:
        return True, _header(kind, value, at, found)
    if secret_key(key):
        return True, _secret(value, at, f"key {shown_name(str(name))!r}", found)
    return False, None


def _secret(value: Any, pointer: str, reason: str, found: list[Redaction]) -> Any:
    """The value under a secret's name: replaced whole unless it is null, a boolean or empty."""
    if value is None or isinstance(value, bool) or value in ("", [], {}):
        return value
    if isinstance(value, str) and is_mark(value):
        return value
    found.append(Redaction(pointer, reason))
    return MARK


def _header(kind: HeaderKind, value: Any, pointer: str, found: list[Redaction]) -> Any:
    """The value of an Authorization, Cookie or Set-Cookie header (a string, or a list of them)."""
    if isinstance(value, str):
        spans = header_spans(kind, value)
        spans = merge([*spans, *find(value)], value)
        if not spans:
            return value
        found += [Redaction(pointer, reason) for reason in sorted({s.reason for s in spans})]
        return scrub(value, spans)
    if isinstance(value, list):
        return [_header(kind, item, f"{pointer}/{index}", found) for index, item in enumerate(value)]
    if isinstance(value, dict) and kind != "authorization":
        return _cookie_map(value, pointer, found)
    return _secret(value, pointer, "Authorization header" if kind == "authorization" else "cookie", found)


def _cookie_map(cookies: dict[Any, Any], pointer: str, found: list[Redaction]) -> dict[Any, Any]:
    """A cookie as an object (``{"name": ..., "value": ..., "secure": true}``: its ``value`` is
    redacted) or a map of cookie name -> value (every value is)."""
    as_object = "value" in cookies
    out: dict[Any, Any] = {}
    for key, item in cookies.items():
        name = _key(key, out, pointer, found)
        at = f"{pointer}/{pointer_part(str(name))}"
        if as_object and key != "value":
            out[name] = _walk(item, at, found)
        else:
            out[name] = _secret(item, at, "cookie", found)
    return out


def pointer_part(key: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return key.replace("~", "~0").replace("/", "~1")
