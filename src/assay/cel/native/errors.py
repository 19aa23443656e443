"""How the native backend fails: its own errors, and Python's errors seen as CEL errors.

Generated code and runtime helpers raise :class:`assay.errors.CelError`; Python's own exceptions
from plain values (a ``KeyError`` from ``item['Field']`` in the fast variant, a ``TypeError`` inside
a custom function) are the errors listed in :data:`PYTHON_ERRORS`, turned into CEL errors where an
evaluation reports them.
"""

from __future__ import annotations

from typing import Any

from assay.cel.native.values import type_name
from assay.errors import CelError, CelSyntaxError

PYTHON_ERRORS = (
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    ZeroDivisionError,
    OverflowError,
    AttributeError,
)


class NativeUnsupported(CelSyntaxError):
    """Valid CEL the native compiler does not handle; the rule runs on the reference backend instead."""


def as_cel_error(exc: BaseException) -> CelError:
    if isinstance(exc, CelError):
        return exc
    return CelError(f"{type(exc).__name__}: {exc}")


def no_overload(operator: str, *values: Any) -> CelError:
    return CelError(f"no such overload: {operator} on {', '.join(type_name(v) for v in values)}")


def raise_error(message: str) -> Any:
    """An error found at compile time (an invalid literal, a folded call that fails), raised when
    evaluation reaches it, as CEL reports it."""
    raise CelError(message)
