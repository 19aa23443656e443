"""What the extension library modules build on: a registry entry, and overloads chosen by CEL type.

An extension function is listed as an :class:`Extension` (its name as rules call it, ``charAt`` or
``math.greatest``, its signatures and one line of documentation) by the module of its library;
:mod:`assay.cel.native.extensions` gathers them. Most are an :class:`Overloads`: a table from the CEL
types of the arguments to a plain implementation, so a call with any other types is CEL's "no such
overload" error rather than a Python error. A *costed* function takes the evaluation's budget
(the generated code's ``C``) first and charges, through :func:`work` and :func:`built`, the work it
does beyond a constant and what it builds, so that no input makes it run away.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assay.cel.native.cost import Budget as Budget
from assay.cel.native.cost import charge, spend
from assay.cel.native.errors import no_overload
from assay.cel.native.values import map_keys, map_lookup, type_name
from assay.lean_dataclasses import frozen

DYN = "dyn"  # in an overload's types: any value
STRING, INT, UINT, DOUBLE, BOOL, BYTES, LIST, MAP = (
    "string", "int", "uint", "double", "bool", "bytes", "list", "map",
)  # fmt: skip
NUMBERS = (INT, UINT, DOUBLE)


@frozen
class Extension:
    """A function of one of CEL's extension libraries, as ``assay functions`` lists it."""

    name: str
    library: str
    implementation: Callable[..., Any]
    signatures: tuple[str, ...]
    doc: str
    costed: bool = False


@frozen
class ExtensionMacro:
    """A macro of an extension library: compiled by :mod:`assay.cel.native.ext_codegen`."""

    name: str
    library: str
    signatures: tuple[str, ...]
    doc: str


class Overloads:
    """One function's overloads by the CEL type names of its arguments (``DYN`` matches any)."""

    def __init__(
        self, name: str, table: Mapping[tuple[str, ...], Callable[..., Any]], *, costed: bool = False
    ) -> None:
        self.name = name
        self.costed = costed
        self._exact = {key: f for key, f in table.items() if DYN not in key}
        self._dynamic = [(key, f) for key, f in table.items() if DYN in key]
        # The CEL type of a value follows from its Python class alone, so the choice is remembered
        # per tuple of classes (a handful per function).
        self._chosen: dict[tuple[type, ...], Callable[..., Any] | None] = {}
        self._single: dict[type, Callable[..., Any]] = {}  # the choices for one argument, by its class

    def resolve(self, values: tuple[Any, ...]) -> Callable[..., Any]:
        classes = tuple(map(type, values))
        try:
            found = self._chosen[classes]
        except KeyError:
            found = self._chosen[classes] = self._choose(tuple(type_name(value) for value in values))
            if found is not None and len(classes) == 1:
                self._single[classes[0]] = found
        if found is None:
            raise no_overload(self.name, *values)
        return found

    def _choose(self, kinds: tuple[str, ...]) -> Callable[..., Any] | None:
        found = self._exact.get(kinds)
        if found is not None:
            return found
        for key, function in self._dynamic:
            if len(key) == len(kinds) and all(k in (DYN, kind) for k, kind in zip(key, kinds, strict=True)):
                return function
        return None

    def __call__(self, *args: Any) -> Any:
        values = args[1:] if self.costed else args
        if len(values) == 1:  # cidr(x), x.prefixLength(): the class alone, without a tuple of classes
            found = self._single.get(type(values[0]))
            if found is not None:
                return found(*args)
        return self.resolve(values)(*args)


Entry = tuple[tuple[str, ...], Callable[..., Any]]


def overloads(name: str, *entries: Entry, costed: bool = False) -> Overloads:
    """``overloads("charAt", ((STRING, INT), char_at))``: a shorter way to write the table."""
    return Overloads(name, dict(entries), costed=costed)


def work(budget: Budget, steps: int) -> None:
    """Charge steps of work that is not a loop over a container (a macro's loop charges itself)."""
    spend(budget, steps)


def built(budget: Budget, size: int) -> None:
    """Charge a string or bytes of ``size`` characters or bytes to the memory budget, before building
    it (a list's elements are charged as steps, one each, as the macros charge them)."""
    charge(budget, size)


def entries(mapping: dict[Any, Any]) -> list[tuple[Any, Any]]:
    """A map's (key, value) pairs as CEL sees them (bool keys unwrapped)."""
    return [(key, map_lookup(mapping, key)) for key in map_keys(mapping)]
