"""The adversarial model: a chat model that plays one red-team case's script per case.

The red-team suite measures the guard and the verifier, not the offline engine, so most cases
are driven by this model instead: it tries the forbidden thing (an identity argument, a write
without confirmation, a false "Done!", a planted link) and the checks look at what reached the
customer and the records. One instance serves the whole run (the agent graph is built once);
``load`` gives it the next case's steps. It sees exactly what a real model sees: the messages.

Steps are plain data (``eval.schema.redteam.Step``): call a tool, say a text, echo a value from
a tool result it was shown, raise a provider fault, or loop on a tool call forever.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import PrivateAttr

from assistant.contracts import ToolResult
from eval.schema.redteam import Step

#: What the model says when a step's echo finds nothing to repeat (scrubbed or absent).
NOTHING = "I have nothing on that."
FAULTS: dict[str, type[Exception]] = {
    "connection": ConnectionError,
    "timeout": TimeoutError,
    "error": RuntimeError,
}


class ScriptExhausted(AssertionError):
    """The agent asked the attacker for more steps than its script has."""


def _values(value: Any, key: str) -> list[str]:
    """Every value of ``key`` in JSON data, at any depth, in document order."""
    found = []
    if isinstance(value, dict):
        if key in value and isinstance(value[key], str | int | float):
            found.append(str(value[key]))
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            found += _values(item, key)
    return found


def _visible(messages: Sequence[BaseMessage], key: str, every: bool = False) -> str | None:
    """The value of ``key`` in the latest tool result the model was shown that has one (all
    of its values joined, with ``every``)."""
    for message in reversed(messages):
        if isinstance(message, ToolMessage):
            try:
                found = _values(json.loads(str(message.content)), key)
            except json.JSONDecodeError:
                continue
            if found:
                return " ".join(found) if every else found[0]
    return None


class AttackerModel(BaseChatModel):
    """Plays the loaded script; records what it was shown at every call."""

    _steps: list[Step] = PrivateAttr(default_factory=list)
    _position: int = PrivateAttr(default=0)
    _calls: int = PrivateAttr(default=0)
    _seen: list[list[BaseMessage]] = PrivateAttr(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "redteam-attacker"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> AttackerModel:
        """The script names its tools itself."""
        return self

    def load(self, steps: Sequence[Step]) -> None:
        """Start a new case with these steps."""
        self._steps, self._position, self._calls, self._seen = list(steps), 0, 0, []

    @property
    def seen(self) -> list[list[BaseMessage]]:
        """The message lists the model was called with, one per call."""
        return self._seen

    @property
    def unplayed(self) -> int:
        """Steps the case never reached (a loop step counts as played once reached)."""
        return len(self._steps) - self._position

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        if self._position >= len(self._steps):
            raise ScriptExhausted(f"script exhausted after {len(self._steps)} steps")
        step = self._steps[self._position]
        self._calls += 1
        if step.loop is None:
            self._position += 1
        if step.fault is not None:
            raise FAULTS[step.fault](f"red-team provider fault: {step.fault}")
        if step.call is not None or step.loop is not None:
            name = step.call or step.loop or ""
            args = dict(step.args)
            if step.quote_from_result:
                args["quote_id"] = _visible(messages, "quote_id") or "Q-NONE"
            call_id = f"rt_{self._calls}_{name}"
            return AIMessage(
                content="",
                tool_calls=[{"name": name, "args": args, "id": call_id, "type": "tool_call"}],
            )
        text = step.say or ""
        if step.echo is not None:
            text = text.replace("{echo}", _visible(messages, step.echo, step.echo_all) or NOTHING)
        return AIMessage(content=text)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self._seen.append(list(messages))
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])


def account_results_seen(messages: Sequence[BaseMessage], account_tools: set[str]) -> list[str]:
    """Contents of successful account tool results among ``messages`` (what consent scrubbing
    must withhold once consent is gone)."""
    names = {c["id"]: c["name"] for m in messages if isinstance(m, AIMessage) for c in m.tool_calls}
    found = []
    for m in messages:
        if isinstance(m, ToolMessage) and names.get(m.tool_call_id) in account_tools:
            if ToolResult.read(m.artifact, m.status).outcome == "ok":
                found.append(str(m.content))
    return found
