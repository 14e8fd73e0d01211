"""Read one turn out of the agent's state: reply text, tool calls, pending pause.

The text's citations are read by ``assistant.citations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from assistant.contracts import ConsentPause, ToolResult, read_pause
from assistant.replies import (
    Pending,
    PendingConfirmation,
    PendingConsent,
    ToolCallRecord,
    ToolOutcome,
)


def envelope_of(message: ToolMessage) -> ToolResult:
    """The typed result a tool message carries."""
    return ToolResult.read(message.artifact, message.status)


def outcome_of(message: ToolMessage) -> ToolOutcome:
    """How a tool call ended: ok, error, refused (by the guard) or cancelled (by the customer)."""
    return envelope_of(message).outcome


def tool_calls_of(turn: Sequence[AnyMessage]) -> list[ToolCallRecord]:
    """Every tool call in the turn with its outcome; calls still waiting are 'pending'."""
    results: dict[str | None, ToolMessage] = {
        m.tool_call_id: m for m in turn if isinstance(m, ToolMessage)
    }
    records = []
    for message in turn:
        if not isinstance(message, AIMessage):
            continue
        for call in message.tool_calls:
            done = results.get(call["id"])
            envelope = envelope_of(done) if done else None
            records.append(
                ToolCallRecord(
                    name=call["name"],
                    args=dict(call.get("args") or {}),
                    outcome=envelope.outcome if envelope else "pending",
                    result=envelope.data if envelope else None,
                    code=envelope.code if envelope else None,
                )
            )
    return records


def final_text(turn: Sequence[AnyMessage]) -> str:
    """The last AI text of the turn (empty when the turn ended on a pause)."""
    for message in reversed(turn):
        if isinstance(message, AIMessage) and not message.tool_calls:
            return message.text if hasattr(message, "text") else str(message.content)
    return ""


def pending_of(interrupts: Sequence[Any]) -> Pending | None:
    """The first pause waiting for the human, as a typed pending item."""
    for intr in interrupts:
        pause = read_pause(intr.value if hasattr(intr, "value") else intr)
        if pause is None:
            continue
        interrupt_id = getattr(intr, "id", "")
        if isinstance(pause, ConsentPause):
            return PendingConsent(
                purpose=pause.purpose,
                title=pause.title,
                notice=pause.notice,
                version=pause.version,
                interrupt_id=interrupt_id,
            )
        return PendingConfirmation(
            action=pause.action,
            quote_id=pause.quote_id,
            quote=pause.quote,
            interrupt_id=interrupt_id,
        )
    return None
