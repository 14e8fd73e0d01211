"""The page's components, laid out once; ``ui.app`` wires events to them.

Header (title, language switch); sign-in form; then the workspace: who is signed in, the chat
with the inline consent and change cards, the message box and actions, and beside it the
account and consent panels (stacked under the chat at phone width). Every visible text is a
key of ``ui/texts.yaml``, listed in ``Page.texts``, so a change of language relabels the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any

import gradio as gr

from assistant.i18n import consent_notice
from ui.i18n import Locale
from ui.state import close_visit

EN = Locale()
TITLE = EN.t("title")
LANGUAGE_CHOICES = [("English", "en"), ("Español", "es")]


@dataclass(frozen=True)
class ConsentRow:
    """One purpose in the consent panel: its notice, current state and its two buttons."""

    notice: gr.Markdown
    state: gr.Markdown
    grant: gr.Button
    withdraw: gr.Button


@dataclass(frozen=True)
class Page:
    """Every component an event reads or updates."""

    visit: gr.State
    sent: gr.State
    mode: gr.Textbox
    """What this tab shows ('', 'customer', 'guest'), held by the page itself: it survives a
    server restart, when the Visit does not."""
    title: gr.Markdown
    lang_marker: gr.HTML
    language: gr.Radio
    signin_box: gr.Group
    signin_intro: gr.Markdown
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
    new_box: gr.Group
    new_ask: gr.Markdown
    new_yes: gr.Button
    new_keep: gr.Button
    account: gr.Markdown
    consent_panel: gr.Accordion
    consents: dict[str, ConsentRow]
    texts: dict[Any, dict[str, str]] = field(default_factory=dict)
    """Component -> {update argument: text key}: what to relabel when the language changes."""


def _sign_in_form() -> dict[str, Any]:
    with gr.Group(visible=True, elem_id="signin") as box:
        intro = gr.Markdown(EN.t("signin_intro"))
        email = gr.Textbox(label=EN.t("email"), type="email", elem_id="signin-email")
        password = gr.Textbox(label=EN.t("password"), type="password", elem_id="signin-password")
        with gr.Row():
            sign_in = gr.Button(EN.t("sign_in"), variant="primary", elem_id="signin-button")
            guest = gr.Button(EN.t("guest"), elem_id="guest-button")
        signin_msg = gr.Markdown(elem_id="signin-message")
    return dict(
        signin_box=box,
        signin_intro=intro,
        email=email,
        password=password,
        sign_in=sign_in,
        guest=guest,
        signin_msg=signin_msg,
    )


def _chat_column() -> dict[str, Any]:
    chatbot = gr.Chatbot(
        label=EN.t("chat_label"),
        elem_id="chat",
        height="60vh",
        min_height=320,
        buttons=["copy"],
        feedback_options=None,
        layout="bubble",
    )
    with gr.Group(visible=False, elem_id="consent-card", elem_classes="vela-card") as consent_box:
        consent_md = gr.Markdown()
        with gr.Row():
            allow = gr.Button(EN.t("allow"), variant="primary", elem_id="allow")
            not_now = gr.Button(EN.t("not_now"), elem_id="not-now")
    with gr.Group(visible=False, elem_id="change-card", elem_classes="vela-card") as change_box:
        change_md = gr.Markdown()
        with gr.Row():
            confirm = gr.Button(EN.t("confirm"), variant="primary", elem_id="confirm")
            cancel = gr.Button(EN.t("cancel"), elem_id="cancel")
    with gr.Row(equal_height=True):
        msg = gr.Textbox(
            label=EN.t("message"),
            placeholder=EN.t("placeholder"),
            lines=1,
            max_lines=4,
            scale=4,
            min_width=180,
            elem_id="message",
        )
        send = gr.Button(EN.t("send"), variant="primary", scale=1, min_width=80, elem_id="send")
    status = gr.Markdown(elem_id="status")
    api_chat = gr.Button(visible=False)  # carries the public "chat" API endpoint
    with gr.Row():
        person = gr.Button(EN.t("person"), elem_id="talk-to-person")
        new = gr.Button(EN.t("new"), elem_id="new-conversation")
    # Starting afresh clears the chat, so it asks first.
    with gr.Group(visible=False, elem_id="new-card", elem_classes="vela-card") as new_box:
        new_ask = gr.Markdown(EN.t("new_ask"))
        with gr.Row():
            new_yes = gr.Button(EN.t("new_yes"), variant="stop", elem_id="new-yes")
            new_keep = gr.Button(EN.t("new_keep"), elem_id="new-keep")
    return dict(
        chatbot=chatbot,
        consent_box=consent_box,
        consent_md=consent_md,
        allow=allow,
        not_now=not_now,
        change_box=change_box,
        change_md=change_md,
        confirm=confirm,
        cancel=cancel,
        msg=msg,
        send=send,
        status=status,
        api_chat=api_chat,
        person=person,
        new=new,
        new_box=new_box,
        new_ask=new_ask,
        new_yes=new_yes,
        new_keep=new_keep,
    )


def notice_text(purpose: Any, loc: Locale) -> str:
    """A purpose's title, notice and version in the panel, in the customer's language."""
    title, notice = consent_notice(purpose.version, loc.lang, purpose.title, purpose.notice)
    version = loc.t("notice_version", version=escape(purpose.version))
    return f"**{escape(title)}**\n\n{escape(notice)}\n\n*{version}*"


def _side_column(purposes: list[Any]) -> dict[str, Any]:
    account = gr.Markdown(elem_id="account")
    consents: dict[str, ConsentRow] = {}
    with gr.Accordion(EN.t("privacy"), open=True, elem_id="consent-panel") as panel:
        for p in purposes:
            with gr.Group(elem_id=f"purpose-{p.purpose}"):
                notice = gr.Markdown(notice_text(p, EN))
                state = gr.Markdown(elem_id=f"state-{p.purpose}")
                with gr.Row():
                    grant = gr.Button(EN.t("grant"), size="sm", elem_id=f"grant-{p.purpose}")
                    withdraw = gr.Button(
                        EN.t("withdraw"), size="sm", elem_id=f"withdraw-{p.purpose}"
                    )
            consents[p.purpose] = ConsentRow(notice, state, grant, withdraw)
    return dict(account=account, consent_panel=panel, consents=consents)


def _texts(c: dict[str, Any]) -> dict[Any, dict[str, str]]:
    """Which text key each component shows, by the ``gr.update`` argument that sets it."""
    texts: dict[Any, dict[str, str]] = {
        c["title"]: {"value": "title_md"},
        c["language"]: {"label": "language_label"},
        c["signin_intro"]: {"value": "signin_intro"},
        c["email"]: {"label": "email"},
        c["password"]: {"label": "password"},
        c["chatbot"]: {"label": "chat_label"},
        c["msg"]: {"label": "message", "placeholder": "placeholder"},
        c["consent_panel"]: {"label": "privacy"},
        c["new_ask"]: {"value": "new_ask"},
    }
    for key in (
        "sign_in",
        "guest",
        "allow",
        "not_now",
        "confirm",
        "cancel",
        "send",
        "person",
        "new",
        "new_yes",
        "new_keep",
    ):
        texts[c[key]] = {"value": key}
    for row in c["consents"].values():
        texts[row.grant] = {"value": "grant"}
        texts[row.withdraw] = {"value": "withdraw"}
    return texts


def build_page(purposes: list[Any], idle_s: float | None = None) -> Page:
    """Create every component inside the current ``gr.Blocks`` context.

    The tab's Visit is closed with the tab, and by Gradio ``idle_s`` seconds after its last
    event (the session timeout), so an abandoned tab's transcript does not outlive it.
    """
    visit = gr.State(None, time_to_live=idle_s, delete_callback=close_visit)
    sent = gr.State("")  # the message being answered, once taken out of the box
    mode = gr.Textbox("", visible=False)
    with gr.Row(equal_height=True, elem_id="vela-header"):
        title = gr.Markdown(f"# {TITLE}", elem_id="vela-title")
        language = gr.Radio(
            LANGUAGE_CHOICES,
            value="en",
            label=EN.t("language_label"),
            scale=0,
            min_width=220,
            elem_id="language",
        )
    # Read by the page script (ui/page.js) to set <html lang>.
    lang_marker = gr.HTML('<span data-vela-lang="en"></span>', elem_id="vela-lang")
    form = _sign_in_form()
    with gr.Column(visible=False, elem_id="workspace") as workspace:
        with gr.Row(equal_height=False):
            who = gr.Markdown(elem_id="who")
            sign_out = gr.Button(EN.t("sign_out"), size="sm", scale=0, elem_id="signout-button")
        with gr.Row(equal_height=False):
            with gr.Column(scale=3, min_width=300):
                chat = _chat_column()
            with gr.Column(scale=2, min_width=280):
                side = _side_column(purposes)
    parts = dict(title=title, language=language, **form, **chat, **side)
    return Page(
        visit=visit,
        sent=sent,
        mode=mode,
        lang_marker=lang_marker,
        workspace=workspace,
        who=who,
        sign_out=sign_out,
        texts=_texts(parts),
        **parts,
    )
