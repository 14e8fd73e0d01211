"""create_app around the real Assistant (offline engine, seeded SQLite, MiniLM index), no launch.

Uses C-1001 and a guest, so the browser test's customers (C-1002, C-1007) stay untouched.
"""

from __future__ import annotations

import re
from typing import Any

import gradio as gr
import pytest

from assistant.records.money import format_money
from ui.app import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app(real_assistant: Any) -> gr.Blocks:
    return create_app(real_assistant)


def fn(app: gr.Blocks, name: str) -> Any:
    return next(f.fn for f in app.fns.values() if f.api_name == name)


def block(app: gr.Blocks, elem_id: str) -> Any:
    return next(b for b in app.blocks.values() if getattr(b, "elem_id", None) == elem_id)


def click(app: gr.Blocks, elem_id: str) -> Any:
    """The function a button's click runs."""
    target = (block(app, elem_id)._id, "click")
    return next(f.fn for f in app.fns.values() if target in f.targets)


def state_of(app: gr.Blocks, updates: dict[Any, Any]) -> Any:
    return next(v for k, v in updates.items() if isinstance(k, gr.State))


def test_consent_panel_lists_every_purpose_with_its_version(
    app: gr.Blocks, real_assistant: Any
) -> None:
    for purpose in real_assistant.records.consent_purposes():
        assert block(app, f"grant-{purpose.purpose}") is not None
        assert block(app, f"state-{purpose.purpose}") is not None


def test_guest_plan_question_gets_cited_sources(app: gr.Blocks) -> None:
    *_, (visit, messages) = fn(app, "chat")("Does Unlimited Max include roaming in France?", None)
    assert visit.customer_id is None
    answer = messages[-1]["content"]
    cited = re.findall(r"\[(\d+)\]", answer)
    assert cited and "<details" in answer and "Unlimited Max" in answer
    assert any(
        m.get("metadata", {}).get("title", "").startswith("Searched Vela's documents")
        for m in messages
    )


def test_signed_in_bill_question_asks_consent_then_shows_the_db_amount(
    app: gr.Blocks, real_assistant: Any, demo: dict[str, dict[str, str]]
) -> None:
    amelia = demo["C-1001"]
    updates = fn(app, "sign_in")(amelia["email"], amelia["password"], None)
    visit = state_of(app, updates)
    assert visit.customer_id == "C-1001" and "I'm an AI" in visit.messages[0]["content"]
    withdrawn = click(app, "withdraw-account_data")(visit)  # whatever the seed says, ask afresh
    assert not real_assistant.records.has_consent("C-1001", "account_data")
    assert withdrawn[block(app, "account")]["value"].startswith("Your plan, balance and usage")
    *_, (visit, _messages) = fn(app, "chat")("How much is my latest bill?", visit)
    view = next(f.fn for f in app.fns.values() if f.name == "view")  # refreshes the panels
    shown = view(visit)
    assert shown[block(app, "consent-card")]["visible"] is True
    assert "AD-" in shown[block(app, "consent-card").children[0]]
    after = fn(app, "confirm")(visit)
    bill = real_assistant.records.get_bill("C-1001")
    amount = format_money(bill.total, bill.currency)
    assert amount in visit.messages[-1]["content"]
    assert amount in after[block(app, "account")]["value"]
    assert after[block(app, "withdraw-account_data")]["interactive"] is True
