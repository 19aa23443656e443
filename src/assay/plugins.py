"""One registry type for every kind of plug-in: renderers, collectors, CEL functions, frameworks.

A registry holds entries by name. Built-in entries and those registered in code are checked when they
register; entries from other installed packages are found through the entry-point group of the
registry (``assay.renderers``, ``assay.collectors``, ``assay.functions``, ``assay.frameworks``),
loaded on first use, and checked the same way. A check that fails, or a plug-in that raises while it
loads, is a :class:`PluginError` naming the plug-in and the package it came from, never a crash of
assay's own. This is pluggy's discipline: a wrong signature fails at load, not at first call.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from assay.errors import AssayError
from assay.lean_dataclasses import frozen
from assay.suggest import did_you_mean

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

T = TypeVar("T")


class PluginError(AssayError):
    """A plug-in that cannot be used: wrong shape, failed to load, or raised while working."""


@frozen
class Origin:
    """Where an entry came from: ``assay`` for built-ins, else the distribution and entry point."""

    package: str
    entry_point: str | None = None

    def __str__(self) -> str:
        return self.package if self.entry_point is None else f"{self.entry_point} (from {self.package})"


def accepts(function: object, *arguments: str, optional: Iterable[str] = ()) -> str | None:
    """Why ``function`` cannot be called with the named positional arguments, or None when it can.

    The named ``arguments`` are required; ``optional`` ones may be passed too (a renderer's options).
    """
    if not callable(function):
        return f"is not callable ({type(function).__name__})"
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None  # a builtin without a signature: nothing to check
    names = (*arguments, *optional)
    for count in (len(arguments), len(names)):
        try:
            signature.bind(*range(count))
        except TypeError as exc:
            return f"cannot be called as {function_name(function)}({', '.join(names[:count])}): {exc}"
    return None


def function_name(function: Any) -> str:
    return str(getattr(function, "__name__", type(function).__name__))


class Registry(Generic[T]):
    """Entries of one kind by name, from assay, from code, and from other packages' entry points.

    ``check`` returns why an entry is unusable (``None`` when it is fine); ``adapt`` turns what an
    entry point gives (a class, a factory, a path) into an entry.
    """

    def __init__(
        self,
        kind: str,
        group: str | None,
        *,
        check: Callable[[str, Any], str | None],
        adapt: Callable[[str, Any], T] | None = None,
        builtins: Callable[[], Iterable[tuple[str, Any]]] = tuple,
    ) -> None:
        self.kind = kind
        self.group = group
        self._check = check
        self._adapt = adapt
        self._builtins = builtins
        self._entries: dict[str, T] = {}
        self._origins: dict[str, Origin] = {}
        self._loaded = False

    def register(self, name: str, entry: Any, origin: Origin | None = None) -> T:
        """Check and add one entry; a name can be registered once."""
        origin = origin or Origin("assay" if _is_assay(entry) else "your code")
        if name in self._entries:
            raise PluginError(
                f"{self.kind} {name!r} from {origin} is already registered (by {self._origins[name]})"
            )
        try:
            value = self._adapt(name, entry) if self._adapt is not None else entry
        except PluginError as exc:  # the adapter's own words about the entry
            raise PluginError(f"{self.kind} {name!r} from {origin} {exc}") from exc
        except Exception as exc:  # a plug-in's own failure is reported as the plug-in's
            raise PluginError(f"{self.kind} {name!r} from {origin} failed to load: {exc}") from exc
        problem = self._check(name, value)
        if problem is not None:
            raise PluginError(f"{self.kind} {name!r} from {origin} {problem}")
        self._entries[name] = value
        self._origins[name] = origin
        return value

    def load(self) -> None:
        """Register the built-in entries, then those of every installed package, once."""
        if self._loaded:
            return
        self._loaded = True
        for name, entry in self._builtins():
            self.register(name, entry, Origin("assay"))
        if self.group is None:
            return
        for entry_point in installed_entry_points().select(group=self.group):
            package = entry_point.dist.name if entry_point.dist is not None else "an unknown package"
            origin = Origin(package, f"{self.group}:{entry_point.name}")
            try:
                entry = entry_point.load()
            except Exception as exc:  # importing someone else's module can raise anything
                raise PluginError(
                    f"{self.kind} {entry_point.name!r} from {origin} failed to load: {exc}"
                ) from exc
            self.register(entry_point.name, entry, origin)

    def entries(self) -> dict[str, T]:
        self.load()
        return dict(self._entries)

    def get(self, name: str) -> T:
        """The entry called ``name``; an unknown name is an error with a "did you mean"."""
        entries = self.entries()
        if name not in entries:
            raise PluginError(f"unknown {self.kind} {name!r}{did_you_mean(name, entries)}")
        return entries[name]

    def origin(self, name: str) -> Origin:
        self.load()
        return self._origins[name]

    def __contains__(self, name: object) -> bool:
        self.load()
        return name in self._entries

    def find(self, name: str) -> T | None:
        """The entry called ``name``, or None."""
        self.load()
        return self._entries.get(name)


class EntryPointSource(Protocol):
    """What ``importlib.metadata.entry_points()`` gives, whichever Python's: entry points by group."""

    def select(self, *, group: str) -> Iterable[EntryPoint]: ...


@functools.cache
def installed_entry_points() -> EntryPointSource:
    """Every installed package's entry points, found once per process: finding them reads the metadata
    of every installed distribution, the same for each registry, so one scan serves all four groups.

    Most installations have no assay plug-in, and importlib.metadata's scan costs tens of milliseconds
    with many packages installed: a group of assay's own (``assay.*``) is first looked for in the
    ``entry_points.txt`` files themselves (:func:`may_have_assay_plugins`), and when none declares
    such a group, it is empty without the full scan."""
    return _EntryPoints()


class _EntryPoints:
    """Both looks, each taken once (clearing :func:`installed_entry_points` starts both afresh)."""

    def __init__(self) -> None:
        self._quick: bool | None = None
        self._all: EntryPointSource | None = None

    def select(self, *, group: str) -> Iterable[EntryPoint]:
        if group.startswith(_ASSAY_GROUPS):
            if self._quick is None:
                self._quick = may_have_assay_plugins()
            if not self._quick:
                return ()
        if self._all is None:
            from importlib import metadata

            self._all = metadata.entry_points()
        return self._all.select(group=group)


_ASSAY_GROUPS = "assay."


def may_have_assay_plugins() -> bool:
    """False only when no installed distribution can declare an ``assay.*`` entry-point group: every
    ``sys.path`` entry is a folder, importlib's own path finder is the only one that finds
    distributions, and no ``entry_points.txt`` of a ``.dist-info`` or ``.egg-info`` folder has a
    section whose name (as importlib.metadata reads it) starts with ``assay.``."""
    import importlib.machinery
    import os
    import sys

    finders = [f for f in sys.meta_path if hasattr(f, "find_distributions")]
    if finders != [importlib.machinery.PathFinder]:
        return True
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return True  # a zip or an egg file: read only by importlib.metadata itself
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            return True
        for name in names:
            low = name.lower()
            if low.endswith(".egg"):
                return True
            if low.endswith((".dist-info", ".egg-info")) and _declares_assay_group(
                os.path.join(folder, name)
            ):
                return True
    return False


def _declares_assay_group(info: str) -> bool:
    import os

    try:
        with open(os.path.join(info, "entry_points.txt"), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    if _ASSAY_GROUPS not in text:
        return False
    for line in text.splitlines():
        value = line.strip()  # importlib.metadata's Sectioned: a stripped "[...]" line names a group
        if value.startswith("[") and value.endswith("]") and value.strip("[]").startswith(_ASSAY_GROUPS):
            return True
    return False


def _is_assay(entry: Any) -> bool:
    module = getattr(entry, "__module__", None) or getattr(type(entry), "__module__", "")
    return str(module).split(".")[0] == "assay"
