"""Hand-offs to a human: tickets with a TK-<n> reference.

A ticket's topic and summary are redacted (phone, card, IBAN, e-mail) before they are stored:
the model writes them from the conversation, and tickets outlive it by years.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput
from assistant.records.models import Ticket
from assistant.records.services import audit, lookups
from assistant.records.views import TicketView
from assistant.redaction import redact

#: Ticket numbers start here so references look like TK-10001.
FIRST_NUMBER = 10000


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidInput(f"{what} must be 1 to {limit} characters", field=what)
    return value.strip()


def open_ticket(
    session: Session, now: datetime, customer_id: str | None, topic: str, summary: str, actor: str
) -> TicketView:
    """Open a ticket for a customer (or a guest when ``customer_id`` is None)."""
    if customer_id is not None:
        lookups.customer(session, customer_id)
    ticket = Ticket(
        customer_id=customer_id,
        topic=redact(_text(topic, "topic", 60))[:60],
        summary=redact(_text(summary, "summary", 4000)),
        status="open",
        created_at=now,
    )
    session.add(ticket)
    session.flush()  # assigns the sequence number the reference is made from
    ticket.reference = f"TK-{FIRST_NUMBER + ticket.id}"
    audit.record(
        session,
        now,
        actor,
        "ticket.opened",
        customer_id,
        reference=ticket.reference,
        topic=ticket.topic,
    )
    return TicketView(
        reference=ticket.reference,
        customer_id=customer_id,
        topic=ticket.topic,
        summary=ticket.summary,
        status=ticket.status,
        created_at=ticket.created_at,
    )


def tickets_of(session: Session, customer_id: str) -> list[TicketView]:
    """Every ticket of ``customer_id``, oldest first."""
    lookups.customer(session, customer_id)
    rows = session.scalars(
        select(Ticket).where(Ticket.customer_id == customer_id).order_by(Ticket.id)
    )
    return [
        TicketView(reference=t.reference or "", customer_id=t.customer_id, topic=t.topic,
                   summary=t.summary, status=t.status, created_at=t.created_at)
        for t in rows
    ]
