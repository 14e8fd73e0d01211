"""Keep what the model is sent within a token budget, measured with tiktoken.

History is cut from the oldest end, whole turns at a time, so a tool call is never separated
from its result. The current turn is always kept; an oversized tool result (a long retrieved
context) is shortened instead. The checkpointed history itself is not modified.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain.agents import AgentState
from langchain.agents.middleware import AgentMiddleware, ModelRequest, ModelResponse
from langchain_core.messages import AnyMessage, HumanMessage, ToolMessage

from assistant.tokens import count_tokens, encoding

#: Rough per-message overhead of the chat format.
_PER_MESSAGE = 4


def message_tokens(message: AnyMessage) -> int:
    """Tokens a message costs: its text, its tool calls' arguments, and format overhead."""
    text = message.content if isinstance(message.content, str) else str(message.content)
    calls = getattr(message, "tool_calls", None) or []
    return count_tokens(text) + sum(count_tokens(str(c.get("args"))) for c in calls) + _PER_MESSAGE


def _shorten(message: ToolMessage, limit: int) -> ToolMessage:
    tokens = encoding().encode(str(message.content), disallowed_special=())
    if len(tokens) <= limit:
        return message
    clipped = encoding().decode(tokens[:limit]) + " …[truncated to fit the context budget]"
    return message.model_copy(update={"content": clipped})


def fit_to_budget(messages: Sequence[AnyMessage], budget: int) -> list[AnyMessage]:
    """Return the newest whole turns of ``messages`` that fit in ``budget`` tokens."""
    turn_starts = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)] or [0]
    current = turn_starts[-1]
    # The current turn always goes; its tool results share at most the whole budget.
    kept = [
        _shorten(m, budget // 2) if isinstance(m, ToolMessage) else m for m in messages[current:]
    ]
    used = sum(message_tokens(m) for m in kept)
    starts = [0, *turn_starts] if turn_starts[0] != 0 else turn_starts
    bounds = list(zip(starts, [*starts[1:], len(messages)], strict=True))
    for start, end in reversed(bounds):
        if start >= current:
            continue
        turn = list(messages[start:end])
        cost = sum(message_tokens(m) for m in turn)
        if used + cost > budget:
            break
        kept = turn + kept
        used += cost
    return kept


class TokenBudgetMiddleware(AgentMiddleware[AgentState[Any], Any]):
    """Trims history and retrieved context sent to the model to ``budget`` tokens."""

    def __init__(self, budget: int, system_prompt_tokens: int = 0) -> None:
        super().__init__()
        self.budget = budget
        self.system_prompt_tokens = system_prompt_tokens

    def wrap_model_call(
        self, request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
    ) -> ModelResponse:
        """Send the model only the newest turns that fit the budget."""
        room = max(self.budget - self.system_prompt_tokens, self.budget // 4)
        return handler(request.override(messages=fit_to_budget(request.messages, room)))
