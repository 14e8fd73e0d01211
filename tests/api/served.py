"""The app real-uvicorn tests serve (`python -m assistant serve --factory tests.api.served:app`).

Settings come from the environment, as in production. The chat model is ``PolicyModel``: a
stateless test model whose next step depends only on the messages it is shown (what a real
model sees), so any worker process can play any step of a conversation. The index is the
Chroma server's when ``TELCO_CHROMA_HOST`` is set (built there with hash embeddings by the
test), else a one-passage fake.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from tests.scripted import call

PLAN = "GB-UNLIMITED-MAX"


class PolicyModel(BaseChatModel):
    """Switch requests quote then change the plan; anything else searches and cites [1]."""

    @property
    def _llm_type(self) -> str:
        return "policy"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> PolicyModel:
        """Tools are irrelevant to a policy."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.step(messages))])

    @staticmethod
    def step(messages: list[BaseMessage]) -> AIMessage:
        """The next step for this conversation."""
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
    bot = Assistant(settings, model=PolicyModel(), knowledge=knowledge, auto_setup=False)
    return create_app(bot, settings, close_on_shutdown=True)
