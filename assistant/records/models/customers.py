"""Who the customer is and what they have: customers, accounts, lines, subscriptions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base


class Customer(Base):
    """A person or company that holds an account with Vela Telecom."""

    __tablename__ = "customers"
    __table_args__ = (
        CheckConstraint("segment IN ('consumer', 'business')", name="segment"),
        CheckConstraint("country IN ('GB', 'ES', 'KE')", name="country"),
        CheckConstraint("language IN ('en', 'es')", name="language"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True, doc="Customer id, e.g. C-1001.")
    name: Mapped[str] = mapped_column(String(120), doc="Full name, or company name for business.")
    contact_name: Mapped[str | None] = mapped_column(
        String(120), doc="Named contact of a business customer; None for consumers."
    )
    email: Mapped[str] = mapped_column(String(200), unique=True, doc="Sign-in e-mail (lowercase).")
    segment: Mapped[str] = mapped_column(String(10), doc="consumer | business.")
    country: Mapped[str] = mapped_column(String(2), doc="ISO country: GB, ES or KE.")
    language: Mapped[str] = mapped_column(String(2), doc="Preferred language: en or es.")
    password_hash: Mapped[str | None] = mapped_column(
        String(200),
        doc="'alg$params$salt$hash' (scrypt, per-user salt); None = online sign-in not set up.",
    )


class Account(Base):
    """The billing account of a customer (one per customer in this demo world)."""

    __tablename__ = "accounts"
    __table_args__ = (
        CheckConstraint("billing_type IN ('postpaid', 'prepaid')", name="billing_type"),
        CheckConstraint("status IN ('active', 'suspended')", name="status"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True, doc="Account id, e.g. A-1001.")
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id"), index=True, doc="Owner of the account."
    )
    billing_type: Mapped[str] = mapped_column(String(10), doc="postpaid (bills) | prepaid.")
    status: Mapped[str] = mapped_column(String(10), doc="active | suspended.")
    currency: Mapped[str] = mapped_column(String(3), doc="GBP, EUR or KES.")
    balance: Mapped[Decimal] = mapped_column(
        doc="Prepaid balance in major units (tax included); 0 for postpaid accounts."
    )


class Line(Base):
    """A mobile line (SIM + number) on an account."""

    __tablename__ = "lines"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended')", name="status"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True, doc="Line id, e.g. L-1001-1.")
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id"), index=True, doc="Account the line is billed to."
    )
    msisdn: Mapped[str] = mapped_column(String(16), unique=True, doc="E.164 number; PII.")
    iccid: Mapped[str] = mapped_column(String(22), unique=True, doc="SIM serial number.")
    status: Mapped[str] = mapped_column(String(10), doc="active | suspended.")
    suspension_reason: Mapped[str | None] = mapped_column(
        String(60), doc="Why a suspended line is suspended (e.g. lost phone / fraud hold)."
    )
    version: Mapped[int] = mapped_column(
        default=1, doc="Optimistic-locking counter, bumped by every change to the line's plan."
    )


class Subscription(Base):
    """A line on a plan for a period: [start_date, end_date); end None = open-ended."""

    __tablename__ = "subscriptions"
    __table_args__ = (Index("ix_subscriptions_line_start", "line_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True, doc="Surrogate key.")
    line_id: Mapped[str] = mapped_column(ForeignKey("lines.id"), doc="The line.")
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), doc="The plan.")
    start_date: Mapped[date] = mapped_column(doc="First day on the plan.")
    end_date: Mapped[date | None] = mapped_column(doc="First day no longer on the plan.")
    contract_end: Mapped[date | None] = mapped_column(
        doc="Last day of the minimum term; None for plans without a minimum term."
    )
    change_request_id: Mapped[str | None] = mapped_column(
        String(24), doc="Quote id of the plan change that created this subscription, if any."
    )
