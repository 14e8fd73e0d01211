"""Read the message list the agent sends into turns, tool steps and results.

A turn starts at a human message. Within it, every tool call the model made is paired with
its tool result (parsed from JSON; the structured ``artifact`` is preferred because the token
budget may clip the content). The engine is stateless: everything it remembers is re-read
from here on every call, so a resumed session behaves exactly like a live one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.contracts import ToolResult


def message_text(message: BaseMessage) -> str:
    """The plain text of a message whose content may be a list of content blocks."""
    content = message.content
    if isinstance(content, str):
        return content
    parts = []
    for block in content:
        if isinstance(block, str):
            parts.append(block)
        elif isinstance(block, dict) and block.get("type") == "text":
            parts.append(str(block.get("text", "")))
    return " ".join(parts)


def _parse_result(message: ToolMessage) -> Any:
    artifact = getattr(message, "artifact", None)
    if isinstance(artifact, dict | list):
        return ToolResult.read(artifact, message.status).data  # the envelope's payload
    text = message_text(message)
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {"raw": text}


@dataclass
class ToolStep:
    """One tool call the model made and the result it got back (None while pending)."""

    name: str
    args: dict[str, Any]
    call_id: str
    result: Any = None

    @property
    def error(self) -> str | None:
        """The error code of a refused call (``not_eligible``, ``consent_required``...)."""
        if isinstance(self.result, dict) and self.result.get("error"):
            return str(self.result["error"])
        return None

    @property
    def ok(self) -> bool:
        """True when the call returned a result that is not an error."""
        return self.result is not None and self.error is None


@dataclass
class Turn:
    """A human message, the tool steps taken for it, and the final answer (if given)."""

    user_text: str
    steps: list[ToolStep] = field(default_factory=list)
    answer: str = ""


@dataclass
class Conversation:
    """The whole conversation as turns; the last turn is the one being answered."""

    turns: list[Turn] = field(default_factory=list)

    @property
    def current(self) -> Turn | None:
        """The turn being answered, or None before the first human message."""
        return self.turns[-1] if self.turns else None

    @property
    def past(self) -> list[Turn]:
        """Every turn before the current one, oldest first."""
        return self.turns[:-1]


def read_conversation(messages: list[BaseMessage]) -> Conversation:
    """Group ``messages`` into turns with their tool steps."""
    convo = Conversation()
    by_id: dict[str, ToolStep] = {}
    for message in messages:
        if isinstance(message, SystemMessage):
            continue  # the session line is read from the raw messages (model._hints)
        elif isinstance(message, HumanMessage):
            convo.turns.append(Turn(user_text=message_text(message).strip()))
        elif not convo.turns:
            continue  # history clipped before its first human message: nothing to attach to
        elif isinstance(message, AIMessage):
            turn = convo.turns[-1]
            for call in message.tool_calls:
                step = ToolStep(call["name"], dict(call.get("args") or {}), str(call.get("id")))
                turn.steps.append(step)
                by_id[step.call_id] = step
            text = message_text(message).strip()
            if text and not message.tool_calls:
                turn.answer = text
        elif isinstance(message, ToolMessage):
            answered = by_id.get(message.tool_call_id)
            if answered is None:
                answered = ToolStep(message.name or "", {}, message.tool_call_id)
                convo.turns[-1].steps.append(answered)
            answered.result = _parse_result(message)
    return convo
