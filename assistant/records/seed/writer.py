"""Turns customer specs into rows and bulk-inserts them in foreign-key order.

Integer keys are assigned here (not by the database) so every run, on every machine and on
both dialects, produces the same ids; PostgreSQL sequences are moved past them afterwards.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, text

from assistant.records import money
from assistant.records.models import Base
from assistant.records.seed.specs import CustomerSpec

#: Insert order: parents before children.
TABLES = (
    "customers", "accounts", "payment_methods", "lines", "subscriptions", "bills", "bill_items",
    "payments", "usage", "consent_records",
)  # fmt: skip
#: The saved method a customer's usual way of paying leaves on file (bank transfers leave none).
SAVED_METHODS = {
    "card": ("card", "Visa"),
    "direct_debit": ("direct_debit", "Bank account"),
    "mpesa": ("velapesa", "VelaPesa"),
}
INTEGER_KEYS = ("subscriptions", "bills", "bill_items", "payments", "usage", "consent_records")
ZERO = Decimal("0.00")


class RowWriter:
    """Buffers rows per table and inserts them with executemany when the buffer is full."""

    def __init__(self, connection: Connection, plans: dict[str, dict[str, Any]], *,
                 today: date, periods: list[str], batch_rows: int = 50_000) -> None:  # fmt: skip
        self.connection = connection
        self.plans = plans
        self.today = today
        self.periods = periods
        self.cycle = money.period_of(today)
        self.batch_rows = batch_rows
        self.rows: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.next_id = dict.fromkeys(INTEGER_KEYS, 1)
        self.counts = dict.fromkeys(TABLES, 0)
        self._statements: dict[str, tuple[str, Callable[[dict[str, Any]], tuple]]] = {}

    def _add(self, table: str, row: dict[str, Any]) -> int:
        if table in self.next_id:
            row["id"] = self.next_id[table]
            self.next_id[table] += 1
        self.rows[table].append(row)
        return row.get("id", 0)

    def add(self, spec: CustomerSpec, rng: random.Random) -> None:
        """Rows for one customer; flushes when the buffer is full."""
        account_id = "A-" + spec.id.split("-")[1]
        currency = money.CURRENCIES[spec.country]
        self._add("customers", {
            "id": spec.id, "name": spec.name, "contact_name": spec.contact_name,
            "email": spec.email, "segment": spec.segment, "country": spec.country,
            "language": spec.language, "password_hash": spec.password_hash,
        })  # fmt: skip
        self._add("accounts", {
            "id": account_id, "customer_id": spec.id, "billing_type": spec.billing,
            "status": spec.account_status, "currency": currency, "balance": spec.balance,
        })  # fmt: skip
        line_ids = []
        for index, line in enumerate(spec.lines, start=1):
            line_id = f"L-{spec.id.split('-')[1]}-{index}"
            line_ids.append(line_id)
            digits = line.number.lstrip("+")
            self._add("lines", {
                "id": line_id, "account_id": account_id, "msisdn": line.number,
                "iccid": f"89{digits[:3]}{digits[-9:]:0>9}{index:02d}0", "status": line.status,
                "suspension_reason": line.suspension_reason, "version": 1,
            })  # fmt: skip
            plan = self.plans[line.plan_id]
            self._add("subscriptions", {
                "line_id": line_id, "plan_id": line.plan_id, "start_date": line.start,
                "end_date": None, "change_request_id": None,
                "contract_end": money.contract_end_for(line.start, plan["contract_months"]),
            })  # fmt: skip
            usage = line.usage
            self._add("usage", {
                "line_id": line_id, "cycle": self.cycle, "data_mb": usage.get("data_mb", 0),
                "minutes": usage.get("minutes", 0), "sms": usage.get("sms", 0),
                **{f"roaming_{z}_mb": usage.get(f"roaming_{z}_mb", 0)
                   for z in ("eu", "ea", "z1", "z2")},
            })  # fmt: skip
        if spec.billing == "postpaid" and spec.pay_method in SAVED_METHODS:
            self._saved_method(spec, account_id)
        if spec.billing == "postpaid":
            for period in self.periods:
                self._bill(spec, account_id, line_ids, period, currency, rng)
        for purpose, action, at, channel in sorted(spec.consent, key=lambda c: c[2]):
            version = "AD-2026.09" if purpose == "account_data" else "TR-2026.09"
            self._add("consent_records", {
                "customer_id": spec.id, "purpose": purpose, "action": action,
                "notice_version": version, "channel": channel, "at": at,
            })  # fmt: skip
        if sum(len(rows) for rows in self.rows.values()) >= self.batch_rows:
            self.flush()

    def _saved_method(self, spec: CustomerSpec, account_id: str) -> None:
        """The customer's saved method: only the last 4 digits, derived from the id (no rng, so
        the generated world is drawn exactly as before)."""
        kind, label = SAVED_METHODS[spec.pay_method]
        digits = hashlib.sha256(f"method-{spec.id}".encode()).hexdigest()
        last4 = (
            spec.lines[0].number[-4:] if kind == "velapesa" else f"{int(digits, 16) % 10000:04d}"
        )
        self._add("payment_methods", {
            "id": f"PM-{spec.id.split('-')[1]}-1", "account_id": account_id, "kind": kind,
            "label": label, "last4": last4, "is_default": True,
        })  # fmt: skip

    def _bill(self, spec: CustomerSpec, account_id: str, line_ids: list[str], period: str,
              currency: str, rng: random.Random) -> None:  # fmt: skip
        items: list[tuple[str | None, str, str, Decimal]] = []
        for line_id, line in zip(line_ids, spec.lines, strict=True):
            plan = self.plans[line.plan_id]
            items.append(
                (line_id, "plan_fee", f"{plan['name']} monthly fee", plan["monthly_price"])
            )
            if line.device:
                items.append((line_id, "device_instalment", line.device[0], line.device[1]))
        items += [(None, cat, desc, amount) for cat, desc, amount in spec.account_items]
        for index, category, desc, amount in spec.extras.get(period, []):
            items.append((line_ids[index] if index is not None else None, category, desc, amount))
        subtotal = sum((amount for *_, amount in items), ZERO)
        tax = money.cents(subtotal * money.TAX_RATES[spec.country])
        total = subtotal + tax
        start = money.month_start(period)
        issue = money.next_month_start(start)
        due = issue.replace(day=15)
        unpaid = period in spec.unpaid
        bill_id = self._add("bills", {
            "account_id": account_id, "period": period, "issue_date": issue, "due_date": due,
            "status": ("overdue" if due < self.today else "issued") if unpaid else "paid",
            "currency": currency, "subtotal": subtotal, "tax": tax, "total": total,
            "amount_paid": ZERO if unpaid else total,
        })  # fmt: skip
        for item_line_id, category, desc, amount in items:
            self._add("bill_items", {
                "bill_id": bill_id, "line_id": item_line_id, "category": category,
                "description": desc, "amount": amount,
            })  # fmt: skip
        self._add("bill_items", {
            "bill_id": bill_id, "line_id": None, "category": "tax",
            "description": money.TAX_NAMES[spec.country], "amount": tax,
        })  # fmt: skip
        if not unpaid:
            paid_on = due - timedelta(days=rng.randint(0, 10))
            self._add("payments", {
                "bill_id": bill_id, "amount": total, "method": spec.pay_method,
                "paid_on": paid_on, "reference": f"****{rng.randint(0, 9999):04d}",
            })  # fmt: skip

    def flush(self) -> None:
        """Insert everything buffered, parents first."""
        for table in TABLES:
            rows = self.rows[table]
            if rows:
                sql, convert = self._statement(table)
                # exec_driver_sql with a list of tuples is a plain DBAPI executemany: the
                # per-row statement compilation of Core inserts cost more than the inserts.
                self.connection.exec_driver_sql(sql, [convert(row) for row in rows])
                self.counts[table] += len(rows)
                self.rows[table] = []

    def _statement(self, table: str) -> tuple[str, Callable[[dict[str, Any]], tuple]]:
        """INSERT text for ``table`` and a row converter applying each column's bind processing."""
        if table not in self._statements:
            dialect = self.connection.dialect
            columns = list(Base.metadata.tables[table].columns)
            processors = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
            marker = "?" if dialect.paramstyle == "qmark" else "%s"
            names = [c.name for c in columns]
            sql = (
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join([marker] * len(names))})"
            )
            pairs = list(zip(names, processors, strict=True))

            def convert(row: dict[str, Any]) -> tuple:
                return tuple(
                    process(row.get(name)) if process else row.get(name) for name, process in pairs
                )

            self._statements[table] = (sql, convert)
        return self._statements[table]

    def fix_sequences(self) -> None:
        """On PostgreSQL, move each sequence past the ids assigned here."""
        if self.connection.dialect.name != "postgresql":
            return
        for table in INTEGER_KEYS:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                )
            )
