"""A private PostgreSQL schema for a test, on the server TEST_DATABASE_URL names."""

from __future__ import annotations

import os

import pytest


def fresh_schema_url(schema: str, needed_for: str) -> str:
    """TEST_DATABASE_URL scoped to ``schema``, dropped and created anew.

    Skips the test with a clear reason when TEST_DATABASE_URL is not a PostgreSQL URL or the
    server does not answer; ``needed_for`` says what the test would have shown.
    """
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip(f"{needed_for}: set TEST_DATABASE_URL=postgresql+psycopg://... to run")
    import sqlalchemy as sa

    admin = sa.create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL does not answer: {exc.orig}")
    finally:
        admin.dispose()
    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}"
