"""Turning ORM rows into views (masking numbers, deriving statuses as of today)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.records.models import Addon, Bill, Customer, Plan
from assistant.records.money import CURRENCIES
from assistant.records.views import AddonView, BillSummary, CustomerView, PlanView


def customer_view(row: Customer) -> CustomerView:
    """The customer as the assistant may see them."""
    return CustomerView(
        id=row.id,
        name=row.name,
        contact_name=row.contact_name,
        email=row.email,
        segment=row.segment,  # type: ignore[arg-type]
        country=row.country,  # type: ignore[arg-type]
        language=row.language,  # type: ignore[arg-type]
        currency=CURRENCIES[row.country],
    )


def is_on_sale(plan: Plan, today: date) -> bool:
    """True when ``plan`` can be chosen on ``today``."""
    return plan.on_sale_from <= today and (plan.on_sale_to is None or today <= plan.on_sale_to)


def plan_view(plan: Plan, today: date) -> PlanView:
    """A catalog plan."""
    return PlanView(
        id=plan.id,
        name=plan.name,
        country=plan.country,
        currency=plan.currency,
        segment=plan.segment,
        billing=plan.billing,
        monthly_price=plan.monthly_price,
        price_includes_tax=plan.billing == "prepaid",
        data_gb=plan.data_gb,
        minutes=plan.minutes,
        sms=plan.sms,
        roaming_zones=list(plan.roaming_zones),
        five_g=plan.five_g,
        contract_months=plan.contract_months,
        early_termination_percent=plan.early_termination_percent,
        on_sale=is_on_sale(plan, today),
    )


def addon_view(addon: Addon, prepaid: bool) -> AddonView:
    """A catalog add-on; prepaid customers pay tax-inclusive prices."""
    return AddonView(
        id=addon.id,
        name=addon.name,
        kind=addon.kind,
        price=addon.price,
        currency=addon.currency,
        price_includes_tax=prepaid,
        data_gb=addon.data_gb,
        zone=addon.zone,
        validity_days=addon.validity_days,
    )


def bill_status(bill: Bill, today: date) -> str:
    """Status as of today: paid when settled, overdue when past due, else issued."""
    if bill.amount_paid >= bill.total:
        return "paid"
    return "overdue" if bill.due_date < today else "issued"


def bill_summary(bill: Bill, today: date) -> BillSummary:
    """One bill in a list."""
    return BillSummary(
        period=bill.period,
        issue_date=bill.issue_date,
        due_date=bill.due_date,
        status=bill_status(bill, today),  # type: ignore[arg-type]
        currency=bill.currency,
        total=bill.total,
        amount_paid=bill.amount_paid,
        balance_due=max(bill.total - bill.amount_paid, Decimal("0.00")),
    )
