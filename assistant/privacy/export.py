"""Subject-access export: everything stored about one customer, as one JSON document.

Consents (current state and every record), audit events, tickets and the conversations kept
for them (owner, dates and the stored, redacted messages). Nothing here writes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from langchain_core.messages import BaseMessage
from langgraph.checkpoint.base import BaseCheckpointSaver

from assistant.privacy.conversations import Registry

if TYPE_CHECKING:
    from assistant.records.api import Records


def _message(message: Any) -> dict[str, Any]:
    if isinstance(message, BaseMessage):
        item: dict[str, Any] = {"role": message.type, "content": message.content}
        calls = getattr(message, "tool_calls", None)
        if calls:
            item["tool_calls"] = [{"name": c["name"], "args": c["args"]} for c in calls]
        if message.type == "tool":
            item["tool"] = message.name
        return item
    return {"role": "unknown", "content": str(message)}


def conversation_messages(saver: BaseCheckpointSaver, session_id: str) -> list[dict[str, Any]]:
    """The stored messages of one conversation (empty when none are kept)."""
    found = saver.get_tuple({"configurable": {"thread_id": session_id, "checkpoint_ns": ""}})
    if found is None:
        return []
    return [_message(m) for m in found.checkpoint["channel_values"].get("messages", [])]


def export_customer(records: Records, saver: BaseCheckpointSaver, customer_id: str) -> dict:
    """One customer's data as JSON-ready dicts (NotFound for an unknown customer)."""
    customer = records.get_customer(customer_id.strip())
    registry = Registry(records.engine, process="export")
    conversations = [
        {
            "session_id": row.session_id,
            "channel": row.channel,
            "started_at": row.started_at,
            "last_active_at": row.last_active_at,
            "closed_at": row.closed_at,
            "messages": conversation_messages(saver, row.session_id),
        }
        for row in registry.select(owner=customer.id)
    ]
    return {
        "customer": customer.model_dump(),
        "consents": {k: v.model_dump() for k, v in records.consent_state(customer.id).items()},
        "consent_history": [r.model_dump() for r in records.consent_history(customer.id)],
        "audit_events": [e.model_dump() for e in records.audit_events(customer.id)],
        "tickets": [t.model_dump() for t in records.tickets_of(customer.id)],
        "conversations": conversations,
    }


def to_json(data: dict) -> str:
    """The export as indented JSON (dates as ISO-8601, amounts as strings)."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
