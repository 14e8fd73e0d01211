"""Through the SDK with a scripted model: a reply's citations are numbered 1..n as they first
appear, whatever numbers the model wrote, in ``ask`` and in ``stream``."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.messages import AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGenerationChunk

from assistant.settings import Settings
from tests.scripted import ScriptedModel, call, say


class ShelfKnowledge:
    """Four passages for any query, named after the query so two searches differ."""

    embeddings = None

    def search(self, query: str, **filters: object) -> Any:
        passages = [
            SimpleNamespace(
                doc_id=f"{query}-{n}", title=f"{query} {n}", section="S",
                section_id=f"{query}-{n}#s", version=1, language="en",
                # The answers below quote "£2": the reply verifier lets a number through
                # only when a cited passage has it.
                snippet=f"{query} snippet {n}", text=f"{query} text {n}: a pass costs £2",
            )
            for n in range(1, 5)
        ]  # fmt: skip
        return SimpleNamespace(answerable=True, confidence=0.9, passages=passages)


class StreamingScript(ScriptedModel):
    """The scripted model, its text streamed three characters at a time like an LLM."""

    def _stream(
        self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        message = self._generate(messages, stop, run_manager, **kwargs).generations[0].message
        if message.tool_calls:
            chunks = [
                {"name": c["name"], "args": json.dumps(c["args"]), "id": c["id"], "index": 0,
                 "type": "tool_call_chunk"}
                for c in message.tool_calls
            ]  # fmt: skip
            yield ChatGenerationChunk(
                message=AIMessageChunk(content="", id="run-call", tool_call_chunks=chunks)
            )
            return
        text = str(message.content)
        for i in range(0, len(text), 3):
            piece = AIMessageChunk(content=text[i : i + 3], id="run-text")
            yield ChatGenerationChunk(message=piece)


@pytest.fixture()
def build(settings: Settings) -> Iterator[Any]:
    from assistant.sdk import Assistant

    built = []

    def factory(model: ScriptedModel) -> Any:
        bot = Assistant(settings, model=model, knowledge=ShelfKnowledge(), auto_setup=False)
        built.append(bot)
        return bot

    yield factory
    for bot in built:
        bot.close()


ANSWER = "Roaming is free [3]. A pass costs £2 [4][3]. Not a source [7] [sic]. See [1]."


def test_ask_renumbers_the_models_markers_and_citations(build) -> None:
    model = ScriptedModel(steps=[call("search_knowledge", query="roaming"), say(ANSWER)])
    reply = build(model).session().ask("is roaming free?")
    model.assert_consumed()
    body = reply.text.split("\n\n", 1)[1]  # after the AI disclosure
    assert body == "Roaming is free [1]. A pass costs £2 [2][1]. Not a source [sic]. See [3]."
    assert [(c.number, c.passage, c.doc_id) for c in reply.citations] == [
        (1, 3, "roaming-3"), (2, 4, "roaming-4"), (3, 1, "roaming-1"),
    ]


def test_two_searches_in_one_turn_cite_the_later_numbering(build) -> None:
    model = ScriptedModel(steps=[
        call("search_knowledge", "c1", query="first"),
        call("search_knowledge", "c2", query="second"),
        say("Second search [2], and [4] again."),
    ])  # fmt: skip
    reply = build(model).session().ask("compare")
    model.assert_consumed()
    assert reply.text.endswith("Second search [1], and [2] again.")
    assert [c.doc_id for c in reply.citations] == ["second-2", "second-4"]


def test_a_follow_up_without_a_search_cites_nothing(build) -> None:
    model = ScriptedModel(steps=[
        call("search_knowledge", query="roaming"), say("Free [2]."), say("As I said [2]."),
    ])  # fmt: skip
    session = build(model).session()
    assert [c.number for c in session.ask("roaming?").citations] == [1]
    again = session.ask("sure?")
    assert (again.text, again.citations) == ("As I said [2].", [])


def test_stream_renumbers_as_it_goes_and_matches_last_reply(build) -> None:
    model = StreamingScript(steps=[call("search_knowledge", query="roaming"), say(ANSWER)])
    session = build(model).session()
    pieces = list(session.stream("is roaming free?"))
    model.assert_consumed()
    reply = session.last_reply
    assert reply is not None and "".join(pieces) == reply.text
    assert len(pieces) > 10  # it really streamed, not re-sent the reply at the end
    assert not any(re.search(r"\[[47]\]", p) for p in pieces)  # the old numbers
    assert [c.passage for c in reply.citations] == [3, 4, 1]
