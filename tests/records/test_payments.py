"""Payments: what is owed, paying with a saved method or VelaPesa, promises to pay, dunning.

Every refusal is a typed domain error naming the problem, with the database unchanged.
Runs on SQLite and (with TEST_DATABASE_URL) PostgreSQL via the ``records`` fixtures.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import Engine

from assistant.errors import InvalidInput, NotFound, QuoteExpired
from assistant.records.api import Records
from tests.records.helpers import refused_without_change


def _line(records: Records, line_id: str) -> dict:
    return next(x for x in records.snapshot()["lines"] if x["id"] == line_id)


def test_amount_owed_lists_overdue_first_with_policy_dates(records: Records) -> None:
    owed = records.amount_owed("C-1001")
    assert owed.total_due == owed.overdue_total == Decimal("12.00")
    (bill,) = owed.bills
    assert (bill.period, bill.status, bill.days_overdue) == ("2026-09", "overdue", 36)
    assert bill.late_fee_date == date(2026, 10, 29) and bill.suspension_date == date(2026, 11, 14)
    (method,) = owed.saved_methods
    assert method.kind == "card" and len(method.last4) == 4 and method.is_default
    assert owed.policy == "policy-payments-late-payment"


def test_prepaid_and_paid_up_accounts_owe_nothing(records: Records, engine: Engine) -> None:
    assert records.amount_owed("C-1005").bills == []
    assert records.amount_owed("C-1002").total_due == 0
    refused_without_change(
        engine, InvalidInput, lambda: records.quote_payment("C-1005"), mentions="prepaid"
    )
    refused_without_change(
        engine, InvalidInput, lambda: records.quote_payment("C-1002"), mentions="nothing is owed"
    )


def test_pay_overdue_bill_with_saved_card_once(records: Records) -> None:
    quote = records.quote_payment("C-1001", "2026-09")
    assert quote.kind == "payment" and quote.amount == Decimal("12.00")
    assert quote.method is not None and quote.method.last4 in quote.title
    paid = records.apply_payment("C-1001", quote.quote_id)
    assert paid.reference.startswith("PY-") and paid.remaining_due == 0
    again = records.apply_payment("C-1001", quote.quote_id)
    assert again.already_applied and again.reference == paid.reference
    bill = records.get_bill("C-1001", "2026-09")
    assert bill.status == "paid" and bill.balance_due == 0
    pays = [
        p
        for p in records.snapshot()["payments"]
        if (p["account_id"], p["period"]) == ("A-1001", "2026-09")
    ]
    assert len(pays) == 1 and pays[0]["reference"].startswith("****")
    events = [e for e in records.audit_events("C-1001") if e.action == "payment.recorded"]
    assert len(events) == 1 and events[0].details["reference"] == paid.reference


def test_part_payment_then_the_rest(records: Records) -> None:
    first = records.quote_payment("C-1001", amount="5.50")
    records.apply_payment("C-1001", first.quote_id)
    assert records.amount_owed("C-1001").total_due == Decimal("6.50")
    rest = records.quote_payment("C-1001")
    assert rest.amount == Decimal("6.50")
    assert records.apply_payment("C-1001", rest.quote_id).remaining_due == 0


@pytest.mark.parametrize(
    ("call", "error", "mentions"),
    [
        (lambda r: r.quote_payment("C-1001", amount="12.005"), InvalidInput, "two decimals"),
        (lambda r: r.quote_payment("C-1001", amount="12.01"), InvalidInput, "more than"),
        (lambda r: r.quote_payment("C-1001", "2026-09", "-3"), InvalidInput, "greater than 0"),
        (lambda r: r.quote_payment("C-1001", "2019-01"), NotFound, "2019-01"),
        (lambda r: r.quote_payment("C-1001", "2026-13"), InvalidInput, "YYYY-MM"),
        (lambda r: r.quote_payment("C-1001", "2026-08"), InvalidInput, "nothing is owed"),
        (lambda r: r.quote_payment("C-1001", method_id="PM-1002-1"), NotFound, "PM-1002-1"),
        (lambda r: r.apply_payment("C-1001", "PQ-NOPE"), NotFound, "PQ-NOPE"),
        (lambda r: r.quote_arrangement("C-1001", "2026-12-05"), InvalidInput, "2026-12-04"),
        (lambda r: r.quote_arrangement("C-1001", "2026-11-19"), InvalidInput, "past"),
        (lambda r: r.quote_arrangement("C-1001", "next week"), InvalidInput, "YYYY-MM-DD"),
        (lambda r: r.quote_arrangement("C-1002", "2026-11-27"), InvalidInput, "nothing is overdue"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    records: Records, engine: Engine, call, error, mentions: str
) -> None:
    refused_without_change(engine, error, lambda: call(records), mentions=mentions)


def test_another_customers_quote_cannot_be_paid(records: Records, engine: Engine) -> None:
    quote = records.quote_payment("C-1001")
    refused_without_change(
        engine, NotFound, lambda: records.apply_payment("C-1002", quote.quote_id),
        mentions=quote.quote_id,
    )  # fmt: skip
    refused_without_change(
        engine, NotFound, lambda: records.get_quote("C-1002", quote.quote_id),
        mentions=quote.quote_id,
    )  # fmt: skip


def test_wrong_tool_for_the_quote_is_refused(records: Records, engine: Engine) -> None:
    card = records.quote_payment("C-1001")
    refused_without_change(
        engine, NotFound, lambda: records.request_velapesa_payment("C-1001", card.quote_id),
        mentions=card.quote_id,
    )  # fmt: skip


def test_expired_and_cancelled_quotes_are_not_paid(records: Records, engine: Engine, clock) -> None:
    quote = records.quote_payment("C-1001")
    records.cancel_quote("C-1001", quote.quote_id)
    refused_without_change(
        engine, InvalidInput, lambda: records.apply_payment("C-1001", quote.quote_id),
        mentions="cancelled",
    )  # fmt: skip
    late = records.quote_payment("C-1001")
    clock.advance(minutes=31)
    refused_without_change(
        engine, QuoteExpired, lambda: records.apply_payment("C-1001", late.quote_id),
        mentions="expired",
    )  # fmt: skip


def test_payment_lifts_a_non_payment_suspension(records: Records) -> None:
    assert "L-1001-1" in records.run_dunning()
    assert _line(records, "L-1001-1")["status"] == "suspended"
    owed = records.amount_owed("C-1001")
    assert owed.suspended_for_non_payment == ["L-1001-1"]
    quote = records.quote_payment("C-1001")
    assert quote.lifts_suspension
    paid = records.apply_payment("C-1001", quote.quote_id)
    assert paid.lines_restored == ["L-1001-1"] and "reconnected" in paid.message
    assert _line(records, "L-1001-1") | {"version": 0} == {
        "id": "L-1001-1", "account_id": "A-1001", "status": "active",
        "suspension_reason": None, "version": 0,
    }  # fmt: skip
    assert "line.restored" in [e.action for e in records.audit_events("C-1001")]


def test_part_payment_leaves_the_suspension(records: Records) -> None:
    records.run_dunning()
    quote = records.quote_payment("C-1001", amount="2.00")
    assert not quote.lifts_suspension
    assert records.apply_payment("C-1001", quote.quote_id).lines_restored == []
    assert _line(records, "L-1001-1")["status"] == "suspended"


def test_velapesa_request_pays_but_never_lifts_a_fraud_hold(records: Records) -> None:
    quote = records.quote_payment("C-1006")
    assert quote.kind == "velapesa" and quote.method is not None
    assert quote.method.label == "VelaPesa" and "0666" in quote.title
    refused = pytest.raises(NotFound)
    with refused:
        records.apply_payment("C-1006", quote.quote_id)  # a VelaPesa quote needs the request
    paid = records.request_velapesa_payment("C-1006", quote.quote_id)
    assert paid.reference.startswith("VP-") and paid.remaining_due == 0
    actions = [e.action for e in records.audit_events("C-1006")]
    assert actions[-3:] == ["velapesa.requested", "velapesa.approved", "payment.recorded"]
    assert _line(records, "L-1006-1")["suspension_reason"] == "lost phone / fraud hold"
    assert records.amount_owed("C-1006").other_suspensions == ["L-1006-1"]


def test_promise_to_pay_within_the_limit_stops_the_suspension(records: Records) -> None:
    quote = records.quote_arrangement("C-1001", "2026-12-04")  # the 14-day limit itself
    assert quote.kind == "arrangement" and quote.amount == Decimal("12.00")
    agreed = records.apply_arrangement("C-1001", quote.quote_id)
    assert agreed.reference.startswith("PA-") and agreed.pay_by == date(2026, 12, 4)
    assert records.apply_arrangement("C-1001", quote.quote_id).already_applied
    assert records.amount_owed("C-1001").arrangement is not None
    assert "L-1001-1" not in records.run_dunning()  # the policy: no suspension while it stands
    with pytest.raises(InvalidInput, match="already open"):
        records.quote_arrangement("C-1001", "2026-11-30")
    records.apply_payment("C-1001", records.quote_payment("C-1001").quote_id)
    assert records.amount_owed("C-1001").arrangement is None  # kept
    assert "payment_arrangement.kept" in [e.action for e in records.audit_events("C-1001")]


def test_saved_methods_hold_only_the_last_four_digits(records: Records) -> None:
    rows = records.snapshot()["payment_methods"]
    assert rows and all(len(r["last4"]) == 4 and r["last4"].isdigit() for r in rows)
    assert {r["kind"] for r in rows} <= {"card", "direct_debit", "velapesa"}
