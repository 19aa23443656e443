"""Budgets that grow with the evidence an expression reads, and what an expression reads.

A budget is per evaluation, and a ``for_each`` over a whole inventory is one evaluation: a fixed step,
memory or time budget that suits a small account stops the same rule on a large one, and where the
clock decides, the verdict depends on the machine's load. So the engine gives each evaluation the
budget settings (:class:`~assay.cel.native.cost.CelBudgets`) *plus* an allowance for the evidence the
expression reads, as cel-go's and Kubernetes' cost estimates charge a comprehension by the size of the
list it walks: every evidence document bound to the control whose first name the expression reads
(``aws`` in ``aws.ec2.volumes.Volumes``) adds its size in bytes as given: its file's, the bytes the
manifest hashes, or its canonical JSON's for evidence given in memory
(:meth:`CelBudgets.scaled <assay.cel.native.cost.CelBudgets.scaled>`). The size is pinned by the
evidence's hash, not by the machine, and it is the same whether the loader pruned the document to the
fields rules read or kept it whole; it is asked for only when an evaluation runs out of the settings
(:data:`assay.cel.native.cost.GROW`).

``item``, one element of a ``for_each`` list, adds nothing: one element is what the settings are for.
A hostile expression still stops: nested macros over a list of ``n`` elements take ``n * n`` steps
against an allowance of some ``2 * 20 * n``, and doubling a string outgrows any allowance in a few
dozen steps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

P = TypeVar("P")


class Document(Protocol):
    """An evidence document as the engine holds it (:class:`assay.evidence.EvidenceItem`)."""

    @property
    def data(self) -> Any: ...

    @property
    def size(self) -> int | None: ...


Lookup = Callable[[str], Document | None]  # an evidence store's ``get``

# How generated code reads a free variable: variable(V, K[i]) (exact), V[K[i]] (fast), K[i] in V (a
# qualified name, or a type's name). Literals are never read from V, so a string literal "params" or a
# field ``item.nowhere`` is not a read of ``params`` or ``now``.
_FREE_READ = re.compile(r"variable\(V, K\[(\d+)\]\)|V\[K\[(\d+)\]\]|K\[(\d+)\] in V")


def free_roots(source: str, constants: Sequence[Any]) -> frozenset[str]:
    """The first names of the free variables a generated program reads (``aws`` for ``aws.ec2.x``)."""
    roots = set()
    for match in _FREE_READ.finditer(source):
        index = int(next(group for group in match.groups() if group is not None))
        name = constants[index]
        if isinstance(name, str):
            roots.add(name.split(".")[0])
    return frozenset(roots)


def evidence_bytes(value: Any) -> int:
    """The size of a document whose size was not given, as compact JSON, in bytes. A value JSON cannot
    hold is measured through its text."""
    import msgspec

    try:
        return len(msgspec.json.encode(value))
    except (TypeError, ValueError, OverflowError, RecursionError, msgspec.EncodeError):
        try:
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, skipkeys=True, default=repr)
        except (TypeError, ValueError, OverflowError, RecursionError):
            return 0
        return len(text.encode("utf-8", "replace"))


class EvidenceSizes:
    """The size of each evidence document of a run, measured the first time an expression reads it."""

    def __init__(self) -> None:
        self._bytes: dict[str, int] = {}

    def by_root(self, names: Sequence[str], lookup: Lookup) -> RootSizes:
        """For a control binding the evidence ``names`` (found with ``lookup``): the bytes of the
        documents under one first name (``aws`` -> every ``aws.*`` document it binds)."""
        return RootSizes(self._bytes, names, lookup)

    def grow(self, programs: Mapping[str, P], names: Sequence[str], lookup: Lookup) -> Mapping[str, P]:
        """A control's ``programs`` (see :func:`budgeted`), for a control binding the evidence ``names``."""
        return budgeted(programs, self.by_root(names, lookup))


class RootSizes:
    """The bytes of a control's evidence under a first name, measured when first asked (``roots``:
    the first names that have evidence)."""

    def __init__(self, measured: dict[str, int], names: Sequence[str], lookup: Lookup) -> None:
        self._measured = measured
        self._names = names
        self._lookup = lookup
        self.roots = frozenset(name.split(".")[0] for name in names)

    def __call__(self, root: str) -> int:
        total = 0
        for name in self._names:
            if name.split(".")[0] != root:
                continue
            if name not in self._measured:
                document = self._lookup(name)
                if document is None:
                    continue
                given = document.size
                self._measured[name] = evidence_bytes(document.data) if given is None else given
            total += self._measured[name]
        return total


def budgeted(programs: Mapping[str, P], size: Callable[[str], int]) -> Mapping[str, P]:
    """``programs`` with each native program that runs with a budget given the allowance of the
    evidence it reads (``size(root)``); other programs (the reference backend's) unchanged."""
    scaled: dict[str, P] | None = None
    for key, program in programs.items():
        grow = getattr(program, "scaled", None)
        if grow is None:
            continue
        bigger = grow(size)
        if bigger is not program:
            scaled = dict(programs) if scaled is None else scaled
            scaled[key] = bigger
    return programs if scaled is None else scaled


def frozen(value: Any) -> Any:
    """A hashable image of a value that tells apart what CEL tells apart (``1``, ``1.0`` and ``true``
    differ by type), for keying what was computed from it; raises TypeError for an unhashable value."""
    if type(value) is dict:
        return (dict, tuple((frozen(k), frozen(v)) for k, v in value.items()))
    if type(value) is list:
        return (list, tuple(frozen(v) for v in value))
    if type(value) in (str, int, bool) or value is None:
        return (type(value), value)
    # -0.0 == 0.0, and equal datetimes in two time zones: equal, yet CEL may tell them apart (string(),
    # getHours()); the key keeps the value, so no other object can take a repr naming its address.
    hash(value)
    return (type(value), value, repr(value))


def read_roots(program: Any, expression: str) -> frozenset[str]:
    """The first names of the free variables ``expression`` reads: from a native program's generated
    code, else (another backend's program) from its parse."""
    roots = getattr(program, "roots", None)
    if isinstance(roots, frozenset):
        return roots
    from assay.cel.rulecache import analyse

    return frozenset(reference.names[0] for reference in analyse(expression).references)


def list_key(program: Any, expression: str, bound: tuple[str, ...], variables: Mapping[str, Any]) -> Any:
    """What a ``for_each`` list computed by ``program`` depends on in a run: its expression, the evidence
    names bound and, when it reads ``params``, their values (``now`` is one per run); None when a
    parameter value cannot be part of a key."""
    if "params" not in read_roots(program, expression):
        return (expression, bound, None)
    try:
        return (expression, bound, frozen(variables.get("params")))
    except TypeError:
        return None
