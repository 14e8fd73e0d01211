"""What a customer owes, and paying it with a saved method or a VelaPesa request.

Paying is two steps, like a plan change: ``quote`` prices and stores the payment (what is paid
on which bill, with which saved method), ``apply`` pays it once the customer has confirmed.
Applying is idempotent by quote id and runs with the request and the bills locked, so of two
concurrent payments of one bill exactly one goes through; the other gets Conflict and changes
nothing. A VelaPesa request is pushed to the customer's phone; the simulated handset approves
it at once (deterministic), and the bill is paid in the same transaction.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import Conflict, InvalidInput, NotFound, QuoteExpired
from assistant.records import money
from assistant.records.models import Bill, Payment, PaymentMethod, PaymentRequest
from assistant.records.payment_views import (
    AmountOwed,
    ArrangementView,
    OwedBill,
    PaymentQuote,
    PaymentResult,
    SavedMethodView,
)
from assistant.records.present import bill_status
from assistant.records.services import audit, dunning, lookups

QUOTE_TTL = timedelta(minutes=30)
ZERO = Decimal("0.00")
#: Payment.method written for each kind of saved method.
PAYMENT_METHOD = {"card": "card", "direct_debit": "direct_debit", "velapesa": "mpesa"}
PREFIX = {"payment": "PY-", "velapesa": "VP-", "arrangement": "PA-"}


def digest(*parts: object) -> str:
    """Upper-case SHA-256 of the parts, for quote ids and references."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest().upper()


def method_view(row: PaymentMethod) -> SavedMethodView:
    """A saved method as the assistant may show it."""
    return SavedMethodView(
        method_id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        label=row.label,
        last4=row.last4,
        is_default=row.is_default,
    )


def saved_methods(session: Session, account_id: str) -> list[PaymentMethod]:
    """The account's saved methods, default first."""
    query = select(PaymentMethod).where(PaymentMethod.account_id == account_id)
    return sorted(session.scalars(query), key=lambda m: (not m.is_default, m.id))


def owed(session: Session, customer_id: str, now: datetime) -> AmountOwed:
    """Everything owed, overdue first, with the policy's late-fee and suspension dates."""
    today = now.date()
    acct = lookups.account(session, customer_id)
    bills = dunning.open_bills(session, acct.id)
    late = dunning.overdue(bills, today)
    ordered = late + [b for b in bills if b not in late]
    promise = dunning.open_promise(session, customer_id, today)
    ours, others = dunning.suspended_lines(session, acct.id)
    return AmountOwed(
        billing_type=acct.billing_type,  # type: ignore[arg-type]
        currency=acct.currency,
        total_due=sum((b.total - b.amount_paid for b in bills), ZERO),
        overdue_total=sum((b.total - b.amount_paid for b in late), ZERO),
        bills=[_owed_bill(b, today) for b in ordered],
        suspended_for_non_payment=ours,
        other_suspensions=others,
        saved_methods=[method_view(m) for m in saved_methods(session, acct.id)],
        arrangement=arrangement_view(promise) if promise else None,
        promise_latest=today + dunning.PROMISE_WINDOW,
        policy=dunning.POLICY_ID,
    )


def _owed_bill(bill: Bill, today: date) -> OwedBill:
    late = bill.due_date < today
    return OwedBill(
        period=bill.period,
        status="overdue" if late else "issued",
        total=bill.total,
        balance_due=bill.total - bill.amount_paid,
        due_date=bill.due_date,
        days_overdue=(today - bill.due_date).days if late else 0,
        late_fee_date=dunning.late_fee_date(bill),
        suspension_date=dunning.suspension_date(bill),
    )


def arrangement_view(row: PaymentRequest) -> ArrangementView:
    """An agreed promise to pay."""
    assert row.pay_by is not None and row.reference is not None  # set when agreed
    return ArrangementView(
        reference=row.reference,
        amount=row.amount,
        currency=row.currency,
        pay_by=row.pay_by,
        status=row.status,  # type: ignore[arg-type]
    )


def _allocate(bills: list[Bill], period: str | None, amount: Decimal | None) -> dict[str, str]:
    """What to pay on which bill: one bill, or the whole balance oldest first."""
    if period is not None:
        money.parse_period(period)
        bills = [b for b in bills if b.period == period]
        if not bills:
            raise InvalidInput(f"nothing is owed on a {period} bill", period=period)
    owed_now = sum((b.total - b.amount_paid for b in bills), ZERO)
    if not bills or owed_now <= 0:
        raise InvalidInput("nothing is owed on this account")
    value = owed_now if amount is None else amount
    if value > owed_now:
        where = f"on the {period} bill" if period else "in total"
        raise InvalidInput(
            f"payment amount {value} is more than the {owed_now} owed {where}", amount=str(value)
        )
    allocations, left = {}, value
    for bill in bills:
        part = min(left, bill.total - bill.amount_paid)
        if part > 0:
            allocations[bill.period] = str(part)
            left -= part
    return allocations


def quote(
    session: Session,
    now: datetime,
    customer_id: str,
    period: str | None,
    amount: Decimal | str | int | None,
    method_id: str | None,
    actor: str,
) -> PaymentQuote:
    """Price and store a payment with a saved method (valid 30 minutes); changes no bill."""
    value = None if amount is None else money.check_amount(amount, "payment amount")
    acct = lookups.account(session, customer_id)
    if acct.billing_type == "prepaid":
        raise InvalidInput("a prepaid account has no bills to pay; top up instead")
    if period is not None:  # an unknown period is NotFound, as for get_bill
        from assistant.records.services.billing import find_bill

        find_bill(session, customer_id, period)
    allocations = _allocate(dunning.open_bills(session, acct.id), period, value)
    methods = saved_methods(session, acct.id)
    chosen = next((m for m in methods if m.id == method_id or method_id is None), None)
    if chosen is None:
        if method_id is not None:
            raise NotFound(f"saved payment method {method_id!r} not found", method_id=method_id)
        raise InvalidInput(
            "no payment method is saved on this account: pay at vela.example/pay or by bank "
            "transfer"
        )
    kind = "velapesa" if chosen.kind == "velapesa" else "payment"
    total = sum((Decimal(v) for v in allocations.values()), ZERO)
    seq = len(list(session.scalars(select(PaymentRequest.id).where(
        PaymentRequest.customer_id == customer_id))))  # fmt: skip
    row = PaymentRequest(
        id="PQ-" + digest(customer_id, now.isoformat(), seq, allocations)[:10],
        customer_id=customer_id,
        kind=kind,
        method_id=chosen.id,
        allocations=allocations,
        amount=total,
        currency=acct.currency,
        pay_by=None,
        created_at=now,
        expires_at=now + QUOTE_TTL,
        status="quoted",
    )
    session.add(row)
    audit.record(session, now, actor, "payment.quoted", customer_id, quote_id=row.id, amount=total)
    return quote_view(session, row, now)


def quote_view(session: Session, row: PaymentRequest, now: datetime) -> PaymentQuote:
    """A stored payment request as shown for confirmation."""
    method = session.get(PaymentMethod, row.method_id) if row.method_id else None
    cur = row.currency
    periods = ", ".join(sorted(row.allocations))
    amount = money.format_money(row.amount, cur)
    if row.kind == "arrangement":
        title = f"Promise to pay {amount} (bills {periods}) by {row.pay_by}"
    elif method is not None and method.kind == "velapesa":
        title = (
            f"VelaPesa request for {amount} (bills {periods}) to the phone ending {method.last4}"
        )
    else:
        label = f"{method.label} ending {method.last4}" if method else "saved method"
        title = f"Pay {amount} (bills {periods}) with {label}"
    acct = lookups.account(session, row.customer_id)
    late = dunning.overdue(dunning.open_bills(session, acct.id), now.date())
    clears = {b.period for b in late} <= set(row.allocations) and all(
        Decimal(row.allocations[b.period]) >= b.total - b.amount_paid for b in late
    )
    return PaymentQuote(
        quote_id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        title=title,
        amount=row.amount,
        currency=cur,
        allocations={k: Decimal(v) for k, v in row.allocations.items()},
        method=method_view(method) if method else None,
        pay_by=row.pay_by,
        lifts_suspension=row.kind != "arrangement"
        and clears
        and bool(dunning.suspended_lines(session, acct.id)[0]),
        expires_at=row.expires_at,
    )


def locked_request(
    session: Session, customer_id: str, quote_id: str, kinds: tuple[str, ...]
) -> PaymentRequest:
    """The customer's request of one of ``kinds``, locked; anything else is NotFound."""
    lookups.customer(session, customer_id)
    row = session.scalars(
        select(PaymentRequest).where(PaymentRequest.id == quote_id).with_for_update()
    ).first()
    if row is None or row.customer_id != customer_id or row.kind not in kinds:
        raise NotFound(f"payment quote {quote_id!r} not found", quote_id=quote_id)
    return row


def check_can_apply(row: PaymentRequest, now: datetime) -> bool:
    """True when already applied (idempotent repeat); raise unless it can be applied now."""
    if row.status in ("applied", "kept", "broken"):
        return True
    if row.status != "quoted":
        raise InvalidInput(
            f"quote {row.id} is {row.status} and cannot be applied", status=row.status
        )
    if now > row.expires_at:
        raise QuoteExpired(
            f"quote {row.id} expired at {row.expires_at.isoformat()}; ask for a new quote",
            quote_id=row.id,
        )
    return False


def apply(
    session: Session,
    now: datetime,
    customer_id: str,
    quote_id: str,
    kind: str,
    actor: str,
) -> PaymentResult:
    """Pay a stored quote once (``kind``: payment or velapesa); a repeat changes nothing."""
    row = locked_request(session, customer_id, quote_id, (kind,))
    acct = lookups.account(session, customer_id)
    if check_can_apply(row, now):
        return result(session, row, acct.id, [], already=True)
    bills = {b.period: b for b in dunning.open_bills(session, acct.id, lock=True)}
    for period, part in row.allocations.items():
        bill = bills.get(period)
        if bill is None or bill.total - bill.amount_paid < Decimal(part):
            raise Conflict(
                f"the {period} bill changed since quote {quote_id} was made (another payment "
                "arrived); nothing was paid",
                quote_id=quote_id,
            )
    method = session.get(PaymentMethod, row.method_id or "")
    if method is None:
        raise NotFound(f"the saved method of quote {quote_id} no longer exists")
    row.status, row.applied_at = "applied", now
    row.reference = PREFIX[row.kind] + digest("payment", row.id)[:8]
    if row.kind == "velapesa":
        # The push to the phone and the customer's approval with their PIN, as the records'
        # simulated handset reports them (always approved, at once: deterministic demos).
        audit.record(
            session, now, actor, "velapesa.requested", customer_id, reference=row.reference
        )
        audit.record(session, now, "velapesa", "velapesa.approved", customer_id,
                     reference=row.reference)  # fmt: skip
    for period, part in row.allocations.items():
        bill = bills[period]
        session.add(Payment(
            bill_id=bill.id, amount=Decimal(part), method=PAYMENT_METHOD[method.kind],
            paid_on=now.date(), reference=f"****{method.last4}",
        ))  # fmt: skip
        bill.amount_paid += Decimal(part)
        bill.status = bill_status(bill, now.date())
    audit.record(
        session, now, actor, "payment.recorded", customer_id, reference=row.reference,
        quote_id=row.id, amount=row.amount, periods=sorted(row.allocations), method=method.kind,
    )  # fmt: skip
    session.flush()
    restored = dunning.restore_lines(session, now, acct, actor)
    promise = dunning.open_promise(session, customer_id, now.date())
    if promise is not None and not dunning.overdue(
        dunning.open_bills(session, acct.id), now.date()
    ):
        promise.status = "kept"
        audit.record(session, now, actor, "payment_arrangement.kept", customer_id,
                     reference=promise.reference)  # fmt: skip
    return result(session, row, acct.id, restored, already=False)


def result(
    session: Session, row: PaymentRequest, account_id: str, restored: list[str], *, already: bool
) -> PaymentResult:
    """The outcome of an applied request."""
    remaining = sum(
        (b.total - b.amount_paid for b in dunning.open_bills(session, account_id)), ZERO
    )
    method = session.get(PaymentMethod, row.method_id) if row.method_id else None
    amount = money.format_money(row.amount, row.currency)
    if row.kind == "arrangement":
        message = f"Promise to pay {amount} by {row.pay_by} agreed (reference {row.reference})."
    else:
        message = f"Payment of {amount} received (reference {row.reference})."
        if restored:
            message += " Your line is reconnected."
    return PaymentResult(
        kind=row.kind,  # type: ignore[arg-type]
        reference=row.reference or "",
        quote_id=row.id,
        amount=row.amount,
        currency=row.currency,
        allocations={k: Decimal(v) for k, v in row.allocations.items()},
        method=method_view(method) if method else None,
        pay_by=row.pay_by,
        lines_restored=restored,
        remaining_due=remaining,
        already_applied=already,
        message=message,
    )


def stored_quote(
    session: Session, now: datetime, customer_id: str, quote_id: str
) -> PaymentQuote | None:
    """The customer's stored payment request of any kind and status, or None."""
    lookups.customer(session, customer_id)
    row = session.get(PaymentRequest, quote_id)
    if row is None or row.customer_id != customer_id:
        return None
    return quote_view(session, row, now)


def cancel(session: Session, now: datetime, customer_id: str, quote_id: str, actor: str) -> bool:
    """Cancel a quoted request; False when ``quote_id`` is not one of the customer's."""
    lookups.customer(session, customer_id)
    row = session.get(PaymentRequest, quote_id)
    if row is None or row.customer_id != customer_id:
        return False
    if row.status not in ("quoted", "cancelled"):
        raise InvalidInput(
            f"quote {quote_id} was already applied (reference {row.reference}); it cannot be "
            "cancelled here",
            quote_id=quote_id,
        )
    if row.status == "quoted":
        row.status = "cancelled"
        audit.record(session, now, actor, "payment.cancelled", customer_id, quote_id=quote_id)
    return True
