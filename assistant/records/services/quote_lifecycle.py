"""A stored quote's lifecycle (quoted → applied | cancelled), shared by plan changes and add-ons."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from sqlalchemy.orm import Session

from assistant.errors import InvalidInput, QuoteExpired
from assistant.records.models import AddonPurchase, PlanChangeRequest
from assistant.records.services import audit, lookups

#: A stored quote: a plan-change request or an add-on purchase.
Quote = TypeVar("Quote", PlanChangeRequest, AddonPurchase)


def own_quote(
    session: Session,
    model: type[Quote],
    customer_id: str,
    quote_id: str,
) -> Quote | None:
    """The customer's stored quote of this kind, or None (another customer's quote is None too).

    Raises NotFound for an unknown customer.
    """
    lookups.customer(session, customer_id)
    row = session.get(model, quote_id)
    return row if row is not None and row.customer_id == customer_id else None


def cancel_quoted(
    session: Session,
    now: datetime,
    model: type[Quote],
    customer_id: str,
    quote_id: str,
    actor: str,
    event: str,
) -> bool:
    """Cancel the customer's quote of this kind; False when ``quote_id`` is not one.

    An applied quote cannot be cancelled (its change happened); a cancelled or expired one
    is left as it is, so cancelling twice is harmless.
    """
    row = own_quote(session, model, customer_id, quote_id)
    if row is None:
        return False
    if row.status == "applied":
        raise InvalidInput(
            f"quote {quote_id} was already applied (reference {row.reference}); it cannot be "
            "cancelled here",
            quote_id=quote_id,
        )
    if row.status == "quoted":
        row.status = "cancelled"
        audit.record(session, now, actor, event, customer_id, quote_id=quote_id)
    return True


def already_applied(row: PlanChangeRequest | AddonPurchase, quote_id: str, now: datetime) -> bool:
    """True when the quote was applied before (idempotent repeat); raise unless it can be
    applied now (a cancelled quote cannot; an expired one needs a new quote)."""
    if row.status == "applied":
        return True
    if row.status != "quoted":
        raise InvalidInput(
            f"quote {quote_id} is {row.status} and cannot be applied", status=row.status
        )
    if now > row.expires_at:
        raise QuoteExpired(
            f"quote {quote_id} expired at {row.expires_at.isoformat()}; ask for a new quote",
            quote_id=quote_id,
        )
    return False
