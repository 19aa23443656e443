"""What a run keeps of each CEL expression between processes, so a warm run neither parses nor generates.

Two kinds of entries, in the authenticated on-disk cache of :mod:`assay.cache`:

- ``cel-syntax``: what ``assay lint`` reads from an expression's parse (the functions it calls and
  the names it reads, with positions), or its syntax error;
- ``cel-native``: what the native backend generated: the fast and the exact variant's Python source
  with their constant tables, whether the program runs with a budget; or why it runs on the
  reference backend; or the syntax error the compiler raised.

Each entry's material (the text it must match) holds the expression, :func:`code_version` (assay's
version and a digest of the CEL sources, so an edited compiler never meets code it did not make) and,
for compiled entries, everything else the generated code depends on. Constants are stored with their
exact CEL kind (int, :class:`Uint`, float to the bit, bytes, timestamps and durations to the
nanosecond, type values as the very objects ``type()`` returns); a constant that would not come back
identical is never stored, and that expression is compiled afresh each run.

In the process, both kinds are also kept in memory, so lint and the engine share one parse.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import importlib.util
import json
import marshal
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import CodeType
from typing import Any

from assay._version import __version__
from assay.cache import default_cache
from assay.cel.native.scaling import free_roots
from assay.cel.native.temporal import (
    Duration,
    Timestamp,
    duration_nanos,
    make_duration,
    make_timestamp,
    timestamp_nanos,
)
from assay.cel.native.values import TYPES, CelType, Uint
from assay.errors import CelError, CelSyntaxError
from assay.lean_dataclasses import frozen

SYNTAX = "cel-syntax"
NATIVE = "cel-native"
_POSITION = 3  # a call is [name, line, column]; a reference [[names...], line, column]


@functools.cache
def code_version() -> str:
    """assay's version, the versions of the parser's packages and a digest of ``assay/cel``'s sources."""
    digest = hashlib.sha256()
    for relative, file in _sources(os.path.dirname(__file__)):
        with open(file, "rb") as handle:
            digest.update(relative.encode() + b"\0" + handle.read() + b"\0")
    python = f"{sys.implementation.name}{sys.version_info[0]}.{sys.version_info[1]}"
    parts = [__version__, python, importlib.util.MAGIC_NUMBER.hex()]
    for module, package in (("lark", "lark"), ("celpy", "cel-python")):
        parts.append(f"{package}={_installed_version(module, package)}")
    return " ".join([*parts, digest.hexdigest()])


def _sources(folder: str) -> list[tuple[str, str]]:
    """The ``.py`` files under ``folder`` (its caches skipped), each with its path from there in the
    order of their parts (what sorting ``Path.rglob`` gave, without pathlib's cost per file)."""
    found = []
    for parent, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if name != "__pycache__"]
        inner = os.path.relpath(parent, folder).replace(os.sep, "/")
        prefix = "" if inner == "." else f"{inner}/"
        found += [(prefix + name, os.path.join(parent, name)) for name in names if name.endswith(".py")]
    return sorted(found, key=lambda pair: pair[0].split("/"))


def _installed_version(module: str, package: str) -> str:
    """``package``'s version, read from the name of its ``.dist-info`` folder beside ``module`` (what
    importlib.metadata would read, without its search of every path entry), else from importlib.metadata."""
    spec = importlib.util.find_spec(module)
    folders = spec.submodule_search_locations if spec is not None else None
    prefix = package.replace("-", "_") + "-"
    if folders:
        with contextlib.suppress(OSError):
            found = [
                name.removeprefix(prefix).removesuffix(".dist-info")
                for name in os.listdir(os.path.dirname(next(iter(folders))))
                if name.startswith(prefix) and name.endswith(".dist-info")
            ]
            if len(found) == 1:
                return found[0]
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


# --- what lint reads -------------------------------------------------------------------------------


@frozen
class Analysis:
    """The functions an expression calls and the free names it reads, each with line and column; and
    the field names and string literals it writes (what an error's explanation may quote)."""

    calls: tuple[tuple[str, int, int], ...]
    references: tuple[Any, ...]  # assay.cel.syntax.Reference (imported with lark, only when parsing)
    fields: tuple[tuple[str, int, int], ...] = ()


@functools.lru_cache(maxsize=4096)
def analyse(expression: str) -> Analysis:
    """What :func:`assay.lint.check_rules` and an error's explanation (:mod:`assay.error_text`) need
    from an expression; raises :class:`CelSyntaxError`."""
    cache = default_cache()
    material = syntax_material(expression)
    if cache is not None:
        stored = _decode_analysis(cache.get(SYNTAX, material))
        if isinstance(stored, CelSyntaxError):
            raise stored
        if stored is not None:
            return stored
    from assay.cel.syntax import function_calls, parse, references, written_fields

    try:
        tree = parse(expression)
    except CelSyntaxError as exc:
        if cache is not None:
            cache.put(SYNTAX, material, {"error": syntax_error_payload(exc)})
        raise
    analysis = Analysis(tuple(function_calls(tree)), tuple(references(tree)), tuple(written_fields(tree)))
    if cache is not None:
        cache.put(
            SYNTAX,
            material,
            {
                "calls": [list(call) for call in analysis.calls],
                "references": [[list(r.names), r.line, r.column] for r in analysis.references],
                "fields": [list(found) for found in analysis.fields],
            },
        )
    return analysis


def syntax_material(expression: str) -> str:
    """What an expression's analysis is kept under."""
    return json.dumps([code_version(), expression])


def _decode_analysis(payload: Any) -> Analysis | CelSyntaxError | None:
    if not isinstance(payload, dict):
        return None
    try:
        if "error" in payload:
            return syntax_error_of(payload["error"])
        from assay.cel.syntax import Reference

        calls = tuple((str(name), int(line), int(column)) for name, line, column in payload["calls"])
        fields = tuple((str(text), int(line), int(column)) for text, line, column in payload["fields"])
        found = tuple(
            Reference(tuple(str(n) for n in names), int(line), int(column))
            for names, line, column in payload["references"]
        )
        if any(not r.names for r in found):
            return None
    except (KeyError, TypeError, ValueError):  # a well-signed entry of another shape: rebuilt
        return None
    return Analysis(calls, found, fields)


def syntax_error_payload(exc: CelSyntaxError) -> list[Any]:
    return [exc.message, exc.line, exc.column]


def syntax_error_of(payload: Any) -> CelSyntaxError | None:
    """The stored error back (None when the entry is malformed)."""
    if not (isinstance(payload, list) and len(payload) == _POSITION and isinstance(payload[0], str)):
        return None
    line, column = payload[1], payload[2]
    if not all(value is None or type(value) is int for value in (line, column)):
        return None
    return CelSyntaxError(payload[0], line=line, column=column)


# --- constants, typed ------------------------------------------------------------------------------


class Unstorable(Exception):
    """A constant the cache does not store exactly: its expression is compiled each run."""


def _encode_scalar(value: Any) -> list[Any] | None:
    kind = type(value)
    simple: dict[type, Callable[[Any], list[Any]]] = {
        type(None): lambda v: ["n"],
        bool: lambda v: ["?", v],
        int: lambda v: ["i", str(v)],
        Uint: lambda v: ["u", str(int(v))],
        float: lambda v: ["f", v.hex()],
        str: lambda v: ["s", v],
        bytes: lambda v: ["b", base64.b64encode(v).decode("ascii")],
        timedelta: lambda v: ["td", str(duration_nanos(v))],
        Duration: lambda v: ["du", str(duration_nanos(v))],
        Timestamp: lambda v: ["ts", str(timestamp_nanos(v))],
    }
    encoder = simple.get(kind)
    if encoder is not None:
        return encoder(value)
    if kind is datetime and value.tzinfo is UTC:
        return ["dt", str(timestamp_nanos(value))]
    name = getattr(value, "name", None) if kind is CelType else None
    if name is not None and TYPES.get(name) is value:  # type() gives these very objects: kept so
        return ["T", name]
    return None


def encode_constant(value: Any) -> list[Any]:
    """A constant as tagged JSON, its exact type included; :class:`Unstorable` when that cannot be."""
    scalar = _encode_scalar(value)
    if scalar is not None:
        return scalar
    if type(value) is list:
        return ["L", [encode_constant(v) for v in value]]
    if type(value) is frozenset:
        items = [encode_constant(v) for v in value]
        return ["S", sorted(items, key=lambda item: json.dumps(item))]
    raise Unstorable(type(value).__name__)


_DECODERS: dict[str, Callable[[Any], Any]] = {
    "?": lambda v: v if type(v) is bool else _bad(),
    "i": lambda v: int(v),
    "u": lambda v: Uint(int(v)),
    "f": lambda v: float.fromhex(v),
    "s": lambda v: v if type(v) is str else _bad(),
    "b": lambda v: base64.b64decode(v, validate=True),
    "td": lambda v: _exactly(make_duration(int(v), -(2**80), 2**80), timedelta),
    "du": lambda v: _exactly(make_duration(int(v), -(2**80), 2**80), Duration),
    "dt": lambda v: _exactly(make_timestamp(int(v)), datetime),
    "ts": lambda v: _exactly(make_timestamp(int(v)), Timestamp),
    "T": lambda v: TYPES[v],
    "L": lambda v: [decode_constant(item) for item in v],
    "S": lambda v: frozenset(decode_constant(item) for item in v),
}


def _bad() -> Any:
    raise ValueError("malformed constant")


def _exactly(value: Any, kind: type) -> Any:
    return value if type(value) is kind else _bad()


def decode_constant(encoded: Any) -> Any:
    """The constant back; ValueError (or KeyError, TypeError) for a malformed one."""
    if not isinstance(encoded, list) or not encoded or not isinstance(encoded[0], str):
        raise ValueError("malformed constant")
    if encoded[0] == "n":
        return None
    return _DECODERS[encoded[0]](encoded[1])


def encode_constants(constants: list[Any]) -> list[Any]:
    """The constant table as JSON, checked to come back identical; :class:`Unstorable` otherwise."""
    try:
        encoded = [encode_constant(value) for value in constants]
        again = [encode_constant(decode_constant(item)) for item in encoded]
    except (KeyError, TypeError, ValueError, ArithmeticError, CelError) as exc:
        raise Unstorable(str(exc)) from None
    if again != encoded:
        raise Unstorable("a constant does not come back identical")
    return encoded


# --- what the native backend generated -------------------------------------------------------------

PROGRAM_HEADER = "def _program(V, C):\n    return "


@frozen
class Variant:
    """One variant's generated source (a ``_program(V, C)`` function), its constant table, and the
    source compiled (stored marshalled: compiling is most of what is left of a warm run's work)."""

    source: str
    constants: tuple[Any, ...]
    code: CodeType


@frozen
class Generated:
    """Both variants of a compiled expression, and whether it runs with a budget."""

    fast: Variant
    exact: Variant
    budgeted: bool

    @functools.cached_property
    def roots(self) -> frozenset[str]:
        """The first names of the free variables the program reads (kept in the cache with it)."""
        return free_roots(self.fast.source, self.fast.constants)


@frozen
class Fallback:
    """An expression the native compiler hands to the reference backend, and why."""

    reason: str


Compiled = Generated | Fallback | CelSyntaxError


class SetState:
    """What :mod:`assay.cel.program_set` shares with the per-expression entries: the compilations read
    from a catalog's set entry, each handed out once; and, while a set is being made, every compilation
    read or stored, by material."""

    def __init__(self) -> None:
        self.preloaded: dict[str, Compiled] = {}
        self.recorded: dict[str, Compiled] | None = None

    def record(self, material: str, compiled: Compiled) -> None:
        recorded = self.recorded
        if recorded is not None:
            recorded[material] = compiled


SETS = SetState()


def load_compiled(material: str) -> Compiled | None:
    """The stored compilation for ``material``, or None (no cache, no entry, or one that fails a check):
    from the catalog's set entry when one was read, else from the expression's own entry."""
    found = SETS.preloaded.pop(material, None)
    if found is not None:
        return found
    compiled = _load_compiled(material)
    if compiled is not None:
        SETS.record(material, compiled)
    return compiled


def _load_compiled(material: str) -> Compiled | None:
    cache = default_cache()
    payload = cache.get(NATIVE, material) if cache is not None else None
    if not isinstance(payload, dict):
        return None
    try:
        if "error" in payload:
            return syntax_error_of(payload["error"])
        if "fallback" in payload:
            reason = payload["fallback"]
            return Fallback(reason) if isinstance(reason, str) else None
        budgeted, exact = payload["budgeted"], payload["exact"]
        fast = _decode_variant(payload["fast"]) if _variant_shaped(exact) else None
    except (KeyError, TypeError, ValueError, ArithmeticError, CelError):
        return None
    roots = payload.get("roots")
    if fast is None or type(budgeted) is not bool:
        return None
    stored = StoredGenerated(fast, exact, budgeted)
    if isinstance(roots, list) and all(type(root) is str for root in roots):
        stored.__dict__["roots"] = frozenset(roots)  # else computed from the source when first read
    return stored


class StoredGenerated(Generated):
    """A compilation read back from the cache. Its exact variant runs only after the fast one raised,
    for most rules never, so it is decoded when first read."""

    _stored_exact: Any

    def __init__(self, fast: Variant, exact: Any, budgeted: bool) -> None:
        object.__setattr__(self, "fast", fast)
        object.__setattr__(self, "budgeted", budgeted)
        object.__setattr__(self, "_stored_exact", exact)

    @functools.cached_property
    def exact(self) -> Variant:
        try:
            variant = _decode_variant(self._stored_exact)
        except (KeyError, TypeError, ValueError, EOFError, ArithmeticError, CelError):
            variant = None
        if variant is None:  # the entry's HMAC verified, so only a bug of assay's own wrote it
            raise CelError("the cached compilation of this rule is damaged: run assay with --no-cache")
        return variant


def _variant_shaped(payload: Any) -> bool:
    """Whether ``payload`` has a stored variant's shape (checked before its decoding is put off)."""
    return (
        isinstance(payload, list)
        and len(payload) == len(("source", "constants", "code"))
        and isinstance(payload[0], str)
        and payload[0].startswith(PROGRAM_HEADER)
        and isinstance(payload[1], list)
        and isinstance(payload[2], str)
    )


def _decode_variant(payload: Any) -> Variant | None:
    source, constants, code = payload
    if (
        not isinstance(source, str)
        or not source.startswith(PROGRAM_HEADER)
        or not isinstance(constants, list)
    ):
        return None
    # marshal reads only what this process's Python wrote (code_version holds its bytecode magic),
    # and only from an entry whose HMAC verified.
    program = marshal.loads(base64.b64decode(code, validate=True))  # noqa: S302 - see above
    if not isinstance(program, CodeType):
        return None
    return Variant(source, tuple(decode_constant(item) for item in constants), program)


def _encode_variant(variant: Variant) -> list[Any]:
    return [
        variant.source,
        encode_constants(list(variant.constants)),
        base64.b64encode(marshal.dumps(variant.code)).decode("ascii"),
    ]


def store_compiled(material: str, compiled: Compiled) -> None:
    """Keep a compilation for later runs, unless a constant would not come back exactly."""
    cache = default_cache()
    if cache is None:
        return
    SETS.record(material, compiled)
    payload: dict[str, Any]
    if isinstance(compiled, CelSyntaxError):
        payload = {"error": syntax_error_payload(compiled)}
    elif isinstance(compiled, Fallback):
        payload = {"fallback": compiled.reason}
    else:
        try:
            payload = {
                "fast": _encode_variant(compiled.fast),
                "exact": _encode_variant(compiled.exact),
                "budgeted": compiled.budgeted,
                "roots": sorted(compiled.roots),
            }
        except Unstorable:
            return
    cache.put(NATIVE, material, payload)
