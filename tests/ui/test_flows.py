"""The UI's event functions against the scripted Assistant: sign-in to confirmation."""

from __future__ import annotations

import pytest

from tests.ui.fakes import GREETING, FakeAssistant
from ui import conversation, identity, state
from ui.i18n import Locale
from ui.screen import screen_for
from ui.state import Visit


def signed_in(fake: FakeAssistant, email: str = "ann@test", pw: str = "pw-ann") -> Visit:
    visit, error = identity.sign_in(fake, None, email, pw)
    assert error == "" and visit is not None
    return visit


def last_visit(fake: FakeAssistant, visit: Visit | None, text: str) -> Visit:
    *_, final = conversation.chat_turn(fake, visit, text)
    return final


def page_text(fake: FakeAssistant, visit: Visit | None) -> str:
    """Everything the screen would show, as one string."""
    s = screen_for(fake, visit)
    parts = [s.who, s.status, s.account or "", s.consent_request or "", s.change_request or ""]
    parts += [str(m["content"]) + str(m.get("metadata", "")) for m in s.messages]
    parts += [p.text for p in s.consents.values()]
    return "\n".join(parts)


def test_wrong_password_is_refused_without_saying_which_part(fake: FakeAssistant) -> None:
    bad = Locale().t("bad_credentials")
    visit, error = identity.sign_in(fake, None, "ann@test", "wrong")
    assert visit is None and error == bad
    assert identity.sign_in(fake, None, "nobody@test", "pw-ann")[1] == bad
    assert identity.sign_in(fake, None, " ", "")[1].startswith("Enter your email")
    assert fake.sessions == []


def test_sign_in_opens_a_ui_session_and_shows_the_disclosure_first(fake: FakeAssistant) -> None:
    visit = signed_in(fake)
    assert visit.customer_id == "C-1" and fake.sessions[0].customer_id == "C-1"
    assert visit.messages == [{"role": "assistant", "content": GREETING}]
    screen = screen_for(fake, visit)
    assert screen.signed_in and screen.is_customer and "Ann Archer" in screen.who
    assert screen.account is None  # no consent yet
    assert not screen.consents["account_data"].granted


def test_streamed_answer_grows_and_ends_with_activity_and_sources(fake: FakeAssistant) -> None:
    visit = signed_in(fake)
    steps = [list(v.messages) for v in conversation.chat_turn(fake, visit, "roaming?")][1:]
    assert len(steps) >= 3
    partial = [s[-1]["content"] for s in steps[:-1]]
    assert all(GREETING not in p for p in partial)  # the disclosure is not shown twice
    assert len(partial[0]) < len(partial[-1])
    final = steps[-1]
    assert final[1] == {"role": "user", "content": "roaming?"}
    assert final[2]["metadata"]["title"] == 'Searched Vela\'s documents for "roaming?"'
    assert final[3]["content"].startswith("Unlimited Max includes EU roaming [1].")
    assert "<summary>[1] Unlimited Max" in final[3]["content"]


def test_refused_message_is_not_sent_and_says_why(fake: FakeAssistant) -> None:
    visit = last_visit(fake, signed_in(fake), "x" * 60)
    assert [m["role"] for m in visit.messages] == ["assistant"]
    assert visit.status.startswith("Your message was not sent: message is too long")


def test_consent_request_then_allow_shows_bill_and_account(fake: FakeAssistant) -> None:
    visit = last_visit(fake, signed_in(fake), "my bill")
    screen = screen_for(fake, visit)
    assert screen.consent_request is not None and "AD-1" in screen.consent_request
    assert screen.account is None
    visit = conversation.resolve(fake, visit, accept=True)
    assert visit is not None
    screen = screen_for(fake, visit)
    assert screen.consent_request is None
    assert screen.consents["account_data"].granted
    assert screen.account is not None and "£42.10" in screen.account
    assert visit.messages[-3]["content"] == "Allow"
    assert visit.messages[-2]["metadata"]["title"] == "Looked up your bill for October"
    assert "42.10" in visit.messages[-1]["content"]


def test_not_now_keeps_the_account_private(fake: FakeAssistant) -> None:
    visit = conversation.resolve(fake, last_visit(fake, signed_in(fake), "my bill"), False)
    screen = screen_for(fake, visit)
    assert visit is not None and visit.messages[-2]["content"] == "Not now"
    assert screen.account is None and screen.consent_request is None


def test_plan_change_card_confirm_and_reference(fake: FakeAssistant) -> None:
    visit = signed_in(fake)
    identity.set_consent(visit, "account_data", grant=True)
    visit = last_visit(fake, visit, "switch me")
    card = screen_for(fake, visit).change_request
    # A consumer sees the price they pay: the net £3.33 with 20% VAT is £4.00.
    assert card is not None and "Unlimited Max" in card and "£4.00 including VAT" in card
    visit = conversation.resolve(fake, visit, accept=True)
    assert visit is not None and screen_for(fake, visit).change_request is None
    assert visit.messages[-3]["content"] == "Confirm"
    assert "PC-1001" in visit.messages[-1]["content"]
    assert conversation.resolve(fake, visit, True).status == "Nothing is waiting for your answer."


def test_consent_panel_grant_and_withdraw(fake: FakeAssistant) -> None:
    visit = signed_in(fake)
    identity.set_consent(visit, "transcript_retention", grant=True)
    assert screen_for(fake, visit).consents["transcript_retention"].granted
    identity.set_consent(visit, "transcript_retention", grant=False)
    state = screen_for(fake, visit).consents["transcript_retention"]
    assert not state.granted and state.text.startswith("**Withdrawn**")
    assert visit.status.startswith("Permission withdrawn")


def test_guest_gets_general_help_and_no_consent_panel(fake: FakeAssistant) -> None:
    visit = identity.continue_as_guest(fake, None)
    assert fake.sessions[0].customer_id is None
    visit = last_visit(fake, visit, "my bill")
    screen = screen_for(fake, visit)
    assert not screen.is_customer and screen.consents == {} and screen.account is None
    assert identity.set_consent(visit, "account_data", True) is visit
    assert fake.records.granted == {}


def test_talk_to_person_opens_a_ticket_with_reference(fake: FakeAssistant) -> None:
    visit = conversation.talk_to_person(fake, signed_in(fake))
    assert visit.status == "Ticket TK-1 opened."
    assert "**TK-1**" in visit.messages[-1]["content"]
    visit = last_visit(fake, visit, "roaming?")  # the assistant's first turn comes after
    assert sum(GREETING in str(m["content"]) for m in visit.messages) == 1


def test_new_conversation_closes_the_old_session(fake: FakeAssistant) -> None:
    visit = last_visit(fake, signed_in(fake), "roaming?")
    fresh = conversation.new_conversation(fake, visit)
    assert fake.sessions[0].closed and fresh.session is fake.sessions[1]
    assert fresh.customer_id == "C-1" and fresh.messages == [visit.messages[0]]


def test_sign_out_then_second_customer_sees_nothing_of_the_first(fake: FakeAssistant) -> None:
    first = signed_in(fake)
    identity.set_consent(first, "account_data", grant=True)
    first = conversation.talk_to_person(fake, last_visit(fake, first, "my bill"))
    before = page_text(fake, first)
    assert "Ann Archer" in before and "42.10" in before and "TK-1" in before
    identity.sign_out(first)
    assert fake.sessions[0].closed and screen_for(fake, None).messages == []
    second = signed_in(fake, "bea@test", "pw-bea")
    after = page_text(fake, second)
    for leaked in ("Ann Archer", "C-1", "42.10", "TK-1", "my bill"):
        assert leaked not in after
    assert "Bea Bravo" in after


def test_an_event_waits_for_a_streaming_turn_then_says_busy(
    fake: FakeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "BUSY_WAIT_S", 0.05)
    visit = last_visit(fake, signed_in(fake), "my bill")
    streaming = conversation.chat_turn(fake, visit, "roaming?")
    next(streaming)  # the turn holds the tab while it streams
    assert conversation.resolve(fake, visit, True) is visit
    assert visit.status == Locale().t("busy") and fake.sessions[0].pending is not None
    assert conversation.new_conversation(fake, visit) is visit
    list(streaming)
    assert conversation.resolve(fake, visit, False) is visit and visit.status == ""


def test_a_tab_whose_session_is_gone_asks_to_sign_in_again(fake: FakeAssistant) -> None:
    # After a server restart the page still says "customer" but the server has no Visit.
    visit, note = identity.admit(fake, None, "browser-1", identity.CUSTOMER, "es")
    assert visit is None and note == Locale(lang="es").t("session_gone")
    assert "inicia" in note.lower()
    assert screen_for(fake, None).who == ""  # the header names nobody
    # A page that never signed in is simply signed out, without a warning.
    assert identity.admit(fake, None, "browser-1", identity.SIGNED_OUT, "en") == (None, "")


def test_a_spanish_customer_reads_everything_in_spanish(fake: FakeAssistant) -> None:
    visit = signed_in(fake, "bea@test", "pw-bea")
    visit = last_visit(fake, visit, "my bill")
    screen = screen_for(fake, visit)
    assert screen.locale.lang == "es" and screen.who.startswith("Sesión iniciada como")
    assert screen.consent_request is not None
    assert screen.consent_request.startswith("### ¿Puedo usar los datos de tu cuenta?")
    visit = conversation.resolve(fake, visit, accept=True)
    assert visit is not None and visit.messages[-3]["content"] == "Permitir"
    assert visit.messages[-2]["metadata"]["title"] == "He consultado tu factura de octubre"
    account = screen_for(fake, visit).account or ""
    assert "### Tu cuenta" in account and "17,55 €" in account


def test_a_guest_conversation_opens_in_the_chosen_language(fake: FakeAssistant) -> None:
    visit = identity.continue_as_guest(fake, None, "es")
    assert fake.sessions[0].language == "es" and visit.locale.lang == "es"
    assert screen_for(fake, visit).who.startswith("Estás chateando como **invitado**")


def test_a_message_over_the_limit_is_refused_with_its_length() -> None:
    from assistant.sdk import MAX_MESSAGE_CHARS

    assert conversation.too_long("x" * MAX_MESSAGE_CHARS, Locale()) == ""
    error = conversation.too_long("x" * (MAX_MESSAGE_CHARS + 100), Locale(lang="es"))
    assert "4.100" in error and "4.000" in error and "sigue en el cuadro" in error
