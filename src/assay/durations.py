"""Durations as compliance files write them: ``90d``, ``36h``, ``2w``; parsed, checked and written back."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from assay.records import Spec

_DURATION = re.compile(r"^\s*([1-9][0-9]*)\s*([smhdw])\s*$")
_UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION_PATTERN = r"^[1-9][0-9]*[smhdw]$"


def parse_duration(value: Any) -> Any:
    """Accept ``90d`` style strings (s, m, h, d, w); anything else is left for pydantic to reject."""
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a duration: write a whole number and a unit, e.g. '90d', '36h', '2w'"
            )
        return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2)])
    if isinstance(value, timedelta):
        return value
    raise ValueError("a duration is a string such as '90d', '36h' or '2w'")


def format_duration(value: timedelta) -> str:
    """The shortest exact form: 7 days is ``1w``, 36 hours ``36h``."""
    seconds = int(value.total_seconds())
    for unit, size in _UNIT_SECONDS.items():
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    raise AssertionError("unreachable: every whole number of seconds divides by 1")  # pragma: no cover


def _positive_duration(value: timedelta) -> timedelta:
    if value.total_seconds() < 1 or value.microseconds:
        raise ValueError("a duration must be a positive whole number of seconds")
    return value


Duration = Annotated[
    timedelta,
    Spec(
        before=parse_duration,
        after=_positive_duration,
        serializer=format_duration,
        json_schema={"type": "string", "pattern": DURATION_PATTERN, "examples": ["90d", "36h", "2w"]},
    ),
]
