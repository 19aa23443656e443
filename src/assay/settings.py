"""Project settings: the ``[tool.assay]`` table of pyproject.toml, read by the CLI and the pytest plugin.

::

    [tool.assay]
    controls = ["controls"]          # a path or a list of paths; default: the built-in catalog
    mappings = ["mappings"]          # likewise; default: the built-in mappings
    evidence = "evidence"            # default: the bundled example company
    waivers = "waivers.yaml"
    scope = "scope.yaml"
    parameters = "parameters.yaml"   # this company's values for the controls' parameters
    now = 2026-11-25T00:00:00Z       # evaluation time (a TOML date-time, date, or an ISO 8601 string)
    frameworks = ["soc2", "iso27001"]
    fail_on = "high"                 # assay check's exit code threshold
    max_evidence_mb = 32

Paths are relative to the folder of the ``pyproject.toml``. An unknown key is an error naming the file,
like everything else assay reads. Only the standard library is used here: the pytest plugin reads this
in every pytest run of a project that has a ``[tool.assay]`` table.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from assay.errors import ConfigError

PYPROJECT = "pyproject.toml"
SEVERITIES = ("low", "medium", "high", "critical")
KEYS = (
    "controls",
    "mappings",
    "evidence",
    "waivers",
    "scope",
    "parameters",
    "now",
    "frameworks",
    "fail_on",
    "max_evidence_mb",
)


@dataclass(frozen=True)
class Settings:
    """What ``[tool.assay]`` says; ``None`` everywhere means the built-in defaults."""

    controls: tuple[Path, ...] | None = None
    mappings: tuple[Path, ...] | None = None
    evidence: Path | None = None
    waivers: Path | None = None
    scope: Path | None = None
    parameters: Path | None = None
    now: datetime | None = None
    frameworks: tuple[str, ...] | None = None
    fail_on: str | None = None
    max_evidence_mb: int | None = None
    source: Path | None = None  # the pyproject.toml they were read from


def read_settings(pyproject: Path) -> Settings | None:
    """The ``[tool.assay]`` settings of ``pyproject``; ``None`` when the file or the table is absent.

    Raises :class:`ConfigError`, naming the file, for invalid TOML, unknown keys or values of the
    wrong type.
    """
    try:
        text = pyproject.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{pyproject}: cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "assay" not in tool:
        return None
    table = tool["assay"]
    where = f"{pyproject}: [tool.assay]"
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(KEYS)})"
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
    base = pyproject.resolve().parent
    return Settings(
        controls=_paths(table, "controls", base, where),
        mappings=_paths(table, "mappings", base, where),
        evidence=_path(table, "evidence", base, where),
        waivers=_path(table, "waivers", base, where),
        scope=_path(table, "scope", base, where),
        parameters=_path(table, "parameters", base, where),
        now=_now(table, where),
        frameworks=_strings(table, "frameworks", where),
        fail_on=_fail_on(table, where),
        max_evidence_mb=_positive_int(table, "max_evidence_mb", where),
        source=pyproject,
    )


def parse_timestamp(text: str) -> datetime:
    """An RFC 3339 / ISO 8601 timestamp; a date alone means its midnight UTC; naive means UTC."""
    try:
        value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        raise ValueError(f"not an ISO 8601 timestamp: {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _path(table: dict[str, Any], key: str, base: Path, where: str) -> Path | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: {key} must be a path (a string), not {_kind(value)}")
    return base / value


def _paths(table: dict[str, Any], key: str, base: Path, where: str) -> tuple[Path, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise ConfigError(f"{where}: {key} must be a path or a non-empty list of paths, not {_kind(value)}")
    return tuple(base / v for v in values)


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v for v in values):
        raise ConfigError(f"{where}: {key} must be a list of framework keys, not {_kind(value)}")
    return tuple(values)


def _now(table: dict[str, Any], where: str) -> datetime | None:
    value = table.get("now")
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    if isinstance(value, str):
        try:
            return parse_timestamp(value)
        except ValueError as exc:
            raise ConfigError(f"{where}: now: {exc}") from None
    raise ConfigError(f"{where}: now must be a date-time, not {_kind(value)}")


def _fail_on(table: dict[str, Any], where: str) -> str | None:
    value = table.get("fail_on")
    if value is None:
        return None
    if value not in SEVERITIES:
        raise ConfigError(f"{where}: fail_on must be one of {', '.join(SEVERITIES)}, not {value!r}")
    return str(value)


def _positive_int(table: dict[str, Any], key: str, where: str) -> int | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"{where}: {key} must be a whole number of at least 1, not {value!r}")
    return value


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), repr(value))
