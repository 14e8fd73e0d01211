"""Append-only ledgers (consent, audit) and hand-off tickets.

Consent records and audit events are never updated or deleted: the ORM refuses it here, and the
migration adds database triggers that refuse it for any other client too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from assistant.errors import UsageError
from assistant.records.models.base import Base


class ConsentRecord(Base):
    """One grant or withdrawal; a purpose's current state is its latest record."""

    __tablename__ = "consent_records"
    __table_args__ = (
        CheckConstraint("action IN ('granted', 'withdrawn')", name="action"),
        Index("ix_consent_records_customer_purpose", "customer_id", "purpose", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, doc="Order of recording.")
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), doc="Whose consent.")
    purpose: Mapped[str] = mapped_column(String(32), doc="account_data | transcript_retention.")
    action: Mapped[str] = mapped_column(String(10), doc="granted | withdrawn.")
    notice_version: Mapped[str] = mapped_column(String(16), doc="Notice shown, e.g. AD-2026.09.")
    channel: Mapped[str] = mapped_column(String(16), doc="Where it was given: chat, web, app...")
    at: Mapped[datetime] = mapped_column(doc="When (clock time).")


class AuditEvent(Base):
    """Who did what, when. ``details`` holds ids and amounts, never raw PII."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_customer", "customer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, doc="Order of recording.")
    at: Mapped[datetime] = mapped_column(doc="When (clock time).")
    actor: Mapped[str] = mapped_column(String(32), doc="assistant | customer | agent | seed ...")
    action: Mapped[str] = mapped_column(String(48), doc="Dotted verb, e.g. plan_change.applied.")
    customer_id: Mapped[str | None] = mapped_column(String(16), doc="Customer concerned, if any.")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, doc="Ids and amounts; no PII.")


class Ticket(Base):
    """A hand-off to a human agent."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True, doc="Sequence number.")
    reference: Mapped[str | None] = mapped_column(
        String(16), unique=True, doc="TK-<n>; set in the same transaction as the insert."
    )
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id"), index=True, doc="None for a guest."
    )
    topic: Mapped[str] = mapped_column(String(60), doc="Short topic, e.g. billing_dispute.")
    summary: Mapped[str] = mapped_column(Text, doc="What the human needs to know.")
    status: Mapped[str] = mapped_column(String(10), doc="open | closed.")
    created_at: Mapped[datetime] = mapped_column(doc="When (clock time).")


APPEND_ONLY_TABLES = frozenset({ConsentRecord.__tablename__, AuditEvent.__tablename__})


def _refuse_change(mapper: Mapper[Any], connection: Any, target: Any) -> None:
    table = cast(Table, mapper.local_table)  # typed as the wider FromClause
    raise UsageError(f"{table.name} is append-only: rows are never changed or deleted")


for _model in (ConsentRecord, AuditEvent):
    event.listen(_model, "before_update", _refuse_change)
    event.listen(_model, "before_delete", _refuse_change)
