"""A catalog's compiled rules kept as one entry of the rule cache, read back in one pass.

A warm ``assay check`` compiles every rule of its catalog. Read from :mod:`assay.cel.rulecache` one by
one, that is a few hundred entries, each decoded alone: its JSON, its constants one call each, its
base64, its marshalled code. :func:`compiled_together` keeps the compilations of a list of expressions
as one blob of the authenticated cache (:meth:`assay.cache.Cache.get_blob`, kind ``cel-native-set``):

- its material is a digest of every expression's own material (the expression, the code version,
  the backend's functions), so the blob answers for exactly that list and nothing else; it is
  authenticated as a whole, like every entry of :mod:`assay.cache`, and read from its own file;
- it is marshalled (sources, code objects, the roots, constants of Python's plain types and lists or
  sets of them as they are, the others in :func:`assay.cel.rulecache.encode_constant`'s tagged form):
  reading it is one file read, one HMAC and one marshal call; each exact variant stays marshalled
  until it first runs;
- anything else (another catalog, a changed expression, a damaged or missing blob) is a miss: every
  expression is read from its own entry, or compiled, as before, and the set is written anew from
  what that gave. An expression whose constants the cache cannot keep exactly is not in the set.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import marshal
from collections.abc import Iterable, Iterator
from types import CodeType
from typing import Any

from assay.cache import default_cache
from assay.cel.native.program import NativeBackend
from assay.cel.rulecache import (
    NATIVE,
    PROGRAM_HEADER,
    SETS,
    SYNTAX,
    Compiled,
    Fallback,
    StoredGenerated,
    Unstorable,
    Variant,
    code_version,
    decode_constant,
    encode_constants,
    syntax_material,
)
from assay.errors import CelError, CelSyntaxError

SET = "cel-native-set"
FORMAT = 1
_PLAIN = frozenset({type(None), bool, int, float, str, bytes})  # types marshal gives back exactly
_STR = frozenset({str})
_FLAT = frozenset({list, frozenset})
_ERRORS = (ValueError, TypeError, EOFError, KeyError, IndexError, ArithmeticError, CelError)


class _Malformed(ValueError):
    """A set entry not of the shape this module writes (only a bug of assay's own could sign one)."""


@contextlib.contextmanager
def compiled_together(backend: object, expressions: Iterable[str]) -> Iterator[None]:
    """Within the block, ``backend`` compiles ``expressions`` from their set entry when there is one;
    when there is none, the block's compilations are kept as one for the next run. Another backend
    than the native one, or no cache, changes nothing."""
    cache = default_cache()
    if cache is None or not isinstance(backend, NativeBackend):
        yield
        return
    expressions = list(dict.fromkeys(expressions))
    materials = [backend.cache_material(expression) for expression in expressions]
    key = set_material(materials)
    programs = decode_set(cache.get_blob(SET, key), len(materials))
    if programs is not None:
        cache.supersede(NATIVE, materials)  # their files are kept when pruning: a miss reads them
        SETS.preloaded.update((m, p) for m, p in zip(materials, programs, strict=True) if p is not None)
        try:
            yield
        finally:
            for material in materials:  # those the block did not compile are not handed out later
                SETS.preloaded.pop(material, None)
        return
    recorded: dict[str, Compiled] = {}
    SETS.recorded = recorded
    try:
        yield
    finally:
        SETS.recorded = None
    payload = encode_set([recorded.get(material) for material in materials])
    if payload is not None:
        cache.put_blob(SET, key, payload)
        cache.supersede(NATIVE, materials)  # the next run reads the set: the bundle need not hold them
        # Nor the analyses a first check made of them (lint's verdicts are kept): `assay lint` reads them.
        cache.supersede(SYNTAX, [syntax_material(expression) for expression in expressions])


def set_material(materials: list[str]) -> str:
    """The set entry's material: the format, the code version and a digest of every expression's material."""
    text = "\n".join(materials).encode("utf-8", "surrogatepass")  # JSON texts: none holds a newline
    return json.dumps([SET, FORMAT, code_version(), hashlib.sha256(text).hexdigest()])


# --- the payload -----------------------------------------------------------------------------------


def encode_set(programs: list[Compiled | None]) -> bytes | None:
    """The set as bytes: one marshalled pair, the list of compilations (their fast variants) and the
    list of their exact variants, each marshalled apart (None for none); None when one cannot be kept."""
    try:
        pairs = [_encode(compiled) for compiled in programs]
    except (CelError, ValueError):  # a damaged exact variant read back from its own entry
        return None
    exact = [marshal.dumps(variant) if variant is not None else None for _, variant in pairs]
    return marshal.dumps(([item for item, _ in pairs], exact))


def _encode(compiled: Compiled | None) -> tuple[tuple[Any, ...] | None, tuple[Any, ...] | None]:
    if isinstance(compiled, CelSyntaxError):
        return ("e", compiled.message, compiled.line, compiled.column), None
    if isinstance(compiled, Fallback):
        return ("f", compiled.reason), None
    if compiled is None:
        return None, None
    try:
        fast, exact = _encode_variant(compiled.fast), _encode_variant(compiled.exact)
    except Unstorable:
        return None, None  # compiled afresh each run, as its own entry is not kept either
    return ("g", compiled.budgeted, tuple(sorted(compiled.roots)), fast), exact


def _encode_variant(variant: Variant) -> tuple[str, tuple[Any, ...], CodeType]:
    encoded = encode_constants(list(variant.constants))  # checked to come back identical
    constants = tuple(
        value if _marshalled_exactly(value) else (tagged,)
        for value, tagged in zip(variant.constants, encoded, strict=True)
    )
    return (variant.source, constants, variant.code)


def decode_set(blob: Any, count: int) -> list[Compiled | None] | None:
    """The ``count`` compilations of a set (None for one not kept); None for a set of another shape."""
    if blob is None:
        return None
    try:
        # marshal reads only what this process's Python wrote (code_version holds its bytecode magic),
        # and only from an entry whose HMAC verified.
        loaded = marshal.loads(blob)  # noqa: S302 - see above
        if type(loaded) is not tuple or len(loaded) != 2:  # noqa: PLR2004 - the pair written above
            return None
        items, exact = loaded
        if type(items) is not list or type(exact) is not list or not len(items) == len(exact) == count:
            return None
        return [_decode(item, stored) for item, stored in zip(items, exact, strict=True)]
    except _ERRORS:
        return None


def _decode(item: Any, exact: Any) -> Compiled | None:
    # The types are checked in C (set(map(type, ...))): a catalog has hundreds of programs.
    if type(item) is tuple and len(item) == 4 and item[0] == "g" and type(exact) is bytes:  # noqa: PLR2004
        _, budgeted, roots, fast = item
        if type(budgeted) is bool and type(roots) is tuple and set(map(type, roots)) <= _STR:
            generated = SetGenerated(_decode_variant(fast), exact, budgeted)
            generated.__dict__["roots"] = frozenset(roots)
            return generated
    if item is None:
        return None
    tag = item[0] if type(item) is tuple and item else None
    if tag == "e" and len(item) == 4 and type(item[1]) is str:  # noqa: PLR2004 - the shape written above
        line, column = item[2], item[3]
        if all(value is None or type(value) is int for value in (line, column)):
            return CelSyntaxError(item[1], line=line, column=column)
    if tag == "f" and len(item) == 2 and type(item[1]) is str:  # noqa: PLR2004
        return Fallback(item[1])
    raise _Malformed


def _decode_variant(item: Any) -> Variant:
    if type(item) is not tuple or len(item) != 3:  # noqa: PLR2004 - source, constants, code
        raise _Malformed
    source, constants, code = item
    if type(source) is not str or not source.startswith(PROGRAM_HEADER) or type(code) is not CodeType:
        raise _Malformed
    if type(constants) is not tuple:
        raise _Malformed
    if not set(map(type, constants)) <= _PLAIN:
        constants = tuple(map(_constant, constants))
    return Variant(source, constants, code)


def _marshalled_exactly(value: Any) -> bool:
    """Whether marshal gives ``value`` back with its exact type: a plain scalar, or a list or frozenset
    of them (a rule's ``in [...]``); anything else is kept in its tagged form."""
    kind = type(value)
    return kind in _PLAIN or (kind in _FLAT and set(map(type, value)) <= _PLAIN)


def _constant(value: Any) -> Any:
    if _marshalled_exactly(value):
        return value
    if type(value) is tuple and len(value) == 1:
        return decode_constant(value[0])
    raise _Malformed


class SetGenerated(StoredGenerated):
    """A compilation read from a set entry: its exact variant stays a text until first read."""

    @functools.cached_property
    def exact(self) -> Variant:
        try:
            return _decode_variant(marshal.loads(self._stored_exact))  # noqa: S302 - see decode_set
        except _ERRORS:  # the entry's HMAC verified, so only a bug of assay's own wrote it
            raise CelError(
                "the cached compilation of this rule is damaged: run assay with --no-cache"
            ) from None
