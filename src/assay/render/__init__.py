"""Renderers: one module per output format, registered here explicitly.

A renderer is a function from a :class:`assay.gaps.Report` (and options) to text. It reads the report
and nothing else. Add a format with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assay.errors import ConfigError
from assay.gaps import Report


@dataclass(frozen=True)
class RenderOptions:
    """What a renderer may vary on besides the report."""

    color: bool = False  # ANSI colour, for the terminal renderer on a tty
    width: int = 100  # terminal width


RenderFunction = Callable[[Report, RenderOptions], str]


@dataclass(frozen=True)
class OutputFormat:
    name: str
    extension: str
    render: RenderFunction
    description: str


class FormatRegistry:
    """Output formats by name. The built-in ones are imported on first use, keeping imports cheap."""

    def __init__(self) -> None:
        self._formats: dict[str, OutputFormat] = {}
        self._builtins_loaded = False

    def register(self, output_format: OutputFormat) -> None:
        """Add an output format; a name can be registered once."""
        if output_format.name in self._formats:
            raise ConfigError(f"output format {output_format.name!r} is already registered")
        self._formats[output_format.name] = output_format

    def formats(self) -> dict[str, OutputFormat]:
        if not self._builtins_loaded:
            self._builtins_loaded = True
            for output_format in _builtin_formats():
                self.register(output_format)
        return dict(self._formats)


REGISTRY = FormatRegistry()


def register(output_format: OutputFormat) -> None:
    """Add an output format to the registry every assay command uses."""
    REGISTRY.register(output_format)


def formats() -> dict[str, OutputFormat]:
    return REGISTRY.formats()


def format_for_path(path: str) -> str | None:
    """The format whose extension the path has (``report.html`` -> ``html``), if any."""
    for output_format in formats().values():
        if path.endswith(output_format.extension):
            return output_format.name
    return None


def render(report: Report, name: str, options: RenderOptions | None = None) -> str:
    available = formats()
    if name not in available:
        raise ConfigError(f"unknown output format {name!r} (known: {', '.join(sorted(available))})")
    return available[name].render(report, options or RenderOptions())


def _builtin_formats() -> list[OutputFormat]:
    from assay.render import csv_table, html_page, json_report, junit, markdown, sarif, terminal

    return [
        OutputFormat("json", ".json", json_report.render, "the versioned JSON report"),
        OutputFormat("terminal", ".txt", terminal.render, "a compact summary for a person at a terminal"),
        OutputFormat("markdown", ".md", markdown.render, "the full report in GitHub Markdown"),
        OutputFormat("html", ".html", html_page.render, "one self-contained, printable HTML page"),
        OutputFormat("junit", ".xml", junit.render, "JUnit XML, a test case per control, for CI"),
        OutputFormat("sarif", ".sarif", sarif.render, "SARIF 2.1.0, a result per failing finding"),
        OutputFormat("csv", ".csv", csv_table.render, "the requirement matrix for spreadsheets"),
    ]
