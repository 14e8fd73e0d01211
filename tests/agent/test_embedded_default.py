"""The embedded default as shipped: what MiniLM is asked to embed at start-up and per turn."""

from __future__ import annotations

import pytest

from assistant.engine.precomputed import FILE_NAME
from assistant.sdk import Assistant
from assistant.settings import Settings
from knowledge.embeddings import MiniLMEmbeddings
from tests.conftest import copy_built_data

pytestmark = pytest.mark.slow


def test_a_knowledge_turn_embeds_only_the_question(built_data_template, tmp_path, monkeypatch):
    data = copy_built_data(built_data_template, tmp_path / "data")
    assert (data / FILE_NAME).exists(), "set-up leaves the engine's vectors beside the index"
    seen: list[str] = []
    encode = MiniLMEmbeddings.encode

    def counting(self, texts):
        seen.extend(texts)
        return encode(self, texts)

    monkeypatch.setattr(MiniLMEmbeddings, "encode", counting)
    bot = Assistant(Settings(data_dir=data, _env_file=None))
    try:
        assert seen == [], "answer sentences come from the file; the intent model needs none"
        question = "Can I use my Plus 30GB allowance on the bus?"
        reply = bot.session().ask(question)
        assert reply.citations, reply.text
        # The question is embedded once (routing and retrieval share it); the sentences the
        # answer was picked from were all precomputed.
        assert seen == [question]
        seen.clear()
        # A query the engine extends for the search ("France" -> also "EU, EEA, Europe") is
        # embedded once more for retrieval, and only that: answer selection reuses it.
        question = "Can I use my Plus 30GB allowance when I travel to France?"
        reply = bot.session().ask(question)
        searched = [c.args["query"] for c in reply.tool_calls if c.name == "search_knowledge"]
        assert reply.citations, reply.text
        assert searched == [f"{question} (EU, EEA, Europe)"]
        assert seen == [question, searched[0]]
    finally:
        bot.close()
