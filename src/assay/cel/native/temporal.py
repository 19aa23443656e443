"""CEL's timestamps and durations, to the nanosecond, over Python's datetime and timedelta.

A datetime and a timedelta hold microseconds; CEL's timestamps and durations hold nanoseconds. So a
value whose nanoseconds are a whole number of microseconds is a plain (aware) ``datetime`` or
``timedelta``, and one with nanoseconds beyond them is a :class:`Timestamp` or :class:`Duration`,
subclasses that carry the extra nanoseconds (0-999) and compare, hash and print by them. Code that
takes a datetime keeps working on either (losing only the extra nanoseconds); the runtime computes
with whole nanoseconds (:func:`timestamp_nanos`, :func:`duration_nanos`) wherever they matter.

The ranges: timestamps run from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z; a duration
made from a string may span google.protobuf.Duration's +-315,576,000,000.999999999 s, and one made by
arithmetic (``t1 - t2``, ``d1 + d2``) must fit 64-bit nanoseconds, as cel-go and cel-cpp require.

Parsing is strict: :func:`parse_timestamp` takes RFC 3339 only (``T``/``Z`` in either case, any
offset ``+HH:MM``), and :func:`parse_duration` signed decimal numbers with the units ``h``, ``m``,
``s``, ``ms``, ``us`` and ``ns``, in ASCII digits. Formatting follows the protobuf JSON mapping that
CEL's ``string()`` uses: 0, 3, 6 or 9 fraction digits. Time zones for the accessors are ``UTC``, an
IANA name, or a fixed offset ``+HH:MM``; anything else is an error, never a crash.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

from assay.cel.native.errors import no_overload
from assay.errors import CelError

NANOS_PER_SECOND = 10**9
_NANOS_PER_MICRO = 1000
_SECONDS_PER_DAY = 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
MIN_TIMESTAMP_NANOS = -62135596800 * NANOS_PER_SECOND  # 0001-01-01T00:00:00Z
MAX_TIMESTAMP_NANOS = 253402300799 * NANOS_PER_SECOND + 999_999_999  # 9999-12-31T23:59:59.999999999Z
MAX_DURATION_NANOS = 315576000000 * NANOS_PER_SECOND + 999_999_999  # google.protobuf.Duration's range
MAX_ARITHMETIC_NANOS = 2**63 - 1  # a duration computed by arithmetic fits 64-bit nanoseconds
MIN_ARITHMETIC_NANOS = -(2**63)


# --- the values -----------------------------------------------------------------------------------


class Timestamp(datetime):
    """A CEL timestamp whose nanoseconds go beyond the microseconds of a datetime (UTC)."""

    _extra = 0  # nanoseconds beyond the microsecond, 0-999

    @property
    def nanosecond(self) -> int:
        """The nanoseconds beyond :attr:`microsecond` (0-999)."""
        return self._extra

    @property
    def epoch_nanos(self) -> int:
        return timestamp_nanos(self)

    def __reduce__(self) -> Any:
        return (make_timestamp, (timestamp_nanos(self),))

    def __repr__(self) -> str:
        return f"Timestamp({format_timestamp(self)!r})"

    def __str__(self) -> str:
        return format_timestamp(self)

    def __hash__(self) -> int:
        return hash(timestamp_nanos(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, datetime) and timestamp_nanos(self) == timestamp_nanos(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: date) -> bool:
        return _compare_timestamps(self, other) < 0

    def __le__(self, other: date) -> bool:
        return _compare_timestamps(self, other) <= 0

    def __gt__(self, other: date) -> bool:
        return _compare_timestamps(self, other) > 0

    def __ge__(self, other: date) -> bool:
        return _compare_timestamps(self, other) >= 0


def _compare_timestamps(first: datetime, second: date) -> int:
    if not isinstance(second, datetime):
        raise TypeError(f"cannot compare a timestamp with {type(second).__name__}")
    a, b = timestamp_nanos(first), timestamp_nanos(second)
    return (a > b) - (a < b)


class Duration(timedelta):
    """A CEL duration whose nanoseconds go beyond the microseconds of a timedelta."""

    _extra = 0  # nanoseconds beyond the whole microseconds (0-999; the microseconds are floored)

    @property
    def nanosecond(self) -> int:
        """The nanoseconds beyond :attr:`microseconds` (0-999)."""
        return self._extra

    @property
    def nanos(self) -> int:
        """The whole duration in nanoseconds."""
        return duration_nanos(self)

    def __reduce__(self) -> Any:
        return (make_duration, (duration_nanos(self),))

    def __repr__(self) -> str:
        return f"Duration({format_duration(self)!r})"

    def __str__(self) -> str:
        return format_duration(self)

    def __hash__(self) -> int:
        return hash(duration_nanos(self))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, timedelta) and duration_nanos(self) == duration_nanos(other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __lt__(self, other: timedelta) -> bool:
        return _compare_durations(self, other) < 0

    def __le__(self, other: timedelta) -> bool:
        return _compare_durations(self, other) <= 0

    def __gt__(self, other: timedelta) -> bool:
        return _compare_durations(self, other) > 0

    def __ge__(self, other: timedelta) -> bool:
        return _compare_durations(self, other) >= 0


def _compare_durations(first: timedelta, second: timedelta) -> int:
    if not isinstance(second, timedelta):
        raise TypeError(f"cannot compare a duration with {type(second).__name__}")
    a, b = duration_nanos(first), duration_nanos(second)
    return (a > b) - (a < b)


def timestamp_nanos(value: datetime) -> int:
    """Nanoseconds since the Unix epoch (a naive datetime is taken as UTC)."""
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    micros = (moment - _EPOCH) // timedelta(microseconds=1)
    return micros * _NANOS_PER_MICRO + getattr(value, "_extra", 0)


def duration_nanos(value: timedelta) -> int:
    micros = (value.days * _SECONDS_PER_DAY + value.seconds) * 1_000_000 + value.microseconds
    return micros * _NANOS_PER_MICRO + getattr(value, "_extra", 0)


def has_extra_nanos(value: Any) -> bool:
    return getattr(value, "_extra", 0) != 0


def make_timestamp(nanos: int) -> datetime:
    """The timestamp ``nanos`` after the epoch: a datetime, or a Timestamp when it needs nanoseconds."""
    if not MIN_TIMESTAMP_NANOS <= nanos <= MAX_TIMESTAMP_NANOS:
        raise CelError("timestamp out of range")
    micros, extra = divmod(nanos, _NANOS_PER_MICRO)
    moment = _EPOCH + timedelta(microseconds=micros)
    if not extra:
        return moment
    value = Timestamp(
        moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second,
        moment.microsecond, tzinfo=UTC,
    )  # fmt: skip
    value._extra = extra
    return value


def make_duration(nanos: int, low: int = -MAX_DURATION_NANOS, high: int = MAX_DURATION_NANOS) -> timedelta:
    """The duration of ``nanos``: a timedelta, or a Duration when it needs nanoseconds."""
    if not low <= nanos <= high:
        raise CelError("duration out of range")
    micros, extra = divmod(nanos, _NANOS_PER_MICRO)
    if not extra:
        return timedelta(microseconds=micros)
    value = Duration(microseconds=micros)
    value._extra = extra
    return value


def arithmetic_duration(nanos: int) -> timedelta:
    """A duration computed by arithmetic, which must fit 64-bit nanoseconds."""
    return make_duration(nanos, MIN_ARITHMETIC_NANOS, MAX_ARITHMETIC_NANOS)


def to_timestamp_value(value: datetime) -> datetime:
    """Any datetime as a CEL timestamp in range (a naive one is taken as UTC)."""
    return make_timestamp(timestamp_nanos(value))


# --- parsing and formatting ------------------------------------------------------------------------

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))",
    re.ASCII,
)
_MAX_HOUR, _MAX_MINUTE, _MAX_SECOND = 23, 59, 59


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 date-time as a timestamp; a CelError for anything else (``now`` included)."""
    match = _RFC3339.fullmatch(text)
    if match is None:
        raise CelError(f"cannot convert {shown(text)} to a timestamp: not an RFC 3339 date-time")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    fraction = (match.group(7) or "")[:9].ljust(9, "0")
    if match.group(8):
        offset = 0
    else:
        offset_hours, offset_minutes = int(match.group(10)), int(match.group(11))
        if offset_hours > _MAX_HOUR or offset_minutes > _MAX_MINUTE:
            raise CelError(f"cannot convert {shown(text)} to a timestamp: invalid offset")
        offset = (offset_hours * 3600 + offset_minutes * 60) * (1 if match.group(9) == "+" else -1)
    if hour > _MAX_HOUR or minute > _MAX_MINUTE or second > _MAX_SECOND:
        raise CelError(f"cannot convert {shown(text)} to a timestamp: invalid time of day")
    try:
        days = date(year, month, day).toordinal() - _EPOCH_ORDINAL
    except ValueError:
        raise CelError(f"cannot convert {shown(text)} to a timestamp: invalid or out-of-range date") from None
    seconds = days * _SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset
    return make_timestamp(seconds * NANOS_PER_SECOND + int(fraction))


_DURATION_UNITS = {
    "h": 3600 * NANOS_PER_SECOND,
    "m": 60 * NANOS_PER_SECOND,
    "s": NANOS_PER_SECOND,
    "ms": 1_000_000,
    "us": 1000,
    "ns": 1,
}
_DURATION = re.compile(r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:h|ms|m|s|us|ns))+|[+-]?0", re.ASCII)
_DURATION_PART = re.compile(r"(\d*)(?:\.(\d*))?(h|ms|m|s|us|ns)", re.ASCII)
_MAX_DURATION_TEXT = 200


def parse_duration(text: str) -> timedelta:
    """A duration such as ``90s``, ``1h30m`` or ``-1.5ms``; a CelError for anything else."""
    if len(text) > _MAX_DURATION_TEXT or _DURATION.fullmatch(text) is None:
        raise CelError(f"cannot convert {shown(text)} to a duration")
    body = text.lstrip("+-")
    nanos = 0
    for whole, fraction, unit in _DURATION_PART.findall(body):
        scale = _DURATION_UNITS[unit]
        count = int(whole or "0")
        if count > MAX_ARITHMETIC_NANOS:  # each count is a 64-bit integer, as in cel-go and cel-cpp
            raise CelError(f"cannot convert {shown(text)} to a duration: out of range")
        nanos += count * scale
        if fraction:
            nanos += int(fraction) * scale // 10 ** len(fraction)
    return make_duration(-nanos if text.startswith("-") else nanos)


def _fraction(nanos: int) -> str:
    """The fraction of a second in 0, 3, 6 or 9 digits, as the protobuf JSON mapping writes it."""
    if nanos == 0:
        return ""
    if nanos % 1_000_000 == 0:
        return f".{nanos // 1_000_000:03d}"
    if nanos % 1000 == 0:
        return f".{nanos // 1000:06d}"
    return f".{nanos:09d}"


def format_timestamp(value: datetime) -> str:
    """``2024-01-02T03:04:05.123Z``: RFC 3339 in UTC, with 0, 3, 6 or 9 fraction digits."""
    nanos = timestamp_nanos(value)
    seconds, fraction = divmod(nanos, NANOS_PER_SECOND)
    moment = _EPOCH + timedelta(seconds=seconds)
    return f"{moment.year:04d}-{moment:%m-%dT%H:%M:%S}{_fraction(fraction)}Z"


def format_duration(value: timedelta) -> str:
    """``90s``, ``-1.500s``, ``0.000000001s``: seconds, with 0, 3, 6 or 9 fraction digits."""
    nanos = duration_nanos(value)
    seconds, fraction = divmod(abs(nanos), NANOS_PER_SECOND)
    return f"{'-' if nanos < 0 else ''}{seconds}{_fraction(fraction)}s"


_SHOWN_LENGTH = 40


def shown(text: str) -> str:
    """A text from a rule or its data, quoted and cut short, for an error message."""
    return repr(text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "...")


# --- arithmetic ------------------------------------------------------------------------------------


def add_to_timestamp(moment: datetime, delta: timedelta, sign: int = 1) -> datetime:
    if not has_extra_nanos(moment) and not has_extra_nanos(delta) and moment.tzinfo is not None:
        try:
            shifted = moment + delta if sign > 0 else moment - delta
        except OverflowError:
            raise CelError("timestamp out of range") from None
        return to_timestamp_value(shifted)
    return make_timestamp(timestamp_nanos(moment) + sign * duration_nanos(delta))


def timestamp_difference(first: datetime, second: datetime) -> timedelta:
    return arithmetic_duration(timestamp_nanos(first) - timestamp_nanos(second))


def duration_sum(first: timedelta, second: timedelta, sign: int = 1) -> timedelta:
    return arithmetic_duration(duration_nanos(first) + sign * duration_nanos(second))


def compare_temporal(first: Any, second: Any) -> int:
    """-1, 0 or 1: two timestamps or two durations, to the nanosecond."""
    if isinstance(first, datetime):
        a, b = timestamp_nanos(first), timestamp_nanos(second)
    else:
        a, b = duration_nanos(first), duration_nanos(second)
    return (a > b) - (a < b)


# --- accessors -------------------------------------------------------------------------------------

_FIXED_ZONE = re.compile(r"([+-]?)(\d{2}):(\d{2})", re.ASCII)
_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)*", re.ASCII)


@functools.cache
def _zone_names() -> frozenset[str]:
    # The IANA names Python knows (tzdata), without the machine's own "localtime".
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
