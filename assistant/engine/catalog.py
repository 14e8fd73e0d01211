"""The plan and add-on catalog as the engine sees it: names, prices, markets.

``load_catalog()`` reads ``assistant/records/data/catalog.yaml`` (the single source of truth)
and returns plain dicts tagged ``type: plan`` or ``type: addon``; ``Catalog`` indexes them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: Currency of each market, used to guess the market from amounts in tool results.
CURRENCY_MARKET = {"GBP": "GB", "EUR": "ES", "KES": "KE"}


def load_catalog() -> list[dict[str, Any]]:
    """Every plan and add-on of the catalog, each tagged with ``type`` ('plan' or 'addon')."""
    from assistant.records.catalog import read_catalog  # the one reader of catalog.yaml

    data = read_catalog()
    plans = [{**p, "type": "plan"} for p in data.get("plans", [])]
    addons = [{**a, "type": "addon"} for a in data.get("addons", [])]
    return plans + addons


@dataclass(frozen=True)
class Product:
    """A plan or add-on, reduced to what slot filling and follow-ups need."""

    id: str
    name: str
    type: str
    country: str
    currency: str
    price: Decimal
    data_gb: Decimal | None
    segment: str = "consumer"
    kind: str = "plan"
    zone: str | None = None
    on_sale: bool = True

    @property
    def unlimited(self) -> bool:
        """True for plans with unlimited data."""
        return self.type == "plan" and self.data_gb is None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _product(entry: dict[str, Any]) -> Product:
    is_plan = entry.get("type", "plan") == "plan"
    price = entry.get("monthly_price") if is_plan else entry.get("price")
    return Product(
        id=str(entry["id"]),
        name=str(entry["name"]),
        type="plan" if is_plan else "addon",
        country=str(entry.get("country", "")),
        currency=str(entry.get("currency", "")),
        price=_decimal(price) or Decimal(0),
        data_gb=_decimal(entry.get("data_gb")),
        segment=str(entry.get("segment", "consumer")),
        kind="plan" if is_plan else str(entry.get("kind", "data")),
        zone=entry.get("zone"),
        on_sale=entry.get("on_sale_to") is None,
    )


class Catalog:
    """Plans and add-ons by id, with market filters."""

    def __init__(self, entries: Iterable[dict[str, Any]]) -> None:
        products = [_product(e) for e in entries]
        self.by_id: dict[str, Product] = {p.id: p for p in products}
        self.plans = [p for p in products if p.type == "plan"]
        self.addons = [p for p in products if p.type == "addon"]

    def get(self, product_id: str | None) -> Product | None:
        """The product with this id, or None."""
        return self.by_id.get(product_id) if product_id else None

    def plans_in(self, market: str | None) -> list[Product]:
        """Plans sold in ``market`` (all markets when None)."""
        return [p for p in self.plans if market is None or p.country == market]

    def addons_in(self, market: str | None) -> list[Product]:
        """Add-ons sold in ``market`` (all markets when None)."""
        return [a for a in self.addons if market is None or a.country == market]

    def named_in(self, text: str) -> list[Product]:
        """Plans whose exact name appears in ``text`` (e.g. an earlier answer), in text order."""
        found = [(text.find(p.name), p) for p in self.plans if p.name in text]
        # A longer name wins over a name it contains ("Plus 20GB (legacy)" over "Plus 20GB").
        found = [
            (pos, p) for pos, p in found
            if not any(o is not p and p.name in o.name and o.name in text for _, o in found)
        ]
        return [p for _, p in sorted(found, key=lambda item: item[0])]
