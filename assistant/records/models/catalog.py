"""The plan and add-on catalog, loaded from catalog.yaml (the single source of truth)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.records.models.base import Base


class Plan(Base):
    """A tariff a line can be on. Postpaid prices exclude tax; prepaid prices include it."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, doc="Catalog id: GB-PLUS-30.")
    name: Mapped[str] = mapped_column(String(80), doc="Marketing name.")
    country: Mapped[str] = mapped_column(String(2), index=True, doc="Where it is sold.")
    currency: Mapped[str] = mapped_column(String(3), doc="Currency of the prices.")
    segment: Mapped[str] = mapped_column(String(10), doc="consumer | business.")
    billing: Mapped[str] = mapped_column(String(10), doc="postpaid | prepaid.")
    monthly_price: Mapped[Decimal] = mapped_column(doc="Price per calendar month.")
    data_gb: Mapped[Decimal | None] = mapped_column(doc="Data allowance in GB; None = unlimited.")
    minutes: Mapped[int | None] = mapped_column(doc="Minutes allowance; None = unlimited.")
    sms: Mapped[int | None] = mapped_column(doc="SMS allowance; None = unlimited.")
    roaming_zones: Mapped[list[str]] = mapped_column(JSON, doc="Zones included in the allowance.")
    five_g: Mapped[bool] = mapped_column(doc="5G access.")
    contract_months: Mapped[int] = mapped_column(doc="Minimum term in months (0 = none).")
    early_termination_percent: Mapped[int] = mapped_column(
        doc="Share of remaining monthly fees charged when leaving during the minimum term."
    )
    on_sale_from: Mapped[date] = mapped_column(doc="First day the plan can be chosen.")
    on_sale_to: Mapped[date | None] = mapped_column(doc="Last day on sale; None = still on sale.")


class Addon(Base):
    """An extra a customer can buy on a line: more data or a roaming pass."""

    __tablename__ = "addons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, doc="Catalog id, e.g. GB-DATA-5.")
    name: Mapped[str] = mapped_column(String(80), doc="Marketing name.")
    country: Mapped[str] = mapped_column(String(2), index=True, doc="Where it is sold.")
    currency: Mapped[str] = mapped_column(String(3), doc="Currency of the price.")
    kind: Mapped[str] = mapped_column(String(16), doc="data | roaming_day | roaming_bundle.")
    price: Mapped[Decimal] = mapped_column(doc="Price (postpaid: excl. tax; prepaid: incl.).")
    data_gb: Mapped[Decimal | None] = mapped_column(doc="Data included in GB, if any.")
    zone: Mapped[str | None] = mapped_column(String(4), doc="Roaming zone covered, if any.")
    validity_days: Mapped[int] = mapped_column(doc="Days the add-on lasts from purchase.")
