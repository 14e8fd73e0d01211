"""Quoting, applying and cancelling plan changes (one transaction each, audited).

Upgrades apply today with a prorated charge for the rest of the cycle; downgrades apply from
the 1st of next month, with an early-termination fee inside the minimum term. Applying is
idempotent by quote id and guarded by an optimistic lock on the line's version.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from assistant.errors import Conflict, InvalidInput, NotEligible, NotFound, QuoteExpired
from assistant.records import money
from assistant.records.models import Line, Plan, PlanChangeRequest, Subscription
from assistant.records.services import audit, lookups
from assistant.records.services.eligibility import (
    LineContext,
    direction,
    early_termination_fee,
    in_minimum_term,
    load_context,
    plan_change_reasons,
)
from assistant.records.views import ChangeResult, PlanChangeQuote

QUOTE_TTL = timedelta(minutes=30)


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest().upper()


def reference_for(quote_id: str) -> str:
    """Deterministic confirmation reference of a plan-change quote."""
    return "PC-" + _digest("plan-change", quote_id)[:8]


def _terms(ctx: LineContext, target: Plan) -> dict[str, object]:
    """Price the change: direction, effective date, proration, fee, new minimum term."""
    today, old = ctx.today, ctx.current_plan
    way = direction(old, target)
    notes = []
    if way == "upgrade":
        effective = today
        dim = money.days_in_month(today)
        remaining = dim - today.day + 1
        proration = money.cents((target.monthly_price - old.monthly_price) * remaining / dim)
        notes.append(
            f"Upgrade takes effect today; a one-off prorated charge of "
            f"{money.format_money(proration, target.currency)} ({remaining} of {dim} days) "
            "is added to the next bill."
        )
    else:
        effective = money.next_month_start(today)
        proration = Decimal("0.00")
        notes.append(f"Change takes effect on {effective.isoformat()}; no prorated charge.")
    fee, months = early_termination_fee(ctx, target, effective)
    if fee:
        notes.append(
            f"Your minimum term runs until {ctx.subscription.contract_end}; leaving it early "
            f"costs {money.format_money(fee, target.currency)} "
            f"({old.early_termination_percent}% x {months} remaining months x "
            f"{money.format_money(old.monthly_price - target.monthly_price, target.currency)})."
        )
    new_term = money.contract_end_for(effective, target.contract_months)
    contract_end = new_term
    if way == "upgrade" and in_minimum_term(ctx.subscription, today):
        # An upgrade keeps the customer in their existing term if that runs longer.
        current_end = ctx.subscription.contract_end
        contract_end = max(d for d in (new_term, current_end) if d is not None)
    if contract_end:
        notes.append(f"Minimum term after the change runs until {contract_end.isoformat()}.")
    if target.billing == "postpaid":
        notes.append(f"Prices exclude {money.TAX_NAMES[ctx.customer.country]}, added on the bill.")
    return {
        "direction": way,
        "effective_date": effective,
        "proration": proration,
        "fees": fee,
        "contract_end": contract_end,
        "notes": notes,
    }


def quote(
    session: Session, now: datetime, customer_id: str, plan_id: str, line_id: str | None, actor: str
) -> PlanChangeQuote:
    """Price and store a plan change; raises NotEligible listing every failing rule."""
    today = now.date()
    ctx, defaulted = load_context(session, customer_id, line_id, today)
    target = lookups.plan(session, plan_id)
    reasons = plan_change_reasons(ctx, target)
    if reasons:
        raise NotEligible(f"{target.name} cannot be chosen: " + "; ".join(reasons), reasons=reasons)
    terms = _terms(ctx, target)
    seq = session.scalar(
        select(func.count())
        .select_from(PlanChangeRequest)
        .where(PlanChangeRequest.line_id == ctx.line.id)
    )
    quote_id = "Q-" + _digest(ctx.line.id, target.id, now.isoformat(), seq)[:10]
    row = PlanChangeRequest(
        id=quote_id,
        customer_id=ctx.customer.id,
        line_id=ctx.line.id,
        line_version=ctx.line.version,
        from_plan_id=ctx.current_plan.id,
        to_plan_id=target.id,
        direction=terms["direction"],
        new_monthly_price=target.monthly_price,
        proration=terms["proration"],
        fees=terms["fees"],
        currency=target.currency,
        effective_date=terms["effective_date"],
        contract_end=terms["contract_end"],
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
    return PlanChangeQuote(
        quote_id=quote_id,
        line_id=ctx.line.id,
        msisdn_masked=money.mask_msisdn(ctx.line.msisdn),
        line_defaulted=defaulted,
        from_plan_id=ctx.current_plan.id,
        from_plan_name=ctx.current_plan.name,
        to_plan_id=target.id,
        to_plan_name=target.name,
        old_monthly_price=ctx.current_plan.monthly_price,
        new_monthly_price=target.monthly_price,
        currency=target.currency,
        price_includes_tax=target.billing == "prepaid",
        direction=terms["direction"],  # type: ignore[arg-type]
        proration=row.proration,
        fees=row.fees,
        effective_date=row.effective_date,
        contract_end=row.contract_end,
        expires_at=row.expires_at,
        notes=terms["notes"],  # type: ignore[arg-type]
    )


def _locked_request(session: Session, customer_id: str, quote_id: str) -> PlanChangeRequest:
    lookups.customer(session, customer_id)
    row = session.scalars(
        select(PlanChangeRequest).where(PlanChangeRequest.id == quote_id).with_for_update()
    ).first()
    if row is None or row.customer_id != customer_id:
        raise NotFound(f"plan-change quote {quote_id!r} not found", quote_id=quote_id)
    return row


def _result(row: PlanChangeRequest, already: bool) -> ChangeResult:
    when = "today" if row.direction == "upgrade" else f"on {row.effective_date.isoformat()}"
    return ChangeResult(
        kind="plan_change",
        reference=row.reference or "",
        quote_id=row.id,
        line_id=row.line_id,
        effective_date=row.effective_date,
        already_applied=already,
        message=f"Plan change to {row.to_plan_id} confirmed (reference {row.reference}); "
        f"it takes effect {when}.",
    )


def apply(
    session: Session, now: datetime, customer_id: str, quote_id: str, actor: str
) -> ChangeResult:
    """Apply a stored quote once; re-applying returns the same reference and changes nothing."""
    row = _locked_request(session, customer_id, quote_id)
    if row.status == "applied":
        return _result(row, already=True)
    if row.status != "quoted":
        raise InvalidInput(
            f"quote {quote_id} is {row.status} and cannot be applied", status=row.status
        )
    if now > row.expires_at:
        raise QuoteExpired(
            f"quote {quote_id} expired at {row.expires_at.isoformat()}; ask for a new quote",
            quote_id=quote_id,
        )
    ctx, _ = load_context(session, customer_id, row.line_id, now.date())
    if ctx.line.version != row.line_version:
        raise Conflict(
            f"line {row.line_id} changed since quote {quote_id} was made; nothing was applied",
            quote_id=quote_id,
        )
    target = lookups.plan(session, row.to_plan_id)
    reasons = plan_change_reasons(ctx, target)
    if reasons:
        raise NotEligible(f"{target.name} cannot be chosen: " + "; ".join(reasons), reasons=reasons)
    bumped = session.execute(
        update(Line)
        .where(Line.id == row.line_id, Line.version == row.line_version)
        .values(version=Line.version + 1)
        .execution_options(synchronize_session=False)
    )
    if bumped.rowcount != 1:
        raise Conflict(
            f"another change to line {row.line_id} won the race; nothing was applied",
            quote_id=quote_id,
        )
    _reschedule(session, now, ctx, row, actor)
    row.status, row.reference, row.applied_at = "applied", reference_for(row.id), now
    audit.record(
        session,
        now,
        actor,
        "plan_change.applied",
        customer_id,
        quote_id=row.id,
        reference=row.reference,
        line_id=row.line_id,
        from_plan=row.from_plan_id,
        to_plan=row.to_plan_id,
        effective_date=row.effective_date,
        proration=row.proration,
        fees=row.fees,
    )
    return _result(row, already=False)


def _reschedule(
    session: Session, now: datetime, ctx: LineContext, row: PlanChangeRequest, actor: str
) -> None:
    """End the current subscription at the effective date, replacing any pending one."""
    today = now.date()
    for pending in lookups.pending_subscriptions(session, row.line_id, today):
        superseded = session.get(PlanChangeRequest, pending.change_request_id or "")
        if superseded is not None and superseded.status == "applied":
            superseded.status = "cancelled"
            audit.record(
                session,
                now,
                actor,
                "plan_change.superseded",
                ctx.customer.id,
                reference=superseded.reference,
                superseded_by=row.id,
            )
        session.delete(pending)
    ctx.subscription.end_date = row.effective_date
    session.add(
        Subscription(
            line_id=row.line_id,
            plan_id=row.to_plan_id,
            start_date=row.effective_date,
            end_date=None,
            contract_end=row.contract_end,
            change_request_id=row.id,
        )
    )


def cancel(session: Session, now: datetime, customer_id: str, quote_id: str, actor: str) -> bool:
    """Cancel a quoted change; False when ``quote_id`` is not a plan-change quote."""
    lookups.customer(session, customer_id)
    row = session.get(PlanChangeRequest, quote_id)
    if row is None or row.customer_id != customer_id:
        return False
    if row.status == "applied":
        raise InvalidInput(
            f"quote {quote_id} was already applied (reference {row.reference}); it cannot be "
            "cancelled here",
            quote_id=quote_id,
        )
    if row.status == "quoted":
        row.status = "cancelled"
        audit.record(session, now, actor, "plan_change.cancelled", customer_id, quote_id=quote_id)
    return True
