"""A run's results packed to cross a process boundary: each large result's findings as columns.

A worker of ``assay check --jobs N`` sends its share's results back pickled. A control failing for a
quarter of a million resources has as many findings, and pickling each as an object costs a call of
Python per finding on both sides (its ``__reduce_ex__`` in the worker, ``checked_finding`` in the
parent), while the worker could be evaluating its next share. Packed, the findings of a large result
cross as five columns (rules, resources, messages, waivers, locations): lists the pickler writes in
C, most of whose entries are one shared rule id or None. The parent makes the findings again with
:func:`~assay.results.checked_finding`, as unpickling them would: :func:`unpack` gives a run equal to
the one packed.
"""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter, is_
from typing import Any

from assay.lean_dataclasses import frozen
from assay.results import ControlResult, Finding, RunResult, checked_finding

# A result with at least this many findings crosses as columns (fewer: as they are).
PACK_FROM = 64
_COLUMNS = tuple(map(attrgetter, ("rule", "resource", "message", "waived_by", "location")))
Columns = tuple[list[Any], ...]


@frozen
class PackedRun:
    """A run whose large results left their findings out; ``columns`` has them, by result index."""

    run: RunResult
    columns: dict[int, Columns]


def pack(run: RunResult) -> PackedRun:
    """``run`` with the findings of each result of at least :data:`PACK_FROM` of them as columns (only
    findings that are exactly :class:`Finding`: another class crosses as it pickles)."""
    columns: dict[int, Columns] = {}
    results: list[ControlResult] = []
    for index, result in enumerate(run.results):
        findings = result.findings
        if len(findings) >= PACK_FROM and all(map(is_, map(type, findings), repeat(Finding))):
            columns[index] = tuple(list(map(column, findings)) for column in _COLUMNS)
            result = result.with_findings(())
        results.append(result)
    return PackedRun(run.with_results(tuple(results)) if columns else run, columns)


def unpack(packed: PackedRun) -> RunResult:
    """The run :func:`pack` was given."""
    if not packed.columns:
        return packed.run
    results = list(packed.run.results)
    for index, columns in packed.columns.items():
        results[index] = results[index].with_findings(tuple(map(checked_finding, *columns)))
    return packed.run.with_results(tuple(results))
