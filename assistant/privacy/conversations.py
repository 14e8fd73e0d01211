"""The conversation registry: who owns each conversation, checked on every resume.

A conversation (a LangGraph thread) is registered with its owner, a customer id or ``None`` for
a guest, the first time it is opened. Opening it again with another owner raises
``ConversationNotYours``: another customer's id, or a guest holding a customer's session id,
gets nothing of it. A thread that has checkpoints but no registry row (its owner is unknown)
is refused the same way. Rows live in the records database, so every worker process agrees.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import IntegrityError

from assistant.errors import ConversationNotYours
from assistant.records.db import unit_of_work
from assistant.records.models import Conversation

#: A resume refreshes ``last_active_at`` at most this often (one small write, not one a turn).
TOUCH_EVERY = timedelta(seconds=60)


def wall_clock() -> datetime:
    """The real time: session expiry and retention are about elapsed time, never the demo's."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ConversationRow:
    """One registered conversation, as read back."""

    session_id: str
    owner: str | None
    channel: str
    process: str
    started_at: datetime
    last_active_at: datetime
    closed_at: datetime | None


def _row(c: Conversation) -> ConversationRow:
    return ConversationRow(
        c.session_id, c.owner, c.channel, c.process, c.started_at, c.last_active_at, c.closed_at
    )


def _who(owner: str | None) -> str:
    return f"customer {owner}" if owner else "a guest"


class Registry:
    """Conversation owners in the records database."""

    def __init__(
        self, engine: Engine, process: str, clock: Callable[[], datetime] = wall_clock
    ) -> None:
        self.engine = engine
        self.process = process
        self.clock = clock

    def claim(
        self, session_id: str, owner: str | None, channel: str, has_state: Callable[[str], bool]
    ) -> None:
        """Register a new conversation for ``owner``, or check ``owner`` may resume it.

        ``has_state`` tells whether the checkpointer holds anything for the thread: such a
        thread with no registry row has no known owner and is refused.
        """
        now = self.clock()
        for _attempt in range(2):  # a concurrent first claim of the same id: read it back
            try:
                with unit_of_work(self.engine, write=True) as s:
                    row = s.get(Conversation, session_id)
                    if row is None:
                        if has_state(session_id):
                            raise ConversationNotYours(
                                f"conversation {session_id[:8]}… has no recorded owner; "
                                "start a new conversation"
                            )
                        s.add(
                            Conversation(
                                session_id=session_id,
                                owner=owner,
                                channel=channel,
                                process=self.process,
                                started_at=now,
                                last_active_at=now,
                                closed_at=None,
                            )
                        )
                        return
                    if row.owner != owner:
                        raise ConversationNotYours(
                            f"conversation {session_id[:8]}… belongs to another "
                            f"{'customer' if row.owner else 'visitor'}; {_who(owner)} cannot "
                            "resume it. Sign in as its owner or start a new conversation"
                        )
                    row.last_active_at, row.closed_at, row.process = now, None, self.process
                    return
            except IntegrityError:
                continue
        raise ConversationNotYours(f"conversation {session_id[:8]}… could not be claimed")

    def touch(self, session_id: str, last: datetime | None) -> datetime:
        """Record activity (at most once per ``TOUCH_EVERY``); returns the time recorded."""
        now = self.clock()
        if last is not None and now - last < TOUCH_EVERY:
            return last
        with unit_of_work(self.engine, write=True) as s:
            row = s.get(Conversation, session_id)
            if row is not None:
                row.last_active_at = now
        return now

    def get(self, session_id: str) -> ConversationRow | None:
        """The registered conversation, or None."""
        with unit_of_work(self.engine, write=False) as s:
            row = s.get(Conversation, session_id)
            return _row(row) if row is not None else None

    def mark_closed(self, session_id: str) -> None:
        """The conversation ended and is kept (transcript retention consent)."""
        with unit_of_work(self.engine, write=True) as s:
            row = s.get(Conversation, session_id)
            if row is not None:
                row.closed_at = self.clock()

    def forget(self, session_ids: list[str]) -> None:
        """Drop the rows of deleted conversations."""
        if session_ids:
            with unit_of_work(self.engine, write=True) as s:
                s.execute(delete(Conversation).where(Conversation.session_id.in_(session_ids)))

    def select(self, **where: Any) -> list[ConversationRow]:
        """Rows matching simple equality filters (``owner=...``, ``process=...``)."""
        query = select(Conversation).order_by(Conversation.started_at)
        for column, value in where.items():
            query = query.where(getattr(Conversation, column) == value)
        with unit_of_work(self.engine, write=False) as s:
            return [_row(c) for c in s.scalars(query)]
