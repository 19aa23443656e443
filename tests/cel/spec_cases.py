"""Helpers of the CEL semantics tests: native and cel-cpp outcomes, compared CEL-exactly."""

from __future__ import annotations

import math
from typing import Any

import pytest

from assay import cel
from assay.cel.native import Uint
from assay.errors import CelError

ERROR = object()
cel_cpp = pytest.importorskip("cel_expr_python.cel", reason="cel-expr-python (cel-cpp) is not installed")
CPP = cel_cpp.NewEnv(variables={"v": cel_cpp.Type.DYN, "w": cel_cpp.Type.DYN})


def native(expression: str, variables: dict[str, Any] | None = None) -> Any:
    try:
        return cel.compile(expression).evaluate(variables or {})
    except CelError:
        return ERROR


def cpp(expression: str, variables: dict[str, Any] | None = None) -> Any:
    try:
        value = CPP.compile(expression, disable_check=True).eval(data=variables or {})
    except Exception:
        return ERROR
    kind = value.type().name()
    if kind == "ERROR":
        return ERROR
    plain = value.plain_value()
    if kind == "UINT":
        return Uint(plain)
    return bytes(plain) if isinstance(plain, bytearray) else plain


def same(a: Any, b: Any) -> bool:
    """CEL-exact: int, uint, double and bool are different kinds; NaN equals NaN here."""
    if a is ERROR or b is ERROR:
        return a is b
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(same(v, b[k]) for k, v in a.items() if k in b)
    kinds = {bool: "bool", Uint: "uint", int: "int", float: "double"}
    if kinds.get(type(a)) != kinds.get(type(b)):
        return False
    return bool(a == b)


def check(expression: str, expected: Any, *, confirmed_by_cpp: bool = True) -> None:
    assert same(native(expression), expected), f"{expression}: native gives {native(expression)!r}"
    if confirmed_by_cpp:
        assert same(cpp(expression), expected), f"{expression}: cel-cpp gives {cpp(expression)!r}"
