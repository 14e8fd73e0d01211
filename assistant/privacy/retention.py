"""Retention as the privacy notice promises it, enforced on the conversation store.

* Without "transcript retention" consent a conversation is deleted when it ends: closed by
  the SDK, signed out, timed out or evicted in the UI, or left open by a process that stopped
  (the next process deletes it once it has been idle ``session_idle_minutes``).
* With that consent it is kept for ``transcript_retention_days`` (the notice says 90) after it
  ended, then deleted by ``purge`` (``python -m assistant privacy purge``; the SDK also purges
  when an Assistant starts).
* Withdrawing that consent deletes the customer's kept conversations at once; the open one
  is deleted when it ends, like any conversation without the consent.

Deleting goes through ``storage.erase_threads`` (SQLite ``secure_delete`` plus a WAL
checkpoint), so a deleted transcript cannot be read back from the files.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from langgraph.checkpoint.base import BaseCheckpointSaver

from assistant.privacy.conversations import ConversationRow, Registry, wall_clock
from assistant.privacy.redacted_checkpoints import redact_checkpoints
from assistant.privacy.storage import erase_threads, thread_ids

if TYPE_CHECKING:
    from assistant.records.api import Records
    from assistant.settings import Settings

log = logging.getLogger("assistant.privacy")

RETENTION_PURPOSE = "transcript_retention"


@dataclass
class PurgeReport:
    """What a purge deleted, by reason (counts of conversations)."""

    expired: int = 0
    """Kept with consent, past the retention period."""
    abandoned: int = 0
    """Never closed, idle past the session timeout, no retention consent."""
    orphans: int = 0
    """Checkpoints with no registered owner."""
    kept: list[str] = field(default_factory=list)
    """Abandoned conversations kept under consent (now counted as closed)."""

    @property
    def deleted(self) -> int:
        """Every conversation deleted."""
        return self.expired + self.abandoned + self.orphans


class Privacy:
    """Ownership and retention of one Assistant's conversations."""

    def __init__(
        self,
        records: Records,
        saver: BaseCheckpointSaver,
        settings: Settings,
        *,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        self.records = records
        self.saver = saver
        self.registry = Registry(records.engine, uuid.uuid4().hex, clock)
        self.clock = clock
        self.idle = timedelta(minutes=settings.session_idle_minutes)
        self.keep_for = timedelta(days=settings.transcript_retention_days)

    @classmethod
    def start(
        cls, records: Records, saver: BaseCheckpointSaver, settings: Settings, stack: ExitStack
    ) -> Privacy:
        """Set up for an Assistant: redact the checkpointer, listen for withdrawals, purge
        what is due now, and end this process's open conversations when ``stack`` closes."""
        redact_checkpoints(saver)
        privacy = cls(records, saver, settings)
        records.withdrawal_listeners.append(privacy.on_withdrawal)
        stack.callback(privacy.stop)
        privacy.purge()
        return privacy

    def stop(self) -> None:
        """Stop listening and end this process's open conversations (logged, never raised:
        an Assistant must be able to close even when the store has gone)."""
        if self.on_withdrawal in self.records.withdrawal_listeners:
            self.records.withdrawal_listeners.remove(self.on_withdrawal)
        try:
            self.shutdown()
        except Exception as exc:
            log.error(
                "privacy_shutdown_failed",
                extra={"error_type": type(exc).__name__, "detail": str(exc)[:300]},
            )

    # -- ownership ----------------------------------------------------------------------------

    def has_state(self, session_id: str) -> bool:
        """True when the checkpointer holds anything for ``session_id``."""
        return self.saver.get_tuple({"configurable": {"thread_id": session_id}}) is not None

    def claim(self, session_id: str, owner: str | None, channel: str) -> None:
        """Open or resume ``session_id`` for ``owner`` (ConversationNotYours otherwise)."""
        self.registry.claim(session_id, owner, channel, self.has_state)

    def touch(self, session_id: str, last: datetime | None) -> datetime:
        """Record activity on a conversation (see ``Registry.touch``)."""
        return self.registry.touch(session_id, last)

    # -- the end of a conversation ---------------------------------------------------------

    def retained(self, owner: str | None) -> bool:
        """True when ``owner`` (a customer) has standing transcript retention consent."""
        return owner is not None and self.records.has_consent(owner, RETENTION_PURPOSE)

    def close(self, session_id: str) -> bool:
        """End a conversation: kept under retention consent, else deleted. True if kept."""
        row = self.registry.get(session_id)
        owner = row.owner if row else None
        if row is not None and self.retained(owner):
            self.registry.mark_closed(session_id)
            return True
        self._erase([session_id])
        return False

    def on_withdrawal(self, customer_id: str, purpose: str) -> None:
        """Records listener: retention withdrawn → the customer's kept conversations go now."""
        if purpose != RETENTION_PURPOSE:
            return
        ended = [
            r.session_id for r in self.registry.select(owner=customer_id) if r.closed_at is not None
        ]
        self._erase(ended)
        log.info("retention_withdrawn_deleted", extra={"conversations": len(ended)})

    def shutdown(self) -> None:
        """The Assistant is closing: its open conversations end now (kept only with consent)."""
        for row in self.registry.select(process=self.registry.process, closed_at=None):
            self.close(row.session_id)

    # -- purge -----------------------------------------------------------------------------

    def purge(self) -> PurgeReport:
        """Delete what the notice says must go: expired, abandoned and ownerless transcripts."""
        now = self.clock()
        report = PurgeReport()
        expired, abandoned = [], []
        for row in self.registry.select():
            if row.closed_at is not None:
                if now - row.closed_at > self.keep_for:
                    expired.append(row.session_id)
            elif self._abandoned(row, now):
                if self.retained(row.owner):
                    self.registry.mark_closed(row.session_id)
                    report.kept.append(row.session_id)
                else:
                    abandoned.append(row.session_id)
        registered = {r.session_id for r in self.registry.select()}
        orphans = [t for t in thread_ids(self.saver) if t not in registered]
        self._erase(expired + abandoned + orphans)
        report.expired, report.abandoned, report.orphans = (
            len(expired),
            len(abandoned),
            len(orphans),
        )
        if report.deleted:
            log.info(
                "privacy_purge",
                extra={
                    "expired": report.expired,
                    "abandoned": report.abandoned,
                    "orphans": report.orphans,
                },
            )
        return report

    def _abandoned(self, row: ConversationRow, now: datetime) -> bool:
        # Another process's conversation may still be live (several workers share the
        # database); idle past the session timeout it has ended either way.
        return row.process != self.registry.process and now - row.last_active_at > self.idle

    def _erase(self, session_ids: list[str]) -> None:
        if not session_ids:
            return
        erase_threads(self.saver, session_ids)
        self.registry.forget(session_ids)
