"""The Gradio app: layout and event wiring. ``create_app`` builds, ``serve`` launches.

All per-user state is the tab's ``gr.State`` (a ``Visit``); the event functions live in
``ui.identity`` and ``ui.conversation`` and what the page shows is computed by ``ui.screen``.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import gradio as gr

from ui import conversation, identity
from ui.screen import Screen, screen_for
from ui.state import Visit, close_visit

if TYPE_CHECKING:
    from assistant.sdk import Assistant
    from assistant.settings import Settings

TITLE = "Vela Telecom assistant"
NO_CONSENT_NOTE = (
    "Your plan, balance and usage appear here once you allow the assistant to use your "
    "account data (see *Privacy and consent*)."
)


def launch_options() -> dict[str, Any]:
    """Options every launch must use (Gradio 6 takes css and theme in ``launch()``).

    ``run_history`` is off: Gradio would otherwise keep each event's inputs and outputs
    (e-mail, password, the conversation) in the browser, where the next person at the same
    device could open them.
    """
    css = resources.files("ui").joinpath("style.css").read_text("utf-8")
    return {
        "css": css,
        "theme": gr.themes.Default(primary_hue="indigo"),
        "run_history": False,
        "footer_links": ["api", "gradio"],
    }


def create_app(assistant: Assistant | Any) -> gr.Blocks:
    """Build the chat app around an Assistant (or any object with the same surface).

    Nothing is launched; the consent purposes are read once, here, to lay out the panel.
    """
    purposes = list(assistant.records.consent_purposes())
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        visit = gr.State(None, delete_callback=close_visit)
        sent = gr.State("")  # the message being answered, once taken out of the box
        gr.Markdown(f"# {TITLE}", elem_id="vela-title")

        with gr.Group(visible=True, elem_id="signin") as signin_box:
            gr.Markdown(
                "Sign in for help with your own account, or continue as a guest to ask "
                "about our plans and policies. You'll be chatting with an AI assistant."
            )
            email_box = gr.Textbox(label="Email", type="email", elem_id="signin-email")
            password_box = gr.Textbox(label="Password", type="password", elem_id="signin-password")
            with gr.Row():
                sign_in_btn = gr.Button("Sign in", variant="primary", elem_id="signin-button")
                guest_btn = gr.Button("Continue as guest", elem_id="guest-button")
            signin_msg = gr.Markdown(elem_id="signin-message")

        with gr.Column(visible=False, elem_id="workspace") as workspace:
            with gr.Row(equal_height=False):
                who = gr.Markdown(elem_id="who")
                sign_out_btn = gr.Button("Sign out", size="sm", scale=0, elem_id="signout-button")
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=300):
                    chatbot = gr.Chatbot(
                        label="Vela assistant (AI)", elem_id="chat", height="60vh",
                        min_height=320, buttons=["copy"], feedback_options=None,
                        layout="bubble",
                    )
                    with gr.Group(visible=False, elem_id="consent-card") as consent_box:
                        consent_md = gr.Markdown()
                        with gr.Row():
                            allow_btn = gr.Button("Allow", variant="primary", elem_id="allow")
                            not_now_btn = gr.Button("Not now", elem_id="not-now")
                    with gr.Group(visible=False, elem_id="change-card") as change_box:
                        change_md = gr.Markdown()
                        with gr.Row():
                            confirm_btn = gr.Button("Confirm", variant="primary", elem_id="confirm")
                            cancel_btn = gr.Button("Cancel", elem_id="cancel")
                    with gr.Row(equal_height=True):
                        msg = gr.Textbox(
                            label="Your message", placeholder="Type your question…",
                            lines=1, max_lines=4, scale=4, min_width=180, elem_id="message",
                        )
                        send_btn = gr.Button("Send", variant="primary", scale=1, min_width=80,
                                             elem_id="send")
                    status = gr.Markdown(elem_id="status")
                    api_chat = gr.Button(visible=False)  # carries the public "chat" endpoint
                    with gr.Row():
                        person_btn = gr.Button("Talk to a person", elem_id="talk-to-person")
                        new_btn = gr.Button("New conversation", elem_id="new-conversation")
                with gr.Column(scale=2, min_width=280):
                    account_md = gr.Markdown(elem_id="account")
                    with gr.Accordion("Privacy and consent", open=True,
                                      elem_id="consent-panel") as consent_panel:
                        consent_rows: dict[str, tuple[Any, Any, Any]] = {}
                        for p in purposes:
                            with gr.Group(elem_id=f"purpose-{p.purpose}"):
                                gr.Markdown(
                                    f"**{p.title}**\n\n{p.notice}\n\n*Notice version {p.version}*"
                                )
                                state_md = gr.Markdown(elem_id=f"state-{p.purpose}")
                                with gr.Row():
                                    grant = gr.Button("Grant", size="sm",
                                                      elem_id=f"grant-{p.purpose}")
                                    withdraw = gr.Button("Withdraw", size="sm",
                                                         elem_id=f"withdraw-{p.purpose}")
                            consent_rows[p.purpose] = (state_md, grant, withdraw)

        outputs: list[Any] = [
            visit, signin_box, workspace, who, sign_out_btn, chatbot, consent_box, consent_md,
            change_box, change_md, account_md, consent_panel, status, email_box, password_box,
            signin_msg,
        ]
        for row in consent_rows.values():
            outputs.extend(row)

        def view(v: Visit | None, *, sign_in_error: str = "") -> dict[Any, Any]:
            """Every output's new value for this tab (see ``ui.screen``)."""
            s: Screen = screen_for(assistant, v)
            updates: dict[Any, Any] = {
                visit: v,
                signin_box: gr.update(visible=not s.signed_in),
                workspace: gr.update(visible=s.signed_in),
                who: s.who,
                sign_out_btn: gr.update(value="Sign out" if s.is_customer else "Leave"),
                chatbot: s.messages,
                consent_box: gr.update(visible=s.consent_request is not None),
                consent_md: s.consent_request or "",
                change_box: gr.update(visible=s.change_request is not None),
                change_md: s.change_request or "",
                account_md: gr.update(
                    value=s.account or NO_CONSENT_NOTE, visible=s.is_customer
                ),
                consent_panel: gr.update(visible=s.is_customer),
                status: s.status,
                email_box: gr.skip() if s.signed_in or sign_in_error else "",
                password_box: "",
                signin_msg: sign_in_error,
            }
            for purpose, (state_md, grant, withdraw) in consent_rows.items():
                ps = s.consents.get(purpose)
                updates[state_md] = ps.text if ps else ""
                updates[grant] = gr.update(interactive=not (ps and ps.granted))
                updates[withdraw] = gr.update(interactive=bool(ps and ps.granted))
            return updates

        # -- sign-in and sign-out ------------------------------------------------------------
        def on_sign_in(email: str, password: str, v: Visit | None) -> dict[Any, Any]:
            v, error = identity.sign_in(assistant, v, email, password)
            return view(v, sign_in_error=error)

        credentials = [email_box, password_box, visit]
        sign_in_btn.click(on_sign_in, credentials, outputs, api_name="sign_in")
        for box in (email_box, password_box):
            box.submit(on_sign_in, credentials, outputs, api_visibility="private")
        guest_btn.click(lambda v: view(identity.continue_as_guest(assistant, v)), [visit],
                        outputs, api_visibility="private")
        sign_out_btn.click(lambda v: view(identity.sign_out(v)), [visit], outputs,
                           api_visibility="private")

        # -- chat: the streamed turn is the public "chat" endpoint ------------------------------
        def on_chat(message: str, v: Visit | None) -> Iterator[tuple[Any, Any]]:
            for current in conversation.chat_turn(assistant, v, message):
                yield current, list(current.messages)

        def take_message(message: str) -> tuple[str, str]:
            return "", message

        # The box is emptied at once, then the turn streams from the saved copy (so text typed
        # meanwhile is never overwritten); API clients get their own endpoint below.
        for trigger in (msg.submit, send_btn.click):
            trigger(take_message, [msg], [msg, sent], queue=False, api_visibility="private").then(
                on_chat, [sent, visit], [visit, chatbot], api_visibility="private",
                show_progress="minimal",
            ).then(view, [visit], outputs, api_visibility="private", show_progress="hidden")
        api_chat.click(on_chat, [msg, visit], [visit, chatbot], api_name="chat")

        # -- pending decisions, consent, hand-off, new conversation ------------------------------
        def resolver(accept: bool) -> Any:
            return lambda v: view(conversation.resolve(assistant, v, accept))

        def chooser(purpose: str, grant: bool) -> Any:
            return lambda v: view(identity.set_consent(v, purpose, grant))

        allow_btn.click(resolver(True), [visit], outputs, api_visibility="private")
        not_now_btn.click(resolver(False), [visit], outputs, api_visibility="private")
        confirm_btn.click(resolver(True), [visit], outputs, api_name="confirm")
        cancel_btn.click(resolver(False), [visit], outputs, api_name="decline")
        for purpose, (_, grant, withdraw) in consent_rows.items():
            grant.click(chooser(purpose, True), [visit], outputs, api_visibility="private")
            withdraw.click(chooser(purpose, False), [visit], outputs, api_visibility="private")
        person_btn.click(lambda v: view(conversation.talk_to_person(assistant, v)), [visit],
                         outputs, api_visibility="private")
        def restart(v: Visit | None) -> dict[Any, Any]:
            return view(conversation.new_conversation(assistant, v))

        new_btn.click(restart, [visit], outputs, api_visibility="private")
        # The chat's own trash icon means the same: clearing the transcript starts afresh.
        chatbot.clear(restart, [visit], outputs, api_visibility="private")
    return app


def serve(settings: Settings | None = None) -> None:
    """Build the Assistant and serve the UI on ``settings.ui_host:ui_port`` (never shared)."""
    from assistant import Assistant
    from assistant.bootstrap import offline_env
    from assistant.settings import get_settings

    settings = settings or get_settings()
    offline_env()
    with Assistant(settings) as assistant:
        app = create_app(assistant)
        print(f"Vela assistant UI on http://{settings.ui_host}:{settings.ui_port}/ (Ctrl+C stops)")
        app.launch(
            server_name=settings.ui_host, server_port=settings.ui_port, share=False, quiet=True,
            **launch_options(),
        )
