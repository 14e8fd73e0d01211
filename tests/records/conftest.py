"""Fixtures for the system-of-record tests.

``records`` runs each test on a fresh, seeded database: a copy of a SQLite file seeded once per
session, and, when TEST_DATABASE_URL points at a PostgreSQL server that answers, a freshly
seeded private schema there too (those runs carry the ``postgres`` marker).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from assistant.records.api import Records
from assistant.records.db import make_engine, migrate
from assistant.records.models import Base
from assistant.records.seed import seed_database
from assistant.settings import DEMO_CLOCK

#: Small world for tests: the seven personas plus 13 generated customers.
TEST_CUSTOMERS = 20
PG_SCHEMA = "records_test"
# Durability is irrelevant for throw-away test data; skipping the fsync per commit saves seconds.
PG_OPTIONS = {"options": f"-csearch_path={PG_SCHEMA} -csynchronous_commit=off"}


class Clock:
    """A settable clock, starting at the demo instant."""

    def __init__(self, at: datetime = DEMO_CLOCK) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.at += timedelta(**delta)


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file seeded once per session; tests work on copies."""
    path = tmp_path_factory.mktemp("records-template") / "telco.db"
    engine = make_engine(f"sqlite:///{path}")
    seed_database(engine, DEMO_CLOCK, customers=TEST_CUSTOMERS)
    engine.dispose()  # the last connection checkpoints the WAL into the main file
    return path


def _postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("PostgreSQL run skipped: TEST_DATABASE_URL is not set to a postgresql URL")
    probe = make_engine(url)
    try:
        with probe.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.skip(f"PostgreSQL run skipped: {url} does not answer ({type(exc).__name__})")
    finally:
        probe.dispose()
    return url


def fresh_postgres_engine() -> Engine:
    """An engine whose search_path is a private, empty schema (recreated on each call)."""
    url = _postgres_url()
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    admin.dispose()
    return make_engine(url, connect_args=PG_OPTIONS)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """URL of a private schema on the test server, migrated once per session."""
    engine = fresh_postgres_engine()
    migrate(engine)
    engine.dispose()
    yield _postgres_url()
    admin = make_engine(_postgres_url())
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    admin.dispose()


def _reseed_postgres(url: str) -> None:
    # Emptying 15 small tables with DELETE is ~50x faster than TRUNCATE or re-running the DDL.
    # The replica role skips triggers for this transaction only: the append-only guard
    # (tested separately) would otherwise refuse to empty the ledgers.
    engine = make_engine(url, connect_args=PG_OPTIONS)
    with engine.begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
        for table in ("tickets", "audit_events"):
            connection.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1, false)")
            )
    seed_database(engine, DEMO_CLOCK, customers=TEST_CUSTOMERS)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine_factory(
    request: pytest.FixtureRequest, tmp_path: Path, seeded_template: Path
) -> Iterator[Callable[[], Engine]]:
    """Builds engines on one fresh seeded database (call again for another connection pool)."""
    engines: list[Engine] = []
    if request.param == "sqlite":
        path = tmp_path / "telco.db"
        shutil.copyfile(seeded_template, path)
        url, options = f"sqlite:///{path}", {}
    else:
        url = request.getfixturevalue("postgres_url")
        _reseed_postgres(url)
        options = {"connect_args": PG_OPTIONS}

    def build() -> Engine:
        engine = make_engine(url, **options)
        engines.append(engine)
        return engine

    yield build
    for engine in engines:
        engine.dispose()


@pytest.fixture()
def clock() -> Clock:
    """The test's clock (demo instant, advanceable)."""
    return Clock()


@pytest.fixture()
def engine(engine_factory: Callable[[], Engine]) -> Engine:
    """Engine on the test's fresh seeded database."""
    return engine_factory()


@pytest.fixture()
def records(engine: Engine, clock: Clock) -> Records:
    """The facade on the test's fresh seeded database."""
    return Records(engine, clock)
