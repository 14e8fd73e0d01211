"""Follow-ups about the content of the last answer: "which month is that for?", "what was
the credit for?", "¿cuántos megas fueron?", "is that per day?", "what happens if I don't pay
it?" are read against the focus of the answer before them (``assistant.engine.referents``)."""

from __future__ import annotations

import copy

import pytest
from langchain_core.messages import SystemMessage

from assistant.engine.referents import Focus, focus_of, resolve
from assistant.session_note import SessionNote
from tests.engine import payloads as P
from tests.engine.conftest import Chat, ask, first_call


def _overdue_overview() -> dict:
    data = copy.deepcopy(P.OVERVIEW)
    data["overdue_bills"] = [
        {
            "period": "2026-09",
            "issue_date": "2026-10-01",
            "due_date": "2026-10-15",
            "status": "overdue",
            "currency": "GBP",
            "total": "12.00",
            "amount_paid": "0.00",
            "balance_due": "12.00",
        }
    ]
    data["arrears"] = "12.00"
    return data


def _after(tool: str, args: dict, result: object, question: str = "...") -> Chat:
    return Chat().user(question).step(tool, args, result).ai("...")


# -- the focus each answer leaves -----------------------------------------------------------


def test_an_overview_with_arrears_focuses_on_the_overdue_bill():
    focus = focus_of("get_account_overview", {}, _overdue_overview())
    assert focus == Focus("bill", period="2026-09", noun="overdue")


def test_an_overview_without_arrears_focuses_on_the_account():
    assert focus_of("get_account_overview", {}, P.OVERVIEW) == Focus("account")


def test_an_explanation_focuses_on_its_biggest_change_that_is_not_tax():
    focus = focus_of("explain_bill", {"period": "2026-10"}, P.EXPLANATION)
    assert focus == Focus("bill", period="2026-10", category="roaming", tool="explain_bill")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("which month is that for", ("bill", "2026-09", None)),
        ("¿de qué mes es eso?", ("bill", "2026-09", None)),
        ("what was the credit for?", ("bill", "2026-09", "credit")),
        ("how many MB was that?", ("bill", "2026-09", "roaming")),
    ],
)
def test_questions_about_a_bill_answer_resolve_to_that_bill(text, expected):
    focus = Focus("bill", period="2026-09", category="roaming")
    found = resolve(text, focus, has_slot=False)
    assert found is not None and (found.intent, found.period, found.category) == expected


@pytest.mark.parametrize(
    "text",
    [
        "how do we add more Cloud Office seats?",  # what to do next, not what was said
        "can I pay it by card?",
        "thanks, that's all",
        "what plans do you have with more data for travelling in Europe?",
    ],
)
def test_other_questions_are_not_about_the_bill_answer(text):
    assert resolve(text, Focus("bill", period="2026-09", category="credit"), has_slot=False) is None


def test_a_message_naming_its_own_slot_is_not_about_the_focus():
    focus = Focus("bill", period="2026-09")
    assert resolve("which month is that for", focus, has_slot=True) is None
    assert resolve("which month is that for", None, has_slot=False) is None


# -- the engine end to end ------------------------------------------------------------------


def test_which_month_after_arrears_looks_up_the_overdue_bill(engine):
    chat = _after("get_account_overview", {}, _overdue_overview(), "it says I owe you money??")
    assert first_call(ask(engine, chat.user("which month is that for"))) == (
        "get_bill",
        {"period": "2026-09"},
    )


def test_what_the_credit_was_for_lists_the_credit_on_that_bill(engine):
    explanation = {
        **P.EXPLANATION,
        "period": "2026-08",
        "previous_period": "2026-07",
        "drivers": [{"category": "credit", "delta": "-10.00", "text": "credits -£10"}],
    }
    bill = {
        **P.BILL,
        "period": "2026-08",
        "items": [
            {"category": "plan_fee", "description": "Plus 30GB monthly fee", "amount": "18.00"},
            {
                "category": "credit",
                "description": "Goodwill credit: network outage 2026-07-14",
                "amount": "-10.00",
            },
        ],
    }
    chat = _after("explain_bill", {"period": "2026-08"}, explanation, "why was august lower?")
    chat.user("what was the credit for?")
    assert first_call(ask(engine, chat)) == ("get_bill", {"period": "2026-08"})
    chat.step("get_bill", {"period": "2026-08"}, bill)
    reply = ask(engine, chat).content
    assert "network outage 2026-07-14" in reply and "monthly fee" not in reply


def test_is_that_per_day_after_usage_repeats_the_usage_with_its_cycle(engine):
    chat = _after("get_usage", {}, P.USAGE, "how much data have I used?")
    assert first_call(ask(engine, chat.user("is that per day?"))) == ("get_usage", {})


def test_a_pronoun_for_arrears_is_named_in_the_documents_query(engine):
    chat = _after("get_account_overview", {}, _overdue_overview(), "do I owe anything?")
    name, args = first_call(ask(engine, chat.user("what happens if I don't pay it?")))
    assert name == "search_knowledge"
    assert "overdue" in args["query"] and "Plus 30GB" not in args["query"]


def test_a_short_question_with_a_pronoun_continues_the_documents_topic(engine):
    chat = Chat().user("how do I keep my number if I leave?")
    chat.step(
        "search_knowledge",
        {"query": "how do I keep my number if I leave?"},
        {"answerable": False, "confidence": 0.1, "passages": []},
    ).ai("...")
    name, args = first_call(ask(engine, chat.user("is it free?")))
    assert name == "search_knowledge" and "keep my number" in args["query"]


def test_a_country_after_a_bill_asks_what_roaming_there_costs(engine):
    chat = _after("explain_bill", {}, P.EXPLANATION, "why is my bill so high?")
    name, args = first_call(ask(engine, chat.user("and if I go to the US at christmas?")))
    assert name == "search_knowledge"


def test_a_personal_roaming_question_is_asked_about_the_customers_own_plan(engine):
    chat = _after("get_account_overview", {}, P.OVERVIEW, "what plan am I on?")
    name, args = first_call(ask(engine, chat.user("will I be charged for data in Spain?")))
    assert name == "search_knowledge" and "Plus 30GB" in args["query"]


def test_a_signed_in_customer_asking_if_they_can_move_gets_their_quote(engine):
    chat = Chat()
    note = SessionNote(signed_in=True, country="GB", segment="consumer").render()
    chat.messages[0] = SystemMessage(f"You are Vela's customer assistant.\n{note}")
    reply = ask(engine, chat.user("can I upgrade to Unlimited Max?"))
    assert first_call(reply) == ("quote_plan_change", {"plan_id": "GB-UNLIMITED-MAX"})


def test_a_guest_asking_if_they_can_move_is_answered_from_the_documents(engine):
    chat = Chat()
    note = SessionNote(signed_in=False).render()
    chat.messages[0] = SystemMessage(f"You are Vela's customer assistant.\n{note}")
    reply = ask(engine, chat.user("can I upgrade to Unlimited Max?"))
    assert first_call(reply)[0] == "search_knowledge"


def test_a_change_refused_for_arrears_focuses_on_the_overdue_bill():
    refusal = {
        "error": "not_eligible",
        "reason_codes": [
            {"code": "reason.arrears", "values": {"amount": "12.00", "periods": "2026-09"}}
        ],
    }
    assert focus_of("quote_plan_change", {"plan_id": "GB-PLUS-30"}, refusal) == Focus(
        "bill", period="2026-09", noun="overdue"
    )


def test_a_question_about_money_owed_leads_with_the_overdue_bill(engine):
    chat = Chat().user("do I owe you anything?")
    chat.step("get_account_overview", {}, _overdue_overview())
    reply = ask(engine, chat).content
    assert reply.index("overdue") < reply.index("Plus 30GB")
    chat = Chat().user("what plan am I on?").step("get_account_overview", {}, _overdue_overview())
    reply = ask(engine, chat).content
    assert reply.index("Plus 30GB") < reply.index("overdue")


def _lines_usage() -> list[dict]:
    rows = []
    for digits, zone in (("201", "EU"), ("202", None), ("203", "Z1")):
        row = copy.deepcopy(P.USAGE[0])
        row["msisdn_masked"] = f"+44 7••• •••{digits}"
        row["roaming_mb"] = {"EU": 0, "Z1": 0, zone or "EU": 300 if zone else 0}
        rows.append(row)
    return rows


def test_a_named_lines_roaming_is_its_usage_shown_alone(engine):
    chat = Chat().user("the one ending 203 has been roaming, where?")
    assert first_call(ask(engine, chat)) == ("get_usage", {})
    reply = ask(engine, chat.step("get_usage", {}, _lines_usage())).content
    assert "203" in reply and "201" not in reply and "Z1 300 MB" in reply


def test_is_that_included_after_a_lines_roaming_asks_about_that_zone(engine):
    chat = _after("get_usage", {}, _lines_usage(), "the one ending 203 has been roaming, where?")
    name, args = first_call(ask(engine, chat.user("is that included on our plan?")))
    assert name == "search_knowledge" and "Zone 1" in args["query"]


def test_the_other_line_after_a_documents_detour_returns_to_its_usage(engine):
    chat = _after("get_usage", {}, _lines_usage(), "the one ending 203 has been roaming, where?")
    chat.user("is that included on our plan?")
    chat.step(
        "search_knowledge",
        {"query": "is that included on our plan?"},
        {"answerable": False, "confidence": 0.1, "passages": []},
    ).ai("...")
    assert first_call(ask(engine, chat.user("and for the other line, the 201?"))) == (
        "get_usage",
        {},
    )


def _signed_in(country: str = "GB") -> Chat:
    chat = Chat()
    note = SessionNote(signed_in=True, country=country, segment="consumer").render()
    chat.messages[0] = SystemMessage(f"You are Vela's customer assistant.\n{note}")
    return chat


@pytest.mark.parametrize(
    ("text", "country", "plan"),
    [
        ("thinking of dropping down to flex 10, what would that cost me", "GB", "GB-FLEX-10"),
        ("quiero subir a la libre 50, ¿cuánto me sale este mes?", "ES", "ES-LIBRE-50"),
    ],
)
def test_a_customer_asking_the_price_of_moving_gets_their_quote(engine, text, country, plan):
    assert first_call(ask(engine, _signed_in(country).user(text))) == (
        "quote_plan_change",
        {"plan_id": plan},
    )


def test_a_named_line_is_quoted_by_its_id_once_the_overview_shows_it(engine):
    chat = _signed_in().user("what would it cost to move the 202 line onto unlimited max")
    assert first_call(ask(engine, chat)) == ("get_account_overview", {})
    overview = copy.deepcopy(P.OVERVIEW)
    second = {**overview["lines"][0], "line_id": "L-1001-2", "msisdn_masked": "+44 7••• •••202"}
    overview["lines"].append(second)
    chat.step("get_account_overview", {}, overview)
    assert first_call(ask(engine, chat)) == (
        "quote_plan_change",
        {"plan_id": "GB-UNLIMITED-MAX", "line_id": "L-1001-2"},
    )


def test_do_it_after_an_answer_about_one_plan_quotes_that_plan(engine):
    chat = _signed_in().user("which plan would cover the US then")
    chat.step(
        "search_knowledge",
        {"query": "which plan would cover the US"},
        {"answerable": False, "confidence": 0.1, "passages": []},
    )
    chat.ai("Unlimited Max includes roaming in Zone 1, the USA included [1].")
    assert first_call(ask(engine, chat.user("ok go on then, do it"))) == (
        "quote_plan_change",
        {"plan_id": "GB-UNLIMITED-MAX"},
    )


def test_do_it_with_nothing_offered_changes_nothing(engine):
    chat = _signed_in().user("what's roaming like in France?")
    chat.step(
        "search_knowledge",
        {"query": "roaming in France"},
        {"answerable": False, "confidence": 0.1, "passages": []},
    ).ai("Roaming in the EU...")
    assert first_call(ask(engine, chat.user("ok go on then, do it"))) is None


def test_a_question_about_a_quote_asks_for_that_quote_again(engine):
    chat = _signed_in().user("what would Unlimited Max cost me?")
    chat.step("quote_plan_change", {"plan_id": "GB-UNLIMITED-MAX"}, P.PLAN_QUOTE).ai("...")
    for text in ("is that per month?", "and how long would that tie us in for"):
        assert first_call(ask(engine, _copy(chat).user(text))) == (
            "quote_plan_change",
            {"plan_id": "GB-UNLIMITED-MAX", "line_id": "L-1001-1"},
        ), text


def test_we_are_paying_for_a_bill_category_reads_the_bill_for_it(engine):
    chat = _signed_in().user("how many cloud office seats are we paying for atm")
    assert first_call(ask(engine, chat)) == ("get_bill", {})


def _copy(chat: Chat) -> Chat:
    clone = Chat()
    clone.messages = list(chat.messages)
    clone._n = chat._n
    return clone


def test_what_is_owed_focuses_on_the_first_overdue_bill():
    owed = {
        "bills": [
            {"period": "2026-10", "status": "issued"},
            {"period": "2026-09", "status": "overdue"},
        ]
    }
    assert focus_of("get_amount_owed", {}, owed) == Focus("bill", period="2026-09", noun="overdue")


def test_a_suspended_line_is_what_unblock_it_means_beside_an_overdue_bill(engine):
    overview = _overdue_overview()
    overview["lines"][0] = {
        **overview["lines"][0],
        "status": "suspended",
        "suspension_reason": "lost phone / fraud hold",
    }
    chat = _after("get_account_overview", {}, overview, "my line is not working")
    name, args = first_call(ask(engine, chat.user("how do i unblock it")))
    assert name == "search_knowledge" and "suspended line" in args["query"]


def test_the_one_before_after_an_explanation_explains_the_month_before(engine):
    chat = _after("explain_bill", {"period": "2026-07"}, {**P.EXPLANATION, "period": "2026-07"},
                  "my bill in july was more than normal, what was the extra bit")
    assert first_call(ask(engine, chat.user("and the one before that?"))) == (
        "explain_bill", {"period": "2026-06"})
