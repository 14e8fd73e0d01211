"""Alembic migrations produce exactly the schema the models declare, on every dialect."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from assistant.records.db import make_engine, migrate
from assistant.records.models import Base
from tests.records.conftest import fresh_postgres_engine


def _diff(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path):
    """An engine on an empty database."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'nested' / 'm.db'}")  # parent created
    else:
        engine = fresh_postgres_engine()
    yield engine
    engine.dispose()


def test_migrations_match_the_models(empty_engine: Engine) -> None:
    migrate(empty_engine)
    assert _diff(empty_engine) == []
    names = set(inspect(empty_engine).get_table_names())
    assert set(Base.metadata.tables) | {"alembic_version"} == names


def test_migrate_is_idempotent(empty_engine: Engine) -> None:
    migrate(empty_engine)
    migrate(empty_engine)
    assert _diff(empty_engine) == []


def test_migrate_accepts_a_url(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'u.db'}"
    migrate(url)
    engine = make_engine(url)
    assert "customers" in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_connections_are_tuned(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()
