"""Diagnostics and the one exception hierarchy of assay.

::

    AssayError                 base of everything assay raises on purpose
    ├── LoadError              input files could not be turned into records; carries Diagnostics
    ├── ConfigError            a setting or argument combination that cannot work (unknown framework, ...)
    └── CelError               a CEL expression could not be compiled or evaluated; line/column inside it
        └── CelSyntaxError     the expression does not parse

A :class:`Diagnostic` is a finding about an input file with its exact position; lint passes return lists
of them and never booleans. Exit codes are decided only in :mod:`assay.cli`.
"""

from __future__ import annotations

from enum import StrEnum

from assay.lean_dataclasses import frozen_ordered


class Severity(StrEnum):
    """How bad a diagnostic is: errors and warnings make ``assay lint`` exit 1; notes only inform."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@frozen_ordered
class Diagnostic:
    """One problem in one input file, at a 1-based line and column.

    ``breadcrumb`` names the entity inside the file (``control CRYPTO-01 > rules[0] > assert``) so the
    message still makes sense when the line has moved.
    """

    path: str
    line: int
    column: int
    severity: Severity
    message: str
    breadcrumb: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        what = f"{self.breadcrumb}: {self.message}" if self.breadcrumb else self.message
        return f"{where}: {self.severity.value}: {what}"


class AssayError(Exception):
    """Base class of the errors assay raises deliberately."""


class LoadError(AssayError):
    """Input could not be loaded; every reason is a :class:`Diagnostic` with its position."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ConfigError(AssayError):
    """Settings that cannot work together, or that name something that does not exist."""


class CelError(AssayError):
    """A CEL expression failed to compile or evaluate.

    ``line`` and ``column`` are 1-based positions inside the expression text when known; the loader
    turns them into positions in the YAML file.
    """

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        super().__init__(message)


class CelSyntaxError(CelError):
    """The expression is not valid CEL."""
