"""Who is in the tab: sign-in against the database, guest mode, sign-out, consent choices."""

from __future__ import annotations

import logging
import time
from typing import Any

from assistant.errors import DomainError, UsageError
from ui.i18n import Locale
from ui.state import Visit, close_visit, exclusive, open_visit

log = logging.getLogger("ui.identity")

#: What a tab was showing, as the page itself remembers it (``Page.mode``): a tab that was
#: signed in but whose Visit the server no longer has (restarted, swept) must say so.
SIGNED_OUT, CUSTOMER, GUEST = "", "customer", "guest"

#: The English forms of the sign-in notes (each is shown in the tab's language, ui/texts.yaml).
#: A wrong email or password get the same one, so the form does not reveal which accounts exist.
BAD_CREDENTIALS = Locale().t("bad_credentials")
EXPIRED = Locale().t("expired")
OTHER_BROWSER = Locale().t("other_browser")


def sign_in(
    assistant: Any,
    visit: Visit | None,
    email: str,
    password: str,
    client: str | None = None,
    lang: str = "en",
) -> tuple[Visit | None, str]:
    """Check the credentials (hashes live in the database, failures are throttled per account
    and per ``client`` address) and open the customer's chat.

    Returns the tab's Visit and an error to show in ``lang`` (empty on success). A failed
    attempt leaves the current Visit as it was. A wrong email or password get the same
    answer, so the form does not reveal which accounts exist.
    """
    loc = Locale.of(None, lang)
    email = (email or "").strip()
    if not email or not password:
        return visit, loc.t("enter_credentials")
    result = assistant.signin.attempt(email, password, client)
    if result.customer is None:
        if result.locked_until is not None:
            left = result.locked_until - assistant.signin.clock()
            return visit, loc.t("locked", minutes=max(1, round(left.total_seconds() / 60)))
        return visit, loc.t("bad_credentials")
    close_visit(visit)
    return open_visit(assistant, result.customer), ""


def admit(
    assistant: Any,
    visit: Visit | None,
    browser: str | None,
    mode: str = SIGNED_OUT,
    lang: str = "en",
) -> tuple[Visit | None, str]:
    """Let an event act on ``visit`` only from its own browser and before it expires.

    A Visit is bound to the signed browser id of its first event; another browser (one that
    replays the tab's Gradio session hash) or an idle timeout ends it. A page that says it
    was signed in (``mode``) but has no Visit any more (the server restarted) is told so,
    never silently turned into a guest. Returns the Visit (or None) and the note to show on
    the sign-in form, in ``lang``.
    """
    loc = visit.locale if visit is not None else Locale.of(None, lang)
    if visit is None:
        return None, loc.t("session_gone") if mode in (CUSTOMER, GUEST) else ""
    if visit.browser is None:
        visit.browser = browser
    elif browser != visit.browser:
        log.warning("visit_other_browser", extra={"session": visit.session.session_id[:8]})
        close_visit(visit)
        return None, loc.t("other_browser")
    idle = assistant.settings.session_idle_minutes * 60
    now = time.monotonic()
    if now - visit.last_seen > idle:
        close_visit(visit)
        return None, loc.t("expired")
    visit.last_seen = now
    return visit, ""


def continue_as_guest(assistant: Any, visit: Visit | None, lang: str = "en") -> Visit:
    """Open a guest conversation in ``lang``: general questions only, no account data."""
    close_visit(visit)
    return open_visit(assistant, None, lang)


def sign_out(visit: Visit | None) -> None:
    """End the conversation; the caller replaces the tab's state with None."""
    close_visit(visit)


def set_consent(visit: Visit | None, purpose: str, grant: bool) -> Visit | None:
    """Grant (at the current notice version) or withdraw one purpose; effective at once."""
    if visit is None or visit.customer_id is None:
        return visit
    with exclusive(visit) as free:
        if not free:
            return visit
        try:
            if grant:
                visit.session.grant_consent(purpose)
            else:
                visit.session.withdraw_consent(purpose)
        except (UsageError, DomainError) as exc:
            visit.status = visit.locale.t("not_saved", reason=exc)
            return visit
        visit.status = visit.locale.t("granted" if grant else "withdrawn")
        return visit
