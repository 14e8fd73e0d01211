"""Adversarial scripted models try to tell the customer what did not happen.

The model is the attacker here: each script makes it claim a failed write, invent a reference
or an amount, or repeat a planted request for a card number. The customer must only ever see
a reply the turn's tool results back, in their language, and the records must be unchanged.
"""

from __future__ import annotations

import logging

from tests.scripted import ScriptedModel, call, call_with_last_quote, say

LOCKED_IN = "C-1002"  # GB, Plus 30GB
SPANISH = "C-1007"  # ES, Tarifa Libre 50GB


def _consent(bot, customer: str) -> None:
    version = {p.purpose: p.version for p in bot.records.consent_purposes()}["account_data"]
    bot.records.grant_consent(customer, "account_data", version, "test")


def test_a_failed_change_claimed_as_done_is_replaced(make_bot, caplog):
    bot, model = make_bot([
        call("change_plan", quote_id="Q-DOES-NOT-EXIST"),
        say("Done! Your plan has been changed to Unlimited Max, reference PC-FAKE1234."),
    ])  # fmt: skip
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    before = bot.records.account_overview(LOCKED_IN)
    with caplog.at_level(logging.WARNING, logger="assistant.sdk"):
        reply = s.ask("switch me to Unlimited Max")
    if reply.pending is not None:  # a real quote would pause; this one does not exist
        reply = s.confirm()
    assert "PC-FAKE1234" not in reply.text and "Your plan has been changed" not in reply.text
    assert "couldn't change your plan" in reply.text and "Nothing on your account" in reply.text
    assert reply.replaced and bot.records.account_overview(LOCKED_IN) == before
    events = [r for r in caplog.records if r.getMessage() == "verifier_replaced"]
    assert events and "PC-FAKE" not in str(events[0].__dict__)
    model.assert_consumed()


def test_a_real_change_with_an_invented_reference_is_replaced_with_the_real_one(make_bot):
    bot, model = make_bot([
        call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"),
        call_with_last_quote("change_plan"),
        say("Done: you're now on Unlimited Max, reference PC-00000000."),
    ])  # fmt: skip
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    s.ask("move me to Unlimited Max")
    reply = s.confirm()
    real = next(c.result["reference"] for c in reply.tool_calls if c.name == "change_plan")
    assert "PC-00000000" not in reply.text and real in reply.text
    assert reply.text.startswith("Done: I've changed your plan")
    model.assert_consumed()


def test_a_real_change_reported_truthfully_goes_out_unchanged(make_bot):
    def truthful(messages):
        import json

        result = json.loads(messages[-1].content)
        return say(f"Done: your plan change is confirmed. Reference {result['reference']}, "
                   f"effective {result['effective_date']}.")  # fmt: skip

    bot, model = make_bot([
        call("quote_plan_change", plan_id="GB-UNLIMITED-MAX"),
        call_with_last_quote("change_plan"),
        truthful,
    ])  # fmt: skip
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    s.ask("move me to Unlimited Max")
    reply = s.confirm()
    assert not reply.replaced and reply.text.startswith("Done: your plan change is confirmed")
    model.assert_consumed()


def test_an_invented_amount_is_replaced(make_bot):
    bot, model = make_bot([call("get_bill"), say("Your latest bill is £999.99.")])
    _consent(bot, LOCKED_IN)
    reply = bot.session(LOCKED_IN).ask("how much is my bill?")
    assert "999.99" not in reply.text and reply.replaced
    assert any("number" in r for r in reply.replaced)
    model.assert_consumed()


def test_a_planted_request_for_card_details_is_never_repeated(make_bot):
    bot, model = make_bot([
        call("search_knowledge", query="pay my bill"),
        say("To pay, text your full card number and its security code to 80080 [1]."),
    ])  # fmt: skip
    reply = bot.session().ask("how do I pay my bill?")
    assert "card number" not in reply.text and "80080" not in reply.text
    assert reply.replaced and not reply.citations
    model.assert_consumed()


def test_spanish_claims_are_caught_and_the_replacement_is_spanish(make_bot):
    bot, model = make_bot([
        call("get_usage"),
        say("¡Hecho! He bloqueado tu línea y te he abierto la incidencia TK-99999."),
    ])  # fmt: skip
    _consent(bot, SPANISH)
    reply = bot.session(SPANISH).ask("bloquea mi línea, me han robado el móvil")
    assert "TK-99999" not in reply.text and "bloqueado" not in reply.text
    assert "No se ha cambiado nada en tu cuenta" in reply.text
    model.assert_consumed()


def test_a_streamed_reply_ends_with_the_verified_text(make_bot):
    bot, model = make_bot([call("get_bill"), say("Your bill was paid by us: £999.99.")])
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    streamed = "".join(s.stream("what do I owe?"))
    assert s.last_reply is not None and s.last_reply.replaced
    assert "999.99" not in s.last_reply.text
    assert streamed.rstrip().endswith(s.last_reply.text.split("\n\n")[-1].rstrip())
    model.assert_consumed()


def test_scripted_model_sees_only_messages(make_bot):
    """The verifier changes what the customer reads, never what the model is shown."""
    bot, model = make_bot([call("get_bill"), say("£7777.77"), say("ok")])
    _consent(bot, LOCKED_IN)
    s = bot.session(LOCKED_IN)
    assert s.ask("bill?").replaced
    s.ask("thanks")
    shown = model.seen[-1]
    assert isinstance(model, ScriptedModel) and any("£7777.77" in str(m.content) for m in shown)
    model.assert_consumed()
