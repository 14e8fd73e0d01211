"""The SDK's own confirmation prompt speaks the customer's language, money included."""

from __future__ import annotations

import re

from assistant.replies import PendingConfirmation
from tests.scripted import call, say

GB = "C-1002"  # GB, Plus 30GB (GBP)
ES = "C-1007"  # ES, Tarifa Libre 50GB (EUR), Spanish


def _confirmation(make_bot, settings, customer: str, plan: str, message: str) -> str:
    from assistant.records.api import Records

    probe = Records.from_settings(settings)
    version = next(p.version for p in probe.consent_purposes() if p.purpose == "account_data")
    probe.grant_consent(customer, "account_data", version, "test")
    quote = probe.quote_plan_change(customer, plan)
    bot, model = make_bot([call("change_plan", quote_id=quote.quote_id), say("-")])
    s = bot.session(customer)
    reply = s.ask(message)
    assert isinstance(reply.pending, PendingConfirmation)
    s.decline()
    return reply.text


def test_gb_confirmation_prompt_shows_pounds(make_bot, settings):
    text = _confirmation(make_bot, settings, GB, "GB-UNLIMITED-MAX", "switch me to Unlimited Max")
    assert "£30.00" in text and "GBP" not in text
    assert "Please confirm: Unlimited Max, £30.00" in text


def test_es_confirmation_prompt_shows_euros_with_a_decimal_comma(make_bot, settings):
    text = _confirmation(
        make_bot, settings, ES, "ES-ILIMITADA", "quiero cambiarme a la Tarifa Ilimitada"
    )
    assert "Confirma, por favor: Tarifa Ilimitada, 32,00 €" in text
    assert "EUR" not in text and not re.search(r"\d\.\d\d", text)
    assert "efectivo el 20" in text and "effective" not in text
