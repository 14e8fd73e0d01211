"""Who owns each conversation, and failed sign-ins: the bookkeeping behind privacy and access.

Both are kept in the system of record's database (SQLite or PostgreSQL), so every worker
process sees the same owners, the same retention state and the same sign-in lockouts.
Times here are wall-clock instants (never the demo clock): session expiry, retention periods
and lockouts are about real elapsed time.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base


class Conversation(Base):
    """One conversation (a LangGraph thread) and the customer it belongs to."""

    __tablename__ = "conversations"
    __table_args__ = (Index("ix_conversations_owner", "owner"),)

    session_id: Mapped[str] = mapped_column(String(64), primary_key=True, doc="Thread id.")
    owner: Mapped[str | None] = mapped_column(
        String(16), doc="Customer id, or None for a guest conversation."
    )
    channel: Mapped[str] = mapped_column(String(16), doc="sdk | ui | terminal | eval ...")
    process: Mapped[str] = mapped_column(String(32), doc="The Assistant instance that opened it.")
    started_at: Mapped[datetime] = mapped_column(doc="When it was opened.")
    last_active_at: Mapped[datetime] = mapped_column(doc="Last turn or resume.")
    closed_at: Mapped[datetime | None] = mapped_column(
        doc="When it was closed and kept under transcript retention consent; None while open."
    )


class SignInThrottle(Base):
    """Failed sign-ins per account (``account:<sha256 of e-mail>``) or client (``client:<ip>``)."""

    __tablename__ = "signin_throttle"

    key: Mapped[str] = mapped_column(String(80), primary_key=True, doc="Throttled key.")
    failures: Mapped[int] = mapped_column(Integer, doc="Failures since window_started_at.")
    window_started_at: Mapped[datetime] = mapped_column(doc="First failure of the window.")
    locked_until: Mapped[datetime | None] = mapped_column(doc="Refused until then, if locked.")
