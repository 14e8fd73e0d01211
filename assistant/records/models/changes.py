"""Requested and applied changes: plan-change quotes and add-on purchases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base


def _status_check() -> CheckConstraint:
    return CheckConstraint("status IN ('quoted', 'applied', 'cancelled', 'expired')", name="status")


class PlanChangeRequest(Base):
    """A quoted plan change; once applied it is the record of the change."""

    __tablename__ = "plan_change_requests"
    __table_args__ = (_status_check(),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True, doc="Quote id: Q-...")
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    line_id: Mapped[str] = mapped_column(ForeignKey("lines.id"), index=True, doc="Line changed.")
    line_version: Mapped[int] = mapped_column(doc="Line version when quoted (optimistic lock).")
    from_plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), doc="Plan before.")
    to_plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), doc="Plan after.")
    direction: Mapped[str] = mapped_column(String(10), doc="upgrade | downgrade.")
    new_monthly_price: Mapped[Decimal] = mapped_column(doc="Monthly price of the new plan.")
    proration: Mapped[Decimal] = mapped_column(doc="One-off prorated charge for the cycle.")
    fees: Mapped[Decimal] = mapped_column(doc="Early-termination fee, if any.")
    currency: Mapped[str] = mapped_column(String(3))
    effective_date: Mapped[date] = mapped_column(doc="When the new plan starts.")
    contract_end: Mapped[date | None] = mapped_column(doc="Minimum-term end after the change.")
    created_at: Mapped[datetime] = mapped_column(doc="When quoted (clock time).")
    expires_at: Mapped[datetime] = mapped_column(doc="Quote is void after this instant.")
    status: Mapped[str] = mapped_column(String(10), doc="quoted | applied | cancelled | expired.")
    idempotency_key: Mapped[str] = mapped_column(
        String(40), unique=True, doc="Key making apply idempotent (the quote id)."
    )
    reference: Mapped[str | None] = mapped_column(
        String(16), unique=True, doc="Confirmation reference (PC-XXXXXXXX) once applied."
    )
    applied_at: Mapped[datetime | None] = mapped_column(doc="When applied (clock time).")


class AddonPurchase(Base):
    """A quoted add-on; once applied it is the purchase record."""

    __tablename__ = "addon_purchases"
    __table_args__ = (_status_check(),)

    id: Mapped[str] = mapped_column(String(24), primary_key=True, doc="Quote id, e.g. AQ-...")
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    line_id: Mapped[str] = mapped_column(ForeignKey("lines.id"), index=True, doc="Line it is for.")
    addon_id: Mapped[str] = mapped_column(ForeignKey("addons.id"), doc="Catalog add-on.")
    price: Mapped[Decimal] = mapped_column(doc="Price charged.")
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(doc="When quoted (clock time).")
    expires_at: Mapped[datetime] = mapped_column(doc="Quote is void after this instant.")
    valid_from: Mapped[datetime | None] = mapped_column(doc="Start of validity once applied.")
    valid_to: Mapped[datetime | None] = mapped_column(doc="End of validity once applied.")
    status: Mapped[str] = mapped_column(String(10), doc="quoted | applied | cancelled | expired.")
    idempotency_key: Mapped[str] = mapped_column(String(40), unique=True)
    reference: Mapped[str | None] = mapped_column(
        String(16), unique=True, doc="Confirmation reference (AO-XXXXXXXX) once applied."
    )
