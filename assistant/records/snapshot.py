"""Deterministic dumps of the database: business state (eval) and every table (seed tests).

``snapshot`` leaves out surrogate ids and quote-derived identifiers (quote ids, PC-/AO-/TK-
references), which depend on how many quotes or tickets came before; two runs reaching the
same business state produce the same snapshot. ``table_dump`` keeps everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from assistant.records.models import (
    Account,
    AddonPurchase,
    Base,
    Bill,
    BillItem,
    ConsentRecord,
    Line,
    Payment,
    PaymentMethod,
    PaymentRequest,
    PlanChangeRequest,
    Subscription,
    Ticket,
)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _rows(session: Session, model: type[Base], columns: list[str], **where: Any) -> list[dict]:
    query = select(*(getattr(model, c) for c in columns))
    for key, values in where.items():
        query = query.where(getattr(model, key).in_(values))
    rows = [
        {c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in session.execute(query)
    ]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def snapshot(session: Session) -> dict[str, Any]:
    """Business state: subscriptions, plan changes, add-ons, tickets, consent, bills, payments,
    saved payment methods and applied payment requests (without quote ids or references)."""
    bills = _rows(
        session,
        Bill,
        [
            "id",
            "account_id",
            "period",
            "issue_date",
            "due_date",
            "status",
            "currency",
            "subtotal",
            "tax",
            "total",
            "amount_paid",
        ],
    )
    items = _rows(session, BillItem, ["bill_id", "line_id", "category", "description", "amount"])
    pays = _rows(session, Payment, ["bill_id", "amount", "method", "paid_on", "reference"])
    key = {b["id"]: (b["account_id"], b["period"]) for b in bills}
    for row in items + pays:
        row["account_id"], row["period"] = key[row.pop("bill_id")]
    for bill in bills:
        del bill["id"]
    return {
        "accounts": _rows(
            session, Account, ["id", "customer_id", "billing_type", "status", "balance"]
        ),
        "lines": _rows(
            session, Line, ["id", "account_id", "status", "suspension_reason", "version"]
        ),
        "subscriptions": _rows(
            session, Subscription, ["line_id", "plan_id", "start_date", "end_date", "contract_end"]
        ),
        "plan_changes": _applied_changes(session),
        "addon_purchases": _rows(
            session,
            AddonPurchase,
            [
                "customer_id",
                "line_id",
                "addon_id",
                "price",
                "currency",
                "valid_from",
                "valid_to",
                "status",
            ],
            status=["applied"],
        ),
        "tickets": _rows(
            session, Ticket, ["customer_id", "topic", "summary", "status", "created_at"]
        ),
        "consent_records": _rows(
            session,
            ConsentRecord,
            ["customer_id", "purpose", "action", "notice_version", "channel", "at"],
        ),
        "bills": bills,
        "bill_items": sorted(items, key=lambda r: json.dumps(r, sort_keys=True)),
        "payments": sorted(pays, key=lambda r: json.dumps(r, sort_keys=True)),
        "payment_methods": _rows(
            session, PaymentMethod, ["id", "account_id", "kind", "label", "last4", "is_default"]
        ),
        "payment_requests": _rows(
            session,
            PaymentRequest,
            [
                "customer_id",
                "kind",
                "method_id",
                "allocations",
                "amount",
                "currency",
                "pay_by",
                "status",
                "applied_at",
            ],
            status=["applied", "kept", "broken"],
        ),
    }


def _applied_changes(session: Session) -> list[dict]:
    """Plan changes that were applied (including ones later superseded)."""
    columns = [
        "customer_id",
        "line_id",
        "from_plan_id",
        "to_plan_id",
        "direction",
        "new_monthly_price",
        "proration",
        "fees",
        "currency",
        "effective_date",
        "contract_end",
        "status",
        "applied_at",
    ]
    query = select(*(getattr(PlanChangeRequest, c) for c in columns)).where(
        PlanChangeRequest.reference.is_not(None)
    )
    rows = [
        {c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in session.execute(query)
    ]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))


def table_dump(connection: Connection) -> Iterator[str]:
    """Every row of every table, ordered by primary key, one JSON line each."""
    for table in Base.metadata.sorted_tables:
        order = list(table.primary_key.columns)
        for row in connection.execute(select(table).order_by(*order)):
            values = {k: _plain(v) for k, v in row._mapping.items()}
            yield json.dumps({"table": table.name, **values}, sort_keys=True, ensure_ascii=False)


def database_digest(engine: Engine) -> str:
    """SHA-256 over ``table_dump``: equal digests mean byte-identical data."""
    digest = hashlib.sha256()
    with engine.connect() as connection:
        for line in table_dump(connection):
            digest.update(line.encode())
            digest.update(b"\n")
    return digest.hexdigest()
