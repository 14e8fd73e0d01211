"""What the panels and activity messages say, and that data is escaped."""

from __future__ import annotations

from datetime import date

from assistant.replies import PendingConfirmation, PendingConsent, ToolCallRecord
from tests.ui.fakes import CITATION, QUOTE, FakeRecords
from ui.activity import activity_messages, activity_title, month_label
from ui.conversation import without_disclosure
from ui.render import account_panel, change_card, consent_card, consent_line, sources_html

TODAY = date(2026, 11, 20)


def test_bill_lookup_is_titled_with_the_month() -> None:
    call = ToolCallRecord(name="get_bill", args={"period": "2026-10"}, outcome="ok",
                          result={"total": "42.10", "currency": "GBP", "due_date": "2026-11-28"})
    [item] = activity_messages([call], TODAY)
    assert item["metadata"]["title"] == "Looked up your bill for October"
    assert item["metadata"]["status"] == "done"
    assert "42.10" in item["content"]


def test_titles_follow_the_outcome() -> None:
    def title(outcome: str, **result: str) -> str:
        call = ToolCallRecord(name="change_plan", args={}, outcome=outcome, result=result)
        return activity_title(call, TODAY)

    assert title("ok", reference="PC-9") == "Changed your plan (PC-9)"
    assert title("pending") == "Waiting for your answer before I change your plan"
    assert title("cancelled") == "Did not change your plan: you cancelled"
    assert title("refused") == "Could not change your plan"


def test_refused_call_shows_its_message_and_outcome() -> None:
    call = ToolCallRecord(name="get_usage", args={}, outcome="refused",
                          result={"error": "refused", "message": "No consent."})
    [item] = activity_messages([call], TODAY)
    assert item["content"] == "No consent."
    assert item["metadata"]["log"] == "refused"


def test_month_label_adds_the_year_only_when_it_differs() -> None:
    assert month_label("2026-10", TODAY) == "October"
    assert month_label("2025-12", TODAY) == "December 2025"
    assert month_label("latest", TODAY) == "latest"


def test_sources_are_numbered_openable_and_escaped() -> None:
    html = sources_html([CITATION])
    assert "<details" in html and "<summary>[1] Unlimited Max &lt;plan sheet&gt; — Roaming" in html
    assert CITATION.snippet in html
    assert "<plan sheet>" not in html
    assert sources_html([]) == ""


def test_sources_show_the_replys_numbers_not_the_searchs() -> None:
    # The SDK renumbered passages 3 and 1 of the search to [1] and [2].
    cited = [CITATION.model_copy(update={"number": 1, "passage": 3, "title": "Third"}),
             CITATION.model_copy(update={"number": 2, "passage": 1, "title": "First"})]
    html = sources_html(cited)
    assert html.index("<summary>[1] Third") < html.index("<summary>[2] First")
    assert "[3]" not in html


def test_change_card_has_plan_price_proration_fees_and_date() -> None:
    card = change_card(PendingConfirmation(action="change_plan", quote_id="Q-1", quote=QUOTE))
    for expected in ("Unlimited Max", "£35.00", "+ tax", "£3.33", "Fees: £0.00",
                     "20 Nov 2026", "Your minimum term restarts.", "Confirm"):
        assert expected in card


def test_consent_card_quotes_notice_and_version() -> None:
    card = consent_card(PendingConsent(purpose="account_data", title="Use <b>data</b>",
                                       notice="We read it.", version="AD-1"))
    assert "AD-1" in card and "We read it." in card and "&lt;b&gt;" in card


def test_consent_line_states() -> None:
    records = FakeRecords()
    assert consent_line(records.consent_state("C-1")["account_data"], "AD-1").startswith(
        "**Not granted.**")
    records.set("C-1", "account_data", True)
    granted = consent_line(records.consent_state("C-1")["account_data"], "AD-1")
    assert granted.startswith("**Granted** since 20 Nov 2026")
    assert "has changed" in consent_line(records.consent_state("C-1")["account_data"], "AD-2")
    records.set("C-1", "account_data", False)
    assert consent_line(records.consent_state("C-1")["account_data"], "AD-1").startswith(
        "**Withdrawn**")


def test_account_panel_shows_plan_balance_due_date_and_usage() -> None:
    records = FakeRecords()
    panel = account_panel(records.account_overview("C-1"), records.current_usage("C-1"))
    for expected in ("Ann Archer", "Plus 30GB", "£42.10", "28 Nov 2026", "3.0 GB of 30.0 GB"):
        assert expected in panel


def test_disclosure_is_not_repeated_but_other_text_is_kept() -> None:
    greeting = "Hi, I'm an AI."
    assert without_disclosure("Hi, I'm an AI.\n\nAnswer", greeting) == "Answer"
    assert without_disclosure("Hi, I'm", greeting) == ""
    assert without_disclosure("Hola, soy una IA.\n\nRespuesta", greeting).startswith("Hola")
