"""The run store: a history of assay runs in SQLite (the default) or PostgreSQL.

``assay check --record`` (or ``record = true``) stores each run: its time, the catalog's version and
hash, every control result with its findings, every requirement status, and the evidence hashes and
metadata (the content too, redacted, with ``--record-evidence``). The history answers:

- :meth:`Store.runs`, :meth:`Store.get`: the runs, and one run whole;
- :meth:`Store.period`: whether each control operated effectively over a period (SOC 2 Type 2);
- :meth:`Store.diff`: what changed between two runs.

Open one with :func:`open`::

    from assay import store
    history = store.open("sqlite:///.assay/history.sqlite")
    for run in history.runs():
        print(run.id, run.evaluated_at, run.summary)
"""

from __future__ import annotations

from pathlib import Path

from assay.store.api import Store, record_outcome
from assay.store.connect import DEFAULT_STORE, SCHEMA_VERSION, StoreError, store_url
from assay.store.ratchet import read_report, regressions, snapshot
from assay.store.records import (
    ControlPeriod,
    ControlPoint,
    Expectation,
    FailingInterval,
    PeriodReport,
    RunDiff,
    RunInfo,
    Sample,
    StatusChange,
    StoredControl,
    StoredEvidence,
    StoredFinding,
    StoredRun,
)

__all__ = [
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "ControlPeriod",
    "ControlPoint",
    "Expectation",
    "FailingInterval",
    "PeriodReport",
    "RunDiff",
    "RunInfo",
    "Sample",
    "StatusChange",
    "Store",
    "StoreError",
    "StoredControl",
    "StoredEvidence",
    "StoredFinding",
    "StoredRun",
    "open",
    "read_report",
    "record_outcome",
    "regressions",
    "snapshot",
]


def open(url: str | Path, *, create: bool = False) -> Store:
    """The run store at ``url`` (``sqlite:///PATH``, ``postgresql://...`` or a path to an SQLite file).

    With ``create`` a new store is made (a writer does this); otherwise a store that does not exist is a
    :class:`StoreError`, as is one of a newer schema version, a corrupt file or an unreachable server.
    """
    return Store(store_url(url), create=create)
