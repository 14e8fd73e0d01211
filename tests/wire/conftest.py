"""Reuse the agent tests' seeded database fixtures."""

from tests.agent.conftest import seeded_db, settings  # noqa: F401 - fixtures
