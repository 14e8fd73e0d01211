"""The dialogue state: follow-ups, corrections, returns and the ticket, read from the history
the engine is given (its own tool calls and their results), as any model would read them."""

from __future__ import annotations

import pytest

from assistant.engine.templates import say
from tests.engine import payloads as P
from tests.engine.conftest import Chat, ask, first_call

NOTHING = {"answerable": False, "confidence": 0.1, "passages": []}


def _after_search(question: str) -> Chat:
    chat = Chat().user(question)
    chat.step("search_knowledge", {"query": question}, NOTHING)
    return chat.ai("...")


def test_and_in_another_country_searches_the_last_question_for_it(engine):
    chat = _after_search("How much is roaming in France?").user("and in the US?")
    name, args = first_call(ask(engine, chat))
    assert name == "search_knowledge"
    assert args["query"] == "How much is roaming in US?"


def test_a_plan_named_in_a_follow_up_replaces_the_one_asked_about(engine):
    chat = _after_search("how much is Unlimited Max?").user("and Plus 30GB?")
    name, args = first_call(ask(engine, chat))
    assert name == "search_knowledge"
    assert "plus 30" in args["query"].lower() and "max" not in args["query"].lower()


@pytest.mark.parametrize(
    "text", ["and September?", "no, I meant September", "what about September"]
)
def test_a_new_period_repeats_the_bill_look_up(engine, text):
    chat = Chat().user("what was my October bill?")
    chat.step("get_bill", {"period": "2026-10"}, P.BILL).ai("...")
    assert first_call(ask(engine, chat.user(text))) == ("get_bill", {"period": "2026-09"})


def test_why_after_a_bill_explains_that_bill(engine):
    chat = Chat().user("what was my September bill?")
    chat.step("get_bill", {"period": "2026-09"}, P.BILL).ai("...")
    assert first_call(ask(engine, chat.user("why?"))) == ("explain_bill", {"period": "2026-09"})


def test_a_short_follow_up_naming_another_request_is_that_request(engine):
    chat = Chat().user("what's my bill?")
    chat.step("get_bill", {}, P.BILL).ai("...")
    assert first_call(ask(engine, chat.user("and my payments?"))) == ("get_payments", {})


def test_back_to_an_earlier_topic(engine):
    chat = Chat().user("how much data have I got left?")
    chat.step("get_usage", {}, P.USAGE).ai("...")
    chat = _chain_search(chat, "how do I set up voicemail?")
    assert first_call(ask(engine, chat.user("back to my data, when does it reset?")))[0] == (
        "get_usage"
    )


def _chain_search(chat: Chat, question: str) -> Chat:
    chat.user(question)
    chat.step("search_knowledge", {"query": question}, NOTHING)
    return chat.ai("...")


def test_the_ticket_is_remembered_and_never_opened_twice(engine):
    chat = Chat().user("I want to talk to a person")
    chat.step("hand_off_to_human", {"topic": "customer request", "summary": "x"}, P.TICKET)
    chat.ai("...").user("thanks").ai("You're welcome!")
    reply = ask(engine, chat.user("what was my ticket number?"))
    assert not reply.tool_calls
    assert reply.content == say("en", "ticket_reminder", reference=P.TICKET["reference"])
    again = ask(engine, chat.ai(reply.content).user("get me a human"))
    assert not again.tool_calls and P.TICKET["reference"] in again.content


def test_thanks_after_an_offer_of_a_person_opens_no_ticket(engine):
    chat = Chat().user("what's the fee for a flight to Mars?")
    chat.step("search_knowledge", {"query": "x"}, NOTHING).ai(say("en", "unanswerable"))
    reply = ask(engine, chat.user("thanks"))
    assert not reply.tool_calls


def test_what_the_last_search_added_is_not_carried_into_the_next(engine):
    chat = Chat().user("¿cuánto cuesta la itinerancia en Francia?")
    chat.step(
        "search_knowledge",
        {"query": "¿cuánto cuesta la itinerancia en Francia? (UE, Unión Europea)"},
        NOTHING,
    )
    name, args = first_call(ask(engine, chat.ai("...").user("¿y en Estados Unidos?")))
    assert name == "search_knowledge"
    assert args["query"] == "¿cuánto cuesta la itinerancia en Estados Unidos?"
