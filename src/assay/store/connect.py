"""Where a run store is, opening it, and its schema: created once, checked on every open.

A store is named by a URL: ``sqlite:///path``, ``postgresql://user@host/db`` (with the ``postgres``
extra, psycopg 3), or a plain path (an SQLite file). Opening one checks its ``schema_version``: a store
written by a newer assay is refused, never downgraded; a file that is not an SQLite database is named
in the error and left as it is. Schema changes are small versioned steps in :data:`MIGRATIONS`, run in
the same locked transaction that reads the version, by Alembic (``migrations/``).

Concurrent writers: on SQLite every writing transaction starts with ``BEGIN IMMEDIATE`` (the second
writer waits for the first, up to :data:`BUSY_SECONDS`); on PostgreSQL creating the schema holds a
transaction-level advisory lock, and runs are rows with keys of their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import NullPool

from assay.errors import ConfigError
from assay.store.tables import SCHEMA_VERSION, meta, metadata

__all__ = ["SCHEMA_VERSION", "StoreError"]  # re-exported by assay.store

DEFAULT_STORE = Path(".assay") / "history.sqlite"  # under the project's root
BUSY_SECONDS = 60  # how long an SQLite writer waits for another one
CONNECT_TIMEOUT = 10  # seconds to reach a PostgreSQL server
SQLITE_MAGIC = b"SQLite format 3\x00"
ADVISORY_LOCK = 0x61737361  # "assa": the PostgreSQL advisory lock held while the schema is made
# Alembic's script folder: one revision per schema version; each sets assay_meta's schema_version.
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreError(ConfigError):
    """A run store that cannot be used: unreachable, corrupt, of a newer schema, or a run not in it."""


def store_url(value: str | Path) -> URL:
    """The SQLAlchemy URL of a store given as a URL or as a path to an SQLite file."""
    if isinstance(value, Path) or "://" not in value:
        return URL.create("sqlite", database=str(Path(value).resolve()))
    try:
        url = make_url(value)
    except ArgumentError:
        raise StoreError(f"not a store URL: {value!r}") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise StoreError(f"{shown(url)}: a store is sqlite:///PATH or postgresql://..., not {backend!r}")
    return url


def shown(url: URL) -> str:
    """The URL as messages show it: an SQLite file by its path, a server's without its password."""
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    """An engine for the store: no pool (one command, one connection), timeouts, writers serialised."""
    if url.get_backend_name() != "sqlite":
        try:
            return create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT})
        except NoSuchModuleError:
            raise StoreError(
                f"{shown(url)}: PostgreSQL needs psycopg: pip install 'assay[postgres]'"
            ) from None
        except ImportError:
            raise StoreError(
                f"{shown(url)}: PostgreSQL needs psycopg: pip install 'assay[postgres]'"
            ) from None
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": BUSY_SECONDS})

    @event.listens_for(engine, "connect")
    def _manual(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # transactions begin below, not in the driver

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("writing", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def check_file(url: URL, *, create: bool) -> None:
    """An SQLite store's file: refused when it is not an SQLite database; made (its folder) when new."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    path = Path(url.database)
    if not path.exists():
        if not create:
            raise StoreError(f"{path}: no run history here yet: record runs with assay check --record")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{path}: cannot make its folder: {exc.strerror or exc}") from None
        return
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the run store: {exc.strerror or exc}") from None
    if head and head != SQLITE_MAGIC:
        raise StoreError(f"{path}: not an SQLite database (corrupt or another file): left as it is")


@contextmanager
def translated(url: URL) -> Iterator[None]:
    """Database errors as :class:`StoreError`, naming the store."""
    try:
        yield
    except StoreError:
        raise
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise StoreError(f"{shown(url)}: the run store cannot be used: {reason}") from None
    except SQLAlchemyError as exc:
        raise StoreError(f"{shown(url)}: the run store cannot be used: {exc}") from None


def prepare(connection: Connection, url: URL, *, create: bool) -> None:
    """Check the store's schema version; with ``create``, make or migrate its tables (in a transaction)."""
    if connection.dialect.name == "postgresql" and create:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
    tables = set(inspect(connection).get_table_names())
    if meta.name not in tables:
        if tables & set(metadata.tables):
            raise StoreError(f"{shown(url)}: damaged run store: its tables are there but not its version")
        if not create:
            raise StoreError(f"{shown(url)}: no run history here yet: record runs with assay check --record")
        migrate(connection)
        return
    version = schema_version(connection, url)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{shown(url)}: the run store has schema version {version}, newer than this assay's "
            f"({SCHEMA_VERSION}): upgrade assay to use it (it is left as it is)"
        )
    if version < SCHEMA_VERSION and create:
        migrate(connection)


def migrate(connection: Connection) -> None:
    """Alembic's upgrade to the newest revision, on this connection, in its transaction."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def schema_version(connection: Connection, url: URL) -> int:
    value = connection.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if value is None or not str(value).isdigit():
        raise StoreError(f"{shown(url)}: damaged run store: its schema_version is {value!r}")
    return int(value)
