"""The timestamp and duration accessors (``getHours`` and the rest) and the time zones they take.

A time zone is ``UTC``, an IANA name Python's tzdata knows (``Europe/Paris``), or a fixed offset
``+05:30`` (``05:30`` counts as east of UTC, as the conformance suite has it); anything else is a
CelError, never a crash, and the machine's own ``localtime`` is refused. Fields are computed from
whole nanoseconds with calendar arithmetic, so a timestamp at either end of its range seen in a time
zone gives the year 0 or 10000 as cel-cpp does, where Python's datetime would overflow.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from assay.cel.native.errors import no_overload
from assay.cel.native.temporal import (
    MAX_TIMESTAMP_NANOS,
    MIN_TIMESTAMP_NANOS,
    NANOS_PER_SECOND,
    duration_nanos,
    shown,
    timestamp_nanos,
)
from assay.errors import CelError

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECONDS_PER_DAY = 86400
_NANOS_PER_MICRO = 1000
_MAX_HOUR, _MAX_MINUTE = 23, 59


_FIXED_ZONE = re.compile(r"([+-]?)(\d{2}):(\d{2})", re.ASCII)
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*", re.ASCII)


@functools.cache
def _zone_names() -> frozenset[str]:
    # The IANA names Python knows (tzdata), without the machine's own "localtime".
    import zoneinfo  # here: only a rule that names a time zone needs it (about 2.5 ms to import)

    return frozenset(zoneinfo.available_timezones() - {"localtime"})


@functools.lru_cache(maxsize=64)
def time_zone(name: str) -> tzinfo:
    """``UTC``, an IANA name such as ``Europe/Paris``, or a fixed offset ``+05:30`` (``05:30`` is east of
    UTC too, as the conformance suite has it); anything else is an error."""
    fixed = _FIXED_ZONE.fullmatch(name)
    if fixed is not None:
        hours, minutes = int(fixed.group(2)), int(fixed.group(3))
        if hours > _MAX_HOUR or minutes > _MAX_MINUTE:
            raise CelError(f"invalid time zone {shown(name)}: offsets run from -23:59 to +23:59")
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if fixed.group(1) == "-" else offset)
    if name == "UTC":
        return UTC
    if _ZONE_NAME.fullmatch(name) and name in _zone_names():
        import zoneinfo

        return zoneinfo.ZoneInfo(name)
    raise CelError(f"invalid time zone {shown(name)}: give an IANA name such as Europe/Paris, or +HH:MM")


def _offset_seconds(nanos: int, zone: tzinfo) -> int:
    """The zone's offset from UTC at an instant, in seconds.

    Within two days of either end of the timestamp range the instant is moved inward first, so that
    Python's datetime (years 1 to 9999) can hold the local time; no zone changes its offset there.
    """
    if zone is UTC:
        return 0
    margin = 2 * _SECONDS_PER_DAY * NANOS_PER_SECOND
    inside = min(max(nanos, MIN_TIMESTAMP_NANOS + margin), MAX_TIMESTAMP_NANOS - margin)
    offset = (_EPOCH + timedelta(microseconds=inside // _NANOS_PER_MICRO)).astimezone(zone).utcoffset()
    return 0 if offset is None else offset // timedelta(seconds=1)


def _civil(days: int) -> tuple[int, int, int]:
    """Year, month (1-12) and day of the proleptic Gregorian calendar, ``days`` after 1970-01-01.

    Arithmetic over 400-year eras, so the years 0 and 10000 (a timestamp at the end of its range
    seen in a time zone) are dates like any other.
    """
    shifted = days + 719468  # days since 0000-03-01
    era = shifted // 146097
    day_of_era = shifted - era * 146097
    year_of_era = (day_of_era - day_of_era // 1460 + day_of_era // 36524 - day_of_era // 146096) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    month_index = (5 * day_of_year + 2) // 153  # March is 0
    day = day_of_year - (153 * month_index + 2) // 5 + 1
    month = month_index + 3 if month_index < 10 else month_index - 9  # noqa: PLR2004 - March-based months
    year = year_of_era + era * 400 + (1 if month <= 2 else 0)  # noqa: PLR2004 - January and February
    return year, month, day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _timestamp_fields(value: datetime, zone_name: str | None) -> dict[str, int]:
    nanos = timestamp_nanos(value)
    zone = UTC if zone_name is None else time_zone(zone_name)
    local = nanos + _offset_seconds(nanos, zone) * NANOS_PER_SECOND
    days, rest = divmod(local, _SECONDS_PER_DAY * NANOS_PER_SECOND)
    year, month, day = _civil(days)
    day_of_year = _DAYS_BEFORE_MONTH[month - 1] + day - 1 + (1 if month > 2 and _is_leap(year) else 0)  # noqa: PLR2004
    return {
        "getFullYear": year,
        "getMonth": month - 1,
        "getDate": day,
        "getDayOfMonth": day - 1,
        "getDayOfWeek": (days + 4) % 7,  # 1970-01-01 was a Thursday; Sunday is 0
        "getDayOfYear": day_of_year,
        "getHours": rest // (3600 * NANOS_PER_SECOND),
        "getMinutes": rest // (60 * NANOS_PER_SECOND) % 60,
        "getSeconds": rest // NANOS_PER_SECOND % 60,
        "getMilliseconds": rest // 1_000_000 % 1000,
    }


def _truncated(nanos: int, unit: int) -> int:
    """Division toward zero, as CEL's duration accessors count."""
    quotient = abs(nanos) // unit
    return -quotient if nanos < 0 else quotient


_DURATION_ACCESSORS: dict[str, Callable[[int], int]] = {
    "getHours": lambda n: _truncated(n, 3600 * NANOS_PER_SECOND),
    "getMinutes": lambda n: _truncated(n, 60 * NANOS_PER_SECOND),
    "getSeconds": lambda n: _truncated(n, NANOS_PER_SECOND),
    "getMilliseconds": lambda n: _truncated(n, 1_000_000) - _truncated(n, NANOS_PER_SECOND) * 1000,
}

ACCESSORS = (
    "getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds",
)  # fmt: skip


_NO_ZONE: Any = object()  # an accessor called without a time zone (null is a zone of the wrong type)


def accessor(name: str) -> Callable[..., int]:
    """``t.getHours()``, ``t.getHours('Europe/Paris')``, ``d.getMilliseconds()`` and the rest."""

    def call(value: Any, zone: Any = _NO_ZONE) -> int:
        if isinstance(value, datetime) and (zone is _NO_ZONE or type(zone) is str):
            return _timestamp_fields(value, None if zone is _NO_ZONE else zone)[name]
        if isinstance(value, timedelta) and zone is _NO_ZONE and name in _DURATION_ACCESSORS:
            return _DURATION_ACCESSORS[name](duration_nanos(value))
        raise no_overload(name, *(v for v in (value, zone) if v is not _NO_ZONE))

    call.__name__ = name
    return call
