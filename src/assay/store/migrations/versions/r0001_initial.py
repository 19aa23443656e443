"""The run store's first schema: runs, control results, requirement statuses, evidence, evidence content.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: tuple[str, ...] | None = None
depends_on: tuple[str, ...] | None = None


def upgrade() -> None:
    when = sa.DateTime(timezone=True)
    meta = op.create_table(
        "assay_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
    )
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])
    op.create_table(
        "assay_runs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("evaluated_at", when, nullable=False),
        sa.Column("recorded_at", when, nullable=False),
        sa.Column("assay_version", sa.String(64), nullable=False),
        sa.Column("catalog_version", sa.String(256), nullable=False),
        sa.Column("catalog_hash", sa.String(64), nullable=False),
        sa.Column("backend", sa.String(32), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
    )
    op.create_index("assay_runs_evaluated", "assay_runs", ["evaluated_at"])
    op.create_table(
        "assay_control_results",
        run_id(),
        sa.Column("control", sa.String(128), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("failing_resources", sa.Integer, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
    )
    op.create_table(
        "assay_requirement_statuses",
        run_id(),
        sa.Column("framework", sa.String(64), primary_key=True),
        sa.Column("requirement", sa.String(128), primary_key=True),
        sa.Column("status", sa.String(32), nullable=False),
    )
    op.create_table(
        "assay_evidence",
        run_id(),
        sa.Column("name", sa.String(256), primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("collected_at", when, nullable=True),
        sa.Column("as_of", when, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("path", sa.Text, nullable=True),
    )
    op.create_table(
        "assay_evidence_content",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("format", sa.String(16), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("redactions", sa.Text, nullable=False),
    )


def run_id() -> sa.Column[str]:
    return sa.Column("run_id", sa.String(32), sa.ForeignKey("assay_runs.id"), primary_key=True)


def downgrade() -> None:
    for table in (
        "assay_evidence_content",
        "assay_evidence",
        "assay_requirement_statuses",
        "assay_control_results",
        "assay_runs",
        "assay_meta",
    ):
        op.drop_table(table)
