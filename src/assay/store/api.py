"""The run store: record runs, list them, read one back, and ask about a period or two runs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, Row, insert, select
from sqlalchemy.engine import URL

from assay.gaps import Report
from assay.loaded_project import LoadedProject
from assay.results import RunResult
from assay.store import tables as t
from assay.store.connect import (
    DEFAULT_STORE,
    StoreError,
    check_file,
    make_engine,
    prepare,
    shown,
    store_url,
    translated,
)
from assay.store.diff import diff_runs
from assay.store.period import period_report
from assay.store.recording import evidence_contents, run_rows, utc
from assay.store.records import (
    ControlPoint,
    Expectation,
    PeriodReport,
    RunDiff,
    RunInfo,
    StoredControl,
    StoredEvidence,
    StoredFinding,
    StoredRun,
)
from assay.suggest import did_you_mean


class Store:
    """A run store at ``url``; open one with :func:`assay.store.open`."""

    def __init__(self, url: URL, *, create: bool = False) -> None:
        self.url = url
        self.name = shown(url)
        check_file(url, create=create)
        self._engine: Engine = make_engine(url)
        with translated(url), self._writing() if create else self._reading() as connection:
            prepare(connection, url, create=create)

    def _writing(self) -> _Transaction:
        return _Transaction(self._engine, writing=True)

    def _reading(self) -> _Transaction:
        return _Transaction(self._engine, writing=False)

    def close(self) -> None:
        self._engine.dispose()

    def record(
        self, project: LoadedProject, run: RunResult, report: Report, *, evidence_content: bool = False
    ) -> str:
        """Store one run (in one transaction) and return its id."""
        run_id = uuid.uuid4().hex[:12]
        rows = run_rows(project, run, report, run_id=run_id, at=datetime.now(UTC))
        with translated(self.url), self._writing() as connection:
            connection.execute(insert(t.runs), [rows.run])
            for table, values in (
                (t.control_results, rows.controls),
                (t.requirement_statuses, rows.requirements),
                (t.evidence_uses, rows.evidence),
            ):
                if values:
                    connection.execute(insert(table), values)
            if evidence_content:
                hashes = {e["sha256"] for e in rows.evidence if e["sha256"]}
                known = set(
                    connection.execute(
                        select(t.evidence_content.c.sha256).where(t.evidence_content.c.sha256.in_(hashes))
                    ).scalars()
                )
                for content in evidence_contents(project, known):
                    connection.execute(insert(t.evidence_content), [content])
        return run_id

    def runs(self) -> list[RunInfo]:
        """Every recorded run, oldest first (by evaluation time, then by when it was recorded)."""
        with translated(self.url), self._reading() as connection:
            query = select(t.runs).order_by(t.runs.c.evaluated_at, t.runs.c.recorded_at, t.runs.c.id)
            return [_info(row) for row in connection.execute(query)]

    def resolve(self, run_id: str) -> str:
        """A run's id from ``run_id`` or ``last``; a :class:`StoreError` with "did you mean" otherwise."""
        ids = [run.id for run in self.runs()]
        if run_id == "last":
            if not ids:
                raise StoreError(f"{self.name}: no runs recorded yet")
            return ids[-1]
        if run_id in ids:
            return run_id
        prefixed = [i for i in ids if i.startswith(run_id)] if len(run_id) >= 4 else []  # noqa: PLR2004
        if len(prefixed) == 1:
            return prefixed[0]
        raise StoreError(f"{self.name}: no run {run_id!r}{did_you_mean(run_id, ids)}")

    def get(self, run_id: str) -> StoredRun:
        """One whole run by id (or ``last``)."""
        found = self.resolve(run_id)
        with translated(self.url), self._reading() as connection:
            return _stored(connection, found)

    def evidence_content(self, sha256: str) -> bytes | None:
        """The redacted content of the evidence file with this sha256, when it was recorded."""
        with translated(self.url), self._reading() as connection:
            query = select(t.evidence_content.c.data).where(t.evidence_content.c.sha256 == sha256)
            data = connection.execute(query).scalar()
        return bytes(data) if data is not None else None

    def period(
        self,
        start: datetime,
        end: datetime,
        *,
        expectations: Mapping[str, Expectation] | None = None,
        controls: tuple[str, ...] | None = None,
    ) -> PeriodReport:
        """Each control's operation from ``start`` to ``end`` (:func:`assay.store.period.period_report`)."""
        if end < start:
            raise StoreError(f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        with translated(self.url), self._reading() as connection:
            start, end = utc(start), utc(end)
            query = select(t.runs).where(t.runs.c.evaluated_at >= start, t.runs.c.evaluated_at <= end)
            infos = [_info(r) for r in connection.execute(query.order_by(t.runs.c.evaluated_at, t.runs.c.id))]
            ids = [i.id for i in infos]
            statuses = connection.execute(
                select(
                    t.control_results.c.run_id, t.control_results.c.control, t.control_results.c.status
                ).where(t.control_results.c.run_id.in_(ids))
            ).all()
            hashes = connection.execute(
                select(t.evidence_uses.c.run_id, t.evidence_uses.c.name, t.evidence_uses.c.sha256).where(
                    t.evidence_uses.c.run_id.in_(ids)
                )
            ).all()
        by_run: dict[str, dict[str, str]] = {}
        for run_id, control, status in statuses:
            by_run.setdefault(run_id, {})[control] = status
        evidence: dict[str, dict[str, str | None]] = {}
        for run_id, name, sha in hashes:
            evidence.setdefault(run_id, {})[name] = sha
        return period_report(
            start,
            end,
            runs=infos,
            statuses=by_run,
            evidence=evidence,
            expectations=expectations or {},
            controls=controls,
        )

    def history(self, control: str) -> list[ControlPoint]:
        """A control's status in every recorded run, oldest first; "did you mean" for an unknown control."""
        with translated(self.url), self._reading() as connection:
            c, r = t.control_results.c, t.runs.c
            query = (
                select(r.id, r.evaluated_at, c.status, c.failing_resources)
                .join(t.runs, r.id == c.run_id)
                .where(c.control == control)
                .order_by(r.evaluated_at, r.recorded_at, r.id)
            )
            points = [
                ControlPoint(i, _aware(at) or datetime.min, s, n) for i, at, s, n in connection.execute(query)
            ]
            if not points:
                known = connection.execute(select(c.control).distinct()).scalars().all()
                raise StoreError(
                    f"{self.name}: no recorded run has control {control!r}{did_you_mean(control, known)}"
                )
        return points

    def diff(self, a: str, b: str) -> RunDiff:
        """What changed from run ``a`` to run ``b`` (ids or ``last``)."""
        return diff_runs(self.get(a), self.get(b))


class _Transaction:
    """A connection in one transaction, committed on success; a writing one takes the write lock first."""

    def __init__(self, engine: Engine, *, writing: bool) -> None:
        self.engine, self.writing = engine, writing

    def __enter__(self) -> Connection:
        self.connection = self.engine.connect().execution_options(writing=self.writing)
        self.transaction = self.connection.begin()
        return self.connection

    def __exit__(self, kind: object, _value: object, _traceback: object) -> None:
        try:
            if kind is None:
                self.transaction.commit()
            else:
                self.transaction.rollback()
        finally:
            self.connection.close()


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _info(row: Row[tuple[object, ...]]) -> RunInfo:
    m = row._mapping
    return RunInfo(
        id=m["id"],
        evaluated_at=_aware(m["evaluated_at"]) or datetime.min,
        recorded_at=_aware(m["recorded_at"]) or datetime.min,
        assay_version=m["assay_version"],
        catalog_version=m["catalog_version"],
        catalog_hash=m["catalog_hash"],
        backend=m["backend"],
        summary=json.loads(m["summary"]),
    )


def _stored(connection: Connection, run_id: str) -> StoredRun:
    info = _info(connection.execute(select(t.runs).where(t.runs.c.id == run_id)).one())
    controls = {}
    for row in connection.execute(select(t.control_results).where(t.control_results.c.run_id == run_id)):
        findings = tuple(StoredFinding(**f) for f in json.loads(row.findings))
        controls[row.control] = StoredControl(row.control, row.status, row.severity, findings)
    requirements = {
        (row.framework, row.requirement): row.status
        for row in connection.execute(
            select(t.requirement_statuses).where(t.requirement_statuses.c.run_id == run_id)
        )
    }
    evidence = {
        row.name: StoredEvidence(
            row.name, row.sha256, _aware(row.collected_at), _aware(row.as_of), row.source, row.path
        )
        for row in connection.execute(select(t.evidence_uses).where(t.evidence_uses.c.run_id == run_id))
    }
    return StoredRun(info, controls, requirements, evidence)


def record_outcome(project: LoadedProject, run: RunResult, report: Report) -> str:
    """Record a run in the project's store (``store``, default ``.assay/history.sqlite``); its id."""
    config = project.config
    store = Store(store_url(config.store or config.root / DEFAULT_STORE), create=True)
    try:
        return store.record(project, run, report, evidence_content=config.record_evidence)
    finally:
        store.close()
