"""The app real-uvicorn tests serve (`python -m assistant serve --factory tests.api.served:app`).

Settings come from the environment, as in production. The chat model plays ``policy``: a step
that depends only on the messages it is shown (what a real model sees), so any worker process
can play any step of a conversation. The index is the Chroma server's when
``TELCO_CHROMA_HOST`` is set (built there with hash embeddings by the test), else a one-passage
fake.
"""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from tests.scripted import ScriptedModel, call

PLAN = "GB-UNLIMITED-MAX"
#: More model steps than any test's worker plays.
MAX_STEPS = 1000


def policy(messages: list[BaseMessage]) -> AIMessage:
    """The next step: a switch request quotes then changes; anything else searches, cites [1]."""
    last = messages[-1]
    if isinstance(last, HumanMessage):
        if "switch" in last.text.lower():
            return call("quote_plan_change", plan_id=PLAN)
        return call("search_knowledge", query=last.text)
    if isinstance(last, ToolMessage):
        payload = json.loads(last.content) if str(last.content).startswith("{") else {}
        if last.name == "quote_plan_change" and "quote_id" in payload:
            return call("change_plan", quote_id=payload["quote_id"])
        if last.name == "change_plan":
            return AIMessage(content=f"Done: {payload.get('reference', 'not changed')}.")
        if last.name == "search_knowledge":
            return AIMessage(content="Roaming in the EU is included in your plan [1].")
    return AIMessage(content="Sorry, I can't help with that.")


def policy_model() -> ScriptedModel:
    """A scripted model whose every step is ``policy``: any worker can play any step."""
    return ScriptedModel(steps=[policy] * MAX_STEPS)


def app() -> Any:
    """The uvicorn factory."""
    from assistant.api import create_app
    from assistant.sdk import Assistant
    from assistant.settings import get_settings
    from knowledge.embeddings import HashEmbeddings
    from knowledge.retrieval import KnowledgeBase
    from tests.agent.conftest import FakeKnowledge

    settings = get_settings()
    knowledge: Any = FakeKnowledge()
    if settings.chroma_host:
        knowledge = KnowledgeBase.open(settings, embeddings=HashEmbeddings())
    bot = Assistant(settings, model=policy_model(), knowledge=knowledge, auto_setup=False)
    return create_app(bot, settings, close_on_shutdown=True)
