"""Read one turn out of the agent's state: reply text, tool calls, pending pause.

The text's citations are read by ``assistant.citations``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, AnyMessage, ToolMessage

from assistant.replies import (
    Pending,
    PendingConfirmation,
    PendingConsent,
    ToolCallRecord,
    ToolOutcome,
)


def outcome_of(message: ToolMessage) -> ToolOutcome:
    """How a tool call ended: ok, error, refused (by the guard) or cancelled (by the customer)."""
    artifact = message.artifact if isinstance(message.artifact, dict) else {}
    if artifact.get("status") == "cancelled":
        return "cancelled"
    if artifact.get("error") == "refused":
        return "refused"
    if message.status == "error" or "error" in artifact:
        return "error"
    return "ok"


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
            records.append(
                ToolCallRecord(
                    name=call["name"],
                    args=dict(call.get("args") or {}),
                    outcome=outcome_of(done) if done else "pending",
                    result=done.artifact if done else None,
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
        value = intr.value if hasattr(intr, "value") else intr
        if not isinstance(value, dict):
            continue
        if value.get("type") == "consent":
            return PendingConsent(
                purpose=value["purpose"],
                title=value["title"],
                notice=value["notice"],
                version=value["version"],
                interrupt_id=getattr(intr, "id", ""),
            )
        if value.get("type") == "confirmation":
            return PendingConfirmation(
                action=value["action"],
                quote_id=value["quote_id"],
                quote=value["quote"],
                interrupt_id=getattr(intr, "id", ""),
            )
    return None
