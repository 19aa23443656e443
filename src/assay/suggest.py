""" "Did you mean" for names a person typed: control ids, frameworks, requirements, formats, keys."""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_LISTED = 12  # a list of the known names is shown only when it is short enough to read
_NUMBER = re.compile(r"\d+")


def _key(name: str) -> str:
    """A name as a person may mean it: case and leading zeros of numbers ignored (``crypto-1``)."""
    return _NUMBER.sub(lambda m: m.group().lstrip("0") or "0", name.casefold())


def did_you_mean(name: str, known: Iterable[str], *, list_known: bool = True) -> str:
    """``"; did you mean 'soc2'?"``, else the known names when few (and ``list_known``), else nothing.

    A known name that differs only in case or in zeros before a number (``cc6.1``, ``CRYPTO-1``) is
    the suggestion; otherwise the closest by spelling, case aside.
    """
    names = sorted(set(known))
    keyed: dict[str, str] = {}
    for known_name in names:
        keyed.setdefault(_key(known_name), known_name)
    wanted = _key(name)
    close = [keyed[wanted]] if wanted in keyed else []
    if not close:
        import difflib  # here: only a name that matches nothing needs it

        close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        close = [keyed[k] for k in difflib.get_close_matches(wanted, list(keyed), n=1, cutoff=0.6)]
    if close:
        return f"; did you mean {close[0]!r}?"
    if list_known and names and len(names) <= MAX_LISTED:
        return f" (known: {', '.join(names)})"
    return ""
