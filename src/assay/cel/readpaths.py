"""Which fields of each evidence document a catalog's rules can read, found in the rules' CEL.

A large export is mostly fields no rule looks at; :func:`evidence_read_paths` says, per evidence name,
which ones a rule may read, so the evidence loader can keep only those (:mod:`assay.evidence_prune`).
The answer is a trie of plain data (:data:`ReadPaths`): a map from a field name to what is read under
it, :data:`ELEMENT` (an int, never a field name) for every element of a list, and ``None`` for the
whole subtree. It is derived from the compiled CEL and must never miss a field a rule reads, so the
analysis is conservative:

- a selection chain ``a.b.c``, ``a["b"]``, ``a.?b``, ``a[0]`` (any element) from an evidence name
  narrows what is read; wherever else a value goes (a function's argument such as ``size(x)`` or
  ``string(x)``, an operand of ``==`` or ``in``, a method's receiver, ``dyn(x)``, a list literal,
  either branch of ``?:``), its whole subtree is read; ``has(a.b)`` reaches ``a.b`` (it is kept, but
  only the fields other paths read under it);
- ``x.all(v, ...)``, ``exists``, ``exists_one``, ``existsOne``, ``filter`` and ``map`` over a chain
  bind ``v`` to the chain's elements (``filter`` gives back elements of the same list); every other
  binding (the two-variable forms, ``cel.bind``, the extension macros) leaves its inputs whole;
- ``flatten(x)``, ``x.map(v, ...)`` and map literals with string keys are followed: the elements of
  ``flatten(x)`` are those of the elements of ``x``, ``{"k": v}.k`` is ``v``;
- ``x[k]`` with ``k`` not a string or number literal reads ``x`` whole;
- a rule's ``item`` is an element of its ``for_each`` list, mapped back onto the fields of that list;
- iterating over a map (its keys) keeps the map whole (:func:`assay.evidence_prune.prune`).

The analysis of each rule is kept in the on-disk cache (:mod:`assay.cel.rulecache`'s code version in
its key), so a warm run neither parses nor imports lark.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field
from typing import Any

from assay.cache import default_cache
from assay.cel.rulecache import code_version
from assay.errors import CelSyntaxError
from assay.lean_dataclasses import dataclass, frozen
from assay.loading.catalog import Catalog

KIND = "cel-readpaths"
ELEMENT = 0  # the step "every element of a list" (a field name is always a string)


@frozen
class Made:
    """Ends a path standing for a value the expression made of the values at the rest of the path: a
    list (``x.map(v, v.f)``, ``flatten(x)``; ``key`` None), or a map literal's entry ``key``
    (``{"k": v}``). Only while walking, never in a result."""

    key: str | None = None


LISTED = Made()
Step = str | int
Path = tuple[Any, ...]  # steps (Step), and a Made at the end while walking
# A field (or ELEMENT) -> what is read under it; None: the whole subtree.
ReadPaths = dict[Step, Any]

# Macros whose variable is bound to the elements of the receiver, with two arguments.
_ELEMENT_MACROS = frozenset({"all", "exists", "exists_one", "existsOne", "filter", "map"})
_WRAPPERS = frozenset(
    {"expr", "conditionalor", "conditionaland", "relation", "addition", "multiplication", "unary", "member",
     "primary", "paren_expr"}
)  # fmt: skip
_SELECTIONS = frozenset({"member_dot", "member_dot_opt"})
_INDEXES = frozenset({"member_index", "member_index_opt"})
_MACRO_ARGUMENTS = 2


@dataclass
class _Walk:
    """One expression's walk: the paths read whole, and the paths reached (which must exist as they
    are, but whose fields are read only where other paths say), from a free variable's name."""

    whole: set[Path] = field(default_factory=set)
    reached: set[Path] = field(default_factory=set)

    def value(self, node: Any, scope: Mapping[str, frozenset[Path]]) -> frozenset[Path]:
        """Where in the variables the node's value may lie (empty: a value computed from whole reads)."""
        if isinstance(node, str):  # a token
            return frozenset()
        node = _unwrap(node)
        kind = node.data
        if kind in ("ident", "dot_ident"):
            name = str(node.children[0])
            return scope[name] if name in scope else frozenset({(name,)})
        if kind in _SELECTIONS:
            return self.extend(self.value(node.children[0], scope), str(node.children[1]))
        if kind in _INDEXES:
            return self._index(node, scope)
        if kind == "member_dot_arg":
            return self._method(node, scope)
        return self._other(node, scope)

    def _other(self, node: Any, scope: Mapping[str, frozenset[Path]]) -> frozenset[Path]:
        """``flatten(x)``, or any other node: its operands used whole, its value computed."""
        if node.data == "ident_arg" and str(node.children[0]) in ("flatten", "has"):
            given = _arguments(node.children[1]) if len(node.children) > 1 else []
            if len(given) == 1 and str(node.children[0]) == "flatten":
                return self.flattened(self.value(given[0], scope))
            if len(given) == 1 and _unwrap(given[0]).data in _SELECTIONS:
                self.value(given[0], scope)  # has(x.f): x.f is reached (its presence), not read
                return frozenset()
        if node.data == "map_lit" and node.children:
            return self._map_literal(node.children[0], scope)
        for child in node.children:
            self.consume(child, scope)
        return frozenset()

    def consume(self, node: Any, scope: Mapping[str, frozenset[Path]]) -> None:
        """``node`` is evaluated and its value used whole."""
        self.whole.update(_values(path) for path in self.value(node, scope))

    def extend(self, paths: frozenset[Path], step: Step) -> frozenset[Path]:
        """Where ``x.step`` (for :data:`ELEMENT`, an element of ``x``) lies when ``x`` lies at ``paths``."""
        found = set()
        for path in paths:
            made = path[-1] if path and isinstance(path[-1], Made) else None
            if made is None:  # a selection: it fails, or not, on the document alike
                found.add((*path, step))
                self.reached.add((*path, step))
            elif made.key is None and step == ELEMENT and type(step) is int:
                found.add(path[:-1])  # an element of a list made of the values at path[:-1]
            elif made.key is not None and step == made.key:
                found.add(path[:-1])  # the entry of a map literal
            elif made.key is None:  # a field of a made list: its values are read whole
                self.whole.add(_values(path))
        return frozenset(found)

    def flattened(self, lists: frozenset[Path]) -> frozenset[Path]:
        """``flatten(x)``: a list made of the elements of the elements of ``x``."""
        return frozenset((*path, LISTED) for path in self.extend(self.extend(lists, ELEMENT), ELEMENT))

    def _map_literal(self, inits: Any, scope: Mapping[str, frozenset[Path]]) -> frozenset[Path]:
        """``{"k": v, ...}`` with string literal keys: each entry lies where its value does."""
        children = list(inits.children)
        keys = [_literal_key(key) for key in children[::2]]
        if any(key is None for key in keys):
            self.consume(inits, scope)
            return frozenset()
        found: set[Path] = set()
        for key, value in zip(keys, children[1::2], strict=True):
            found.update((*path, Made(key)) for path in self.value(value, scope))
        return frozenset(found)

    def _index(self, node: Any, scope: Mapping[str, frozenset[Path]]) -> frozenset[Path]:
        target = self.value(node.children[0], scope)
        step = _constant_step(node.children[1])
        if step is None:  # a key computed at run time: the whole map or list may be read
            self.whole.update(_values(path) for path in target)
            self.consume(node.children[1], scope)
            return frozenset()
        return self.extend(target, step)

    def _method(self, node: Any, scope: Mapping[str, frozenset[Path]]) -> frozenset[Path]:
        target, method, *rest = node.children
        given = _arguments(rest[0]) if rest else []
        if str(method) == "flatten" and not given:
            return self.flattened(self.value(target, scope))
        variable = _bare_name(given[0]) if len(given) == _MACRO_ARGUMENTS else None
        if str(method) not in _ELEMENT_MACROS or variable is None:
            self.consume(target, scope)
            for argument in given:
                self.consume(argument, scope)
            return frozenset()
        lists = self.value(target, scope)
        inner = {**scope, variable: self.extend(lists, ELEMENT)}
        if str(method) == "map":  # a list made of the body's values
            return frozenset((*path, LISTED) for path in self.value(given[1], inner))
        self.consume(given[1], inner)
        return lists if str(method) == "filter" else frozenset()


def _values(path: Path) -> Path:
    """The values a path stands for: a made list's or map's are those of the path it was made from."""
    while path and isinstance(path[-1], Made):
        path = path[:-1]
    return path


def _unwrap(node: Any) -> Any:
    while node.data in _WRAPPERS and len(node.children) == 1 and not isinstance(node.children[0], str):
        node = node.children[0]
    return node


def _arguments(exprlist: Any) -> list[Any]:
    if isinstance(exprlist, str) or exprlist.data != "exprlist":
        return []
    return list(exprlist.children)


def _bare_name(node: Any) -> str | None:
    if isinstance(node, str):
        return None
    inner = _unwrap(node)
    return str(inner.children[0]) if inner.data == "ident" else None


def _literal_key(node: Any) -> str | None:
    """A map literal's key when it is a string literal (never ``?"k"``, an optional entry)."""
    if isinstance(node, str) or node.data == "opt_expr":
        return None
    from assay.cel.native.tree import literal_of

    value = literal_of(node)
    return value if type(value) is str else None


def _constant_step(node: Any) -> Step | None:
    """A string literal key as a field, a number literal as "an element", else None."""
    from assay.cel.native.tree import literal_of

    value = literal_of(node)
    if type(value) is str:
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return ELEMENT
    return None


# --- rules --------------------------------------------------------------------------------------


def _walk_rule(expressions: Mapping[str, str]) -> tuple[list[Path], list[Path]]:
    """The paths a rule reads whole and those it reaches (from evidence roots, ``item`` resolved);
    raises CelSyntaxError."""
    from assay.cel.syntax import parse

    walk = _Walk()
    scope: dict[str, frozenset[Path]] = {}
    if "for_each" in expressions:
        lists = walk.value(parse(expressions["for_each"]), {})
        scope["item"] = walk.extend(lists, ELEMENT)
    for key, text in expressions.items():
        if key != "for_each":
            walk.consume(parse(text), scope)
    return sorted(walk.whole, key=repr), sorted(walk.reached - walk.whole, key=repr)


@frozen
class RulePaths:
    """What a rule reads: paths read whole, and paths it reaches (selected, iterated) from free names."""

    whole: tuple[Path, ...]
    reached: tuple[Path, ...]


@functools.lru_cache(maxsize=4096)
def rule_paths(expressions: tuple[tuple[str, str], ...]) -> RulePaths | None:
    """What a rule (its expressions by key) reads; None when it cannot be analysed."""
    cache = default_cache()
    material = json.dumps([code_version(), KIND, list(expressions)])
    if cache is not None:
        stored = _decode(cache.get(KIND, material))
        if stored is not None:
            return stored
    try:
        whole, reached = _walk_rule(dict(expressions))
        paths: RulePaths | None = RulePaths(tuple(whole), tuple(reached))
    except (CelSyntaxError, RecursionError):
        paths = None
    if cache is not None:
        payload = (
            None if paths is None else [[list(p) for p in paths.whole], [list(p) for p in paths.reached]]
        )
        cache.put(KIND, material, {"paths": payload})
    return paths


def _decode(payload: Any) -> RulePaths | None:
    """A stored analysis; None when the entry is missing or malformed (it is then made again)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("paths"), list):
        return None  # missing, malformed, or not analysable (made again, and found so again)
    try:
        whole, reached = payload["paths"]
        found = [tuple(tuple(_step(step) for step in path) for path in kind) for kind in (whole, reached)]
    except (TypeError, ValueError):
        return None
    if not all(found[0]):
        return None
    return RulePaths(found[0], found[1])


def _step(step: Any) -> Step:
    if type(step) is str or (type(step) is int and step == ELEMENT):
        return step
    raise ValueError(f"not a step: {step!r}")


# --- a catalog ----------------------------------------------------------------------------------


def evidence_read_paths(catalog: Catalog) -> dict[str, ReadPaths | None]:
    """What the catalog's rules read of each evidence name its controls bind (None: the whole document).

    Evidence read by a control evaluated elsewhere (``check: python``), an attestation, evidence a
    rule reads without a field chain and evidence whose name is a prefix of another is read whole.
    """
    found: dict[str, ReadPaths] = {}
    whole: set[str] = set()
    for control in catalog.controls:
        names = [requirement.name for requirement in control.evidence]
        for name in names:
            found.setdefault(name, {})
        if control.check == "python" or any(r.kind == "attestation" for r in control.evidence):
            whole.update(names)
            continue
        for rule in control.rules:
            paths = rule_paths(tuple(rule.expressions().items()))
            if paths is None:
                whole.update(names)
                continue
            for name, subpath in _by_evidence(paths.whole, names):
                if not subpath:  # None, or the document itself used whole
                    whole.add(name)
                else:
                    _add(found[name], subpath, read=None)
            for name, subpath in _by_evidence(paths.reached, names, within=True):
                if subpath:
                    _add(found[name], subpath, read={})
    whole.update(a for a in found for b in found if b.startswith(f"{a}."))
    return {name: (None if name in whole else trie) for name, trie in found.items()}


def _by_evidence(
    paths: Iterable[Path], names: list[str], *, within: bool = False
) -> Iterator[tuple[str, Path | None]]:
    """Each path as a path inside the evidence it reads (None: the whole document). ``within``: only
    paths inside an evidence document (the records above them are made of evidence names, not data)."""
    for path in paths:
        for name in names:
            parts = tuple(name.split("."))
            if path[: len(parts)] == parts:
                yield name, path[len(parts) :]
            elif not within and _overlaps(path, parts):
                yield name, None


def _overlaps(path: Path, parts: tuple[str, ...]) -> bool:
    """Whether ``path`` stops above the evidence or walks into its records by element."""
    for index, step in enumerate(path[: len(parts)]):
        if step == ELEMENT and type(step) is int:
            return path[:index] == parts[:index]
        if step != parts[index]:
            return False
    return True  # the path is a prefix of the evidence name: a record holding it, read whole


def _add(trie: ReadPaths, path: Path, *, read: ReadPaths | None) -> None:
    """Put ``path`` into ``trie``, its end read whole (``read`` None) or only reached (``{}``)."""
    node = trie
    for step in path[:-1]:
        child: ReadPaths | None = node.setdefault(step, {})
        if child is None:  # already read whole
            return
        node = child
    if read is None:
        node[path[-1]] = None
    else:
        node.setdefault(path[-1], read)
