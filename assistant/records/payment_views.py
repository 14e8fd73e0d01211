"""Read models of payments: what is owed, saved methods, payment quotes and their outcomes.

Kept beside ``views.py`` (same ``View`` base, same JSON conventions) so that module stays small.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from assistant.records.views import View


class SavedMethodView(View):
    """A payment method saved on the account: never more than its last 4 digits."""

    method_id: str = Field(description="Id to name this method in quote_payment.")
    kind: Literal["card", "direct_debit", "velapesa"] = Field(description="Kind of method.")
    label: str = Field(description="What the customer recognises, e.g. 'Visa', 'VelaPesa'.")
    last4: str = Field(description="Last 4 digits of the card, bank account or phone number.")
    is_default: bool = Field(description="Used when no method is named.")


class OwedBill(View):
    """One bill with money still owed, with the dates the payments policy sets for it."""

    period: str = Field(description="Billing period YYYY-MM.")
    status: Literal["overdue", "issued"] = Field(description="overdue = past its due date.")
    total: Decimal = Field(description="Bill total.")
    balance_due: Decimal = Field(description="Still to pay on this bill.")
    due_date: date = Field(description="Due date.")
    days_overdue: int = Field(description="Days past the due date (0 if not yet due).")
    late_fee_date: date = Field(description="When the late payment fee is added (due + 14 days).")
    suspension_date: date = Field(
        description="When outgoing service is suspended if still unpaid (due + 30 days)."
    )


class ArrangementView(View):
    """A promise to pay the overdue balance by a date."""

    reference: str = Field(description="PA-... reference.")
    amount: Decimal = Field(description="Amount promised.")
    currency: str = Field(description="Currency.")
    pay_by: date = Field(description="Date by which it will be paid.")
    status: Literal["applied", "kept", "broken"] = Field(description="applied = open.")


class AmountOwed(View):
    """Everything the customer owes, overdue bills first (oldest first)."""

    billing_type: Literal["postpaid", "prepaid"] = Field(
        description="Prepaid accounts owe nothing."
    )
    currency: str = Field(description="Currency.")
    total_due: Decimal = Field(description="Everything still to pay, overdue or not.")
    overdue_total: Decimal = Field(description="Total of overdue bills.")
    bills: list[OwedBill] = Field(description="Bills with a balance, overdue first.")
    suspended_for_non_payment: list[str] = Field(
        description="Lines suspended because of overdue bills (lifted once they are paid)."
    )
    other_suspensions: list[str] = Field(
        description="Lines suspended for another reason (e.g. fraud hold): payment does not lift."
    )
    saved_methods: list[SavedMethodView] = Field(description="Saved methods, default first.")
    arrangement: ArrangementView | None = Field(description="Open promise to pay, if any.")
    promise_latest: date = Field(
        description="Latest date a promise to pay may name today (the payments policy)."
    )
    policy: str = Field(description="Id of the payments policy document these dates come from.")


class PaymentQuote(View):
    """A stored payment, VelaPesa request or promise to pay, awaiting confirmation."""

    quote_id: str = Field(description="Quote id to apply or cancel.")
    kind: Literal["payment", "velapesa", "arrangement"] = Field(description="What it is.")
    title: str = Field(description="One-line description for the confirmation prompt.")
    amount: Decimal = Field(description="Amount paid or promised.")
    currency: str = Field(description="Currency.")
    allocations: dict[str, Decimal] = Field(description="Bill period -> amount on it.")
    method: SavedMethodView | None = Field(description="Method charged; null for a promise.")
    pay_by: date | None = Field(description="Promise date of an arrangement.")
    lifts_suspension: bool = Field(
        description="True when paying this clears every overdue bill of a non-payment suspension."
    )
    expires_at: datetime = Field(description="The quote cannot be applied after this.")


class PaymentResult(View):
    """Outcome of applying a payment quote."""

    kind: Literal["payment", "velapesa", "arrangement"] = Field(description="What was applied.")
    reference: str = Field(description="PY- (payment), VP- (VelaPesa) or PA- (promise).")
    quote_id: str = Field(description="The quote applied.")
    amount: Decimal = Field(description="Amount paid or promised.")
    currency: str = Field(description="Currency.")
    allocations: dict[str, Decimal] = Field(description="Bill period -> amount on it.")
    method: SavedMethodView | None = Field(description="Method charged; null for a promise.")
    pay_by: date | None = Field(description="Promise date of an arrangement.")
    lines_restored: list[str] = Field(description="Lines reconnected by this payment.")
    remaining_due: Decimal = Field(description="Still owed afterwards.")
    already_applied: bool = Field(description="True when this quote had been applied before.")
    message: str = Field(description="Plain-language confirmation.")
