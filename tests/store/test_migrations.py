"""The store's Alembic migrations make exactly the tables the code reads and writes, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine
from sqlalchemy.pool import NullPool

from assay import store
from assay.store.connect import store_url as url_of
from assay.store.tables import SCHEMA_VERSION, VERSION_TABLE, metadata


def test_the_migrations_make_the_schema_the_code_uses(store_url: str) -> None:
    store.open(store_url, create=True).close()
    engine = create_engine(url_of(store_url), poolclass=NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        assert compare_metadata(context, metadata) == []
        assert context.get_current_revision() == f"{SCHEMA_VERSION:04d}"
    engine.dispose()


def test_opening_a_store_again_migrates_nothing_and_keeps_its_runs(store_url: str) -> None:
    first = store.open(store_url, create=True)
    first.close()
    again = store.open(store_url, create=True)
    assert again.runs() == []
    again.close()
