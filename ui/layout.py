"""The page's components, laid out once; ``ui.app`` wires events to them.

Sign-in form; then the workspace: who is signed in, the chat with the inline consent and
change cards, the message box and actions, and beside it the account and consent panels
(stacked under the chat at phone width).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

import gradio as gr

from ui.state import close_visit

TITLE = "Vela Telecom assistant"


@dataclass(frozen=True)
class ConsentRow:
    """One purpose in the consent panel: its current state and its two buttons."""

    state: gr.Markdown
    grant: gr.Button
    withdraw: gr.Button


@dataclass(frozen=True)
class Page:
    """Every component an event reads or updates."""

    visit: gr.State
    sent: gr.State
    signin_box: gr.Group
    email: gr.Textbox
    password: gr.Textbox
    sign_in: gr.Button
    guest: gr.Button
    signin_msg: gr.Markdown
    workspace: gr.Column
    who: gr.Markdown
    sign_out: gr.Button
    chatbot: gr.Chatbot
    consent_box: gr.Group
    consent_md: gr.Markdown
    allow: gr.Button
    not_now: gr.Button
    change_box: gr.Group
    change_md: gr.Markdown
    confirm: gr.Button
    cancel: gr.Button
    msg: gr.Textbox
    send: gr.Button
    status: gr.Markdown
    api_chat: gr.Button
    person: gr.Button
    new: gr.Button
    account: gr.Markdown
    consent_panel: gr.Accordion
    consents: dict[str, ConsentRow]


def _sign_in_form() -> dict[str, Any]:
    with gr.Group(visible=True, elem_id="signin") as box:
        gr.Markdown(
            "Sign in for help with your own account, or continue as a guest to ask about our "
            "plans and policies. You'll be chatting with an AI assistant."
        )
        email = gr.Textbox(label="Email", type="email", elem_id="signin-email")
        password = gr.Textbox(label="Password", type="password", elem_id="signin-password")
        with gr.Row():
            sign_in = gr.Button("Sign in", variant="primary", elem_id="signin-button")
            guest = gr.Button("Continue as guest", elem_id="guest-button")
        signin_msg = gr.Markdown(elem_id="signin-message")
    return dict(signin_box=box, email=email, password=password, sign_in=sign_in, guest=guest,
                signin_msg=signin_msg)


def _chat_column() -> dict[str, Any]:
    chatbot = gr.Chatbot(label="Vela assistant (AI)", elem_id="chat", height="60vh",
                         min_height=320, buttons=["copy"], feedback_options=None, layout="bubble")
    with gr.Group(visible=False, elem_id="consent-card") as consent_box:
        consent_md = gr.Markdown()
        with gr.Row():
            allow = gr.Button("Allow", variant="primary", elem_id="allow")
            not_now = gr.Button("Not now", elem_id="not-now")
    with gr.Group(visible=False, elem_id="change-card") as change_box:
        change_md = gr.Markdown()
        with gr.Row():
            confirm = gr.Button("Confirm", variant="primary", elem_id="confirm")
            cancel = gr.Button("Cancel", elem_id="cancel")
    with gr.Row(equal_height=True):
        msg = gr.Textbox(label="Your message", placeholder="Type your question…", lines=1,
                         max_lines=4, scale=4, min_width=180, elem_id="message")
        send = gr.Button("Send", variant="primary", scale=1, min_width=80, elem_id="send")
    status = gr.Markdown(elem_id="status")
    api_chat = gr.Button(visible=False)  # carries the public "chat" API endpoint
    with gr.Row():
        person = gr.Button("Talk to a person", elem_id="talk-to-person")
        new = gr.Button("New conversation", elem_id="new-conversation")
    return dict(chatbot=chatbot, consent_box=consent_box, consent_md=consent_md, allow=allow,
                not_now=not_now, change_box=change_box, change_md=change_md, confirm=confirm,
                cancel=cancel, msg=msg, send=send, status=status, api_chat=api_chat,
                person=person, new=new)


def _side_column(purposes: list[Any]) -> dict[str, Any]:
    account = gr.Markdown(elem_id="account")
    consents: dict[str, ConsentRow] = {}
    with gr.Accordion("Privacy and consent", open=True, elem_id="consent-panel") as panel:
        for p in purposes:
            with gr.Group(elem_id=f"purpose-{p.purpose}"):
                gr.Markdown(f"**{escape(p.title)}**\n\n{escape(p.notice)}\n\n"
                            f"*Notice version {escape(p.version)}*")
                state = gr.Markdown(elem_id=f"state-{p.purpose}")
                with gr.Row():
                    grant = gr.Button("Grant", size="sm", elem_id=f"grant-{p.purpose}")
                    withdraw = gr.Button("Withdraw", size="sm", elem_id=f"withdraw-{p.purpose}")
            consents[p.purpose] = ConsentRow(state, grant, withdraw)
    return dict(account=account, consent_panel=panel, consents=consents)


def build_page(purposes: list[Any], idle_s: float | None = None) -> Page:
    """Create every component inside the current ``gr.Blocks`` context.

    The tab's Visit is closed with the tab, and by Gradio ``idle_s`` seconds after its last
    event (the session timeout), so an abandoned tab's transcript does not outlive it.
    """
    visit = gr.State(None, time_to_live=idle_s, delete_callback=close_visit)
    sent = gr.State("")  # the message being answered, once taken out of the box
    gr.Markdown(f"# {TITLE}", elem_id="vela-title")
    form = _sign_in_form()
    with gr.Column(visible=False, elem_id="workspace") as workspace:
        with gr.Row(equal_height=False):
            who = gr.Markdown(elem_id="who")
            sign_out = gr.Button("Sign out", size="sm", scale=0, elem_id="signout-button")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chat = _chat_column()
            with gr.Column(scale=2, min_width=280):
                side = _side_column(purposes)
    return Page(visit=visit, sent=sent, workspace=workspace, who=who, sign_out=sign_out,
                **form, **chat, **side)
