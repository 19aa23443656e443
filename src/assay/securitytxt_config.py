"""The ``security_txt`` table of the trust config: what ``.well-known/security.txt`` says.

Checked when the config is read, so a bad value is a config error at its file:line:col, never a file
that assay's own VULN-01 would fail:

* ``preferred_languages`` holds language tags as RFC 5646 section 2.1 spells them (``en``, ``de-CH``,
  ``zh-Hant-TW``, ``x-klingon``), not names (``English``, ``english!``) or anything else, each once;
* ``expires_in`` (how far ahead of the run ``Expires`` is set) is at most :data:`MAX_EXPIRES_IN`,
  since RFC 9116 section 2.5.5 asks for less than a year; a fixed ``expires`` further ahead than that
  is cut to it when the file is written (:func:`assay.securitytxt.expires_at`);
* a ``Canonical`` URL is always known: the trust config's ``canonical_url`` (https) gives one when
  ``canonical`` is not set (checked by :func:`require_canonical`, called by the trust config).
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field, WithJsonSchema

from assay.durations import Duration, format_duration
from assay.model import Text
from assay.strict_model import StrictModel as Record

MAX_EXPIRES_IN = timedelta(days=365)

# RFC 5646 section 2.1, the ABNF of Language-Tag: langtag / privateuse / grandfathered. Case does not matter.
# The grammar also allows a primary language subtag of 4 to 8 letters, but the registry holds none (4 letters
# are reserved, 5 to 8 only for languages registered one day), so "English" or "german" is refused here.
_ALNUM = "[a-z0-9]"
_LANGTAG = (
    r"[a-z]{2,3}(?:-[a-z]{3}){0,3}"  # language (ISO 639), with up to three extlangs
    r"(?:-[a-z]{4})?"  # script
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"  # region
    rf"(?:-(?:{_ALNUM}{{5,8}}|[0-9]{_ALNUM}{{3}}))*"  # variants
    rf"(?:-[0-9a-wy-z](?:-{_ALNUM}{{2,8}})+)*"  # extensions: a singleton other than x, then subtags
    rf"(?:-x(?:-{_ALNUM}{{1,8}})+)?"  # private use
)
_PRIVATEUSE = rf"x(?:-{_ALNUM}{{1,8}})+"
# The irregular grandfathered tags; the regular ones (art-lojban, zh-min-nan ...) match the langtag form.
_IRREGULAR = frozenset(
    {"en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux", "i-mingo"}
    | {"i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl", "sgn-ch-de"}
)
_LANGUAGE_TAG = re.compile(rf"(?:{_LANGTAG}|{_PRIVATEUSE})", re.IGNORECASE)


def is_language_tag(value: str) -> bool:
    """Whether ``value`` is a well-formed RFC 5646 language tag."""
    return _LANGUAGE_TAG.fullmatch(value) is not None or value.lower() in _IRREGULAR


def _language_tag(value: str) -> str:
    if not is_language_tag(value):
        raise ValueError(f"{value!r} is not an RFC 5646 language tag: write tags such as en, de or pt-BR")
    return value


def _listify(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value.lower() in seen:
            raise ValueError(f"{value!r} is given twice")
        seen.add(value.lower())
    return values


def _at_most_a_year(value: timedelta) -> timedelta:
    if value > MAX_EXPIRES_IN:
        raise ValueError(
            f"{format_duration(value)} is more than {format_duration(MAX_EXPIRES_IN)}: "
            "RFC 9116 asks for an Expires less than a year ahead"
        )
    return value


_ONE_OR_MORE = {
    "anyOf": [
        {"type": "string", "minLength": 1},
        {"type": "array", "items": {"type": "string", "minLength": 1}},
    ]
}
# One value may be written as a string; the schema says so too, so editors accept what the model does.
Texts = Annotated[tuple[Text, ...], BeforeValidator(_listify), WithJsonSchema(_ONE_OR_MORE)]
LanguageTags = Annotated[
    tuple[Annotated[Text, AfterValidator(_language_tag)], ...],
    BeforeValidator(_listify),
    AfterValidator(_distinct),
    WithJsonSchema(_ONE_OR_MORE),
]


class SecurityTxtConfig(Record):
    """The fields of ``.well-known/security.txt`` (RFC 9116). A single value may be a string."""

    contact: Texts = Field(min_length=1, description="mailto:, https:// or tel: URIs, most preferred first.")
    expires: AwareDatetime | None = Field(
        default=None,
        description="A fixed expiry; one further ahead of the run than expires_in is cut to expires_in.",
    )
    expires_in: Annotated[Duration, AfterValidator(_at_most_a_year)] = Field(
        default=MAX_EXPIRES_IN,
        json_schema_extra={"default": format_duration(MAX_EXPIRES_IN)},
        description="How far ahead of the run Expires is set when expires is not: at most 365d.",
    )
    encryption: Texts = ()
    acknowledgments: Texts = ()
    preferred_languages: LanguageTags = Field(
        default=(), description="RFC 5646 language tags, e.g. [en, de]."
    )
    canonical: Texts = Field(
        default=(), description="Default: canonical_url's origin + /.well-known/security.txt."
    )
    policy: Texts = ()
    hiring: Texts = ()


def canonical_urls(config: SecurityTxtConfig, canonical_url: str | None) -> tuple[str, ...]:
    """The Canonical lines: the configured ones, else the https page URL's origin + the well-known path."""
    if config.canonical:
        return config.canonical
    match = re.match(r"^(https://[^/?#\s]+)", canonical_url or "", re.IGNORECASE)
    return (f"{match.group(1)}/.well-known/security.txt",) if match else ()


def require_canonical(config: SecurityTxtConfig | None, canonical_url: Any) -> SecurityTxtConfig | None:
    """``config`` when its Canonical is known (see :func:`canonical_urls`); else a ValueError saying how."""
    if config is not None and not canonical_urls(
        config, canonical_url if isinstance(canonical_url, str) else None
    ):
        raise ValueError(
            "security.txt needs a Canonical URL: set security_txt.canonical, "
            "or canonical_url to the https:// address the page is published at"
        )
    return config
