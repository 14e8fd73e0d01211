"""Conversation checkpoints are redacted before they are written, whatever the store.

The checkpointer's serializer is the one door every checkpoint and pending write goes through
(SQLite, PostgreSQL and in-memory savers alike), so the redaction sits there: messages, tool
arguments and tool results are copied with phone numbers, card numbers, IBANs and e-mail
addresses replaced by placeholders. The turn in progress still works on the raw text in memory;
only what is kept is redacted, so a later turn sees ``[CARD]`` where the customer typed digits.
Ids are never touched (a tool call must still match its result), nor are pauses
(``Interrupt`` objects carry quotes and notices the records layer wrote, not customer text).
"""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from pydantic import BaseModel

from assistant.redaction import redact


def _is_id(key: Any) -> bool:
    return isinstance(key, str) and (key == "id" or key.endswith("_id") or key.endswith("_ids"))


def scrub(value: Any) -> Any:
    """A copy of ``value`` with PII redacted in every string except ids; other objects as is."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: v if _is_id(k) else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(item) for item in value)
    if isinstance(value, BaseModel):
        update = {
            name: scrub(getattr(value, name))
            for name in type(value).model_fields
            if not _is_id(name)
        }
        return value.model_copy(update=update)
    return value


class RedactingSerializer(SerializerProtocol):
    """Wraps a checkpoint serializer: redacts on the way in, reads back unchanged."""

    def __init__(self, inner: SerializerProtocol) -> None:
        self.inner = inner

    def dumps_typed(self, obj: Any) -> tuple[str, bytes]:
        """Serialize ``obj`` after redaction (only the channel values of a whole checkpoint:
        its versions and ids are bookkeeping, not conversation)."""
        if isinstance(obj, dict) and "channel_values" in obj:
            obj = {**obj, "channel_values": scrub(obj["channel_values"])}
        else:
            obj = scrub(obj)
        return self.inner.dumps_typed(obj)

    def loads_typed(self, data: tuple[str, bytes]) -> Any:
        """Deserialize as the wrapped serializer does."""
        return self.inner.loads_typed(data)


def redact_checkpoints(saver: BaseCheckpointSaver) -> BaseCheckpointSaver:
    """Make ``saver`` redact everything it stores (idempotent); returns it."""
    if not isinstance(saver.serde, RedactingSerializer):
        saver.serde = RedactingSerializer(saver.serde)
    return saver
