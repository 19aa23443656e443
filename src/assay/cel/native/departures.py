"""Where cel-python departs from the CEL specification, the native backend follows the specification.

Each entry is an expression and what the native backend gives for it, with what cel-python does
instead; tests/cel/test_native.py checks every entry against both backends, and fails when a case is
no longer a departure.
"""

from __future__ import annotations

SPEC_DEPARTURES = {
    "1 == 1.0": "true: the spec compares numbers across int, uint and double by value; cel-python errors",
    "1 < 1.5": "true: cross-type numeric ordering is defined by the spec; cel-python errors",
    "true == 1": "false: values of different types are unequal; cel-python says true (its bool is an int)",
    "[1, 2].map(x, x > 1, x * 10)": "[20]: the three-argument map (filter, then transform); cel-python fails",
    "'''a\nb'''": "a line break is kept: cel-python drops the line breaks of multi-line strings",
    "1u + 1": "an error: the spec has no arithmetic across uint and int; cel-python gives 2",
    "'a' in 'abc'": "an error: `in` is for lists and maps; cel-python tests for a substring",
    "1 && true": "an error: && takes bools; cel-python gives 1",
    "[1, 2][-1]": "an error: list indexes start at 0; cel-python counts from the end like Python",
    "-9223372036854775808 % -1": "an error: integer overflow, as on every operation; cel-python: 0",
    "int(-9223372036854775808.0)": (
        "an error: the double is not strictly inside int's range; cel-python converts"
    ),
    "dyn(9223372036854775807) < 9223372036854775808.0": (
        "false: the int compares as a double; cel-python errors"
    ),
    "3 == [3]": "false: values of different types are unequal; cel-python errors",
    "string(duration('1ns'))": "'0.000000001s': durations keep nanoseconds; cel-python gives '0s'",
    "string(duration('-90.5s'))": "'-90.500s', the protobuf JSON form; cel-python drops the fraction",
    "string(timestamp('2024-01-01T00:00:00.5Z'))": "'...00.500Z'; cel-python drops the fraction",
    "string(timestamp('2024-01-01t00:00:00z'))": "RFC 3339 allows lowercase t and z; cel-python errors",
    "duration('1ns') > duration('0s')": "true: nanoseconds are kept; cel-python rounds 1ns to 0",
    "duration('1.5s').getMilliseconds()": "500, the milliseconds part; cel-python gives the total, 1500",
    "timestamp('2024-W01-1T00:00:00Z')": "an error: not RFC 3339 (an ISO week date); cel-python accepts it",
    "timestamp('now')": "an error: not RFC 3339 (rules read the now variable); cel-python reads the clock",
    "{1: 'x', true: 'y'}[1]": "'x': bool and int keys are distinct; cel-python cannot build the map",
    "{1: 'x', true: 'y'}[true]": "'y': bool and int keys are distinct; cel-python cannot build the map",
}
