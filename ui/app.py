"""The Gradio app: events wired to the page. ``create_app`` builds, ``serve`` launches.

All per-user state is the tab's ``gr.State`` (a ``Visit``). The components are in
``ui.layout``, the event functions in ``ui.identity`` and ``ui.conversation``, and what the page
shows after each event is computed by ``ui.screen``, in the tab's language (``ui.i18n``).
Every event also reads two values the page itself holds: ``mode`` (was this tab signed in?)
and the language switch, so a tab whose Visit is gone says "please sign in again" in the
customer's language.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib import resources
from typing import TYPE_CHECKING, Any

import gradio as gr

from ui import conversation, identity
from ui.browser import BrowserCookieMiddleware, BrowserKeys
from ui.i18n import Locale, browser_language
from ui.layout import TITLE, Page, build_page, notice_text
from ui.screen import screen_for
from ui.state import Visit

if TYPE_CHECKING:
    from assistant.sdk import Assistant
    from assistant.settings import Settings

Updates = dict[Any, Any]


def launch_options() -> dict[str, Any]:
    """Options every launch must use (Gradio 6 takes css, theme and js in ``launch()``).

    ``run_history`` is off: Gradio would otherwise keep each event's inputs and outputs
    (e-mail, password, the conversation) in the browser, where the next person at the same
    device could open them. The footer's developer links ("Use via API", "Built with
    Gradio") are not for customers: no footer. The primary colour is the theme's 700 shade,
    so white text on Sign in and Send has a contrast above 4.5:1.
    """
    files = resources.files("ui")
    theme = gr.themes.Default(primary_hue="indigo").set(
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_text_color="white",
    )
    return {
        "css": files.joinpath("style.css").read_text("utf-8"),
        "js": files.joinpath("page.js").read_text("utf-8"),
        "theme": theme,
        "run_history": False,
        "footer_links": [],
    }


def browser_cookie(keys: BrowserKeys) -> dict[str, Any]:
    """``app_kwargs`` for ``launch()`` that install the browser-cookie middleware."""
    from starlette.middleware import Middleware

    return {"middleware": [Middleware(BrowserCookieMiddleware, keys=keys)]}


def _outputs(page: Page) -> list[Any]:
    """Every component ``_view`` sets, in a fixed order."""
    fixed = [
        page.visit,
        page.mode,
        page.language,
        page.lang_marker,
        page.signin_box,
        page.workspace,
        page.who,
        page.sign_out,
        page.chatbot,
        page.consent_box,
        page.consent_md,
        page.change_box,
        page.change_md,
        page.account,
        page.consent_panel,
        page.status,
        page.email,
        page.password,
        page.signin_msg,
        page.send,
        page.new_box,
    ]
    rows = [
        c
        for row in page.consents.values()
        for c in (row.notice, row.state, row.grant, row.withdraw)
    ]
    return list(dict.fromkeys(fixed + rows + list(page.texts)))


def _set(updates: Updates, component: Any, **changes: Any) -> None:
    """Merge ``changes`` into the update already planned for ``component``."""
    current = updates.get(component)
    if isinstance(current, dict) and current.get("__type__") == "update":
        current.update(changes)
    elif component in updates:
        updates[component] = gr.update(value=current, **changes)
    else:
        updates[component] = gr.update(**changes)


def _view(
    assistant: Any, page: Page, v: Visit | None, sign_in_error: str = "", lang: str = "en"
) -> Updates:
    """Every output's new value for this tab (see ``ui.screen``), in its language."""
    s = screen_for(assistant, v, lang)
    loc = s.locale
    mode = identity.SIGNED_OUT
    if s.signed_in:
        mode = identity.CUSTOMER if s.is_customer else identity.GUEST
    updates: Updates = {
        page.visit: v,
        page.mode: mode,
        # A customer's language is their profile's; the switch is a guest's.
        page.language: gr.update(value=loc.lang, visible=not s.is_customer),
        page.lang_marker: f'<span data-vela-lang="{loc.lang}"></span>',
        page.signin_box: gr.update(visible=not s.signed_in),
        page.workspace: gr.update(visible=s.signed_in),
        # Signed out, the header names nobody.
        page.who: s.who,
        page.sign_out: gr.update(value=loc.t("sign_out" if s.is_customer else "leave")),
        page.chatbot: s.messages,
        page.consent_box: gr.update(visible=s.consent_request is not None),
        page.consent_md: s.consent_request or "",
        page.change_box: gr.update(visible=s.change_request is not None),
        page.change_md: s.change_request or "",
        page.account: gr.update(value=s.account or loc.t("no_consent_note"), visible=s.is_customer),
        page.consent_panel: gr.update(visible=s.is_customer),
        page.status: s.status,
        # Signing out empties the form; a failed attempt keeps the e-mail typed.
        page.email: gr.skip() if s.signed_in or sign_in_error else "",
        page.password: "",
        page.signin_msg: sign_in_error,
        page.send: gr.update(interactive=True),  # a turn that ran has ended
        page.new_box: gr.update(visible=False),
    }
    for component, keys in page.texts.items():
        _set(updates, component, **{arg: loc.t(key) for arg, key in keys.items()})
    purposes = {p.purpose: p for p in assistant.records.consent_purposes()}
    for purpose, row in page.consents.items():
        state = s.consents.get(purpose)
        granted = bool(state and state.granted)
        if purpose in purposes:
            updates[row.notice] = notice_text(purposes[purpose], loc)
        updates[row.state] = state.text if state else ""
        _set(updates, row.grant, interactive=not granted)
        _set(updates, row.withdraw, interactive=granted)
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
        tab = [page.visit, page.mode, page.language]  # what every event reads

        def admitted(
            v: Visit | None, mode: str, lang: str, request: gr.Request | None
        ) -> tuple[Visit | None, str]:
            # Every event: the tab's own browser (signed cookie), and not expired.
            browser = keys.of_request(request) if request is not None else None
            return identity.admit(assistant, v, browser, mode, lang)

        def view(
            v: Visit | None, mode: str = "", lang: str = "en", request: gr.Request | None = None
        ) -> Updates:
            v, note = admitted(v, mode, lang, request)
            return _view(assistant, page, v, note, lang)

        def then_view(
            action: Callable[[Visit | None, str], Visit | None],
        ) -> Callable[..., Updates]:
            def run(
                v: Visit | None,
                mode: str = "",
                lang: str = "en",
                request: gr.Request | None = None,
            ) -> Updates:
                v, note = admitted(v, mode, lang, request)
                if note:
                    return _view(assistant, page, None, note, lang)
                return _view(assistant, page, bind(action(v, lang), request), "", lang)

            return run

        def bind(v: Visit | None, request: gr.Request | None) -> Visit | None:
            # A Visit opened by this event belongs to this event's browser.
            if v is not None and v.browser is None and request is not None:
                v.browser = keys.of_request(request)
            return v

        def consent_choice(purpose: str, grant: bool) -> Callable[[Visit | None, str], Any]:
            return lambda v, _lang: identity.set_consent(v, purpose, grant)

        def private(trigger: Any, fn: Callable[..., Any]) -> None:
            trigger(fn, tab, outputs, api_visibility="private")

        # -- first load: a guest's language is their browser's ----------------------------------
        def on_load(
            v: Visit | None, mode: str, lang: str, request: gr.Request | None = None
        ) -> Updates:
            if v is None and request is not None:
                lang = browser_language(request.headers.get("accept-language"))
            return view(v, mode, lang, request)

        app.load(on_load, tab, outputs, api_visibility="private")

        def on_language(
            v: Visit | None, mode: str, lang: str, request: gr.Request | None = None
        ) -> Updates:
            v, note = admitted(v, mode, lang, request)
            if v is not None and v.customer is None:
                if v.asked:
                    v.lang = lang
                else:  # nothing said yet: the disclosure is shown again in the new language
                    v = bind(identity.continue_as_guest(assistant, v, lang), request)
            return _view(assistant, page, v, note, lang)

        page.language.input(on_language, tab, outputs, api_visibility="private")

        # -- sign-in and sign-out --------------------------------------------------------------
        def on_sign_in(
            email: str,
            password: str,
            v: Visit | None,
            mode: str = "",
            lang: str = "en",
            request: gr.Request | None = None,
        ) -> Updates:
            v, _note = admitted(v, mode, lang, request)
            client = request.client.host if request is not None and request.client else None
            v, error = identity.sign_in(assistant, v, email, password, client, lang)
            return _view(assistant, page, bind(v, request), error, lang)

        credentials = [page.email, page.password, *tab]
        page.sign_in.click(on_sign_in, credentials, outputs, api_name="sign_in")
        for box in (page.email, page.password):
            box.submit(on_sign_in, credentials, outputs, api_visibility="private")
        private(
            page.guest.click,
            then_view(lambda v, lang: identity.continue_as_guest(assistant, v, lang)),
        )
        private(page.sign_out.click, then_view(lambda v, _lang: identity.sign_out(v)))

        # -- chat -------------------------------------------------------------------------------
        def on_chat(
            message: str,
            v: Visit | None,
            mode: str = "",
            lang: str = "en",
            request: gr.Request | None = None,
        ) -> Iterator[tuple[Any, Any]]:
            v, note = admitted(v, mode, lang, request)
            if note or (v is None and mode):  # expired, gone or another browser: see view
                yield None, []
                return
            loc = v.locale if v is not None else Locale.of(None, lang)
            if error := conversation.too_long(message, loc):
                if v is not None:
                    v.status = error
                yield v, list(v.messages) if v is not None else []
                return
            for current in conversation.chat_turn(assistant, v, message, lang):
                yield bind(current, request), list(current.messages)

        def take_message(
            message: str, v: Visit | None, mode: str, lang: str
        ) -> tuple[Any, Any, Any]:
            # The box is emptied at once and the turn streams from the saved copy, so text
            # typed meanwhile is never overwritten. A message over the limit stays in the box
            # (the turn then says why), and nothing is taken while a turn still runs.
            loc = v.locale if v is not None else Locale.of(None, lang)
            if v is not None and v.busy:
                return gr.skip(), "", gr.skip()
            if conversation.too_long(message, loc):
                return gr.skip(), message, gr.skip()
            return "", message, gr.update(interactive=False)

        for trigger in (page.msg.submit, page.send.click):
            trigger(
                take_message,
                [page.msg, *tab],
                [page.msg, page.sent, page.send],
                queue=False,
                api_visibility="private",
            ).then(
                on_chat,
                [page.sent, *tab],
                [page.visit, page.chatbot],
                api_visibility="private",
                show_progress="minimal",
            ).then(view, tab, outputs, api_visibility="private", show_progress="hidden")

        def api_chat(
            message: str, v: Visit | None, request: gr.Request | None = None
        ) -> Iterator[tuple[Any, Any]]:
            yield from on_chat(message, v, "", v.lang if v is not None else "en", request)

        page.api_chat.click(
            api_chat, [page.msg, page.visit], [page.visit, page.chatbot], api_name="chat"
        )

        # -- pending decisions, consent, hand-off, new conversation -----------------------------
        def resolver(accept: bool) -> Callable[..., Updates]:
            return then_view(lambda v, _lang: conversation.resolve(assistant, v, accept))

        private(page.allow.click, resolver(True))
        private(page.not_now.click, resolver(False))
        page.confirm.click(resolver(True), tab, outputs, api_name="confirm")
        page.cancel.click(resolver(False), tab, outputs, api_name="decline")
        for purpose, row in page.consents.items():
            for button, grant in ((row.grant, True), (row.withdraw, False)):
                private(button.click, then_view(consent_choice(purpose, grant)))
        private(
            page.person.click, then_view(lambda v, lang: conversation.talk_to_person(assistant, v))
        )
        # Clearing the chat asks first: "New conversation" (and the chat's bin, see page.js)
        # only opens the question; "Yes, start again" starts afresh.
        page.new.click(
            lambda: gr.update(visible=True),
            None,
            page.new_box,
            queue=False,
            api_visibility="private",
        )
        page.new_keep.click(
            lambda: gr.update(visible=False),
            None,
            page.new_box,
            queue=False,
            api_visibility="private",
        )
        private(
            page.new_yes.click,
            then_view(lambda v, _lang: conversation.new_conversation(assistant, v)),
        )
        # The chat's own bin empties the transcript on the page at once: restore what the
        # tab holds (page.js turns the bin into the question above before it gets here).
        private(page.chatbot.clear, view)
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
            server_name=settings.ui_host,
            server_port=settings.ui_port,
            share=False,
            quiet=True,
            app_kwargs=browser_cookie(keys),
            **launch_options(),
        )
