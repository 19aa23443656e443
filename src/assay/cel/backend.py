"""The interface every CEL backend implements, so the engine never depends on one runtime.

A backend compiles expressions once into programs and runs them over its own value types: the
engine converts each evidence document to the backend's values once per run (:meth:`Backend.native`),
builds variables from them, and converts results back only where it needs Python values (booleans,
resource ids, messages).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class Program(Protocol):
    """A compiled expression. ``run`` raises :class:`assay.errors.CelError` when evaluation fails."""

    def run(self, variables: Mapping[str, Any]) -> Any: ...


class Backend(Protocol):
    """A CEL runtime."""

    name: str

    def compile(self, expression: str) -> Program:
        """Compile an expression, raising :class:`assay.errors.CelSyntaxError` (with its position)."""
        ...

    def native(self, value: Any) -> Any:
        """A plain Python value (JSON-like, datetime, timedelta) as this backend's value."""
        ...

    def record(self, fields: Mapping[str, Any]) -> Any:
        """A map from field names to values that are already this backend's values."""
        ...

    def python(self, value: Any) -> Any:
        """This backend's value as a plain Python value."""
        ...

    def elements(self, value: Any) -> list[Any]:
        """The elements of a list value, raising :class:`assay.errors.CelError` for anything else."""
        ...
