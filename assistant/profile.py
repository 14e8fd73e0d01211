"""The production profile's start-up checks (``TELCO_PROFILE=production``).

The demo profile seeds an empty database with the demo world; production never does. It
starts only on a database that exists, is migrated and holds customers, and that contains
none of the demo personas' public credentials (``python -m assistant customers`` prints them,
so any such account is open to everyone). The clock and session-secret rules are checked
when the settings are read (``assistant.settings``).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.engine import make_url

from assistant.settings import ConfigError, Settings

MIGRATE = "python -m assistant db migrate"


class ProfileError(ConfigError):
    """The production profile refuses to start; the message says why and what to run."""


def describe_database(url: str) -> str:
    """The database a URL points at, without its password (for messages)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite database {parsed.database}"
    return f"PostgreSQL database {parsed.render_as_string(hide_password=True)}"


def check_production_database(settings: Settings, engine: Engine) -> None:
    """Refuse a missing, empty, unmigrated or demo-seeded database (ProfileError)."""
    url = settings.resolved_database_url()
    where = describe_database(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise ProfileError(
            f"{where} does not exist. TELCO_PROFILE=production never creates or seeds a "
            f"database: create the schema with `{MIGRATE}` and load your customers, or set "
            "TELCO_DATABASE_URL to your database."
        )
    from assistant.records.seed import is_seeded

    if not inspect(engine).has_table("alembic_version") or not is_seeded(engine):
        raise ProfileError(
            f"{where} has no customers (empty or without the schema). TELCO_PROFILE=production "
            f"never seeds demo data: run `{MIGRATE}` and load your customers first."
        )
    _require_head(engine, where)
    _refuse_demo_credentials(engine, where)


def _require_head(engine: Engine, where: str) -> None:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from assistant.records.db import _alembic_config

    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        head = ScriptDirectory.from_config(_alembic_config(connection)).get_current_head()
    if current != head:
        raise ProfileError(
            f"{where} is at schema revision {current}, the code needs {head}: run `{MIGRATE}`."
        )


def _refuse_demo_credentials(engine: Engine, where: str) -> None:
    from assistant.records.models import Customer
    from assistant.records.seed.personas import personas

    emails = {spec.email for spec in personas()}
    hashes = {spec.password_hash for spec in personas() if spec.password_hash}
    with engine.connect() as connection:
        rows = connection.execute(
            select(Customer.id).where(
                Customer.email.in_(emails) | Customer.password_hash.in_(hashes)
            )
        ).all()
    if rows:
        ids = ", ".join(sorted(r[0] for r in rows))
        raise ProfileError(
            f"{where} holds demo accounts whose passwords are public ({ids}). "
            "TELCO_PROFILE=production refuses to start with demo credentials present: remove "
            "those customers or use a database without the demo seed."
        )
