"""Dataclasses that cost little to define: no code is compiled when their module is imported.

``@frozen`` means ``@dataclasses.dataclass(frozen=True)`` and ``@dataclass`` the stdlib's bare
``@dataclass``: each gives a class the same methods with the same behaviour (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, and for a frozen class the ``__setattr__`` and ``__delattr__``
that raise :class:`dataclasses.FrozenInstanceError`). :func:`build` also makes keyword-only, slotted
classes (what :func:`assay.records.record` uses). ``dataclasses.fields``, ``dataclasses.replace``,
``__match_args__`` and pydantic's validation of dataclasses work as before.

Why: the standard library writes the source of five or six methods per class and compiles each one
(``exec``) when the class is defined. With about 110 such classes on the everyday ``assay check``
path, that was about 80 ms of its 0.19 s of imports, paid on every run. Here the comparison, hashing,
printing and freezing methods are closures over the class's field names (no compiling), and
``__init__``, whose speed matters (records are built by the thousand from the cache), comes from
:mod:`assay._lean_inits`: one ordinary function per field layout, written by ``python -m
assay.lean_dataclasses`` and compiled once into its ``.pyc`` like any module. A layout missing from
that file (a plug-in's class, or a class added without regenerating it) is compiled here instead,
with the same source; ``tests/test_lean_dataclasses.py`` fails when the file is stale.

``dataclasses.dataclass`` still does the bookkeeping (fields, defaults, ``__slots__``), asked for no
methods; ``__dataclass_params__`` is then set to say what the class is (with its init, repr and eq,
frozen or not), so stdlib dataclasses may subclass ones made here and the reverse.
"""

from __future__ import annotations

import dataclasses
import inspect
import operator
import reprlib
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast, dataclass_transform

__all__ = ["build", "dataclass", "frozen", "frozen_ordered", "init_layout", "inits_module_text"]

T = TypeVar("T")

# The names a generated ``__init__`` keeps for itself (a field may not take them).
_SET, _FACTORY = "_dc_set", "_DC_FACTORY"


class _Factory:
    """Stands for "not given" in the signature of a field that has a default factory."""

    def __repr__(self) -> str:
        return "<factory>"


FACTORY_GIVES_IT = _Factory()

# Layouts compiled in this process because :mod:`assay._lean_inits` lacked them (tests read it).
COMPILED: list[str] = []
# Every layout made in this process, with the modules of its classes (what the generator writes).
_LAYOUTS: dict[str, set[str]] = {}

try:
    from assay._lean_inits import MAKERS as _MAKERS
except ImportError:  # pragma: no cover (only while the file is written for the first time)
    _MAKERS = {}


@dataclass_transform(frozen_default=True)
def frozen(cls: type[T]) -> type[T]:
    """``@dataclasses.dataclass(frozen=True)``, made without compiling."""
    return build(cls, kw_only=False, slots=False)


@dataclass_transform(frozen_default=True, order_default=True)
def frozen_ordered(cls: type[T]) -> type[T]:
    """``@dataclasses.dataclass(frozen=True, order=True)``, made without compiling."""
    return build(cls, kw_only=False, slots=False, order=True)


@dataclass_transform()
def dataclass(cls: type[T]) -> type[T]:
    """``@dataclasses.dataclass`` (mutable, compared by value, unhashable), made without compiling."""
    return build(cls, kw_only=False, slots=False, frozen=False)


def build(cls: type[T], *, kw_only: bool, slots: bool, frozen: bool = True, order: bool = False) -> type[T]:
    """Make ``cls`` a dataclass, frozen unless asked (keyword-only, slotted and ordered if asked)."""
    own = dict(cls.__dict__)
    if frozen and ("__setattr__" in own or "__delattr__" in own):
        raise TypeError(f"cannot overwrite attribute __setattr__ or __delattr__ in class {cls.__name__}")
    # Below a frozen dataclass (one made here, say) dataclasses insists on frozen=True, and then
    # compiles the two freezing methods, which are replaced below: a cost paid by subclasses only.
    frozen_base = frozen and any(getattr(_params(base), "frozen", False) for base in cls.__mro__[1:])
    made: type[T] = dataclasses.dataclass(
        init=False, repr=False, eq=False, frozen=frozen_base, kw_only=kw_only, slots=slots
    )(cls)
    methods = _methods(made, own, frozen=frozen, slots=slots)
    if order:
        methods |= _orderings(made, own)
    for name, method in methods.items():
        if method is not None:
            method.__qualname__ = f"{made.__qualname__}.{name}"
        setattr(made, name, method)
    if not own.get("__doc__"):  # what dataclasses writes when a class has no docstring
        made.__doc__ = made.__name__ + str(inspect.signature(made)).replace(" -> None", "")
    # What the class now is, for dataclasses' own checks (a stdlib subclass) and introspection.
    params = _params(made)
    params.init = params.repr = params.eq = True
    params.frozen = frozen
    params.order = order
    return made


def _methods(
    made: type[Any], own: dict[str, Any], *, frozen: bool, slots: bool
) -> dict[str, Callable[..., Any] | None]:
    """The methods dataclasses would have written for ``made`` (``own``: its class body)."""
    fields = dataclasses.fields(made)
    methods: dict[str, Callable[..., Any] | None] = {}
    if "__init__" not in own:
        methods["__init__"] = _init(made, list(made.__dataclass_fields__.values()), frozen=frozen)
    if "__repr__" not in own:
        methods["__repr__"] = _repr(tuple(field.name for field in fields if field.repr))
    if "__eq__" not in own:
        methods["__eq__"] = _eq(_key(tuple(field.name for field in fields if field.compare)))
    if not ("__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)):
        # No hash of its own: a frozen class hashes its compared fields, a mutable one is unhashable.
        hashed = tuple(
            field.name for field in fields if (field.compare if field.hash is None else field.hash)
        )
        methods["__hash__"] = _hash(_key(hashed)) if frozen else None
    if frozen:
        methods["__setattr__"], methods["__delattr__"] = _freezers(made, frozenset(f.name for f in fields))
    if frozen and slots:  # as dataclasses does for a frozen slotted class (pickle and copy use these)
        if "__getstate__" not in own:
            methods["__getstate__"] = _getstate
        if "__setstate__" not in own:
            methods["__setstate__"] = _setstate
    return methods


def _params(cls: type[Any]) -> Any:
    return cls.__dict__.get("__dataclass_params__") if "__dataclass_fields__" in cls.__dict__ else None


# --- __init__ -------------------------------------------------------------------------------------------


def init_layout(cls: type[Any], fields: Iterable[dataclasses.Field[Any]]) -> str:
    """The text that decides a class's ``__init__`` source: each field's name, whether it is taken by
    keyword only, has a default or a default factory, or is not a parameter; and a ``__post_init__``."""
    parts = []
    defaulted = False
    for field in fields:
        if field._field_type is not dataclasses._FIELD:  # type: ignore[attr-defined]
            if field._field_type is dataclasses._FIELD_INITVAR:  # type: ignore[attr-defined]
                raise TypeError(f"{cls.__qualname__}.{field.name}: InitVar fields are not supported here")
            continue  # a ClassVar
        if field.name in (_SET, _FACTORY, "self") or field.name.startswith("_dc_"):
            raise TypeError(f"{cls.__qualname__}: a field may not be named {field.name!r}")
        default = (
            "*"
            if field.default_factory is not dataclasses.MISSING
            else "="
            if field.default is not dataclasses.MISSING
            else ""
        )
        mark = "!" if not field.init else ("@" if field.kw_only else "")
        if not mark and not default and defaulted:
            raise TypeError(f"non-default argument {field.name!r} follows default argument")
        defaulted = defaulted or (not mark and bool(default))
        parts.append(f"{mark}{field.name}{default}")
    post = "|post" if hasattr(cls, "__post_init__") else ""
    return ",".join(parts) + post


def _init(cls: type[Any], fields: list[dataclasses.Field[Any]], *, frozen: bool) -> Callable[..., None]:
    layout = init_layout(cls, fields)
    _LAYOUTS.setdefault(layout, set()).add(cls.__module__)
    maker = _maker(layout)
    used = [field for field in fields if field._field_type is dataclasses._FIELD]  # type: ignore[attr-defined]
    values = [
        field.default_factory if field.default_factory is not dataclasses.MISSING else field.default
        for field in used
        if field.default_factory is not dataclasses.MISSING or field.default is not dataclasses.MISSING
    ]
    # A frozen class's fields are set past its __setattr__, a mutable one's through it (``self.x = x``).
    setter = object.__setattr__ if frozen else setattr
    init: Callable[..., None] = maker(setter, FACTORY_GIVES_IT, *values)
    init.__annotations__ = {field.name: field.type for field in used if field.init} | {"return": None}
    return init


def _maker(layout: str) -> Callable[..., Callable[..., None]]:
    found = _MAKERS.get(layout)
    if found is not None:
        return cast("Callable[..., Callable[..., None]]", found)
    COMPILED.append(layout)
    name, source = _init_source(layout)
    space: dict[str, Any] = {}
    exec(source, {"__builtins__": __builtins__}, space)  # noqa: S102 (our own source, from field names)
    made: Callable[..., Callable[..., None]] = space[name]
    return made


def _init_source(layout: str) -> tuple[str, str]:
    """The name and source of the function that makes the ``__init__`` of ``layout``."""
    fields_text, _, post = layout.partition("|")
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    values: list[str] = []
    for index, part in enumerate(fields_text.split(",") if fields_text else []):
        not_init, kw_only = part.startswith("!"), part.startswith("@")
        name = part.lstrip("!@").rstrip("=*")
        value = f"_dc_{index}"
        if part.endswith(("=", "*")):
            values.append(value)
        if not_init:
            if part.endswith("*"):
                body.append(f"{_SET}(self, {name!r}, {value}())")
            elif part.endswith("="):
                body.append(f"{_SET}(self, {name!r}, {value})")
            continue
        parameter = name + (
            f"={value}" if part.endswith("=") else f"={_FACTORY}" if part.endswith("*") else ""
        )
        (keyword if kw_only else positional).append(parameter)
        given = f"{value}() if {name} is {_FACTORY} else {name}" if part.endswith("*") else name
        body.append(f"{_SET}(self, {name!r}, {given})")
    if post:
        body.append("self.__post_init__()")
    signature = ", ".join(["self", *positional, *(["*", *keyword] if keyword else [])])
    function = "_init_" + _layout_tag(layout)
    lines = [
        f"def {function}({', '.join([_SET, _FACTORY, *values])}):",
        f"    def __init__({signature}):",
        *(f"        {line}" for line in body or ["pass"]),
        "    return __init__",
    ]
    return function, "\n".join(lines) + "\n"


def _layout_tag(layout: str) -> str:
    import hashlib

    return hashlib.sha256(layout.encode()).hexdigest()[:16]


# --- the other methods: closures, nothing compiled ----------------------------------------------------


def _key(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        (name,) = names
        return lambda value: (getattr(value, name),)
    return lambda value: ()


def _repr(names: tuple[str, ...]) -> Callable[[Any], str]:
    def __repr__(self: Any) -> str:
        shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
        return f"{self.__class__.__qualname__}({shown})"

    return reprlib.recursive_repr()(__repr__)


def _eq(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(key(self))

    return __hash__


def _freezers(cls: type[Any], names: frozenset[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __setattr__, __delattr__


def _orderings(made: type[Any], own: dict[str, Any]) -> dict[str, Callable[..., Any] | None]:
    """``<``, ``<=``, ``>`` and ``>=`` on the compared fields, between instances of one class."""
    for name in ("__lt__", "__le__", "__gt__", "__ge__"):
        if name in own:
            hint = "Consider using functools.total_ordering"
            raise TypeError(f"Cannot overwrite attribute {name} in class {made.__name__}. {hint}")
    key = _key(tuple(field.name for field in dataclasses.fields(made) if field.compare))

    def ordering(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
        def method(self: Any, other: Any) -> Any:
            if other.__class__ is self.__class__:
                return compare(key(self), key(other))
            return NotImplemented

        return method

    return {
        "__lt__": ordering(operator.lt),
        "__le__": ordering(operator.le),
        "__gt__": ordering(operator.gt),
        "__ge__": ordering(operator.ge),
    }


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, field.name) for field in dataclasses.fields(self)]


def _setstate(self: Any, state: list[Any]) -> None:
    for field, value in zip(dataclasses.fields(self), state, strict=True):
        object.__setattr__(self, field.name, value)


# --- the generated module -------------------------------------------------------------------------------


def inits_module_text(layouts: Iterable[str]) -> str:
    """The text of :mod:`assay._lean_inits` for ``layouts``."""
    chosen = sorted(set(layouts))
    sources = [_init_source(layout) for layout in chosen]
    lines = [
        '"""The ``__init__`` makers of assay\'s dataclasses, one per field layout.',
        "",
        "Written by ``python -m assay.lean_dataclasses``: do not edit. See :mod:`assay.lean_dataclasses`.",
        "It is one module, longer than the house's 500 lines, because a program writes it and its",
        "``.pyc`` is what is read: one file to unmarshal on every run (tests/test_quality.py leaves it out).",
        '"""',
        "",
        "# ruff: noqa",
        "# mypy: ignore-errors",
        "",
    ]
    for _, source in sources:
        lines += ["", source]
    lines += ["", "MAKERS = {"]
    lines += [f"    {layout!r}: {name}," for layout, (name, _) in zip(chosen, sources, strict=True)]
    lines += ["}", ""]
    return "\n".join(lines)


def layouts_in_use() -> list[str]:
    """The layout of every frozen class assay defines (its modules imported)."""
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.walk_packages([str(Path(__file__).parent)], "assay."):
        # ``__main__`` runs the command line; alembic's migration scripts run only under alembic.
        if module.name != "assay.__main__" and not module.name.startswith("assay.store.migrations"):
            importlib.import_module(module.name)
    return sorted(layout for layout, modules in _LAYOUTS.items() if any(_is_assay(name) for name in modules))


def _is_assay(module: str) -> bool:
    return module == "assay" or module.startswith("assay.")


def main() -> int:
    from pathlib import Path

    target = Path(__file__).with_name("_lean_inits.py")
    target.write_text(inits_module_text(layouts_in_use()), encoding="utf-8")
    print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    # Run as a script, this file is a second module: the layouts are kept in the one assay imports.
    from assay.lean_dataclasses import main as write_inits_module

    raise SystemExit(write_inits_module())
