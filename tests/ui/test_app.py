"""create_app without launching: its API surface and the wiring of events to outputs."""

from __future__ import annotations

from typing import Any

import gradio as gr
import pytest

from tests.ui.fakes import GREETING, FakeAssistant
from ui.app import create_app, launch_options


@pytest.fixture
def app(fake: FakeAssistant) -> gr.Blocks:
    return create_app(fake)


def fn(app: gr.Blocks, api_name: str) -> Any:
    [found] = [f.fn for f in app.fns.values() if f.api_name == api_name]
    return found


def block(app: gr.Blocks, elem_id: str) -> Any:
    [found] = [b for b in app.blocks.values() if getattr(b, "elem_id", None) == elem_id]
    return found


def visible(updates: dict[Any, Any], component: Any) -> bool:
    return updates[component]["visible"]


def value(updates: dict[Any, Any], component: Any) -> Any:
    """The new value of ``component`` (labels may come with it in one update)."""
    update = updates[component]
    return update["value"] if isinstance(update, dict) and "__type__" in update else update


def test_the_box_is_emptied_before_the_turn_streams(app: gr.Blocks) -> None:
    [take] = [f for f in app.fns.values() if f.name == "take_message"][:1]
    emptied, sent, send = take.fn("hello", None, "", "en")
    assert (emptied, sent) == ("", "hello") and take.queue is False
    assert send["interactive"] is False  # no second send while the turn runs
    [turn] = [f for f in app.fns.values() if f.name == "on_chat" and f.api_name != "chat"][:1]
    assert turn.trigger_after == take._id


def test_builds_without_launching_and_exposes_a_small_named_api(app: gr.Blocks) -> None:
    assert isinstance(app, gr.Blocks) and not app.is_running
    public = {f.api_name for f in app.fns.values() if f.api_visibility == "public"}
    assert public == {"chat", "sign_in", "confirm", "decline"}
    assert [
        type(i).__name__ for i in next(f for f in app.fns.values() if f.api_name == "chat").inputs
    ] == ["Textbox", "State"]


def test_launch_options_never_share_or_keep_runs_in_the_browser() -> None:
    options = launch_options()
    assert "share" not in options and ".vela-sources" in options["css"]
    # No developer footer ("Use via API", "Built with Gradio") for customers.
    assert options["run_history"] is False and options["footer_links"] == []


def test_sign_in_reveals_the_workspace_and_clears_the_password(app: gr.Blocks) -> None:
    updates = fn(app, "sign_in")("ann@test", "pw-ann", None)
    assert visible(updates, block(app, "workspace")) and not visible(updates, block(app, "signin"))
    assert value(updates, block(app, "chat")) == [{"role": "assistant", "content": GREETING}]
    assert visible(updates, block(app, "consent-panel"))
    assert value(updates, block(app, "signin-password")) == ""
    assert "Ann Archer" in updates[block(app, "who")]
    assert updates[block(app, "grant-account_data")]["interactive"] is True
    assert updates[block(app, "withdraw-account_data")]["interactive"] is False


def test_failed_sign_in_keeps_the_form_and_says_so(app: gr.Blocks) -> None:
    updates = fn(app, "sign_in")("ann@test", "nope", None)
    assert not visible(updates, block(app, "workspace"))
    assert "don't match" in updates[block(app, "signin-message")]
    assert value(updates, block(app, "signin-password")) == ""


def test_chat_endpoint_streams_then_panels_follow(app: gr.Blocks, fake: FakeAssistant) -> None:
    visit = fn(app, "sign_in")("ann@test", "pw-ann", None)[
        next(b for b in app.blocks.values() if isinstance(b, gr.State))
    ]
    steps = list(fn(app, "chat")("my bill", visit))
    assert steps[0][1][-1] == {"role": "user", "content": "my bill"}  # shown before any token
    assert steps[-1][1][-1]["content"] == "May I use your account data?"
    [view] = [f.fn for f in app.fns.values() if f.name == "view" and f.api_name == "view"]
    updates = view(visit)
    assert visible(updates, block(app, "consent-card"))
    assert not visible(updates, block(app, "change-card"))
    assert "AD-1" in updates[block(app, "consent-card").children[0]]
    after = fn(app, "confirm")(visit)
    assert not visible(after, block(app, "consent-card"))
    assert "£42.10" in after[block(app, "account")]["value"]
    assert after[block(app, "withdraw-account_data")]["interactive"] is True


def test_chat_without_signing_in_starts_a_guest_conversation(
    app: gr.Blocks, fake: FakeAssistant
) -> None:
    *_, (visit, messages) = fn(app, "chat")("roaming?", None)
    assert visit.customer_id is None and fake.sessions[0].customer_id is None
    assert messages[0]["content"] == GREETING and "[1]" in messages[-1]["content"]


def test_a_long_message_stays_in_the_box(app: gr.Blocks) -> None:
    [take] = [f for f in app.fns.values() if f.name == "take_message"][:1]
    long = "x" * 4001
    kept, sent, _send = take.fn(long, None, "", "en")
    assert kept["__type__"] == "update" and "value" not in kept  # the box is left as it is
    signed = fn(app, "sign_in")("ann@test", "pw-ann", None)
    visit = signed[next(b for b in app.blocks.values() if isinstance(b, gr.State))]
    [turn] = [f for f in app.fns.values() if f.name == "on_chat" and f.api_name != "chat"][:1]
    *_, (after, messages) = turn.fn(sent, visit, "customer", "en")
    assert after is visit and "4,001 characters long; the limit is 4,000" in visit.status
    assert [m["role"] for m in messages] == ["assistant"]  # nothing was sent


def test_spanish_guest_page_is_labelled_in_spanish(app: gr.Blocks) -> None:
    [on_language] = [f.fn for f in app.fns.values() if f.name == "on_language"]
    updates = on_language(None, "", "es")
    assert value(updates, block(app, "signin-button")) == "Iniciar sesión"
    assert updates[block(app, "signin-email")]["label"] == "Correo electrónico"
    assert 'data-vela-lang="es"' in updates[block(app, "vela-lang")]
    assert updates[block(app, "language")]["value"] == "es"


def test_a_signed_in_tab_whose_visit_is_gone_says_so(app: gr.Blocks) -> None:
    [view] = [f.fn for f in app.fns.values() if f.name == "view" and f.api_name == "view"]
    updates = view(None, "customer", "en")
    assert "sign in again" in updates[block(app, "signin-message")]
    assert updates[block(app, "who")] == "" and not visible(updates, block(app, "workspace"))
