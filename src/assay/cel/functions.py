"""Custom CEL functions: one explicit registry, plain Python implementations.

Implementations take and return plain Python values (str, int, float, bool, None, list, dict,
datetime for CEL timestamps, timedelta for durations); each backend adapts them to its own value
types. A function may be called as ``f(x, y)`` or, on its first argument, as ``x.f(y)``.

Every function is documented here and listed by ``assay functions``; add your own with
:meth:`FunctionRegistry.register` and pass the registry to the engine.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

from assay.errors import ConfigError
from assay.lean_dataclasses import frozen
from assay.plugins import PluginError, Registry


@frozen
class CelFunction:
    """A named function callable from CEL rules."""

    name: str
    implementation: Callable[..., Any]
    signature: str
    doc: str


CEL_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _as_function(name: str, entry: Any) -> CelFunction:
    """A plug-in's entry as a CEL function: a :class:`CelFunction`, or a plain Python callable."""
    if isinstance(entry, CelFunction):
        return entry
    doc = (getattr(entry, "__doc__", None) or "").strip().split("\n")[0] or "(no description)"
    try:
        parameters = ", ".join(inspect.signature(entry).parameters)
    except (TypeError, ValueError):
        parameters = "..."
    return CelFunction(name, entry, f"{name}({parameters}) -> dyn", doc)


def _check_function(name: str, function: CelFunction) -> str | None:
    if not CEL_IDENTIFIER.match(function.name):
        return f"has the name {function.name!r}, which is not a CEL identifier"
    if function.name != name:
        return f"is registered as {name!r} but calls itself {function.name!r}"
    if not callable(function.implementation):
        return "has an implementation that is not callable"
    return None


class FunctionRegistry:
    """The custom functions available to rules, by name. Registering a name twice is an error.

    The default registry also holds the functions other packages publish in the ``assay.functions``
    entry-point group (each a :class:`CelFunction` or a plain callable), checked when they load.
    """

    def __init__(self, functions: list[CelFunction] | None = None, *, group: str | None = None) -> None:
        initial = list(functions or [])
        self._registry: Registry[CelFunction] = Registry(
            "CEL function",
            group,
            check=_check_function,
            adapt=_as_function,
            builtins=lambda: [(f.name, f) for f in initial],
        )

    def register(self, function: CelFunction) -> None:
        try:
            self._registry.register(function.name, function)
        except PluginError as exc:
            raise ConfigError(str(exc)) from None

    def copy(self) -> FunctionRegistry:
        return FunctionRegistry(list(self))

    def __iter__(self) -> Iterator[CelFunction]:
        return iter(sorted(self._registry.entries().values(), key=lambda f: f.name))

    def __contains__(self, name: object) -> bool:
        return name in self._registry

    def get(self, name: str) -> CelFunction | None:
        return self._registry.find(name)


def _days(count: int) -> timedelta:
    return timedelta(days=count)


def _lower(text: str) -> str:
    return text.lower()


def _upper(text: str) -> str:
    return text.upper()


def _trim(text: str) -> str:
    return text.strip()


def _split(text: str, separator: str) -> list[str]:
    return text.split(separator)


def _lookup_ci(mapping: dict[str, Any], key: str) -> Any:
    wanted = key.lower()
    for name, value in mapping.items():
        if isinstance(name, str) and name.lower() == wanted:
            return value
    return None


_MAX_JSON_TEXT = 1_000_000


def _parse_json(text: str) -> Any:
    """Parse a JSON document held in a string (KMS key policies, EventBridge patterns)."""
    if len(text) > _MAX_JSON_TEXT:
        raise ValueError("JSON text longer than 1,000,000 characters")
    return json.loads(text)


def _flatten(lists: list[Any]) -> list[Any]:
    """One level of nesting removed: ``[[a, b], [c]]`` -> ``[a, b, c]``; non-list elements are kept."""
    flat: list[Any] = []
    for element in lists:
        if isinstance(element, list):
            flat.extend(element)
        else:
            flat.append(element)
    return flat


_PGP_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
_PGP_SIGNATURE = "-----BEGIN PGP SIGNATURE-----"


def _signed_lines(lines: list[str]) -> list[str]:
    """The signed text of an OpenPGP cleartext-signed file (RFC 4880 section 7), dash-escaping undone.

    The armor headers ("Hash: SHA512") before the first empty line and the signature block after the
    text are not fields of the file (RFC 9116 section 2.3).
    """
    body = lines[1:]
    if "" in (line.strip() for line in body):
        body = body[[line.strip() for line in body].index("") + 1 :]
    if _PGP_SIGNATURE in (line.strip() for line in body):
        body = body[: [line.strip() for line in body].index(_PGP_SIGNATURE)]
    return [line[2:] if line.startswith("- ") else line for line in body]


def _security_txt(text: str) -> dict[str, list[str]]:
    """RFC 9116 fields: lower-cased field name -> every value given for it (comments skipped).

    A cleartext-signed file is read from its signed text only.
    """
    fields: dict[str, list[str]] = {}
    lines = text.splitlines()
    if lines and lines[0].strip() == _PGP_SIGNED:
        lines = _signed_lines(lines)
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        name, value = line.split(":", 1)
        fields.setdefault(name.strip().lower(), []).append(value.strip())
    return fields


_TESTSSL_FIELDS = ("id", "severity", "finding", "cve", "cwe")


def _testssl_findings(export: Any) -> list[Any]:
    """testssl.sh findings as one flat list, from either of its JSON formats.

    ``--jsonfile`` writes the flat list itself, each finding with its ``ip`` ("host/address") and
    ``port``. ``--jsonfile-pretty`` writes an object whose ``scanResult`` lists each host with its
    findings grouped in sections ("protocols", "vulnerabilities", "rating", ...): each is given its
    host's ``ip`` and ``port`` in the flat format's words.
    """
    if isinstance(export, list):
        return export
    hosts = export.get("scanResult") if isinstance(export, dict) else None
    if not isinstance(hosts, list):
        raise ValueError("not a testssl.sh export: neither a list of findings nor an object with scanResult")
    flat: list[Any] = []
    for host in hosts:
        if not isinstance(host, dict):
            continue
        address = f"{host.get('targetHost', '')}/{host.get('ip', '')}"
        where = {"ip": address, "port": str(host.get("port", ""))}
        for section in host.values():
            if isinstance(section, list):
                flat.extend(
                    {**where, **{key: found[key] for key in _TESTSSL_FIELDS if key in found}}
                    for found in section
                    if isinstance(found, dict) and "id" in found
                )
    return flat


DEFAULT_FUNCTIONS = FunctionRegistry(
    [
        CelFunction(
            "days", _days, "days(int) -> duration", "A duration of whole days: `now - t < days(90)`."
        ),
        CelFunction("lower", _lower, "lower(string) -> string", "Lower-case a string."),
        CelFunction("upper", _upper, "upper(string) -> string", "Upper-case a string."),
        CelFunction("trim", _trim, "trim(string) -> string", "Strip leading and trailing white space."),
        CelFunction("split", _split, "split(string, string) -> list(string)", "Split on a separator."),
        CelFunction(
            "lookup_ci",
            _lookup_ci,
            "lookup_ci(map, string) -> dyn",
            "The value under a key compared case-insensitively (HTTP headers), or null when absent.",
        ),
        CelFunction(
            "parse_json",
            _parse_json,
            "parse_json(string) -> dyn",
            "Parse JSON held in a string, e.g. a KMS key policy's Policy field.",
        ),
        CelFunction(
            "flatten",
            _flatten,
            "flatten(list) -> list",
            "Remove one level of nesting: `flatten(r.Reservations.map(x, x.Instances))`.",
        ),
        CelFunction(
            "security_txt",
            _security_txt,
            "security_txt(string) -> map(string, list(string))",
            "Parse an RFC 9116 security.txt: lower-cased field name to its values, comments skipped.",
        ),
        CelFunction(
            "testssl_findings",
            _testssl_findings,
            "testssl_findings(dyn) -> list(map)",
            "testssl.sh findings as one flat list (id, ip, port, severity, finding), from --jsonfile "
            "or --jsonfile-pretty output.",
        ),
    ],
    group="assay.functions",
)
