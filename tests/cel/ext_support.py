"""Helpers for the tests of CEL's extension libraries on the native backend."""

from __future__ import annotations

from typing import Any

import pytest

import assay.cel
from assay.errors import CelError


def run(expression: str, **variables: Any) -> Any:
    """The value of an expression on the native backend, through the public API."""
    return assay.cel.compile(expression).evaluate(variables)


def fails(expression: str, message: str = "", **variables: Any) -> str:
    """The CEL error an expression gives (and that the message is part of it)."""
    with pytest.raises(CelError) as caught:
        run(expression, **variables)
    assert message in str(caught.value), str(caught.value)
    return str(caught.value)


def exactly(value: Any, expected: Any) -> bool:
    """Equal and of the same Python type all the way down (1 is not 1.0, True is not 1)."""
    if type(value) is not type(expected):
        return False
    if isinstance(value, list):
        return len(value) == len(expected) and all(
            exactly(a, b) for a, b in zip(value, expected, strict=True)
        )
    if isinstance(value, dict):
        return value.keys() == expected.keys() and all(exactly(value[k], expected[k]) for k in value)
    return bool(value == expected)
