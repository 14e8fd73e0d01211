"""The account overview, plan options and catalog listings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from assistant.errors import InvalidInput
from assistant.records import money
from assistant.records.models import Account, Addon, Bill, Plan
from assistant.records.present import addon_view, bill_summary, customer_view, plan_view
from assistant.records.services import audit, lookups
from assistant.records.services.eligibility import (
    direction,
    early_termination_fee,
    in_minimum_term,
    load_context,
    plan_change_reasons,
)
from assistant.records.views import AccountOverview, AddonView, LineView, PlanOption, PlanView


def overview(session: Session, customer_id: str, now: datetime) -> AccountOverview:
    """Customer, account, lines with plans, latest bill and arrears."""
    today = now.date()
    cust = lookups.customer(session, customer_id)
    acct = lookups.account(session, customer_id)
    line_views = []
    for line in lookups.primary_first(lookups.lines(session, acct.id)):
        sub = lookups.current_subscription(session, line.id, today)
        plan = lookups.plan(session, sub.plan_id)
        pending = lookups.pending_subscriptions(session, line.id, today)
        line_views.append(
            LineView(
                line_id=line.id,
                msisdn_masked=money.mask_msisdn(line.msisdn),
                status=line.status,  # type: ignore[arg-type]
                suspension_reason=line.suspension_reason,
                plan_id=plan.id,
                plan_name=plan.name,
                monthly_price=plan.monthly_price,
                contract_end=sub.contract_end,
                in_minimum_term=in_minimum_term(sub, today),
                pending_plan_id=pending[-1].plan_id if pending else None,
                pending_effective_date=pending[-1].start_date if pending else None,
            )
        )
    latest = session.scalars(
        select(Bill).where(Bill.account_id == acct.id).order_by(Bill.period.desc()).limit(1)
    ).first()
    overdue = lookups.overdue_bills(session, acct.id, today)
    return AccountOverview(
        customer=customer_view(cust),
        account_id=acct.id,
        billing_type=acct.billing_type,  # type: ignore[arg-type]
        status=acct.status,  # type: ignore[arg-type]
        currency=acct.currency,
        prepaid_balance=acct.balance if acct.billing_type == "prepaid" else None,
        lines=line_views,
        latest_bill=bill_summary(latest, today) if latest else None,
        overdue_bills=[bill_summary(b, today) for b in overdue],
        arrears=sum((b.total - b.amount_paid for b in overdue), Decimal("0.00")),
    )


def plan_options(
    session: Session, customer_id: str, line_id: str | None, now: datetime
) -> list[PlanOption]:
    """Every other plan of the customer's country, eligible ones first, with reasons."""
    today = now.date()
    ctx, _ = load_context(session, customer_id, line_id, today)
    candidates = session.scalars(
        select(Plan).where(Plan.country == ctx.customer.country, Plan.id != ctx.current_plan.id)
    )
    options = []
    for plan in candidates:
        way = direction(ctx.current_plan, plan)
        effective = today if way == "upgrade" else money.next_month_start(today)
        fee, _ = early_termination_fee(ctx, plan, effective)
        reasons = plan_change_reasons(ctx, plan)
        options.append(
            PlanOption(
                plan=plan_view(plan, today),
                eligible=not reasons,
                reasons=reasons.texts,
                reason_codes=reasons.codes,
                direction=way,  # type: ignore[arg-type]
                monthly_difference=plan.monthly_price - ctx.current_plan.monthly_price,
                early_termination_fee=fee,
                contract_end=ctx.subscription.contract_end,
                line_id=ctx.line.id,
            )
        )
    options.sort(key=lambda o: (not o.eligible, o.plan.monthly_price, o.plan.id))
    return options


def catalog(session: Session, country: str | None, now: datetime) -> list[PlanView]:
    """Catalog plans (of one country, when given), cheapest first."""
    query = select(Plan)
    if country is not None:
        if country not in money.CURRENCIES:
            raise InvalidInput(f"country {country!r} is not one of GB, ES, KE", country=country)
        query = query.where(Plan.country == country)
    rows = session.scalars(query.order_by(Plan.country, Plan.monthly_price, Plan.id))
    return [plan_view(row, now.date()) for row in rows]


def addons_for(session: Session, customer_id: str) -> list[AddonView]:
    """Add-ons sold in the customer's country."""
    cust = lookups.customer(session, customer_id)
    prepaid = lookups.account(session, customer_id).billing_type == "prepaid"
    rows = session.scalars(
        select(Addon).where(Addon.country == cust.country).order_by(Addon.price, Addon.id)
    )
    return [addon_view(row, prepaid) for row in rows]


def top_up(
    session: Session, now: datetime, customer_id: str, amount: Decimal | str | int, actor: str
) -> Decimal:
    """Add credit to a prepaid balance; returns the new balance."""
    value = money.check_amount(amount, "top-up amount")
    acct: Account = lookups.account(session, customer_id)
    if acct.billing_type != "prepaid":
        raise InvalidInput(f"account {acct.id} is postpaid; top-ups are for prepaid accounts")
    # One UPDATE, so concurrent top-ups and add-on debits never lose each other's change.
    session.execute(
        update(Account)
        .where(Account.id == acct.id)
        .values(balance=Account.balance + value)
        .execution_options(synchronize_session=False)
    )
    audit.record(session, now, actor, "prepaid.topped_up", customer_id, amount=value)
    session.refresh(acct)
    return acct.balance
