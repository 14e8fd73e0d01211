"""A scripted chat model for tests where the model is not what is under test.

It plays fixed steps (each an AIMessage: text or tool calls, or a function of the messages
that returns one, for a step that must quote an id a tool produced) and the test asserts it
was fully consumed, so a test cannot pass by stopping early.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr


def say(text: str) -> AIMessage:
    """A final text step."""
    return AIMessage(content=text)


def call(name: str, call_id: str = "", **args: Any) -> AIMessage:
    """A step that calls one tool."""
    return AIMessage(
        content="",
        tool_calls=[
            {"name": name, "args": args, "id": call_id or f"call_{name}", "type": "tool_call"}
        ],
    )


class ScriptedModel(BaseChatModel):
    """Returns the scripted steps in order; records every message list it was shown."""

    steps: list[Any]
    _position: int = PrivateAttr(default=0)
    _seen: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedModel:
        """Tools are irrelevant to a script."""
        return self

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self._position >= len(self.steps):
            raise AssertionError(f"script exhausted after {len(self.steps)} steps")
        self._seen.append(list(messages))
        step = self.steps[self._position]
        self._position += 1
        if callable(step):
            step = step(messages)
        return ChatResult(generations=[ChatGeneration(message=step)])

    @property
    def seen(self) -> list[list[BaseMessage]]:
        """The message lists the model was called with, one per step."""
        return self._seen

    def assert_consumed(self) -> None:
        """Fail unless every step was played."""
        assert self._position == len(self.steps), (
            f"only {self._position} of {len(self.steps)} scripted steps were played"
        )


def call_with_last_quote(name: str) -> Any:
    """A step calling ``name`` with the quote id from the latest tool result that has one."""
    import json

    from langchain_core.messages import ToolMessage

    def step(messages: list[BaseMessage]) -> AIMessage:
        for message in reversed(messages):
            if isinstance(message, ToolMessage) and "quote_id" in str(message.content):
                return call(name, quote_id=json.loads(message.content)["quote_id"])
        raise AssertionError("no quote in the conversation")

    return step
