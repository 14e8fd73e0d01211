"""What was used and what was charged: usage, bills, bill items, payments."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base

#: Every category a bill item can have; explanations group by these.
BILL_CATEGORIES = (
    "plan_fee",
    "addon",
    "roaming",
    "out_of_bundle",
    "device_instalment",
    "cloud_services",
    "tax",
    "discount",
    "credit",
)


class Usage(Base):
    """Consumption of one line in one billing cycle (a calendar month)."""

    __tablename__ = "usage"
    __table_args__ = (UniqueConstraint("line_id", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True, doc="Surrogate key.")
    line_id: Mapped[str] = mapped_column(ForeignKey("lines.id"), doc="The line.")
    cycle: Mapped[str] = mapped_column(String(7), doc="Billing cycle, YYYY-MM.")
    data_mb: Mapped[int] = mapped_column(doc="Domestic data used, MB.")
    minutes: Mapped[int] = mapped_column(doc="Minutes used.")
    sms: Mapped[int] = mapped_column(doc="Text messages sent.")
    roaming_eu_mb: Mapped[int] = mapped_column(default=0, doc="Data used roaming in zone EU, MB.")
    roaming_ea_mb: Mapped[int] = mapped_column(default=0, doc="Data used roaming in zone EA, MB.")
    roaming_z1_mb: Mapped[int] = mapped_column(default=0, doc="Data used roaming in zone Z1, MB.")
    roaming_z2_mb: Mapped[int] = mapped_column(default=0, doc="Data used roaming in zone Z2, MB.")


class Bill(Base):
    """A monthly invoice of a postpaid account (one per account and period)."""

    __tablename__ = "bills"
    __table_args__ = (
        UniqueConstraint("account_id", "period"),
        CheckConstraint("status IN ('issued', 'paid', 'overdue')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, doc="Surrogate key.")
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), doc="Billed account.")
    period: Mapped[str] = mapped_column(String(7), doc="Billing period, YYYY-MM.")
    issue_date: Mapped[date] = mapped_column(doc="1st of the month after the period.")
    due_date: Mapped[date] = mapped_column(doc="15th of the month after the period.")
    status: Mapped[str] = mapped_column(String(10), doc="issued | paid | overdue (as recorded).")
    currency: Mapped[str] = mapped_column(String(3), doc="Currency of every amount.")
    subtotal: Mapped[Decimal] = mapped_column(doc="Sum of the items before tax.")
    tax: Mapped[Decimal] = mapped_column(doc="VAT / IVA charged.")
    total: Mapped[Decimal] = mapped_column(doc="subtotal + tax.")
    amount_paid: Mapped[Decimal] = mapped_column(doc="Paid so far.")


class BillItem(Base):
    """One line of a bill, in one category."""

    __tablename__ = "bill_items"
    __table_args__ = (
        CheckConstraint(
            "category IN (" + ", ".join(f"'{c}'" for c in BILL_CATEGORIES) + ")", name="category"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True, doc="Surrogate key.")
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True, doc="The bill.")
    line_id: Mapped[str | None] = mapped_column(
        ForeignKey("lines.id"), doc="Line charged; None for account-level items (cloud, tax)."
    )
    category: Mapped[str] = mapped_column(String(20), doc="One of BILL_CATEGORIES.")
    description: Mapped[str] = mapped_column(String(160), doc="What the customer sees.")
    amount: Mapped[Decimal] = mapped_column(doc="Signed amount; discounts and credits < 0.")


class Payment(Base):
    """Money received against a bill."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True, doc="Surrogate key.")
    bill_id: Mapped[int] = mapped_column(ForeignKey("bills.id"), index=True, doc="Bill paid.")
    amount: Mapped[Decimal] = mapped_column(doc="Amount received.")
    method: Mapped[str] = mapped_column(
        String(16), doc="direct_debit | card | bank_transfer | mpesa."
    )
    paid_on: Mapped[date] = mapped_column(doc="Date received.")
    reference: Mapped[str] = mapped_column(
        String(32), doc="Masked payment reference (never a full card or account number)."
    )
