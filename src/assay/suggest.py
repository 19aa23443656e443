""" "Did you mean" for names a person typed: control ids, frameworks, requirements, formats, keys."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_LISTED = 12  # a list of the known names is shown only when it is short enough to read


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'soc2'?"``, else the known names when few, else nothing."""
    names = sorted(set(known))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    if not close:
        lowered = {n.lower(): n for n in names}
        close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    if close:
        return f"; did you mean {close[0]!r}?"
    if names and len(names) <= MAX_LISTED:
        return f" (known: {', '.join(names)})"
    return ""
