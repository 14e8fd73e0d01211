"""Plain descriptions of a customer to seed; ``writer`` turns them into rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass
class LineSpec:
    """A line, its plan and what it costs beyond the plan."""

    number: str
    plan_id: str
    start: date
    status: str = "active"
    suspension_reason: str | None = None
    #: (description, monthly amount) of a handset being paid off, if any.
    device: tuple[str, Decimal] | None = None
    #: Current-cycle usage: data_mb, minutes, sms and roaming MB by zone (EU, EA, Z1, Z2).
    usage: dict[str, int] = field(default_factory=dict)


@dataclass
class CustomerSpec:
    """A customer with one account, its lines, billing story and consent history."""

    id: str
    name: str
    email: str
    segment: str
    country: str
    language: str
    billing: str
    lines: list[LineSpec]
    contact_name: str | None = None
    password_hash: str | None = None
    account_status: str = "active"
    balance: Decimal = Decimal("0.00")
    #: Account-level monthly items: (category, description, amount), e.g. cloud services.
    account_items: list[tuple[str, str, Decimal]] = field(default_factory=list)
    #: One-off items by period: (line index or None, category, description, amount).
    extras: dict[str, list[tuple[int | None, str, str, Decimal]]] = field(default_factory=dict)
    #: Periods whose bill is left unpaid.
    unpaid: set[str] = field(default_factory=set)
    #: Consent records: (purpose, action, at, channel).
    consent: list[tuple[str, str, datetime, str]] = field(default_factory=list)
    #: Payment method used for bills.
    pay_method: str = "direct_debit"
