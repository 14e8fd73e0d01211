"""What the panels and activity messages say, in English and Spanish, and that data is escaped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from assistant.replies import PendingConfirmation, PendingConsent, ToolCallRecord
from tests.ui.fakes import CITATION, QUOTE, FakeRecords
from ui.activity import activity_messages, activity_title
from ui.conversation import without_disclosure
from ui.i18n import Locale
from ui.render import account_panel, change_card, consent_card, consent_line, sources_html

TODAY = date(2026, 11, 20)
EN = Locale(lang="en", country="GB")
ES = Locale(lang="es", country="ES")
BUSINESS = Locale(lang="en", country="GB", consumer=False)


def test_bill_lookup_is_titled_with_the_month() -> None:
    call = ToolCallRecord(
        name="get_bill",
        args={"period": "2026-10"},
        outcome="ok",
        result={"total": "42.10", "currency": "GBP", "due_date": "2026-11-28"},
    )
    [item] = activity_messages([call], EN, TODAY)
    assert item["metadata"]["title"] == "Looked up your bill for October"
    assert item["metadata"]["status"] == "done"
    assert item["content"] == "Total £42.10, due 28 Nov 2026."
    [es] = activity_messages([call], ES, TODAY)
    assert es["metadata"]["title"] == "He consultado tu factura de octubre"
    assert es["content"] == "Total 42,10 £, vence el 28 nov 2026."


def test_titles_follow_the_outcome() -> None:
    def title(outcome: str, loc: Locale = EN, **result: str) -> str:
        call = ToolCallRecord(name="change_plan", args={}, outcome=outcome, result=result)
        return activity_title(call, loc, TODAY)

    assert title("ok", reference="PC-9") == "Changed your plan (PC-9)"
    assert title("pending") == "Waiting for your answer before I change your plan"
    assert title("cancelled") == "Did not change your plan: you cancelled"
    assert title("refused") == "Could not change your plan"
    assert title("ok", ES, reference="PC-9") == "He cambiado tu tarifa (PC-9)"
    assert title("cancelled", ES) == "No he llegado a cambiar tu tarifa: lo cancelaste"


def test_a_failure_is_tagged_but_never_shows_its_raw_message() -> None:
    call = ToolCallRecord(
        name="get_usage",
        args={},
        outcome="refused",
        result={"error": "refused", "message": "No consent for C-1002."},
    )
    [item] = activity_messages([call], EN, TODAY)
    assert "C-1002" not in item["content"] and item["metadata"]["log"] == "not done"


def test_not_now_is_the_customers_choice_not_an_error() -> None:
    call = ToolCallRecord(
        name="get_bill",
        args={},
        outcome="error",
        code="consent_required",
        result={"error": "consent_required", "message": "not allowed"},
    )
    [item] = activity_messages([call], EN, TODAY)
    assert "log" not in item["metadata"]
    assert item["metadata"]["title"] == (
        "Did not look up your bill: you chose not to share your account"
    )
    assert "Could not" not in item["metadata"]["title"]


def test_an_internal_plan_id_is_never_shown() -> None:
    call = ToolCallRecord(
        name="quote_plan_change",
        args={"plan_id": "GB-UNLIMITED-MAX"},
        outcome="error",
        code="not_eligible",
        result={"error": "not_eligible"},
    )
    [item] = activity_messages([call], EN, TODAY)
    assert "GB-UNLIMITED-MAX" not in item["metadata"]["title"] + item["content"]
    named = call.model_copy(update={"outcome": "ok", "result": {"to_plan_name": "Unlimited Max"}})
    assert activity_title(named, EN, TODAY) == "Priced a move to Unlimited Max"


def test_sources_are_numbered_openable_escaped_and_localised() -> None:
    html = sources_html([CITATION], EN)
    assert "<details" in html and "<summary>[1] Unlimited Max &lt;plan sheet&gt; — Roaming" in html
    assert CITATION.snippet in html and "<strong>Sources</strong>" in html
    assert "<plan sheet>" not in html
    assert sources_html([], EN) == ""
    spanish = sources_html([CITATION], ES)
    assert "<strong>Fuentes</strong>" in spanish and "Documento plan-gb-unl-max" in spanish


def test_sources_show_the_replys_numbers_not_the_searchs() -> None:
    cited = [
        CITATION.model_copy(update={"number": 1, "passage": 3, "title": "Third"}),
        CITATION.model_copy(update={"number": 2, "passage": 1, "title": "First"}),
    ]
    html = sources_html(cited, EN)
    assert html.index("<summary>[1] Third") < html.index("<summary>[2] First")
    assert "[3]" not in html


def test_change_card_leads_with_the_price_paid_and_the_new_term() -> None:
    quote = {**QUOTE, "contract_end": "2028-02-29", "fees": "60.00"}
    card = change_card(PendingConfirmation(action="change_plan", quote_id="Q-1", quote=quote), EN)
    lines = card.splitlines()
    assert lines[1].startswith("**Unlimited Max** instead of Plus 30GB")
    # £35.00 net + 20% VAT: the consumer pays £42.00.
    assert (
        lines[2] == "- You'll pay **£42.00 a month including VAT** (now £30.00 a month "
        "including VAT)"
    )
    assert lines[3] == "- New minimum term: **until 29 Feb 2028**"
    assert "Fee to leave your current term early: **£72.00 including VAT**" in lines[4]
    assert "+ tax" not in card and "GB-UNLIMITED-MAX" not in card and "2028-02-29" not in card
    # 10:30 UTC on 20 Nov is 10:30 in London (GMT).
    assert "valid until 10:30 on 20 Nov 2026." in card and "UTC" not in card
    business = change_card(PendingConfirmation(action="change_plan", quote_id="Q-1",
                                               quote=quote), BUSINESS)  # fmt: skip
    assert "£35.00 a month + VAT" in business


def test_spanish_change_card_in_the_customers_format_and_time_zone() -> None:
    quote = {**QUOTE, "currency": "EUR", "new_monthly_price": "26.45", "proration": "0.00"}
    card = change_card(PendingConfirmation(action="change_plan", quote_id="Q-1", quote=quote), ES)
    assert card.startswith("### Confirma el cambio de tarifa")
    assert "32,00 € al mes IVA incluido" in card  # 26.45 + 21% IVA
    assert "Empieza el **20 nov 2026**" in card
    assert "hasta las 11:30 del 20 nov 2026" in card  # Madrid is UTC+1 in November
    assert "Cargo ahora" not in card  # nothing charged now: not shown
    for english in ("Confirm your", "instead of", "a month", "Nothing changes"):
        assert english not in card


def test_consent_card_quotes_notice_and_version() -> None:
    card = consent_card(
        PendingConsent(
            purpose="account_data", title="Use <b>data</b>", notice="We read it.", version="AD-1"
        ),
        EN,
    )
    assert "AD-1" in card and "We read it." in card and "&lt;b&gt;" in card


def test_spanish_consent_card_uses_the_notice_written_for_that_version() -> None:
    pending = PendingConsent(
        purpose="account_data",
        title="Use my account data in this chat",
        notice="To answer questions...",
        version="AD-2026.09",
    )
    card = consent_card(pending, ES)
    assert "Usar los datos de mi cuenta en este chat" in card and "AD-2026.09" in card
    assert "Use my account data" not in card and "**Permitir**" in card
    # A version without a Spanish text shows the English one it names, never an old translation.
    newer = consent_card(pending.model_copy(update={"version": "AD-2027.01"}), ES)
    assert "Use my account data in this chat" in newer


def test_consent_line_states() -> None:
    records = FakeRecords()
    assert consent_line(records.consent_state("C-1")["account_data"], "AD-1", EN).startswith(
        "**Not granted.**"
    )
    records.set("C-1", "account_data", True)
    granted = consent_line(records.consent_state("C-1")["account_data"], "AD-1", EN)
    assert granted.startswith("**Granted** since 20 Nov 2026")
    assert "has changed" in consent_line(records.consent_state("C-1")["account_data"], "AD-2", EN)
    assert consent_line(records.consent_state("C-1")["account_data"], "AD-1", ES).startswith(
        "**Concedido** desde el 20 nov 2026"
    )
    records.set("C-1", "account_data", False)
    assert consent_line(records.consent_state("C-1")["account_data"], "AD-1", EN).startswith(
        "**Withdrawn**"
    )


def test_account_panel_shows_plan_balance_due_date_and_usage() -> None:
    records = FakeRecords()
    panel = account_panel(records.account_overview("C-1"), records.current_usage("C-1"), EN, TODAY)
    for expected in (
        "Ann Archer",
        "Plus 30GB",
        "£30.00 a month including VAT",
        "£42.10",
        "28 Nov 2026",
        "data 3.0 GB of 30.0 GB",
        "120 minutes (unlimited)",
        "minimum term until 31 Mar 2027",
    ):
        assert expected in panel, expected
    assert "of unlimited" not in panel


def test_account_panel_agrees_with_itself() -> None:
    records = FakeRecords()
    overview = records.account_overview("C-1")
    paid = overview.latest_bill.model_copy(update={"balance_due": Decimal(0)})
    line = overview.lines[0].model_copy(
        update={"contract_end": date(2026, 2, 28), "in_minimum_term": False}
    )
    overdue = overview.model_copy(
        update={"latest_bill": paid, "arrears": Decimal("12.00"), "lines": [line]}
    )
    panel = account_panel(overdue, [], EN, TODAY)
    assert "**Overdue:** £12.00" in panel and "£0.00" not in panel and ", paid" in panel
    assert "minimum term" not in panel and "28 Feb 2026" not in panel


def test_spanish_account_panel() -> None:
    records = FakeRecords()
    panel = account_panel(records.account_overview("C-2"), records.current_usage("C-2"), ES, TODAY)
    for expected in (
        "### Tu cuenta",
        "17,55 €",
        "**A pagar:** 17,55 € antes del 28 nov 2026",
        "datos 3,0 GB de 30,0 GB",
        "120 minutos (ilimitados)",
    ):
        assert expected in panel, expected


def test_disclosure_is_not_repeated_but_other_text_is_kept() -> None:
    greeting = "Hi, I'm an AI."
    assert without_disclosure("Hi, I'm an AI.\n\nAnswer", greeting) == "Answer"
    assert without_disclosure("Hi, I'm", greeting) == ""
    assert without_disclosure("Hola, soy una IA.\n\nRespuesta", greeting).startswith("Hola")
