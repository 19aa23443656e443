"""CEL's standard functions for the native backend, and custom functions wrapped for it.

:data:`BUILTINS` maps each standard function name to its implementation: ``size``, the type
conversions of :mod:`assay.cel.native.conversions`, ``type``, ``dyn``, the string tests (``matches``
runs RE2, as CEL specifies, with each pattern compiled once) and the timestamp and duration
accessors (``getFullYear`` and the rest, from :mod:`~assay.cel.native.accessors`). :func:`custom` wraps a
registered plain-Python function so that its Python errors become CEL errors.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import re2  # type: ignore[import-untyped]

from assay.cel.native.accessors import ACCESSORS, accessor
from assay.cel.native.conversions import (
    to_bool,
    to_bytes,
    to_double,
    to_duration,
    to_int,
    to_string,
    to_timestamp,
    to_uint,
)
from assay.cel.native.errors import PYTHON_ERRORS, no_overload
from assay.cel.native.operators import size
from assay.cel.native.values import type_of
from assay.errors import CelError


def _regex_options() -> Any:
    options = re2.Options()
    # RE2 otherwise logs every invalid pattern to stderr itself, around assay's own output; a pattern
    # may come from evidence, so it is reported once, as this rule's error, without quoting it.
    options.log_errors = False
    return options


_REGEX_OPTIONS = _regex_options()
_SHORT_TEXT = 256  # texts up to this length have their matches remembered (a bounded few)


@functools.lru_cache(maxsize=256)
def _regex(pattern: str) -> Any:
    """Rules match the same few patterns against many resources: compile each once."""
    return re2.compile(pattern, _REGEX_OPTIONS)


def _matches(text: Any, pattern: Any) -> bool:
    if type(text) is not str or type(pattern) is not str:
        raise no_overload("matches", text, pattern)
    if len(text) <= _SHORT_TEXT:  # a zone, a region, a name: the same few recur across resources
        return _short_match(text, pattern)
    return _search(text, pattern)


@functools.lru_cache(maxsize=4096)
def _short_match(text: str, pattern: str) -> bool:
    return _search(text, pattern)


def _search(text: str, pattern: str) -> bool:
    try:
        return _regex(pattern).search(text) is not None
    except re2.error as exc:
        raise CelError(f"invalid regular expression {pattern!r}: {exc}") from None


def _contains(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return part in text
    raise no_overload("contains", text, part)


def _starts_with(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return text.startswith(part)
    raise no_overload("startsWith", text, part)


def _ends_with(text: Any, part: Any) -> bool:
    if type(text) is str and type(part) is str:
        return text.endswith(part)
    raise no_overload("endsWith", text, part)


BUILTINS: dict[str, Callable[..., Any]] = {
    "size": size,
    "int": to_int,
    "uint": to_uint,
    "double": to_double,
    "string": to_string,
    "bytes": to_bytes,
    "bool": to_bool,
    "dyn": lambda value: value,
    "type": type_of,
    "timestamp": to_timestamp,
    "duration": to_duration,
    "matches": _matches,
    "contains": _contains,
    "startsWith": _starts_with,
    "endsWith": _ends_with,
    **{name: accessor(name) for name in ACCESSORS},
}


def custom(
    function: Callable[..., Any], name: str, *, bounded: bool = False, pure: bool = False
) -> Callable[..., Any]:
    """A registered function for generated code: its Python errors become CEL errors. ``bounded``
    marks one whose result the compiler need not charge to the memory budget, ``pure`` one whose
    result depends on its arguments only (the compiler may call it once on a literal). ``raw`` is
    ``function`` itself, which the fast variant calls (an error it raises makes the exact variant run,
    which calls this wrapper)."""

    def call(*args: Any) -> Any:
        try:
            return function(*args)
        except CelError:
            raise
        except (*PYTHON_ERRORS, RecursionError) as exc:
            raise CelError(f"{name}: {exc}") from None

    setattr(call, "bounded", bounded)  # noqa: B010 - read by the compiler beside "costed"
    setattr(call, "pure", pure)  # noqa: B010 - as "bounded"
    setattr(call, "raw", function)  # noqa: B010 - as "bounded"
    return call
