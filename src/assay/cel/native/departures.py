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
}
