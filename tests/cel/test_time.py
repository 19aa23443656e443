"""Timestamps and durations exactly as specified (issue 14, point 8; issue 23, point 2): nanoseconds
kept, RFC 3339 parsed strictly, the spec's string formats, ranges held on arithmetic, the accessors'
parts, and time zones that are IANA names or fixed offsets, anything else an error and never a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assay import cel
from assay.cel.native import Duration, Uint
from assay.engine import Engine
from assay.errors import CelError
from assay.evidence import InMemoryEvidence
from assay.model import ControlStatus
from tests.cel.spec_cases import ERROR, check, native


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("string(timestamp('2009-02-13T23:31:30Z'))", "2009-02-13T23:31:30Z"),
        ("string(timestamp('2024-01-01T00:00:00.1Z'))", "2024-01-01T00:00:00.100Z"),
        ("string(timestamp('2024-01-01T00:00:00.0001Z'))", "2024-01-01T00:00:00.000100Z"),
        ("string(timestamp('2024-01-01T00:00:00.000000001Z'))", "2024-01-01T00:00:00.000000001Z"),
        ("string(timestamp('9999-12-31T23:59:59.999999999Z'))", "9999-12-31T23:59:59.999999999Z"),
        ("string(timestamp('0001-01-01T00:00:00Z'))", "0001-01-01T00:00:00Z"),
        ("string(timestamp('2024-06-01T12:00:00+02:00'))", "2024-06-01T10:00:00Z"),
        ("string(timestamp('2024-06-01t12:00:00z'))", "2024-06-01T12:00:00Z"),
        ("string(timestamp('2024-01-01T00:00:00.1234567891Z'))", "2024-01-01T00:00:00.123456789Z"),
        ("string(duration('1000000s'))", "1000000s"),
        ("string(duration('1ns'))", "0.000000001s"),
        ("string(duration('-1.5s'))", "-1.500s"),
        ("string(duration('1.000001s'))", "1.000001s"),
        ("string(duration('1h1m'))", "3660s"),
        ("string(duration('0s'))", "0s"),
        ("string(duration('-315576000000.999999999s'))", "-315576000000.999999999s"),
    ],
)
def test_timestamps_and_durations_print_in_the_spec_formats(expression: str, expected: str) -> None:
    check(expression, expected)


REJECTED_TIMESTAMPS = [
    "now",
    "P1D",
    "2024-W01-1T00:00:00Z",  # an ISO week date
    "2024-W01",
    "\uff12\uff10\uff12\uff14-01-01T00:00:00Z",  # full-width digits
    "2024-01-01T00:00:00.٣Z",  # an Arabic-Indic digit in the fraction
    "2_024-01-01T00:00:00Z",
    "2024-01-01 00:00:00Z",
    "2024-01-01T00:00:00",
    "2024-01-01",
    "2024-1-01T00:00:00Z",
    "2024-01-01T24:00:00Z",
    "2024-01-01T23:59:60Z",
    "2024-02-30T00:00:00Z",
    "2024-01-01T00:00:00+0500",
    "2024-01-01T00:00:00+24:00",
    "2024-01-01T00:00:00.Z",
    "0000-01-01T00:00:00Z",
    "10000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "",
]


@pytest.mark.parametrize("text", REJECTED_TIMESTAMPS)
def test_timestamps_parse_rfc_3339_strictly(text: str) -> None:
    assert native(f"timestamp({text!r})") is ERROR
    assert native(f"timestamp({text!r})", {}) is ERROR


def test_timestamp_now_is_an_error_and_never_the_clock() -> None:
    with pytest.raises(CelError, match="not an RFC 3339"):
        cel.compile("timestamp('now')").evaluate({})
    # Rules read the evaluation time from the now variable.
    moment = datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert cel.compile("now - timestamp('2026-11-24T12:00:00Z')").evaluate({"now": moment}) == timedelta(
        days=1
    )


REJECTED_DURATIONS = ["1_000s", "\uff11s", "1", "1d", "1.5", "s", "1h-1m", "P1D", "1 h", "1H", "1e3s", ""]


@pytest.mark.parametrize("text", [*REJECTED_DURATIONS, "320000000000s", "-320000000000s"])
def test_durations_parse_strictly(text: str) -> None:
    check(f"duration({text!r})", ERROR)


def test_durations_keep_nanoseconds() -> None:
    check("duration('1ns') > duration('0s')", True)
    check("duration('1.000000001s') - duration('1s') == duration('1ns')", True)
    check("timestamp('2024-01-01T00:00:00.000000001Z') > timestamp('2024-01-01T00:00:00Z')", True)
    check(
        "timestamp('2024-01-01T00:00:00Z') + duration('1ns') == timestamp('2024-01-01T00:00:00.000000001Z')",
        True,
    )
    one = cel.compile("duration('1ns')").evaluate({})
    assert isinstance(one, Duration)
    assert isinstance(one, timedelta)
    assert (one.nanos, one.nanosecond, one == timedelta(0), one > timedelta(0)) == (1, 1, False, True)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("timestamp('0001-01-01T00:00:00Z') + duration('-1ns')", ERROR),
        ("timestamp('9999-12-31T23:59:59.999999999Z') + duration('1ns')", ERROR),
        ("timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')", ERROR),
        ("timestamp('2300-01-01T00:00:00Z') - timestamp('2000-01-01T00:00:00Z')", ERROR),
        ("duration('200000000000s') + duration('200000000000s')", ERROR),
        ("duration('-200000000000s') - duration('200000000000s')", ERROR),
        ("timestamp(253402300800)", ERROR),
        ("timestamp(-62135596801)", ERROR),
        ("-duration('1s')", ERROR),
        ("string(timestamp('2200-01-01T00:00:00Z') - timestamp('2000-01-01T00:00:00Z'))", "6311433600s"),
        ("string(timestamp(253402300799))", "9999-12-31T23:59:59Z"),
        ("int(timestamp('1969-12-31T23:59:59.5Z'))", -1),
    ],
)
def test_timestamp_and_duration_ranges_hold_on_arithmetic(expression: str, expected: Any) -> None:
    check(expression, expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("duration('1.234s').getMilliseconds()", 234),
        ("duration('61.234s').getMilliseconds()", 234),
        ("duration('-1.5s').getMilliseconds()", -500),
        ("duration('-1.5s').getSeconds()", -1),
        ("duration('-90m').getHours()", -1),
        ("duration('-90m').getMinutes()", -90),
        ("timestamp('1969-12-31T23:59:59.5Z').getMilliseconds()", 500),
        ("timestamp('2024-01-01T00:00:00.123456789Z').getMilliseconds()", 123),
    ],
)
def test_accessors_give_the_part_asked_for(expression: str, expected: int) -> None:
    check(expression, expected)


TS = "timestamp('2024-01-01T00:00:00Z')"


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("UTC", 0),
        ("Europe/Paris", 1),
        ("America/New_York", 19),
        ("Asia/Kolkata", 5),
        ("Etc/GMT+5", 19),
        ("+05:30", 5),
        ("-05:30", 18),
        ("02:00", 2),  # an unsigned offset, as the conformance suite has it
        ("+23:59", 23),
        ("-23:59", 0),
    ],
)
def test_time_zones_are_iana_names_and_fixed_offsets(zone: str, hours: int) -> None:
    check(f"{TS}.getHours({zone!r})", hours)


@pytest.mark.parametrize(
    "zone",
    [
        "Nope/Zone",
        "europe/paris",
        "../../../../etc/passwd",
        "/etc/localtime",
        "localtime",
        "Europe",
        "+24:00",
        "+05:60",
        "+5:30",
        "+05",
        "GMT+5",
        "Z",
        "",
        "Europe/Paris\x00",
        "x" * 10_000,
    ],
)
def test_anything_else_as_a_time_zone_is_an_error_not_a_crash(zone: str) -> None:
    with pytest.raises(CelError, match="invalid time zone"):
        cel.compile(f"{TS}.getHours(z)").evaluate({"z": zone})


@pytest.mark.parametrize("accessor", ["getFullYear", "getMonth", "getDayOfYear", "getDate", "getDayOfWeek"])
def test_time_zone_arguments_of_the_wrong_kind_are_errors(accessor: str) -> None:
    for zone in (1, None, ["UTC"], b"UTC"):
        with pytest.raises(CelError, match="no such overload"):
            cel.compile(f"{TS}.{accessor}(z)").evaluate({"z": zone})


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("timestamp('0001-01-01T00:00:00Z').getFullYear('-01:00')", 0),
        ("timestamp('9999-12-31T23:59:59Z').getFullYear('+01:00')", 10000),
        ("timestamp('9999-12-31T23:59:59Z').getFullYear('Asia/Tokyo')", 10000),
        ("timestamp('2024-12-31T23:00:00Z').getDayOfYear('+02:00')", 0),
        ("timestamp('2024-12-31T12:00:00Z').getDayOfYear()", 365),
        ("timestamp('2024-03-01T00:00:00Z').getDate('-01:00')", 29),
    ],
)
def test_time_zones_reach_the_ends_of_the_range(expression: str, expected: int) -> None:
    check(expression, expected)


# --- hostile input from evidence -----------------------------------------------------------------------

CONTROLS = """
controls:
  - id: TIME-01
    title: Logins happen in office hours
    claim: Nothing.
    description: Reads a time zone and a time from the evidence.
    severity: low
    domain: cryptography
    evidence:
      - name: app.logins
    rules:
      - id: office-hours
        for_each: app.logins.Logins
        resource_id: item.id
        assert: timestamp(item.at).getHours(item.zone) >= 8
    remediation: None.
  - id: TIME-02
    title: Another control
    claim: Nothing.
    description: Still evaluated.
    severity: low
    domain: cryptography
    evidence:
      - name: app.logins
    rules:
      - id: some
        assert: size(app.logins.Logins) > 0
    remediation: None.
"""
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "zone"),
    [
        ("2026-11-25T09:00:00Z", "Not/AZone"),
        ("2026-11-25T09:00:00Z", "../../etc/passwd"),
        ("2026-11-25T09:00:00Z", 42),
        ("P1D", "UTC"),
        ("now", "UTC"),
        ("2026-W48-3", "UTC"),
    ],
)
def test_time_values_from_evidence_give_an_error_on_that_control(make_catalog, at: str, zone: object) -> None:
    evidence = InMemoryEvidence()
    logins = [
        {"id": "ok", "at": "2026-11-25T09:00:00Z", "zone": "Europe/Paris"},
        {"id": "bad", "at": at, "zone": zone},
    ]
    evidence.add("app.logins", {"Logins": logins}, collected_at=NOW)
    result = Engine(make_catalog(CONTROLS)).evaluate(evidence, now=NOW)
    assert result.result("TIME-01").status is ControlStatus.ERROR
    assert "resource bad" in (result.result("TIME-01").reason or "")
    assert result.result("TIME-02").status is ControlStatus.PASS


TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="0123456789-+:.TtZz_ WPDHMSnsuµhm", max_size=40),
    st.sampled_from(["now", "P1D", "PT1H", "2024-W01", "1_000s", "+99:99", "Europe/../UTC", "\x00"]),
)


# What each conversion gives when it gives a value.
KINDS: dict[str, tuple[type, ...]] = {
    "timestamp(v)": (datetime,),
    "duration(v)": (timedelta,),
    "int(v)": (int,),
    "uint(v)": (Uint,),
    "double(v)": (float,),
    "bool(v)": (bool,),
}


@settings(max_examples=500, deadline=None)
@given(TEXT, st.sampled_from(sorted(KINDS)))
def test_any_text_converts_or_gives_a_cel_error(text: str, expression: str) -> None:
    result = native(expression, {"v": text})
    assert result is ERROR or isinstance(result, KINDS[expression])


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(["getHours", "getDayOfYear", "getFullYear", "getMilliseconds"]))
def test_any_text_as_a_time_zone_gives_a_number_or_a_cel_error(zone: str, accessor: str) -> None:
    result = native(f"timestamp('0001-01-01T00:00:00Z').{accessor}(z)", {"z": zone})
    assert result is ERROR or type(result) is int
