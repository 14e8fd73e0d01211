"""Bills, their explanation against the previous bill, and payments."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput, NotFound
from assistant.records import money
from assistant.records.models import BILL_CATEGORIES, Bill, BillItem, Line, Payment
from assistant.records.present import bill_status, bill_summary
from assistant.records.services import audit, lookups
from assistant.records.texts import item_code
from assistant.records.views import (
    BillExplanation,
    BillItemView,
    BillSummary,
    BillView,
    CategoryDelta,
    PaymentView,
)

ZERO = Decimal("0.00")
CATEGORY_WORDS = {
    "plan_fee": "plan fees",
    "addon": "add-ons",
    "roaming": "roaming",
    "out_of_bundle": "out-of-bundle use",
    "device_instalment": "device instalments",
    "cloud_services": "cloud services",
    "tax": "tax",
    "discount": "discounts",
    "credit": "credits",
}


def _check_limit(limit: int) -> int:
    if not isinstance(limit, int) or not 1 <= limit <= 120:
        raise InvalidInput(f"limit {limit!r} must be between 1 and 120", limit=limit)
    return limit


def list_bills(session: Session, customer_id: str, limit: int, now: datetime) -> list[BillSummary]:
    """Most recent bills first."""
    acct = lookups.account(session, customer_id)
    rows = session.scalars(
        select(Bill)
        .where(Bill.account_id == acct.id)
        .order_by(Bill.period.desc())
        .limit(_check_limit(limit))
    )
    return [bill_summary(row, now.date()) for row in rows]


def find_bill(session: Session, customer_id: str, period: str | None) -> Bill:
    """The bill of ``period`` (validated), or the latest one when None."""
    acct = lookups.account(session, customer_id)
    query = select(Bill).where(Bill.account_id == acct.id)
    if period is not None:
        money.parse_period(period)
        query = query.where(Bill.period == period)
    row = session.scalars(query.order_by(Bill.period.desc()).limit(1)).first()
    if row is None:
        what = f"for period {period}" if period else "yet"
        raise NotFound(f"no bill {what} on this account", period=period)
    return row


def _items(session: Session, bill: Bill) -> list[BillItem]:
    return list(
        session.scalars(select(BillItem).where(BillItem.bill_id == bill.id).order_by(BillItem.id))
    )


def bill_view(session: Session, customer_id: str, period: str | None, now: datetime) -> BillView:
    """A bill with its items; numbers masked."""
    bill = find_bill(session, customer_id, period)
    items = _items(session, bill)
    numbers = _masked_numbers(session, bill.account_id)
    country = lookups.customer(session, customer_id).country
    return BillView(
        **bill_summary(bill, now.date()).model_dump(),
        subtotal=bill.subtotal,
        tax=bill.tax,
        tax_name=money.TAX_NAMES[country],
        items=[_item_view(item, bill.currency, numbers) for item in items],
    )


def _masked_numbers(session: Session, account_id: str) -> dict[str, str]:
    """Masked phone number of each line of the account."""
    return {
        line.id: money.mask_msisdn(line.msisdn)
        for line in session.scalars(select(Line).where(Line.account_id == account_id))
    }


def _item_view(item: BillItem, currency: str, numbers: dict[str, str]) -> BillItemView:
    return BillItemView(
        category=item.category,
        description=item.description,
        description_code=item_code(item.description, currency),
        amount=item.amount,
        line_id=item.line_id,
        msisdn_masked=numbers.get(item.line_id) if item.line_id else None,
    )


def _by_category(items: list[BillItem]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for item in items:
        sums[item.category] += item.amount
    return sums


def explain(session: Session, customer_id: str, period: str | None) -> BillExplanation:
    """Difference from the previous bill by category, biggest drivers first."""
    bill = find_bill(session, customer_id, period)
    prev = session.scalars(
        select(Bill)
        .where(Bill.account_id == bill.account_id, Bill.period < bill.period)
        .order_by(Bill.period.desc())
        .limit(1)
    ).first()
    items = _items(session, bill)
    now_sums = _by_category(items)
    prev_sums = _by_category(_items(session, prev)) if prev else {}
    drivers = []
    for category in BILL_CATEGORIES:
        before, after = prev_sums.get(category, ZERO), now_sums.get(category, ZERO)
        if prev is None or before == after:
            continue
        delta = after - before
        text = f"{CATEGORY_WORDS[category]} {money.format_money(delta, bill.currency, signed=True)}"
        drivers.append(
            CategoryDelta(
                category=category, amount_prev=before, amount_now=after, delta=delta, text=text
            )
        )
    drivers.sort(key=lambda d: (-abs(d.delta), BILL_CATEGORIES.index(d.category)))
    # The items behind the two biggest changes, either way: a goodwill credit explains a
    # lower bill as much as a roaming charge explains a higher one.
    top = {d.category for d in drivers if d.category != "tax"}
    top = {d.category for d in drivers[:3] if d.category in top}
    behind = [item for item in items if item.category in top]
    details = [
        f"{item.description}: {money.format_money(item.amount, bill.currency)}" for item in behind
    ]
    numbers = _masked_numbers(session, bill.account_id)
    delta = bill.total - (prev.total if prev else ZERO)
    return BillExplanation(
        period=bill.period,
        previous_period=prev.period if prev else None,
        currency=bill.currency,
        total_now=bill.total,
        total_prev=prev.total if prev else None,
        delta=delta if prev else ZERO,
        drivers=drivers,
        details=details,
        detail_items=[_item_view(item, bill.currency, numbers) for item in behind],
        summary=_summary(bill, prev, drivers),
    )


def _summary(bill: Bill, prev: Bill | None, drivers: list[CategoryDelta]) -> str:
    cur = bill.currency
    if prev is None:
        return (
            f"This {bill.period} bill is the first on the account, so there is nothing to compare."
        )
    delta = bill.total - prev.total
    if delta == 0 and not drivers:
        same = money.format_money(bill.total, cur)
        return f"Your {bill.period} bill is the same as {prev.period} ({same})."
    way = "higher" if delta > 0 else "lower" if delta < 0 else "the same in total"
    amount = f"{money.format_money(abs(delta), cur)} " if delta else ""
    main = ", ".join(d.text for d in drivers[:3])
    return (
        f"Your {bill.period} bill is {amount}{way} than {prev.period} "
        f"({money.format_money(bill.total, cur)} vs {money.format_money(prev.total, cur)}); "
        f"main changes: {main}."
    )


def list_payments(session: Session, customer_id: str, limit: int) -> list[PaymentView]:
    """Most recent payments first."""
    acct = lookups.account(session, customer_id)
    rows = session.execute(
        select(Payment, Bill.period, Bill.currency)
        .join(Bill, Payment.bill_id == Bill.id)
        .where(Bill.account_id == acct.id)
        .order_by(Payment.paid_on.desc(), Payment.id.desc())
        .limit(_check_limit(limit))
    )
    return [
        PaymentView(
            period=period,
            amount=pay.amount,
            currency=currency,
            method=pay.method,
            paid_on=pay.paid_on,
            reference_masked=pay.reference,
        )
        for pay, period, currency in rows
    ]


PAYMENT_METHODS = ("direct_debit", "card", "bank_transfer", "mpesa")


def record_payment(
    session: Session,
    now: datetime,
    customer_id: str,
    period: str,
    amount: Decimal | str | int,
    method: str,
    reference_last4: str,
    actor: str,
) -> PaymentView:
    """Record money received against a bill (no more than is owed)."""
    value = money.check_amount(amount, "payment amount")
    if method not in PAYMENT_METHODS:
        raise InvalidInput(
            f"payment method {method!r} is not one of {PAYMENT_METHODS}", method=method
        )
    tail = str(reference_last4)[-4:]
    if not tail.isalnum():
        raise InvalidInput(f"payment reference {reference_last4!r} is not valid", reference="?")
    bill = find_bill(session, customer_id, period)
    owed = bill.total - bill.amount_paid
    if value > owed:
        raise InvalidInput(
            f"payment amount {value} is more than the {owed} still owed on {bill.period}",
            amount=str(value),
        )
    pay = Payment(
        bill_id=bill.id, amount=value, method=method, paid_on=now.date(), reference=f"****{tail}"
    )
    session.add(pay)
    bill.amount_paid += value
    bill.status = bill_status(bill, now.date())
    audit.record(
        session,
        now,
        actor,
        "payment.recorded",
        customer_id,
        period=bill.period,
        amount=value,
        method=method,
    )
    return PaymentView(
        period=bill.period,
        amount=value,
        currency=bill.currency,
        method=method,
        paid_on=pay.paid_on,
        reference_masked=pay.reference,
    )
