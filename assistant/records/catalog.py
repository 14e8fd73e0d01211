"""Loads catalog.yaml (the single source of truth for prices) into the plans/addons tables."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy.orm import Session

from assistant.records.models import Addon, Plan


@lru_cache(maxsize=1)
def read_catalog() -> dict[str, list[dict[str, Any]]]:
    """The parsed catalog file (package data), read once per process."""
    text = (resources.files("assistant.records") / "data" / "catalog.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def plan_rows() -> list[dict[str, Any]]:
    """Catalog plans as column dicts for the ``plans`` table."""
    rows = []
    for plan in read_catalog()["plans"]:
        rows.append(
            {
                **plan,
                "monthly_price": Decimal(plan["monthly_price"]),
                "data_gb": _decimal(plan["data_gb"]),
                "roaming_zones": list(plan["roaming_zones"]),
                "on_sale_from": _day(plan["on_sale_from"]),
                "on_sale_to": _day(plan["on_sale_to"]),
            }
        )
    return rows


def addon_rows() -> list[dict[str, Any]]:
    """Catalog add-ons as column dicts for the ``addons`` table."""
    return [
        {**addon, "price": Decimal(addon["price"]), "data_gb": _decimal(addon["data_gb"])}
        for addon in read_catalog()["addons"]
    ]


def load_catalog(session: Session) -> None:
    """Insert or refresh every plan and add-on from the catalog file."""
    for row in plan_rows():
        session.merge(Plan(**row))
    for row in addon_rows():
        session.merge(Addon(**row))
