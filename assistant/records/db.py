"""Engines, schema migrations and units of work for the system of record.

The same code runs on SQLite (default, embedded) and PostgreSQL (``postgresql+psycopg://``).
On SQLite every connection gets WAL, foreign keys and a busy timeout, and write units of work
start with ``BEGIN IMMEDIATE`` so concurrent writers queue instead of failing mid-transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session

from assistant.errors import UsageError
from assistant.records.models import APPEND_ONLY_TABLES

#: How long a SQLite writer waits for another writer before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url``; for SQLite, tune it and create the file's directory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control away from the sqlite3 module so BEGIN is ours (see _on_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted rows (conversation owners, sign-in lockouts) are zeroed, not left readable.
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    # A deferred transaction that reads and then writes fails with SQLITE_BUSY when another
    # writer committed in between (the busy timeout does not apply); IMMEDIATE queues instead.
    mode = "IMMEDIATE" if connection.get_execution_options().get("records_write") else "DEFERRED"
    connection.exec_driver_sql(f"BEGIN {mode}")


class RecordsSession(Session):
    """Session of the system of record; refuses bulk UPDATE/DELETE on append-only tables."""


@event.listens_for(RecordsSession, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    # Our mappers each map one Table; SQLAlchemy types local_table as the wider FromClause.
    names = {cast(Table, m.local_table).name for m in state.all_mappers}
    if names & APPEND_ONLY_TABLES:
        raise UsageError(f"{', '.join(sorted(names))} is append-only: no UPDATE or DELETE")


@contextmanager
def unit_of_work(engine: Engine, *, write: bool) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error (and re-raise it)."""
    bind = engine.execution_options(records_write=True) if write else engine
    with RecordsSession(bind=bind, expire_on_commit=False) as session, session.begin():
        yield session


# -- migrations ------------------------------------------------------------------------------


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    location = resources.files("assistant") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


def migrate(engine_or_url: Engine | str) -> None:
    """Bring the schema to the latest Alembic revision (``alembic upgrade head``)."""
    from alembic import command

    engine = make_engine(engine_or_url) if isinstance(engine_or_url, str) else engine_or_url
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "head")
    finally:
        if isinstance(engine_or_url, str):
            engine.dispose()


def drop_everything(engine: Engine) -> None:
    """Drop the system of record's tables and Alembic's version table (``--reset``).

    Only our own tables: other components may share the database (e.g. checkpoints).
    """
    from assistant.records.models import Base

    with engine.begin() as connection:
        Base.metadata.drop_all(connection, checkfirst=True)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("DROP FUNCTION IF EXISTS refuse_append_only_change()")
