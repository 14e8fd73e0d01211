"""Consent withdrawal scrubs: account results already in the conversation stop reaching the model.

Withdrawing 'account data' consent stops new account look-ups (the guard), but the bills, plans
and usage the model read earlier are still in the conversation. While consent does not stand,
this middleware shows the model every earlier account tool result as withheld - content *and*
structured artifact, so the offline engine's memory cannot personalise from it either. The
stored conversation is not changed (the retention rules decide what is kept); only what the
model is sent. If the customer allows account data again, the results are shown again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain.agents import AgentState
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from assistant.context import SessionContext
from assistant.services import Services
from assistant.tools.base import result
from assistant.tools.registry import TOOLS

ACCOUNT_PURPOSE = "account_data"
WITHHELD = {
    "error": "consent_withdrawn",
    "message": "Withheld: the customer withdrew permission to use their account data. Do not "
    "use or repeat anything from this earlier result.",
}

ANSWER_WITHHELD = "[Earlier answer withheld: it used account data the customer no longer allows.]"


def _account_call_ids(messages: Sequence[AnyMessage]) -> set[str]:
    ids = set()
    for message in messages:
        if isinstance(message, AIMessage):
            for tool_call in message.tool_calls:
                spec = TOOLS.get(tool_call["name"])
                # A revoke returns no account data; it stays, so the model knows it happened.
                if spec is not None and spec.scope == "account" and spec.effect != "revoke":
                    ids.add(str(tool_call["id"]))
    return ids


def withhold_account_results(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """``messages`` with every account tool result replaced by a 'withheld' result, and the
    answers written from them (the text replies of a turn that read account data) too."""
    ids = _account_call_ids(messages)
    content, artifact = result(WITHHELD, outcome="error", code="consent_withdrawn")
    scrubbed: list[AnyMessage] = []
    for message in messages:
        if isinstance(message, ToolMessage) and message.tool_call_id in ids:
            message = message.model_copy(update={"content": content, "artifact": artifact})
        scrubbed.append(message)
    # Answers of turns that read account data repeat it: withhold them as well.
    turns = [i for i, m in enumerate(scrubbed) if isinstance(m, HumanMessage)] + [len(scrubbed)]
    for start, end in zip(turns, turns[1:], strict=False):
        read = any(isinstance(m, ToolMessage) and m.tool_call_id in ids
                   for m in scrubbed[start:end])  # fmt: skip
        for i in range(start, end) if read else ():
            m = scrubbed[i]
            if isinstance(m, AIMessage) and not m.tool_calls and m.text:
                scrubbed[i] = m.model_copy(update={"content": ANSWER_WITHHELD})
    return scrubbed


class ConsentScrubMiddleware(AgentMiddleware[AgentState[Any], SessionContext]):
    """Withholds earlier account results from the model while account consent does not stand."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    def wrap_model_call(
        self,
        request: ModelRequest[SessionContext],
        handler: Callable[[ModelRequest[SessionContext]], ModelResponse[Any]],
    ) -> ModelResponse[Any]:
        """Send the model the conversation with withheld account results, if consent is gone."""
        context = request.runtime.context if request.runtime else None
        customer = getattr(context, "customer_id", None)
        if customer is None or self.services.records.has_consent(customer, ACCOUNT_PURPOSE):
            return handler(request)
        return handler(request.override(messages=withhold_account_results(request.messages)))
