"""The run store's tables (SQLAlchemy Core) and its schema version.

One row per run; per run, one row per control result (its findings as JSON: a finding is read only
with its result), per requirement status and per piece of evidence used. Evidence content, when
recorded, is kept once per sha256. ``assay_meta`` holds ``schema_version``: :data:`SCHEMA_VERSION` is
the one this assay writes, and a store of a newer one is refused (:mod:`assay.store.connect`).
These definitions are what the code reads and writes; the migrations in ``migrations/versions/``
(Alembic) make them in a store, and a test checks the two agree.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 1
# Alembic's own record of the applied revision (src/assay/store/migrations/versions/).
VERSION_TABLE = "assay_alembic_version"

metadata = MetaData()

meta = Table(
    "assay_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", String(256), nullable=False),
)

runs = Table(
    "assay_runs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("evaluated_at", DateTime(timezone=True), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("assay_version", String(64), nullable=False),
    Column("catalog_version", String(256), nullable=False),
    Column("catalog_hash", String(64), nullable=False),
    Column("backend", String(32), nullable=False),
    Column("summary", Text, nullable=False),  # JSON: control counts by status
)
Index("assay_runs_evaluated", runs.c.evaluated_at)

control_results = Table(
    "assay_control_results",
    metadata,
    Column("run_id", String(32), ForeignKey("assay_runs.id"), primary_key=True),
    Column("control", String(128), primary_key=True),
    Column("status", String(32), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("failing_resources", Integer, nullable=False),
    Column("findings", Text, nullable=False),  # JSON list of {rule, resource, message, waived_by}
)

requirement_statuses = Table(
    "assay_requirement_statuses",
    metadata,
    Column("run_id", String(32), ForeignKey("assay_runs.id"), primary_key=True),
    Column("framework", String(64), primary_key=True),
    Column("requirement", String(128), primary_key=True),
    Column("status", String(32), nullable=False),
)

evidence_uses = Table(
    "assay_evidence",
    metadata,
    Column("run_id", String(32), ForeignKey("assay_runs.id"), primary_key=True),
    Column("name", String(256), primary_key=True),
    Column("sha256", String(64), nullable=True),
    Column("collected_at", DateTime(timezone=True), nullable=True),
    Column("as_of", DateTime(timezone=True), nullable=True),
    Column("source", Text, nullable=True),
    Column("path", Text, nullable=True),
)

evidence_content = Table(
    "assay_evidence_content",
    metadata,
    Column("sha256", String(64), primary_key=True),  # of the original file
    Column("format", String(16), nullable=False),
    Column("data", LargeBinary, nullable=False),  # redacted as in packs
    Column("redactions", Text, nullable=False),  # JSON list of {at, reason}
)
