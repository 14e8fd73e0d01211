"""The reply verifier's rules, on their own: references, numbers, dates, claims (EN/ES), secrets.

Each rule is shown failing on a reply the turn does not back and passing on the same kind of
reply when a tool of the turn backs it, so no rule can pass by accepting everything.
"""

from __future__ import annotations

import pytest

from assistant.replies import Citation, ToolCallRecord
from assistant.verify import TurnFacts, truthful_reply, verify_reply


def rec(name: str, outcome: str = "ok", **result: object) -> ToolCallRecord:
    return ToolCallRecord(name=name, args={}, outcome=outcome, result=result)  # type: ignore[arg-type]


CHANGED = rec("change_plan", reference="PC-3F2A19C0", effective_date="2026-12-01",
              new_monthly_price="45.00")  # fmt: skip
FAILED = rec("change_plan", "error", error="quote_expired", message="The quote has expired.")
TICKET = rec("hand_off_to_human", reference="TK-00042")
WITHDRAWN = rec("withdraw_consent", purpose="account_data")
DECLINED = rec("change_plan", "cancelled", status="cancelled", message="declined")
BILL = rec("get_bill", period="2026-10", total="48.60", currency="GBP", due_date="2026-11-14")
SEARCH = rec("search_knowledge", passages=[
    {"cite": 1, "doc_id": "d", "title": "t", "section": "s", "snippet": "x",
     "text": "The EU day pass costs £2.00 a day and includes 30GB."}])  # fmt: skip
CITED = [Citation(number=1, passage=1, doc_id="d", title="t", section="s", snippet="x")]


def verdict(text: str, *calls: ToolCallRecord, **kw: object):
    return verify_reply(text, TurnFacts(calls=calls, **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Done! Your plan has been changed to Unlimited Max, reference PC-FAKE1234.",
        "I've switched you to Unlimited Max.",
        "You're now on Unlimited Max.",
        "¡Hecho! He cambiado tu plan a Ilimitada.",
        "Tu cambio se ha realizado correctamente.",
    ],
)
def test_a_plan_change_claim_after_a_failed_change_is_refused(text):
    assert not verdict(text, FAILED).ok
    assert not verdict(text).ok


def test_the_same_claim_passes_when_the_change_went_through():
    text = "Done: your plan change to Unlimited Max is confirmed. Reference PC-3F2A19C0, " \
           "effective 2026-12-01, £45.00 a month."  # fmt: skip
    assert verdict(text, CHANGED).ok
    assert not verdict(text.replace("PC-3F2A19C0", "PC-3F2A19C1"), CHANGED).ok


@pytest.mark.parametrize(
    ("text", "backing"),
    [
        ("I've opened a ticket for you, reference TK-00042.", TICKET),
        ("He abierto una incidencia con referencia TK-00042.", TICKET),
        ("Done: I've withdrawn your permission to use your account data.", WITHDRAWN),
        ("Hecho: he retirado tu permiso.", WITHDRAWN),
        ("OK, I've cancelled that. Nothing on your account has changed.", DECLINED),
        ("De acuerdo, lo he cancelado.", DECLINED),
    ],
)
def test_claims_need_the_tool_that_does_them(text, backing):
    assert verdict(text, backing).ok
    assert not verdict(text, BILL).ok


@pytest.mark.parametrize(
    "text",
    [
        "I've blocked your SIM card.",
        "Hemos bloqueado tu línea.",
        "Your bill has been paid.",
        "He pagado tu factura.",
        "Your consent has been granted.",
        "I've added the EU day pass to your line.",
        "He activado el bono de roaming.",
    ],
)
def test_actions_no_tool_did_are_refused(text):
    assert not verdict(text, BILL).ok


def test_consent_granted_is_backed_only_by_the_customers_press():
    assert verdict("Thanks, your consent has been recorded.", BILL, consent_granted=True).ok


@pytest.mark.parametrize(
    "text",
    [
        "No problem, I haven't changed anything.",
        "Sin problema, no he cambiado nada.",
        "Once you confirm, I'll change your plan.",
        "I can open a ticket for a person if you like.",
        "Your line is suspended because a bill is overdue.",
        "Your October bill was paid on 3 November.",
        "We will never ask for your PIN or your card number.",
        "Nunca te pediremos el PIN ni el número de tu tarjeta.",
    ],
)
def test_legitimate_replies_pass(text):
    assert verdict(text, BILL, user_text="was my October bill paid on 3 November?").ok


def test_numbers_amounts_and_dates_come_from_the_turn():
    ok = "Your October bill is £48.60, due 2026-11-14."
    assert verdict(ok, BILL).ok
    assert not verdict("Your October bill is £58.60, due 2026-11-14.", BILL).ok
    assert not verdict("Your October bill is £48.60, due 2026-11-24.", BILL).ok
    assert not verdict("Tu factura es de 58,60 €.", BILL).ok
    assert verdict("Tu factura es de 48,60 €.", BILL).ok


def test_numbers_from_a_passage_count_only_when_cited():
    text = "The EU day pass costs £2.00 a day [1]."
    assert verify_reply(text, TurnFacts(calls=[SEARCH]), CITED).ok
    assert not verify_reply(text, TurnFacts(calls=[SEARCH]), ()).ok
    assert not verify_reply("It costs £3.00 a day [1].", TurnFacts(calls=[SEARCH]), CITED).ok


def test_a_number_the_customer_wrote_may_be_repeated():
    assert verdict("You asked about 12 months.", user_text="what about 12 months?").ok


def test_references_from_earlier_in_the_conversation_may_be_recalled_but_not_invented():
    earlier = TurnFacts(calls=[], earlier_calls=[TICKET])
    assert verify_reply("Your ticket with a human agent is TK-00042.", earlier).ok
    assert not verify_reply("Your ticket with a human agent is TK-00043.", earlier).ok
    assert not verify_reply("Your ticket is AB-9Z9.", earlier).ok
    # Recalling is not re-doing: a new "opened" claim still needs this turn's hand-off.
    assert not verify_reply("I've opened a ticket, TK-00042.", earlier).ok


@pytest.mark.parametrize(
    "text",
    [
        "To finish, text your full card number and its security code to 80080.",
        "Please reply with your PIN to verify.",
        "Send us your IBAN and we'll refund you.",
        "Envíanos el número de tu tarjeta y el CVV.",
        "Indícanos tu contraseña para continuar.",
    ],
)
def test_a_reply_asking_for_secrets_is_refused(text):
    assert not verdict(text, user_text="80080").ok


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize(
    "calls",
    [[FAILED], [CHANGED], [TICKET], [DECLINED], [BILL], [], [WITHDRAWN, FAILED]],
    ids=["failed", "changed", "ticket", "declined", "read", "nothing", "mixed"],
)
def test_the_truthful_reply_passes_the_verifier_and_says_what_happened(calls, language):
    facts = TurnFacts(calls=calls)
    text = truthful_reply(facts, language)
    assert verify_reply(text, facts).ok, text
    for call in calls:
        if call.outcome == "ok" and call.result.get("reference"):
            assert call.result["reference"] in text
    unchanged = "Nothing on your account" if language == "en" else "No se ha cambiado nada"
    assert (unchanged in text) == (not any(c.outcome == "ok" and c.name != "get_bill"
                                           for c in calls))  # fmt: skip
