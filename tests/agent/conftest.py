"""Fixtures for agent/SDK tests: a seeded temp database and an Assistant with a scripted model."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from langchain_core.messages import AIMessage

from assistant.settings import Settings
from tests.scripted import ScriptedModel


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One seeded SQLite file per test session; tests copy it so each starts fresh."""
    from assistant.bootstrap import ensure_database

    data = tmp_path_factory.mktemp("seed")
    ensure_database(Settings(data_dir=data, _env_file=None))
    return data / "telco.db"


@pytest.fixture()
def settings(tmp_path: Path, seeded_db: Path) -> Settings:
    """Settings on a fresh copy of the seeded database."""
    (tmp_path / "telco.db").write_bytes(seeded_db.read_bytes())
    return Settings(data_dir=tmp_path, model_max_retries=0, _env_file=None)


class FakeKnowledge:
    """A knowledge base that returns one fixed passage (retrieval is not under test here)."""

    embeddings = None

    def search(self, query: str, **filters: object):
        from types import SimpleNamespace

        passage = SimpleNamespace(
            doc_id="policy-roaming-gb",
            title="Roaming in the UK plans",
            section="Roaming in Europe",
            section_id="policy-roaming-gb#roaming-in-europe",
            version=1,
            language="en",
            snippet="Plus 30GB includes EU roaming.",
            text="Plus 30GB includes EU roaming at no extra cost.",
        )
        self.last_filters = filters
        return SimpleNamespace(answerable=True, confidence=0.9, passages=[passage])


@pytest.fixture()
def make_bot(
    settings: Settings,
) -> Iterator[Callable[[list[AIMessage]], tuple[object, ScriptedModel]]]:
    """Build an Assistant whose model plays the given script."""
    from assistant.sdk import Assistant

    built = []

    def factory(steps: list[AIMessage]):
        model = ScriptedModel(steps=steps)
        bot = Assistant(settings, model=model, knowledge=FakeKnowledge(), auto_setup=False)
        built.append(bot)
        return bot, model

    yield factory
    for bot in built:
        bot.close()
