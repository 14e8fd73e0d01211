"""Alembic environment: runs on the connection handed over by ``records.db.migrate``.

Run by Alembic only (never imported by the application). Without a handed-over connection it
falls back to the configured database URL, so the ``alembic`` CLI works too.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from assistant.records.models import Base


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _main() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    from assistant.records.db import make_engine
    from assistant.settings import get_settings

    engine = make_engine(get_settings().resolved_database_url())
    try:
        with engine.begin() as fresh:
            _run(fresh)
    finally:
        engine.dispose()


_main()
