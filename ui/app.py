"""The Gradio app: events wired to the page. ``create_app`` builds, ``serve`` launches.

All per-user state is the tab's ``gr.State`` (a ``Visit``). The components are in
``ui.layout``, the event functions in ``ui.identity`` and ``ui.conversation``, and what the page
shows after each event is computed by ``ui.screen``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from importlib import resources
from typing import TYPE_CHECKING, Any

import gradio as gr

from ui import conversation, identity
from ui.browser import BrowserCookieMiddleware, BrowserKeys
from ui.layout import TITLE, Page, build_page
from ui.screen import screen_for
from ui.state import Visit

if TYPE_CHECKING:
    from assistant.sdk import Assistant
    from assistant.settings import Settings

NO_CONSENT_NOTE = (
    "Your plan, balance and usage appear here once you allow the assistant to use your "
    "account data (see *Privacy and consent*)."
)
Updates = dict[Any, Any]


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


def browser_cookie(keys: BrowserKeys) -> dict[str, Any]:
    """``app_kwargs`` for ``launch()`` that install the browser-cookie middleware."""
    from starlette.middleware import Middleware

    return {"middleware": [Middleware(BrowserCookieMiddleware, keys=keys)]}


def _outputs(page: Page) -> list[Any]:
    """Every component ``_view`` sets, in a fixed order."""
    fixed = [page.visit, page.signin_box, page.workspace, page.who, page.sign_out, page.chatbot,
             page.consent_box, page.consent_md, page.change_box, page.change_md, page.account,
             page.consent_panel, page.status, page.email, page.password, page.signin_msg]
    return fixed + [c for row in page.consents.values() for c in (row.state, row.grant,
                                                                   row.withdraw)]


def _view(assistant: Any, page: Page, v: Visit | None, sign_in_error: str = "") -> Updates:
    """Every output's new value for this tab (see ``ui.screen``)."""
    s = screen_for(assistant, v)
    updates: Updates = {
        page.visit: v,
        page.signin_box: gr.update(visible=not s.signed_in),
        page.workspace: gr.update(visible=s.signed_in),
        page.who: s.who,
        page.sign_out: gr.update(value="Sign out" if s.is_customer else "Leave"),
        page.chatbot: s.messages,
        page.consent_box: gr.update(visible=s.consent_request is not None),
        page.consent_md: s.consent_request or "",
        page.change_box: gr.update(visible=s.change_request is not None),
        page.change_md: s.change_request or "",
        page.account: gr.update(value=s.account or NO_CONSENT_NOTE, visible=s.is_customer),
        page.consent_panel: gr.update(visible=s.is_customer),
        page.status: s.status,
        # Signing out empties the form; a failed attempt keeps the e-mail typed.
        page.email: gr.skip() if s.signed_in or sign_in_error else "",
        page.password: "",
        page.signin_msg: sign_in_error,
    }
    for purpose, row in page.consents.items():
        state = s.consents.get(purpose)
        granted = bool(state and state.granted)
        updates[row.state] = state.text if state else ""
        updates[row.grant] = gr.update(interactive=not granted)
        updates[row.withdraw] = gr.update(interactive=granted)
    return updates


def create_app(assistant: Assistant | Any, keys: BrowserKeys | None = None) -> gr.Blocks:
    """Build the chat app around an Assistant (or any object with the same surface).

    Nothing is launched; the consent purposes are read once, here, to lay out the panel.
    ``keys`` verify the browser cookie (``ui.browser``); ``serve`` installs the middleware
    that issues it with the same keys.
    """
    keys = keys or BrowserKeys(None)
    purposes = list(assistant.records.consent_purposes())
    idle_s = assistant.settings.session_idle_minutes * 60
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        page = build_page(purposes, idle_s)
        outputs = _outputs(page)

        def admitted(v: Visit | None, request: gr.Request | None) -> tuple[Visit | None, str]:
            # Every event: the tab's own browser (signed cookie), and not expired.
            browser = keys.of_request(request) if request is not None else None
            return identity.admit(assistant, v, browser)

        def view(v: Visit | None, request: gr.Request | None = None) -> Updates:
            v, note = admitted(v, request)
            return _view(assistant, page, v, note)

        def then_view(action: Callable[[Visit | None], Visit | None]) -> Callable[..., Updates]:
            def run(v: Visit | None, request: gr.Request | None = None) -> Updates:
                v, note = admitted(v, request)
                if note:
                    return _view(assistant, page, None, note)
                return _view(assistant, page, bind(action(v), request))

            return run

        def bind(v: Visit | None, request: gr.Request | None) -> Visit | None:
            # A Visit opened by this event belongs to this event's browser.
            if v is not None and v.browser is None and request is not None:
                v.browser = keys.of_request(request)
            return v

        def private(trigger: Any, fn: Callable[..., Any]) -> None:
            trigger(fn, [page.visit], outputs, api_visibility="private")

        # -- sign-in and sign-out --------------------------------------------------------------
        def on_sign_in(
            email: str, password: str, v: Visit | None, request: gr.Request | None = None
        ) -> Updates:
            v, note = admitted(v, request)
            client = request.client.host if request is not None and request.client else None
            v, error = identity.sign_in(assistant, v, email, password, client)
            return _view(assistant, page, bind(v, request), error or note)

        credentials = [page.email, page.password, page.visit]
        page.sign_in.click(on_sign_in, credentials, outputs, api_name="sign_in")
        for box in (page.email, page.password):
            box.submit(on_sign_in, credentials, outputs, api_visibility="private")
        private(page.guest.click, then_view(lambda v: identity.continue_as_guest(assistant, v)))
        private(page.sign_out.click, then_view(identity.sign_out))

        # -- chat -------------------------------------------------------------------------------
        def on_chat(
            message: str, v: Visit | None, request: gr.Request | None = None
        ) -> Iterator[tuple[Any, Any]]:
            v, note = admitted(v, request)
            if note:  # expired or another browser: the sign-in form says so (see view)
                yield None, []
                return
            for current in conversation.chat_turn(assistant, v, message):
                yield bind(current, request), list(current.messages)

        def take_message(message: str) -> tuple[str, str]:
            return "", message

        # The box is emptied at once and the turn streams from the saved copy, so text typed
        # meanwhile is never overwritten; API clients get the plain endpoint below.
        for trigger in (page.msg.submit, page.send.click):
            trigger(take_message, [page.msg], [page.msg, page.sent], queue=False,
                    api_visibility="private").then(
                on_chat, [page.sent, page.visit], [page.visit, page.chatbot],
                api_visibility="private", show_progress="minimal",
            ).then(view, [page.visit], outputs, api_visibility="private", show_progress="hidden")
        page.api_chat.click(on_chat, [page.msg, page.visit], [page.visit, page.chatbot],
                            api_name="chat")

        # -- pending decisions, consent, hand-off, new conversation -----------------------------
        def resolver(accept: bool) -> Callable[..., Updates]:
            return then_view(lambda v: conversation.resolve(assistant, v, accept))

        private(page.allow.click, resolver(True))
        private(page.not_now.click, resolver(False))
        page.confirm.click(resolver(True), [page.visit], outputs, api_name="confirm")
        page.cancel.click(resolver(False), [page.visit], outputs, api_name="decline")
        for purpose, row in page.consents.items():
            for button, grant in ((row.grant, True), (row.withdraw, False)):
                private(button.click,
                        then_view(partial(identity.set_consent, purpose=purpose, grant=grant)))
        private(page.person.click, then_view(lambda v: conversation.talk_to_person(assistant, v)))
        restart = then_view(lambda v: conversation.new_conversation(assistant, v))
        private(page.new.click, restart)
        # The chat's own bin icon means the same: clearing the transcript starts afresh.
        private(page.chatbot.clear, restart)
    return app


def serve(settings: Settings | None = None) -> None:
    """Build the Assistant and serve the UI on ``settings.ui_host:ui_port`` (never shared)."""
    from assistant import Assistant
    from assistant.bootstrap import offline_env
    from assistant.settings import get_settings

    settings = settings or get_settings()
    offline_env()
    secret = settings.session_secret.get_secret_value() if settings.session_secret else None
    keys = BrowserKeys(secret)
    with Assistant(settings) as assistant:
        app = create_app(assistant, keys)
        # Different customers' turns run side by side (the SDK is thread-safe: 32 concurrent
        # sessions run without errors in bench/assistant_bench.py); one tab's own events are
        # still serialised by its lock.
        app.queue(default_concurrency_limit=8)
        print(f"Vela assistant UI on http://{settings.ui_host}:{settings.ui_port}/ (Ctrl+C stops)")
        app.launch(
            server_name=settings.ui_host, server_port=settings.ui_port, share=False, quiet=True,
            app_kwargs=browser_cookie(keys), **launch_options(),
        )
