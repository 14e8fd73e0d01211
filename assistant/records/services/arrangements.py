"""Promises to pay: the overdue balance, paid in full by a date the policy allows.

The payments policy lets the assistant agree a promise to pay everything overdue by a date at
most ``dunning.PROMISE_WINDOW`` (14 days) away, one open promise at a time; while it stands the
account is not suspended for non-payment (``dunning.run`` skips it). Longer ones need a person.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput
from assistant.records.models import Account, PaymentRequest
from assistant.records.payment_views import PaymentQuote, PaymentResult
from assistant.records.services import audit, dunning, lookups, payments

ZERO = Decimal("0.00")


def parse_day(value: str | date) -> date:
    """A YYYY-MM-DD date, or InvalidInput naming the value."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise InvalidInput(
            f"date {value!r} is not a date in the form YYYY-MM-DD", pay_by=value
        ) from exc


def quote(
    session: Session, now: datetime, customer_id: str, pay_by: str | date, actor: str
) -> PaymentQuote:
    """Store a promise to pay all that is overdue by ``pay_by`` (valid 30 minutes)."""
    day, today = parse_day(pay_by), now.date()
    latest = today + dunning.PROMISE_WINDOW
    if day < today:
        raise InvalidInput(f"the date {day} is in the past", pay_by=day.isoformat())
    if day > latest:
        raise InvalidInput(
            f"a promise to pay can run to {latest} at the latest; for a later date an agent can "
            "look at a payment plan",
            pay_by=day.isoformat(),
            latest=latest.isoformat(),
        )
    acct = lookups.account(session, customer_id)
    late = dunning.overdue(dunning.open_bills(session, acct.id), today)
    if not late:
        raise InvalidInput("nothing is overdue, so no promise to pay is needed")
    current = dunning.open_promise(session, customer_id, today)
    if current is not None:
        raise InvalidInput(
            f"a promise to pay by {current.pay_by} is already open (reference {current.reference})",
            reference=current.reference,
        )
    allocations = {b.period: str(b.total - b.amount_paid) for b in late}
    seq = session.scalar(
        select(func.count()).select_from(PaymentRequest).where(
            PaymentRequest.customer_id == customer_id)
    )  # fmt: skip
    row = PaymentRequest(
        id="AR-" + payments.digest(customer_id, now.isoformat(), seq, day)[:10],
        customer_id=customer_id,
        kind="arrangement",
        method_id=None,
        allocations=allocations,
        amount=sum((Decimal(v) for v in allocations.values()), ZERO),
        currency=acct.currency,
        pay_by=day,
        created_at=now,
        expires_at=now + payments.QUOTE_TTL,
        status="quoted",
    )
    session.add(row)
    audit.record(session, now, actor, "payment_arrangement.quoted", customer_id, quote_id=row.id)
    return payments.quote_view(session, row, now)


def apply(
    session: Session, now: datetime, customer_id: str, quote_id: str, actor: str
) -> PaymentResult:
    """Agree a quoted promise once; a repeat returns the same reference and changes nothing."""
    row = payments.locked_request(session, customer_id, quote_id, ("arrangement",))
    acct = lookups.account(session, customer_id)
    if payments.check_can_apply(row, now):
        return payments.result(session, row, acct.id, [], already=True)
    # Two promises confirmed at once: the account lock makes the second see the first.
    session.scalars(select(Account).where(Account.id == acct.id).with_for_update()).one()
    current = dunning.open_promise(session, customer_id, now.date())
    if current is not None:
        raise InvalidInput(
            f"a promise to pay by {current.pay_by} is already open (reference "
            f"{current.reference}); nothing was changed",
            reference=current.reference,
        )
    row.status, row.applied_at = "applied", now
    row.reference = payments.PREFIX["arrangement"] + payments.digest("promise", row.id)[:8]
    audit.record(
        session, now, actor, "payment_arrangement.agreed", customer_id, reference=row.reference,
        quote_id=row.id, amount=row.amount, pay_by=row.pay_by,
    )  # fmt: skip
    return payments.result(session, row, acct.id, [], already=False)
