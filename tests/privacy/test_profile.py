"""TELCO_PROFILE=production: no seed, no demo credentials, the system clock, a session secret."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.profile import ProfileError
from assistant.settings import DEMO_CLOCK, Settings

SECRET = "x" * 40


def _prod(tmp_path: Path, **kw) -> Settings:
    return Settings(
        data_dir=tmp_path, profile="production", session_secret=SECRET, _env_file=None, **kw
    )


def test_demo_is_the_default_and_production_uses_the_system_clock(tmp_path):
    assert Settings(_env_file=None).profile == "demo"
    assert Settings(data_dir=tmp_path, _env_file=None).now() == DEMO_CLOCK
    assert _prod(tmp_path).now() != DEMO_CLOCK
    with pytest.raises(ValidationError, match="TELCO_CLOCK='demo' is not allowed"):
        _prod(tmp_path, clock="demo")


def test_production_requires_a_session_secret(tmp_path):
    with pytest.raises(ValidationError, match="TELCO_SESSION_SECRET must be set"):
        Settings(data_dir=tmp_path, profile="production", _env_file=None)


def test_production_never_creates_or_seeds_a_database(tmp_path):
    from assistant.bootstrap import ensure_database

    settings = _prod(tmp_path)
    with pytest.raises(ProfileError, match=r"telco\.db does not exist.*db migrate"):
        ensure_database(settings)
    assert not (tmp_path / "telco.db").exists()
    from assistant.records.db import migrate

    migrate(settings.resolved_database_url())  # schema, but no customers
    with pytest.raises(ProfileError, match="has no customers.*never seeds"):
        ensure_database(settings)


def test_production_refuses_demo_credentials(tmp_path, seeded_db):
    from assistant.bootstrap import ensure_database

    (tmp_path / "telco.db").write_bytes(seeded_db.read_bytes())
    with pytest.raises(ProfileError, match="demo accounts whose passwords are public.*C-1001"):
        ensure_database(_prod(tmp_path))


def test_production_on_an_empty_postgres_is_an_error_not_a_seed():
    import os

    import sqlalchemy as sa

    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("set TEST_DATABASE_URL=postgresql+psycopg://... to run")
    schema = "profile_empty"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    from assistant.bootstrap import ensure_database

    sep = "&" if "?" in url else "?"
    settings = Settings(
        database_url=f"{url}{sep}options=-csearch_path%3D{schema}",
        profile="production",
        session_secret=SECRET,
        _env_file=None,
    )
    with pytest.raises(ProfileError, match="PostgreSQL database .* has no customers"):
        ensure_database(settings)
