"""The one agent graph: LangChain v1 ``create_agent`` with the product's middleware.

The same graph runs with every provider; only the chat model differs.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from langchain.agents import AgentState, create_agent
from langchain.agents.middleware import (
    AgentMiddleware,
    ModelFallbackMiddleware,
    ModelRequest,
    ModelRetryMiddleware,
    dynamic_prompt,
)
from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph.state import CompiledStateGraph

from assistant.budget import TokenBudgetMiddleware
from assistant.context import SessionContext
from assistant.guard import GuardMiddleware
from assistant.scrub import ConsentScrubMiddleware
from assistant.services import Services
from assistant.session_note import SessionNote
from assistant.tokens import count_tokens
from assistant.tools import build_tools

#: The compiled agent; its runtime context is the session's ``SessionContext``.
AgentGraph = CompiledStateGraph[AgentState[Any], SessionContext, Any, Any]


def system_prompt() -> str:
    """The system prompt, shipped as package data."""
    return resources.files("assistant.prompts").joinpath("system.md").read_text("utf-8")


def session_prompt(prompt: str) -> AgentMiddleware[AgentState[Any], SessionContext]:
    """The system prompt with the session line appended for each model call."""

    def with_session(request: ModelRequest[SessionContext]) -> str:
        context = request.runtime.context
        note = SessionNote(context.signed_in, context.country, context.segment,
                           context.language)
        return f"{prompt}\n\n{note.render()}"

    return dynamic_prompt(with_session)


def build_agent(
    services: Services,
    model: BaseChatModel,
    checkpointer: BaseCheckpointSaver | None,
    *,
    fallback: BaseChatModel | None = None,
) -> AgentGraph:
    """Assemble the agent: tools, guard (identity/consent/confirmation), budget, retry, fallback."""
    settings = services.settings
    prompt = system_prompt()
    # The longest session line a prompt can carry, so the budget never undercounts.
    widest = SessionNote(False, "XX", "consumer", "es").render()
    middleware: list[AgentMiddleware[AgentState[Any], SessionContext]] = [
        GuardMiddleware(services),
        session_prompt(prompt),
        ConsentScrubMiddleware(services),
        TokenBudgetMiddleware(settings.token_budget,
                              system_prompt_tokens=count_tokens(f"{prompt}\n\n{widest}")),
    ]
    if fallback is not None:
        middleware.append(ModelFallbackMiddleware(fallback))
    if settings.model_max_retries > 0:
        middleware.append(
            ModelRetryMiddleware(
                max_retries=settings.model_max_retries,
                on_failure="error",
                initial_delay=0.2,
                backoff_factor=2.0,
                max_delay=5.0,
            )
        )
    return create_agent(
        model,
        tools=build_tools(services),
        system_prompt=prompt,
        middleware=middleware,
        context_schema=SessionContext,
        checkpointer=checkpointer,
        name="vela_assistant",
    )
