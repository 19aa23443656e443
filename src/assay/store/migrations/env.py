"""Alembic's environment for the run store: migrations run on the connection the store opened.

:func:`assay.store.connect.prepare` calls Alembic with that connection, inside its locked transaction
(SQLite's ``BEGIN IMMEDIATE``, PostgreSQL's advisory lock), so two first writers never both migrate.
"""

from __future__ import annotations

from alembic import context

from assay.store.tables import VERSION_TABLE, metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, version_table=VERSION_TABLE)
with context.begin_transaction():
    context.run_migrations()
