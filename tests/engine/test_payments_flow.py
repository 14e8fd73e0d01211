"""The offline engine's payments flow: owed → quote → the write (paused by the guard) → reply,
the VelaPesa path, promises to pay, refusals, Spanish, and the dates a promise may name."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.engine.pay_dates import parse_day
from tests.engine.conftest import TODAY, Chat, ask, first_call

OWED = {
    "billing_type": "postpaid", "currency": "GBP", "total_due": "12.00", "overdue_total": "12.00",
    "bills": [{"period": "2026-09", "status": "overdue", "total": "12.00", "balance_due": "12.00",
               "due_date": "2026-10-15", "days_overdue": 36, "late_fee_date": "2026-10-29",
               "suspension_date": "2026-11-14"}],
    "suspended_for_non_payment": [], "other_suspensions": [],
    "saved_methods": [{"method_id": "PM-1001-1", "kind": "card", "label": "Visa", "last4": "4033",
                       "is_default": True}],
    "arrangement": None, "promise_latest": "2026-12-04", "policy": "policy-payments-late-payment",
}  # fmt: skip
VELAPESA = {**OWED, "currency": "KES", "total_due": "2900.00", "saved_methods": [
    {"method_id": "PM-1006-1", "kind": "velapesa", "label": "VelaPesa", "last4": "0666",
     "is_default": True}]}  # fmt: skip
QUOTE = {"quote_id": "PQ-1", "kind": "payment", "amount": "12.00", "currency": "GBP"}
PAID = {"kind": "payment", "reference": "PY-6EC49F1E", "quote_id": "PQ-1", "amount": "12.00",
        "currency": "GBP", "allocations": {"2026-09": "12.00"}, "pay_by": None,
        "method": OWED["saved_methods"][0], "lines_restored": ["L-1001-1"],
        "remaining_due": "0.00", "already_applied": False, "message": ""}  # fmt: skip


def _reply(engine, chat: Chat) -> str:
    reply = ask(engine, chat)
    assert not reply.tool_calls, reply.tool_calls
    return str(reply.content)


def test_pay_request_shows_owed_quotes_and_pays_with_the_saved_card(engine):
    chat = Chat().user("I want to pay my overdue bill now")
    assert first_call(ask(engine, chat)) == ("get_amount_owed", {})
    chat.step("get_amount_owed", {}, OWED)
    assert first_call(ask(engine, chat)) == ("quote_payment", {})
    chat.step("quote_payment", {}, QUOTE)
    assert first_call(ask(engine, chat)) == ("pay_bill", {"quote_id": "PQ-1"})
    chat.step("pay_bill", {"quote_id": "PQ-1"}, PAID)
    text = _reply(engine, chat)
    assert "PY-6EC49F1E" in text and "£12.00" in text and "reconnected" in text


def test_a_question_about_what_is_owed_does_not_pay(engine):
    chat = Chat().user("What do I owe?")
    assert first_call(ask(engine, chat)) == ("get_amount_owed", {})
    chat.step("get_amount_owed", {}, OWED)
    text = _reply(engine, chat)
    assert "14 November 2026" in text and "£12.00" in text and "Visa ending 4033" in text


def test_kenyan_wallet_gets_the_velapesa_request(engine):
    chat = Chat().user("pay my bill please")
    ask(engine, chat)
    chat.step("get_amount_owed", {}, VELAPESA)
    chat.step("quote_payment", {}, {**QUOTE, "kind": "velapesa"})
    assert first_call(ask(engine, chat)) == ("request_velapesa_payment", {"quote_id": "PQ-1"})


def test_amount_named_is_passed_as_written_and_a_refusal_is_explained(engine):
    chat = Chat().user("pay £5.555 of my bill")
    ask(engine, chat)
    chat.step("get_amount_owed", {}, OWED)
    assert first_call(ask(engine, chat)) == ("quote_payment", {"amount": "5.555"})
    chat.step(
        "quote_payment",
        {"amount": "5.555"},
        {"error": "invalid_input", "message": "payment amount 5.555 has more than two decimals"},
    )
    assert "two decimals" in _reply(engine, chat)


def test_declined_confirmation_says_nothing_was_paid(engine):
    chat = Chat().user("pay my overdue bill")
    chat.step("get_amount_owed", {}, OWED).step("quote_payment", {}, QUOTE)
    chat.step("pay_bill", {"quote_id": "PQ-1"}, {"status": "cancelled", "message": "declined"})
    assert "nothing was paid" in _reply(engine, chat)


def test_spanish_request_and_answer(engine):
    chat = Chat().user("Quiero pagar mi factura vencida")
    assert first_call(ask(engine, chat)) == ("get_amount_owed", {})
    chat.step("get_amount_owed", {}, OWED).step("quote_payment", {}, QUOTE)
    chat.step("pay_bill", {"quote_id": "PQ-1"}, PAID)
    text = _reply(engine, chat)
    assert "12,00" in text and "PY-6EC49F1E" in text and "Hecho" in text


def test_promise_with_a_date_is_quoted_then_set_up(engine):
    chat = Chat().user("Can I promise to pay my overdue bill by 30 November?")
    call = first_call(ask(engine, chat))
    assert call == ("quote_payment_arrangement", {"pay_by": "2026-11-30"})
    chat.step("quote_payment_arrangement", call[1], {**QUOTE, "kind": "arrangement"})
    assert first_call(ask(engine, chat)) == ("set_up_payment_arrangement", {"quote_id": "PQ-1"})


def test_payment_history_is_not_a_payment(engine):
    chat = Chat().user("When did I last pay, and how much?")
    assert first_call(ask(engine, chat)) == ("get_payments", {})


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("by 2026-12-01", date(2026, 12, 1)),
        ("by 27 November", date(2026, 11, 27)),
        ("on November 3rd", date(2027, 11, 3)),
        ("el 2 de diciembre", date(2026, 12, 2)),
        ("next friday", date(2026, 11, 27)),
        ("el viernes que viene", date(2026, 11, 27)),
        ("in 10 days", date(2026, 11, 30)),
        ("by the 3rd", date(2026, 12, 3)),
        ("tomorrow", date(2026, 11, 21)),
        ("whenever I can", None),
    ],
)
def test_promise_dates(text: str, day: date | None) -> None:
    assert TODAY.weekday() == 4  # the demo clock is a Friday
    assert parse_day(text, TODAY) == day
