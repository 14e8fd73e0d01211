"""Payments under concurrency: one quote paid by many callers at once is paid exactly once, and
of two payments of the same bill exactly one goes through (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from assistant.errors import Conflict, InvalidInput
from assistant.records.api import Records
from tests.records.race import race


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    return race(calls, (Conflict, InvalidInput))


def _payments(records: Records) -> list[dict]:
    return [
        p for p in records.snapshot()["payments"]
        if (p["account_id"], p["period"]) == ("A-1001", "2026-09")
    ]  # fmt: skip


def test_one_quote_confirmed_four_times_at_once_pays_once(
    engine_factory: Callable[[], Engine], clock
) -> None:
    setup = Records(engine_factory(), clock)
    quote = setup.quote_payment("C-1001")
    racers = [Records(engine_factory(), clock) for _ in range(4)]
    outcomes = _race([lambda r=r: r.apply_payment("C-1001", quote.quote_id) for r in racers])
    refs = {o.reference for o in outcomes}
    assert len(refs) == 1 and sum(not o.already_applied for o in outcomes) == 1, outcomes
    assert len(_payments(setup)) == 1
    recorded = [e for e in setup.audit_events("C-1001") if e.action == "payment.recorded"]
    assert len(recorded) == 1


def test_two_payments_of_one_bill_exactly_one_goes_through(
    engine_factory: Callable[[], Engine], clock
) -> None:
    setup = Records(engine_factory(), clock)
    quotes = [setup.quote_payment("C-1001"), setup.quote_payment("C-1001", "2026-09")]
    racers = [Records(engine_factory(), clock) for _ in quotes]
    outcomes = _race(
        [
            (lambda r=r, q=q: r.apply_payment("C-1001", q.quote_id))
            for r, q in zip(racers, quotes, strict=True)
        ]
    )
    losers = [o for o in outcomes if isinstance(o, Conflict)]
    assert len(losers) == 1, outcomes
    (paid,) = _payments(setup)
    assert paid["amount"] == "12.00"
    bill = setup.get_bill("C-1001", "2026-09")
    assert bill.amount_paid == Decimal("12.00") and bill.status == "paid"


def test_two_promises_at_once_exactly_one_is_agreed(
    engine_factory: Callable[[], Engine], clock
) -> None:
    setup = Records(engine_factory(), clock)
    quotes = [setup.quote_arrangement("C-1001", d) for d in ("2026-11-27", "2026-12-01")]
    racers = [Records(engine_factory(), clock) for _ in quotes]
    outcomes = _race(
        [
            (lambda r=r, q=q: r.apply_arrangement("C-1001", q.quote_id))
            for r, q in zip(racers, quotes, strict=True)
        ]
    )
    assert sum(isinstance(o, InvalidInput) for o in outcomes) == 1, outcomes
    agreed = [r for r in setup.snapshot()["payment_requests"] if r["kind"] == "arrangement"]
    assert len(agreed) == 1
