"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Oliver (C-1002) signs in, gets a cited answer, meets the consent request (it comes into view
and takes focus) and allows it from the keyboard (focus returns to the message box), sees his
bill amount as the database has it, switches to Unlimited Max and sees the PC- reference; then
Javier (C-1007), a Spanish customer, signs in on the same page, sees none of it and reads the
page in Spanish (<html lang="es">). Screenshots of each state go to artifacts/ui/ (git-ignored).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect, sync_playwright

from assistant.records.money import format_money
from tests.ui.conftest import launched
from ui.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Turns run the offline engine on a loaded 2-core machine; leave room.
STEP_TIMEOUT_MS = 90_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian chromium is not installed at "
        "/usr/bin/chromium (apt-get install chromium); the browser test needs it",
    ),
]


@pytest.fixture(scope="module")
def url(real_assistant: Any) -> Iterator[str]:
    with launched(create_app(real_assistant)) as address:
        yield address


@pytest.fixture
def page(url: str) -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.set_default_timeout(STEP_TIMEOUT_MS)
            expect.set_options(timeout=STEP_TIMEOUT_MS)
            page.goto(url)
            yield page
        finally:
            browser.close()


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, person: dict[str, str]) -> None:
    """Keyboard only: type the credentials and press Enter."""
    page.get_by_label("Email").fill(person["email"])
    page.get_by_label("Password").fill(person["password"])
    page.get_by_label("Password").press("Enter")
    page.locator("#who").get_by_text(person["name"]).wait_for()


def ask(page: Any, text: str) -> None:
    """Type into the message box and press Enter (each step then waits for its own outcome)."""
    box = page.locator("#message textarea")
    box.fill(text)
    box.press("Enter")
    page.locator("#chat").get_by_text(text, exact=True).last.wait_for()


def press(page: Any, elem_id: str) -> None:
    """Operate a button from the keyboard: focus it and press Enter."""
    button = page.locator(f"button#{elem_id}")
    button.focus()
    button.press("Enter")


def focused_in(page: Any, elem_id: str) -> bool:
    """True when keyboard focus is on ``elem_id`` or inside it."""
    return page.evaluate(
        "(id) => !!document.activeElement && !!document.activeElement.closest('#' + id)", elem_id
    )


def chat_text(page: Any) -> str:
    return page.locator("#chat").inner_text()


def test_two_customers_end_to_end(
    page: Any, real_assistant: Any, demo: dict[str, dict[str, str]]
) -> None:
    oliver, javier = demo["C-1002"], demo["C-1007"]
    page.locator("#signin-email").first.wait_for()
    shot(page, "01-sign-in")

    sign_in(page, oliver)
    assert "I'm an AI" in chat_text(page)  # the disclosure comes first
    page.wait_for_function("document.activeElement?.closest('#message') !== null")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_text("Use via API")).to_have_count(0)
    expect(page.get_by_text("Built with Gradio")).to_have_count(0)

    ask(page, "Does Unlimited Max include roaming in France?")
    source = page.locator("#chat .vela-sources summary").first
    source.wait_for()
    source.focus()
    source.press("Enter")  # a numbered source opens from the keyboard
    expect(page.locator("#chat .vela-sources details[open] blockquote").first).to_be_visible()
    # Sources keep the number the search gave them; the answer cites that same number.
    assert re.search(r"\[\d+\] ", source.inner_text())
    shot(page, "02-cited-answer")

    ask(page, "How much is my latest bill?")
    card = page.locator("#consent-card").first
    card.wait_for(state="visible")
    assert "AD-" in card.inner_text() and "Not now" in card.inner_text()
    # The card comes into view and takes focus, so the keyboard is where the question is.
    page.wait_for_function("document.activeElement?.closest('#consent-card') !== null")
    box = card.bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] + box["height"] <= 900
    shot(page, "03-consent-request")
    press(page, "allow")
    bill = real_assistant.records.get_bill("C-1002")
    amount = format_money(bill.total, bill.currency)
    page.locator("#chat").get_by_text(amount).first.wait_for()
    page.locator("#account").get_by_text(amount).first.wait_for()
    expect(card).to_be_hidden()
    page.wait_for_function("document.activeElement?.closest('#message') !== null")
    shot(page, "04-bill-after-consent")

    ask(page, "switch me to Unlimited Max")
    change = page.locator("#change-card").first
    change.wait_for(state="visible")
    text = change.inner_text()
    # The price the consumer pays (VAT included) and the new minimum term come first.
    assert text.index("You'll pay") < text.index("New minimum term") < text.index("Starts on")
    for expected in ("Unlimited Max", "a month including VAT", "This offer is valid until"):
        assert expected in text
    assert "+ tax" not in text and "UTC" not in text and "GB-UNLIMITED-MAX" not in text
    page.wait_for_function("document.activeElement?.closest('#change-card') !== null")
    shot(page, "05-plan-change-card")
    press(page, "confirm")
    page.locator("#chat").get_by_text(re.compile(r"PC-[0-9A-F]+")).last.wait_for()
    reference = re.findall(r"PC-[0-9A-F]+", chat_text(page))[-1]
    line = real_assistant.records.account_overview("C-1002").lines[0]
    assert line.plan_id == "GB-UNLIMITED-MAX" or line.pending_plan_id == "GB-UNLIMITED-MAX"
    shot(page, "06-plan-change-confirmed")

    press(page, "talk-to-person")
    page.locator("#status").get_by_text(re.compile(r"Ticket \S+ opened")).wait_for()
    ticket = re.search(r"Ticket (\S+) opened", page.locator("#status").inner_text()).group(1)

    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_function("document.documentElement.scrollWidth <= 390")  # no sideways scroll
    send = page.locator("button#send").bounding_box()
    assert send is not None and send["x"] + send["width"] <= 390
    shot(page, "07-phone-width")
    page.set_viewport_size({"width": 1366, "height": 900})

    press(page, "signout-button")
    page.locator("#signin-email").first.wait_for(state="visible")
    sign_in(page, javier)
    page.locator("#chat").get_by_text(re.compile(r"\b(AI|IA)\b")).first.wait_for()
    # Javier's profile is Spanish: the page is too.
    page.wait_for_function("document.documentElement.lang === 'es'")
    expect(page.locator("button#send")).to_have_text("Enviar")
    expect(page.locator("button#signout-button")).to_have_text("Cerrar sesión")
    ask(page, "¿Cuánto es mi última factura?")
    spanish_card = page.locator("#consent-card").first
    spanish_card.wait_for(state="visible")
    card_text = spanish_card.inner_text()
    assert "Permitir" in card_text and "Usar los datos de mi cuenta" in card_text
    assert "Use my account data" not in card_text and "Allow" not in card_text
    shot(page, "08-second-customer")
    stored = page.evaluate(
        "JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])"
    )
    for leaked in (
        oliver["name"],
        oliver["email"],
        oliver["password"],
        "C-1002",
        amount,
        reference,
        ticket,
        "roaming in France",
        "+44 7",
    ):
        expect(page.locator("body")).not_to_contain_text(leaked)
        assert leaked not in stored, f"{leaked!r} from the first customer is in browser storage"
    expect(page.get_by_role("link", name=re.compile("Runs"))).to_have_count(0)
