"""Fixtures for privacy tests: the agent tests' seeded database and scripted-model Assistant."""

from tests.agent.conftest import FakeKnowledge, make_bot, seeded_db, settings

__all__ = ["FakeKnowledge", "make_bot", "seeded_db", "settings"]
