"""Renderers: one module per output format, kept in a plug-in :class:`~assay.plugins.Registry`.

A renderer is a callable ``render(report) -> str | bytes`` (it may also take a :class:`RenderOptions`
as its second argument), with optional ``extension`` (``".html"``) and ``media_type`` attributes. It
reads the report and nothing else. Other packages add formats through the ``assay.renderers``
entry-point group; code adds them with :func:`register`.

A built-in format's module is imported the first time it renders, so a run pays for its own format
only (the terminal summary does not load the HTML page, OSCAL or SARIF).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from assay.errors import ConfigError
from assay.lean_dataclasses import frozen
from assay.plugins import PluginError, Registry, accepts
from assay.suggest import did_you_mean

if TYPE_CHECKING:
    from assay.gaps import Report


@frozen
class RenderOptions:
    """What a renderer may vary on besides the report."""

    color: bool = False  # ANSI colour, for the terminal renderer on a tty
    width: int = 100  # terminal width


Rendered = str | bytes
RenderFunction = Callable[..., Rendered]


@frozen
class OutputFormat:
    """A registered renderer and what it writes."""

    name: str
    extension: str
    render: RenderFunction
    description: str = ""
    media_type: str = "text/plain"
    takes_options: bool = True

    def __call__(self, report: Report, options: RenderOptions | None = None) -> Rendered:
        if self.takes_options:
            return self.render(report, options or RenderOptions())
        return self.render(report)


def _adapt(name: str, entry: Any) -> OutputFormat:
    """A plug-in's render function (or an :class:`OutputFormat`) as an output format."""
    if isinstance(entry, OutputFormat):
        return entry
    takes_options = accepts(entry, "report", "options") is None
    problem = None if takes_options else accepts(entry, "report")
    if problem is not None:
        raise PluginError(problem)
    return OutputFormat(
        name=name,
        extension=str(getattr(entry, "extension", f".{name}")),
        render=entry,
        description=str(getattr(entry, "description", "") or (entry.__doc__ or "").strip().split("\n")[0]),
        media_type=str(getattr(entry, "media_type", "text/plain")),
        takes_options=takes_options,
    )


def _check(name: str, output_format: OutputFormat) -> str | None:
    if not output_format.extension.startswith("."):
        return f"has extension {output_format.extension!r}, which does not start with '.'"
    arguments = ("report", "options") if output_format.takes_options else ("report",)
    return accepts(output_format.render, *arguments)


@frozen
class _BuiltIn:
    """The ``render(report, options)`` of ``assay.render.<module>``, imported when first called."""

    module: str

    def __call__(self, report: Report, options: RenderOptions) -> Rendered:
        function: RenderFunction = importlib.import_module(f"assay.render.{self.module}").render
        return function(report, options)


def _builtin_formats() -> Iterable[tuple[str, OutputFormat]]:
    json_report, terminal, markdown, html_page = map(
        _BuiltIn, ("json_report", "terminal", "markdown", "html_page")
    )
    junit, sarif, csv_table, oscal = map(_BuiltIn, ("junit", "sarif", "csv_table", "oscal"))
    formats = [
        OutputFormat("json", ".json", json_report, "the versioned JSON report", "application/json"),
        OutputFormat("terminal", ".txt", terminal, "a compact summary for a person at a terminal"),
        OutputFormat("markdown", ".md", markdown, "the full report in GitHub Markdown", "text/markdown"),
        OutputFormat("html", ".html", html_page, "one self-contained, printable HTML page", "text/html"),
        OutputFormat("junit", ".xml", junit, "JUnit XML, a test case per control, for CI", "application/xml"),
        OutputFormat(
            "sarif", ".sarif", sarif, "SARIF 2.1.0, a result per failing finding", "application/json"
        ),
        OutputFormat("csv", ".csv", csv_table, "the requirement matrix for spreadsheets", "text/csv"),
        OutputFormat(
            "oscal",
            ".oscal.json",
            oscal,
            "OSCAL 1.1.2 assessment results, for GRC tools",
            "application/oscal+json",
        ),
    ]
    return [(f.name, f) for f in formats]


RENDERERS: Registry[OutputFormat] = Registry(
    "renderer", "assay.renderers", check=_check, adapt=_adapt, builtins=_builtin_formats
)


def register(output_format: OutputFormat | RenderFunction, name: str | None = None) -> None:
    """Add an output format (or a render function, named ``name``) to every assay command."""
    key = output_format.name if isinstance(output_format, OutputFormat) else name
    if key is None:
        raise ConfigError("register a render function with a name")
    RENDERERS.register(key, output_format)


def formats() -> dict[str, OutputFormat]:
    return RENDERERS.entries()


def format_for_path(path: str) -> str | None:
    """The format whose extension the path has (``report.html`` -> ``html``), if any; longest wins."""
    matches = [f for f in formats().values() if path.endswith(f.extension)]
    return max(matches, key=lambda f: len(f.extension)).name if matches else None


def render(report: Report, name: str, options: RenderOptions | None = None) -> Rendered:
    """The report in the format ``name``; a plug-in that raises is reported as that plug-in's error."""
    available = formats()
    if name not in available:
        raise ConfigError(f"unknown output format {name!r}{did_you_mean(name, available)}")
    try:
        return available[name](report, options)
    except Exception as exc:
        origin = RENDERERS.origin(name)
        if origin.package == "assay":
            raise
        raise PluginError(f"renderer {name!r} from {origin} failed: {type(exc).__name__}: {exc}") from exc


def render_text(report: Report, name: str, options: RenderOptions | None = None) -> str:
    """Like :func:`render`, for the formats that are text (every built-in one)."""
    rendered = render(report, name, options)
    return rendered.decode("utf-8") if isinstance(rendered, bytes) else rendered
