"""Alembic migrations of the system of record; applied by ``assistant.records.db.migrate``."""
