"""The payments policy's timeline for unpaid bills, and suspension for non-payment.

From ``policy-payments-late-payment`` (knowledge/corpus): a bill is overdue the day after its due
date; the late payment fee is added 14 days after it; outgoing service is suspended 30 days after
it, unless a promise to pay is open; paying everything overdue reconnects the line. Only a
suspension for non-payment is lifted by paying: a fraud hold or a lost phone is not.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.records.models import Account, Bill, Line, PaymentRequest
from assistant.records.services import audit, lookups

#: The policy document these rules come from (cited by the assistant).
POLICY_ID = "policy-payments-late-payment"
LATE_FEE_AFTER = timedelta(days=14)
SUSPEND_AFTER = timedelta(days=30)
#: The furthest date a promise to pay may name, from today.
PROMISE_WINDOW = timedelta(days=14)
#: ``Line.suspension_reason`` of a suspension for non-payment (the only one payment lifts).
NON_PAYMENT = "non-payment"


def suspension_date(bill: Bill) -> date:
    """When outgoing service is suspended if ``bill`` stays unpaid."""
    return bill.due_date + SUSPEND_AFTER


def late_fee_date(bill: Bill) -> date:
    """When the late payment fee is added to an unpaid ``bill``."""
    return bill.due_date + LATE_FEE_AFTER


def open_bills(session: Session, account_id: str, *, lock: bool = False) -> list[Bill]:
    """Bills with money still owed, oldest first (``lock``: FOR UPDATE, for payments)."""
    query = (
        select(Bill)
        .where(Bill.account_id == account_id, Bill.amount_paid < Bill.total)
        .order_by(Bill.period)
    )
    return list(session.scalars(query.with_for_update() if lock else query))


def overdue(bills: list[Bill], today: date) -> list[Bill]:
    """The bills past their due date."""
    return [b for b in bills if b.due_date < today]


def open_promise(session: Session, customer_id: str, today: date) -> PaymentRequest | None:
    """The customer's agreed promise to pay that has not yet fallen due, if any."""
    return session.scalars(
        select(PaymentRequest).where(
            PaymentRequest.customer_id == customer_id,
            PaymentRequest.kind == "arrangement",
            PaymentRequest.status == "applied",
            PaymentRequest.pay_by >= today,
        )
    ).first()


def restore_lines(session: Session, now: datetime, account: Account, actor: str) -> list[str]:
    """Reconnect lines suspended for non-payment once nothing is overdue; return their ids."""
    if overdue(open_bills(session, account.id), now.date()):
        return []
    restored = []
    for line in lookups.lines(session, account.id):
        if line.status == "suspended" and line.suspension_reason == NON_PAYMENT:
            line.status, line.suspension_reason = "active", None
            restored.append(line.id)
    if restored:
        audit.record(
            session, now, actor, "line.restored", account.customer_id, lines=restored,
            reason=NON_PAYMENT,
        )  # fmt: skip
    return restored


def run(session: Session, now: datetime, actor: str) -> list[str]:
    """The nightly job: suspend the active lines of accounts with a bill 30+ days overdue.

    Accounts with an open promise to pay are skipped, as the policy says. Returns the ids of
    the lines suspended.
    """
    today = now.date()
    cutoff = today - SUSPEND_AFTER
    late = select(Bill.account_id).where(Bill.amount_paid < Bill.total, Bill.due_date <= cutoff)
    suspended = []
    for account in session.scalars(select(Account).where(Account.id.in_(late))):
        if open_promise(session, account.customer_id, today) is not None:
            continue
        lines = [ln for ln in lookups.lines(session, account.id) if ln.status == "active"]
        for line in lines:
            line.status, line.suspension_reason = "suspended", NON_PAYMENT
            suspended.append(line.id)
        if lines:
            audit.record(
                session, now, actor, "line.suspended", account.customer_id,
                lines=[ln.id for ln in lines], reason=NON_PAYMENT,
            )  # fmt: skip
    return suspended


def suspended_lines(session: Session, account_id: str) -> tuple[list[str], list[str]]:
    """(lines suspended for non-payment, lines suspended for another reason)."""
    rows: list[Line] = [ln for ln in lookups.lines(session, account_id) if ln.status == "suspended"]
    ours = [ln.id for ln in rows if ln.suspension_reason == NON_PAYMENT]
    return ours, [ln.id for ln in rows if ln.suspension_reason != NON_PAYMENT]
