"""The project: assay's one resolved configuration, and where each value came from.

A project's settings live in ``assay.toml`` (top-level keys) or in the ``[tool.assay]`` table of
``pyproject.toml``, found in the working directory or the nearest folder above it (``--project`` or
``$ASSAY_PROJECT`` name one instead). Precedence, lowest first, the same for every command, the pytest
plugin and the library:

1. the defaults in :data:`FIELDS`;
2. the config file (paths relative to its folder);
3. environment variables (:data:`ENVIRONMENT`; paths relative to the working directory);
4. command-line options (likewise).

``assay config`` prints the resolved values and their origins. Only the standard library is used: the
pytest plugin resolves a project in every pytest run of a project that has one.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from assay.errors import ConfigError, Diagnostic, LoadError, Severity
from assay.lean_dataclasses import frozen
from assay.suggest import did_you_mean

CONFIG_FILES = ("assay.toml", "pyproject.toml")
SEVERITIES = ("low", "medium", "high", "critical")
BACKENDS = ("native", "reference")
DEFAULT_MAX_EVIDENCE_MB = 32
# The budgets of one CEL evaluation (the same defaults as assay.cel.CelBudgets, which a test checks).
DEFAULT_CEL_MAX_STEPS = 1_000_000
DEFAULT_CEL_MAX_MEMORY = 50_000_000
DEFAULT_CEL_MAX_MS = 1000
DEFAULT_MAX_WAIVER_DAYS = 365  # assay waive refuses a waiver expiring further ahead

# Environment variables, by the key they set.
ENVIRONMENT = {
    "evidence": "ASSAY_EVIDENCE",
    "now": "ASSAY_NOW",
    "fail_on": "ASSAY_FAIL_ON",
    "max_evidence_mb": "ASSAY_MAX_EVIDENCE_MB",
    "backend": "ASSAY_CEL_BACKEND",
    "cel_max_steps": "ASSAY_CEL_MAX_STEPS",
    "cel_max_memory": "ASSAY_CEL_MAX_MEMORY",
    "cel_max_ms": "ASSAY_CEL_MAX_MS",
    "require_system_evidence": "ASSAY_REQUIRE_SYSTEM_EVIDENCE",
    "skip_invalid": "ASSAY_SKIP_INVALID",
    "max_waiver_days": "ASSAY_MAX_WAIVER_DAYS",
    "jobs": "ASSAY_JOBS",
    "record": "ASSAY_RECORD",
    "record_evidence": "ASSAY_RECORD_EVIDENCE",
    "store": "ASSAY_STORE",
}
PROJECT_VARIABLE = "ASSAY_PROJECT"


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 timestamp; a date alone means its midnight UTC; naive means UTC."""
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --- value kinds: each turns a raw value (TOML, environment text or a parsed option) into a setting ----


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), repr(value))


def _path(value: Any, base: Path | None) -> Path:
    """A path: relative to ``base`` (a config file's folder), or as given (environment, command line)."""
    if isinstance(value, str) and value:
        value = Path(value)
    if not isinstance(value, Path):
        raise ValueError(f"must be a path (a string), not {_kind(value)}")
    return value if base is None or value.is_absolute() else base / value


def _paths(value: Any, base: Path | None) -> tuple[Path, ...]:
    values = [value] if isinstance(value, str | Path) else value
    if not isinstance(values, list | tuple) or not values:
        raise ValueError(f"must be a path or a non-empty list of paths, not {_kind(value)}")
    return tuple(_path(v, base) for v in values)


def _names(value: Any, _base: Path | None) -> tuple[str, ...]:
    values = value.split(",") if isinstance(value, str) else value
    if (
        not isinstance(values, list | tuple)
        or not values
        or not all(isinstance(v, str) and v for v in values)
    ):
        raise ValueError(f"must be a list of names, not {_kind(value)}")
    return tuple(v.strip() for v in values)


def _builtin(value: Any, base: Path | None) -> str | tuple[str, ...]:
    if value in ("all", "none"):
        return str(value)
    if isinstance(value, str) and "," not in value:
        raise ValueError(f'must be "all", "none" or a list of control ids or domains, not {value!r}')
    return _names(value, base)


def _now(value: Any, _base: Path | None) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError:
            raise ValueError(f"must be an ISO 8601 timestamp, not {value!r}") from None
    raise ValueError(f"must be a date-time, not {_kind(value)}")


def _one_of(choices: tuple[str, ...]) -> Callable[[Any, Path | None], str]:
    def check(value: Any, _base: Path | None) -> str:
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")
        return str(value)

    return check


def _positive_int(value: Any, _base: Path | None) -> int:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"must be a whole number of at least 1, not {value!r}")
    return value


def _store(value: Any, base: Path | None) -> str | Path:
    """A run store: a URL (``postgresql://...``, ``sqlite:///...``) as given, else an SQLite file's path."""
    if isinstance(value, str) and "://" in value:
        return value
    return _path(value, base)


def _flag(value: Any, _base: Path | None) -> bool:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {value!r}")
    return value


@frozen
class Field:
    """One setting: how a raw value becomes it, its default, and what it is for."""

    convert: Callable[[Any, Path | None], Any]
    default: Any
    doc: str


FIELDS: dict[str, Field] = {
    "controls": Field(_paths, (), "the company's controls folders or files"),
    "builtin_controls": Field(
        _builtin, None, '"all", "none" or a list of ids or domains (default: all, none with controls)'
    ),
    "mappings": Field(_paths, (), "the company's mapping files or folders (may hold framework catalogs)"),
    "catalogs": Field(_paths, (), "framework catalogs of the company's own, beside the built-in ones"),
    "evidence": Field(_path, None, "the evidence folder (default: the bundled example company)"),
    "waivers": Field(_path, None, "the waivers file"),
    "scope": Field(_path, None, "the scope file (the Statement of Applicability)"),
    "parameters": Field(_path, None, "the company's values for the controls' parameters"),
    "now": Field(_now, None, "the evaluation time (default: the evidence's snapshot time, else the clock)"),
    "frameworks": Field(_names, None, "the frameworks to report (default: those the controls map onto)"),
    "fail_on": Field(_one_of(SEVERITIES), "low", "the lowest severity whose failures make the exit code 1"),
    "max_evidence_mb": Field(
        _positive_int, DEFAULT_MAX_EVIDENCE_MB, "the largest evidence file read, in MiB"
    ),
    "backend": Field(_one_of(BACKENDS), "native", "the CEL runtime"),
    "cel_max_steps": Field(
        _positive_int, DEFAULT_CEL_MAX_STEPS, "the most list or map elements one CEL evaluation may visit"
    ),
    "cel_max_memory": Field(
        _positive_int,
        DEFAULT_CEL_MAX_MEMORY,
        "the most characters, bytes and list or map entries one CEL evaluation may build",
    ),
    "cel_max_ms": Field(_positive_int, DEFAULT_CEL_MAX_MS, "the longest one CEL evaluation may run, in ms"),
    "require_system_evidence": Field(
        _flag, False, "a requirement met on attestations alone is only partially met"
    ),
    "trusted_keys": Field(_paths, (), "public keys whose signatures on evidence packs are trusted"),
    "skip_invalid": Field(
        _flag, False, "report controls that fail lint as errors and run the rest (default: refuse to run)"
    ),
    "max_waiver_days": Field(
        _positive_int,
        DEFAULT_MAX_WAIVER_DAYS,
        "the furthest ahead, in days, assay waive lets a waiver expire",
    ),
    "record": Field(_flag, False, "record every run in the run store (assay period, diff, history)"),
    "record_evidence": Field(_flag, False, "record evidence content too, redacted, once per sha256"),
    "store": Field(_store, None, "the run store: an SQLite file or a URL (default: .assay/history.sqlite)"),
    "jobs": Field(_positive_int, None, "processes that evaluate controls (default: this machine's cores)"),
}
TRUST_FIELDS: dict[str, Field] = {
    "config": Field(_path, None, "the trust page's company settings (trust.yaml)"),
    "output": Field(_path, None, "the folder the trust page is written to (default: ./trust-page)"),
    "frameworks": Field(_names, None, "the frameworks its compliance section names (default: all reported)"),
    "domains": Field(_names, None, "the control domains it publishes (default: all)"),
    "show_percentages": Field(_flag, True, "show counts and shares; false hides every figure"),
    "show_control_ids": Field(_flag, False, "show internal control ids beside the claims"),
}


def convert(key: str, raw: Any, base: Path | None) -> Any:
    """The setting ``key`` (``trust.KEY`` for the trust page's) from a raw value; ValueError says why not."""
    fields, name = (TRUST_FIELDS, key[6:]) if key.startswith("trust.") else (FIELDS, key)
    spec = fields.get(name)
    if spec is None:
        raise ValueError(f"unknown setting {key!r}{did_you_mean(key, FIELDS)}")
    try:
        return spec.convert(raw, base)
    except ValueError as exc:
        raise ValueError(f"{key} {exc}") from None


@frozen
class TrustSettings:
    """The trust page's settings: ``[tool.assay.trust]`` (or ``[trust]`` in assay.toml)."""

    config: Path | None = None
    output: Path | None = None
    frameworks: tuple[str, ...] | None = None
    domains: tuple[str, ...] | None = None
    show_percentages: bool = True
    show_control_ids: bool = False


@frozen
class Project:
    """The resolved configuration: every path, selection and limit a run needs, and their origins."""

    root: Path = field(default_factory=Path.cwd)
    config_file: Path | None = None
    controls: tuple[Path, ...] = ()
    builtin_controls: str | tuple[str, ...] | None = None
    mappings: tuple[Path, ...] = ()
    catalogs: tuple[Path, ...] = ()
    evidence: Path | None = None
    waivers: Path | None = None
    scope: Path | None = None
    parameters: Path | None = None
    now: datetime | None = None
    frameworks: tuple[str, ...] | None = None
    fail_on: str = "low"
    max_evidence_mb: int = DEFAULT_MAX_EVIDENCE_MB
    backend: str = "native"
    cel_max_steps: int = DEFAULT_CEL_MAX_STEPS
    cel_max_memory: int = DEFAULT_CEL_MAX_MEMORY
    cel_max_ms: int = DEFAULT_CEL_MAX_MS
    require_system_evidence: bool = False
    trusted_keys: tuple[Path, ...] = ()
    skip_invalid: bool = False
    max_waiver_days: int = DEFAULT_MAX_WAIVER_DAYS
    record: bool = False
    record_evidence: bool = False
    store: str | Path | None = None
    jobs: int | None = None  # None: as many as the machine has cores
    trust: TrustSettings = field(default_factory=TrustSettings)
    # Per key ("backend", "trust.show_percentages"): "default", "FILE:LINE:COL", "$VARIABLE" or "--option".
    origins: Mapping[str, str] = field(default_factory=dict)

    @property
    def max_evidence_bytes(self) -> int:
        return self.max_evidence_mb * 1024 * 1024

    def with_values(self, values: Mapping[str, Any], origin: str, base: Path | None = None) -> Project:
        """This project with some settings replaced (``trust.KEY`` for the trust page's), checked.

        Relative paths are taken relative to ``base`` when given (a config file's folder), else kept
        as given: relative to the working directory.
        """
        changes: dict[str, Any] = {}
        trust: dict[str, Any] = {}
        origins = dict(self.origins)
        for key, raw in values.items():
            if raw is None:
                continue
            try:
                value = convert(key, raw, base)
            except ValueError as exc:
                raise ConfigError(f"{origin}: {exc}") from None
            if key.startswith("trust."):
                trust[key.removeprefix("trust.")] = value
            else:
                changes[key] = value
            origins[key] = origin
        if trust:
            changes["trust"] = dataclasses.replace(self.trust, **trust)
        return dataclasses.replace(self, **changes, origins=origins)

    def origin(self, key: str) -> str:
        return self.origins.get(key, "default")

    def position(self, key: str) -> tuple[str, int, int] | None:
        """The file, line and column that set ``key``, when a config file did."""
        return parse_position(self.origin(key))

    def settings(self) -> list[tuple[str, Any, str]]:
        """Every setting as (key, value, origin), for ``assay config``."""
        rows = [(k, _without_password(getattr(self, k)), self.origin(k)) for k in FIELDS]
        rows += [(f"trust.{k}", getattr(self.trust, k), self.origin(f"trust.{k}")) for k in TRUST_FIELDS]
        return rows


def _without_password(value: Any) -> Any:
    """A store URL as ``assay config`` shows it: ``postgresql://user:***@host/db``."""
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", value) if isinstance(value, str) else value


def parse_position(origin: str) -> tuple[str, int, int] | None:
    """``("assay.toml", 3, 1)`` from the origin ``"assay.toml:3:1"``; None for ``$VAR``, ``--flag``."""
    match = re.fullmatch(r"(.+):(\d+):(\d+)", origin)
    return (match.group(1), int(match.group(2)), int(match.group(3))) if match else None


# --- finding and reading the config file ------------------------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest ``assay.toml``, or ``pyproject.toml`` with ``[tool.assay]``, at or above ``start``."""
    for folder in (start, *start.parents):
        candidate = folder / "assay.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_assay_table(pyproject):
            return pyproject
    return None


def _has_assay_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\s*\.\s*assay\s*[\].]", text, re.MULTILINE) is not None


def _read_table(file: Path) -> tuple[dict[str, Any], str, str]:
    """The settings table of a config file, its text, and its TOML path prefix (``tool.assay`` or "")."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read: {exc}") from None
    import tomllib  # here: most runs find no config file (a pyproject.toml without [tool.assay] is not read)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (1, 1)
        message = str(exc).split(" (at line")[0]
        diagnostic = Diagnostic(display(file), line, column, Severity.ERROR, f"invalid TOML: {message}")
        raise LoadError([diagnostic]) from None
    if file.name != "pyproject.toml":
        return data, text, ""
    table = data.get("tool", {}).get("assay", {})
    if not isinstance(table, dict):
        raise LoadError([_diagnostic(file, text, "tool.assay", None, "[tool.assay] must be a table")])
    return table, text, "tool.assay"


def _diagnostic(file: Path, text: str, table: str, key: str | None, message: str) -> Diagnostic:
    line, column = locate(text, table, key)
    label = f"[{table}]" if table else "config"
    where = f"{label} > {key}" if key else label
    return Diagnostic(display(file), line, column, Severity.ERROR, message, where)


def display(file: Path) -> str:
    try:
        return file.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def locate(text: str, table: str, key: str | None) -> tuple[int, int]:
    """The line and column of ``key`` (or of the table's header) in TOML text: tomllib keeps no positions.

    Keys are found as ``key =`` lines under the table's header; the column is the key's (an unknown
    key) and the line is good for a wrong value too. Falls back to the header, then to 1:1.
    """
    header = re.compile(
        r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, table.split("."))) + r"\s*\]\s*(#.*)?$"
    )
    inside = not table
    found_header = (1, 1)
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = bool(table) and header.match(line) is not None
            if inside:
                found_header = (number, line.index("[") + 1)
            continue
        if inside and key is not None:
            match = re.match(r"^(\s*)(\"?)" + re.escape(key) + r"\2\s*=", line)
            if match:
                return number, len(match.group(1)) + 1
    return found_header


def _file_values(file: Path) -> tuple[dict[str, Any], dict[str, str]]:
    """The settings a config file gives (``trust.KEY`` for its trust table), and each one's position."""
    table, text, prefix = _read_table(file)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key, value in table.items():
        if key == "trust" and isinstance(value, dict):
            trust_table = f"{prefix}.trust" if prefix else "trust"
            for sub, sub_value in value.items():
                if sub not in TRUST_FIELDS:
                    hint = did_you_mean(sub, TRUST_FIELDS)
                    raise LoadError([_diagnostic(file, text, trust_table, sub, f"unknown key {sub!r}{hint}")])
                values[f"trust.{sub}"] = sub_value
                line, column = locate(text, trust_table, sub)
                origins[f"trust.{sub}"] = f"{display(file)}:{line}:{column}"
            continue
        if key not in FIELDS:
            raise LoadError(
                [_diagnostic(file, text, prefix, key, f"unknown key {key!r}{did_you_mean(key, FIELDS)}")]
            )
        values[key] = value
        line, column = locate(text, prefix, key)
        origins[key] = f"{display(file)}:{line}:{column}"
    return values, origins


def _apply_file(project: Project, file: Path) -> Project:
    values, origins = _file_values(file)
    _, text, prefix = _read_table(file)
    base = file.resolve().parent
    for key, value in values.items():
        try:
            convert(key, value, base)
        except ValueError as exc:
            table = ".".join(p for p in (prefix, "trust" if key.startswith("trust.") else "") if p)
            raise LoadError([_diagnostic(file, text, table, key.removeprefix("trust."), str(exc))]) from None
        project = project.with_values({key: value}, origins[key], base)
    return project


# --- resolving --------------------------------------------------------------------------------------


def resolve_project(
    start: Path | None = None,
    *,
    config: Path | None = None,
    options: Mapping[str, tuple[Any, str]] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Project:
    """Resolve the project: defaults < config file < environment < ``options`` (value, option name).

    ``config`` names the config file (or its folder); otherwise ``$ASSAY_PROJECT``, otherwise the
    nearest one at or above ``start`` (the working directory). Raises :class:`LoadError` (a config file
    error, with its position) or :class:`ConfigError`.
    """
    environ = os.environ if environ is None else environ
    start = (start or Path.cwd()).resolve()
    explicit = config or (Path(environ[PROJECT_VARIABLE]) if environ.get(PROJECT_VARIABLE) else None)
    file = _explicit_config(explicit) if explicit is not None else find_config(start)
    project = Project(root=file.resolve().parent if file else start, config_file=file)
    if file is not None:
        project = _apply_file(project, file)
    for key, variable in ENVIRONMENT.items():
        if environ.get(variable):
            project = project.with_values({key: environ[variable]}, f"${variable}")
    for key, (value, option) in (options or {}).items():
        project = project.with_values({key: value}, option)
    return project


def _explicit_config(path: Path) -> Path:
    if path.is_dir():
        found = next((path / name for name in CONFIG_FILES if (path / name).is_file()), None)
        if found is None:
            raise ConfigError(f"{path}: no assay.toml or pyproject.toml in this folder")
        return found
    if not path.is_file():
        raise ConfigError(f"{path}: no such config file")
    return path
