"""Pricing and storing plan-change quotes (valid 30 minutes).

Upgrades apply today with a prorated charge for the rest of the cycle; downgrades apply from
the 1st of next month, with an early-termination fee inside the minimum term.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.errors import NotEligible
from assistant.records import money
from assistant.records.models import Plan, PlanChangeRequest
from assistant.records.money import whole_months_between
from assistant.records.services import audit, lookups
from assistant.records.services.eligibility import (
    LineContext,
    direction,
    early_termination_fee,
    in_minimum_term,
    load_context,
    plan_change_reasons,
)
from assistant.records.services.quote_lifecycle import own_quote
from assistant.records.texts import Texts
from assistant.records.views import PlanChangeQuote

QUOTE_TTL = timedelta(minutes=30)


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest().upper()


@dataclass(frozen=True)
class Terms:
    """The priced terms of a change."""

    direction: str
    effective_date: date
    proration: Decimal
    fees: Decimal
    remaining_months: int
    contract_end: date | None


def _terms(ctx: LineContext, target: Plan) -> Terms:
    """Price the change: direction, effective date, proration, fee, new minimum term."""
    today, old = ctx.today, ctx.current_plan
    way = direction(old, target)
    if way == "upgrade":
        effective = today
        dim = money.days_in_month(today)
        remaining = dim - today.day + 1
        proration = money.cents((target.monthly_price - old.monthly_price) * remaining / dim)
    else:
        effective = money.next_month_start(today)
        proration = Decimal("0.00")
    fee, months = early_termination_fee(ctx, target, effective)
    contract_end = money.contract_end_for(effective, target.contract_months)
    if way == "upgrade" and in_minimum_term(ctx.subscription, today):
        # An upgrade keeps the customer in their existing term if that runs longer.
        ends = (contract_end, ctx.subscription.contract_end)
        contract_end = max(d for d in ends if d is not None)
    return Terms(way, effective, proration, fee, months, contract_end)


def _notes(row: PlanChangeRequest, old: Plan, target: Plan, ctx: LineContext) -> Texts:
    """The terms in plain language, as the customer should hear them before confirming."""
    cur = row.currency
    notes = Texts()
    if row.direction == "upgrade":
        dim = money.days_in_month(row.effective_date)
        remaining = dim - row.effective_date.day + 1
        notes.add(
            "note.upgrade_today",
            f"Upgrade takes effect today; a one-off prorated charge of "
            f"{money.format_money(row.proration, cur)} ({remaining} of {dim} days) "
            "is added to the next bill.",
            proration=row.proration, currency=cur, days=remaining, days_in_month=dim,
        )  # fmt: skip
    else:
        notes.add(
            "note.change_on_date",
            f"Change takes effect on {row.effective_date.isoformat()}; no prorated charge.",
            date=row.effective_date,
        )  # fmt: skip
    if row.fees:
        months = whole_months_between(
            row.effective_date, ctx.subscription.contract_end or row.effective_date
        )
        difference = old.monthly_price - target.monthly_price
        notes.add(
            "note.early_termination_fee",
            f"Your minimum term runs until {ctx.subscription.contract_end}; leaving it early "
            f"costs {money.format_money(row.fees, cur)} "
            f"({old.early_termination_percent}% x {months} remaining "
            f"{'month' if months == 1 else 'months'} x "
            f"{money.format_money(difference, cur)}).",
            term_end=ctx.subscription.contract_end, fees=row.fees, currency=cur,
            percent=old.early_termination_percent, months=months, difference=difference,
        )  # fmt: skip
    if row.contract_end:
        notes.add(
            "note.minimum_term_until",
            f"Minimum term after the change runs until {row.contract_end.isoformat()}.",
            date=row.contract_end,
        )  # fmt: skip
    if target.billing == "postpaid":
        tax = money.TAX_NAMES[ctx.customer.country]
        notes.add("note.prices_exclude_tax", f"Prices exclude {tax}, added on the bill.", tax=tax)
    return notes


def quote_view(
    row: PlanChangeRequest, old: Plan, target: Plan, ctx: LineContext, defaulted: bool
) -> PlanChangeQuote:
    """The stored quote as the customer sees it."""
    notes = _notes(row, old, target, ctx)
    return PlanChangeQuote(
        quote_id=row.id,
        line_id=row.line_id,
        msisdn_masked=money.mask_msisdn(ctx.line.msisdn),
        line_defaulted=defaulted,
        from_plan_id=old.id,
        from_plan_name=old.name,
        to_plan_id=target.id,
        to_plan_name=target.name,
        old_monthly_price=old.monthly_price,
        new_monthly_price=row.new_monthly_price,
        currency=row.currency,
        price_includes_tax=target.billing == "prepaid",
        direction=row.direction,  # type: ignore[arg-type]
        proration=row.proration,
        fees=row.fees,
        effective_date=row.effective_date,
        contract_end=row.contract_end,
        expires_at=row.expires_at,
        notes=notes.texts,
        note_codes=notes.codes,
    )


def quote(
    session: Session, now: datetime, customer_id: str, plan_id: str, line_id: str | None, actor: str
) -> PlanChangeQuote:
    """Price and store a plan change; raises NotEligible listing every failing rule."""
    today = now.date()
    ctx, defaulted = load_context(session, customer_id, line_id, today)
    target = lookups.plan(session, plan_id)
    reasons = plan_change_reasons(ctx, target)
    if reasons:
        raise NotEligible(
            f"{target.name} cannot be chosen: " + "; ".join(reasons.texts), **reasons.refusal()
        )
    terms = _terms(ctx, target)
    count = select(func.count()).select_from(PlanChangeRequest)
    seq = session.scalar(count.where(PlanChangeRequest.line_id == ctx.line.id))
    quote_id = "Q-" + _digest(ctx.line.id, target.id, now.isoformat(), seq)[:10]
    row = PlanChangeRequest(
        id=quote_id,
        customer_id=ctx.customer.id,
        line_id=ctx.line.id,
        line_version=ctx.line.version,
        from_plan_id=ctx.current_plan.id,
        to_plan_id=target.id,
        direction=terms.direction,
        new_monthly_price=target.monthly_price,
        proration=terms.proration,
        fees=terms.fees,
        currency=target.currency,
        effective_date=terms.effective_date,
        contract_end=terms.contract_end,
        created_at=now,
        expires_at=now + QUOTE_TTL,
        status="quoted",
        idempotency_key=quote_id,
    )
    session.add(row)
    audit.record(
        session,
        now,
        actor,
        "plan_change.quoted",
        ctx.customer.id,
        quote_id=quote_id,
        line_id=ctx.line.id,
        from_plan=ctx.current_plan.id,
        to_plan=target.id,
        proration=row.proration,
        fees=row.fees,
    )
    return quote_view(row, ctx.current_plan, target, ctx, defaulted)


def stored_quote(
    session: Session, now: datetime, customer_id: str, quote_id: str
) -> PlanChangeQuote | None:
    """A stored plan-change quote of this customer (any status), or None."""
    row = own_quote(session, PlanChangeRequest, customer_id, quote_id)
    if row is None:
        return None
    ctx, _ = load_context(session, customer_id, row.line_id, now.date())
    old, target = lookups.plan(session, row.from_plan_id), lookups.plan(session, row.to_plan_id)
    return quote_view(row, old, target, ctx, defaulted=False)
