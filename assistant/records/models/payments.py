"""How a customer pays: saved payment methods and payment requests (quotes, VelaPesa, promises).

A saved method keeps only what identifies it to the customer (a card's brand and last 4 digits,
a bank account's last 4, a masked VelaPesa number): never a full card or account number.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base

#: Kinds of saved method.
METHOD_KINDS = ("card", "direct_debit", "velapesa")
#: Kinds of payment request.
REQUEST_KINDS = ("payment", "velapesa", "arrangement")
#: Lifecycle: quoted -> applied (paid / request approved / promise agreed) | cancelled; an
#: agreed promise ends as kept (paid in time) or broken.
REQUEST_STATUSES = ("quoted", "applied", "cancelled", "kept", "broken")


class PaymentMethod(Base):
    """A payment method saved on an account (the customer set it up outside the chat)."""

    __tablename__ = "payment_methods"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in METHOD_KINDS) + ")", name="kind"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True, doc="Method id, e.g. PM-1001-1.")
    account_id: Mapped[str] = mapped_column(
        ForeignKey("accounts.id"), index=True, doc="Account it pays."
    )
    kind: Mapped[str] = mapped_column(String(16), doc="card | direct_debit | velapesa.")
    label: Mapped[str] = mapped_column(
        String(40), doc="What the customer recognises: 'Visa', 'Barclays', 'VelaPesa'."
    )
    last4: Mapped[str] = mapped_column(String(4), doc="Last 4 digits of the card/account/number.")
    is_default: Mapped[bool] = mapped_column(doc="The method used when none is named.")


class PaymentRequest(Base):
    """A priced payment, VelaPesa request or promise to pay; once applied, its record.

    One table for the three kinds so the confirmation step (which shows any stored quote and
    cancels it on a decline) treats them like plan-change and add-on quotes.
    """

    __tablename__ = "payment_requests"
    __table_args__ = (
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in REQUEST_KINDS) + ")", name="kind"
        ),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in REQUEST_STATUSES) + ")", name="status"
        ),
    )

    id: Mapped[str] = mapped_column(String(24), primary_key=True, doc="Quote id: PQ-... / AQ-...")
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12), doc="payment | velapesa | arrangement.")
    method_id: Mapped[str | None] = mapped_column(
        ForeignKey("payment_methods.id"), doc="Saved method charged; None for an arrangement."
    )
    allocations: Mapped[dict[str, str]] = mapped_column(
        JSON, doc="Bill period -> amount paid (or promised) on it, oldest first."
    )
    amount: Mapped[Decimal] = mapped_column(doc="Total paid or promised.")
    currency: Mapped[str] = mapped_column(String(3))
    pay_by: Mapped[date | None] = mapped_column(doc="Promise date of an arrangement.")
    created_at: Mapped[datetime] = mapped_column(doc="When quoted (clock time).")
    expires_at: Mapped[datetime] = mapped_column(doc="Quote is void after this instant.")
    status: Mapped[str] = mapped_column(String(10), doc="quoted | applied | cancelled | ...")
    reference: Mapped[str | None] = mapped_column(
        String(16), unique=True, doc="PY-/VP-/PA- reference once applied."
    )
    applied_at: Mapped[datetime | None] = mapped_column(doc="When applied (clock time).")
