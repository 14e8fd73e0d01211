"""Who may move to which plan: every failing rule, in words a customer understands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from assistant.records.models import Account, Bill, Customer, Line, Plan, Subscription
from assistant.records.money import cents, format_money, whole_months_between
from assistant.records.present import is_on_sale
from assistant.records.services import lookups
from assistant.records.texts import Texts


@dataclass(frozen=True)
class LineContext:
    """Everything the rules look at for one line, loaded once."""

    customer: Customer
    account: Account
    line: Line
    subscription: Subscription
    current_plan: Plan
    overdue: list[Bill]
    today: date


def account_blockers(ctx: LineContext) -> Texts:
    """Rules shared by plan changes and add-ons: suspension and arrears."""
    reasons = Texts()
    if ctx.account.status == "suspended":
        reasons.add("reason.account_suspended", "your account is suspended")
    if ctx.line.status == "suspended":
        why = f" ({ctx.line.suspension_reason})" if ctx.line.suspension_reason else ""
        code = "reason.line_suspended_why" if why else "reason.line_suspended"
        reasons.add(
            code, f"line {ctx.line.id} is suspended{why}",
            line=ctx.line.id, why=ctx.line.suspension_reason,
        )  # fmt: skip
    if ctx.overdue:
        owed = sum((b.total - b.amount_paid for b in ctx.overdue), Decimal("0"))
        periods = ", ".join(b.period for b in ctx.overdue)
        first_due = ctx.overdue[0].due_date.isoformat()
        reasons.add(
            "reason.arrears",
            f"there is {format_money(owed, ctx.account.currency)} unpaid on bills past their due "
            f"date (period {periods}, first due {first_due}); please pay it first",
            amount=owed, currency=ctx.account.currency, periods=periods, first_due=first_due,
        )  # fmt: skip
    return reasons


def plan_change_reasons(ctx: LineContext, target: Plan) -> Texts:
    """Every rule ``target`` fails for this line; empty when the change is allowed."""
    reasons = Texts()
    plan = target.name
    if target.id == ctx.current_plan.id:
        reasons.add(
            "reason.already_on_plan", f"{plan} is already the plan on line {ctx.line.id}",
            plan=plan, line=ctx.line.id,
        )  # fmt: skip
    if target.country != ctx.customer.country:
        reasons.add(
            "reason.other_country",
            f"{plan} is sold in {target.country} only; your account is in "
            f"{ctx.customer.country}",
            plan=plan, sold_in=target.country, country=ctx.customer.country,
        )  # fmt: skip
    if not is_on_sale(target, ctx.today):
        if target.on_sale_from > ctx.today:
            reasons.add(
                "reason.not_yet_on_sale",
                f"{plan} is not on sale until {target.on_sale_from.isoformat()}",
                plan=plan, date=target.on_sale_from,
            )  # fmt: skip
        else:
            sold_until = target.on_sale_to.isoformat() if target.on_sale_to else "?"
            reasons.add(
                "reason.no_longer_on_sale",
                f"{plan} is no longer on sale (sold until {sold_until})",
                plan=plan, date=sold_until,
            )  # fmt: skip
    if target.segment != ctx.customer.segment:
        code = "reason.business_only" if target.segment == "business" else "reason.consumer_only"
        who = "business customers" if target.segment == "business" else "consumers"
        reasons.add(code, f"{plan} is for {who} only", plan=plan)
    if target.billing != ctx.account.billing_type:
        reasons.add(
            f"reason.{target.billing}_plan_for_{ctx.account.billing_type}_account",
            f"{plan} is a {target.billing} plan and your account is "
            f"{ctx.account.billing_type}; switching between them is not possible here",
            plan=plan,
        )  # fmt: skip
    reasons.extend(account_blockers(ctx))
    return reasons


def direction(current: Plan, target: Plan) -> str:
    """'upgrade' when the target costs more per month, else 'downgrade'."""
    return "upgrade" if target.monthly_price > current.monthly_price else "downgrade"


def in_minimum_term(subscription: Subscription, today: date) -> bool:
    """True while the line's minimum term runs."""
    return subscription.contract_end is not None and today <= subscription.contract_end


def early_termination_fee(ctx: LineContext, target: Plan, effective: date) -> tuple[Decimal, int]:
    """(fee, remaining whole months) for a downgrade inside the minimum term; else (0, 0).

    fee = early_termination_percent% x remaining whole months x (old - new monthly price).
    """
    old, sub = ctx.current_plan, ctx.subscription
    if direction(old, target) != "downgrade" or not in_minimum_term(sub, ctx.today):
        return Decimal("0.00"), 0
    assert sub.contract_end is not None
    months = whole_months_between(effective, sub.contract_end)
    share = Decimal(old.early_termination_percent) / 100
    return cents(share * months * (old.monthly_price - target.monthly_price)), months


def load_context(
    session: Session, customer_id: str, line_id: str | None, today: date
) -> tuple[LineContext, bool]:
    """Load the rule context of a line (the primary one when ``line_id`` is None)."""
    cust = lookups.customer(session, customer_id)
    acct = lookups.account(session, customer_id)
    line, defaulted = lookups.resolve_line(session, acct, line_id)
    sub = lookups.current_subscription(session, line.id, today)
    ctx = LineContext(
        customer=cust,
        account=acct,
        line=line,
        subscription=sub,
        current_plan=lookups.plan(session, sub.plan_id),
        overdue=lookups.overdue_bills(session, acct.id, today),
        today=today,
    )
    return ctx, defaulted
