"""Who is in the tab: sign-in against the database, guest mode, sign-out, consent choices."""

from __future__ import annotations

import logging
import time
from typing import Any

from assistant.errors import DomainError, UsageError
from ui.state import Visit, close_visit, exclusive, open_visit

log = logging.getLogger("ui.identity")

#: Shown for a wrong email or password alike, so the form does not reveal which accounts exist.
BAD_CREDENTIALS = "That email and password don't match our records. Please try again."
#: Shown while an account or this client is locked out (unknown accounts lock out alike).
LOCKED = (
    "Too many sign-in attempts. For your security, signing in is paused for a while; "
    "please try again in {minutes} minutes."
)
EXPIRED = "Your session has expired. Please sign in again."
OTHER_BROWSER = "This session was opened in another browser. Please sign in again."


def sign_in(
    assistant: Any, visit: Visit | None, email: str, password: str, client: str | None = None
) -> tuple[Visit | None, str]:
    """Check the credentials (hashes live in the database, failures are throttled per account
    and per ``client`` address) and open the customer's chat.

    Returns the tab's Visit and an error to show (empty on success). A failed attempt leaves
    the current Visit as it was.
    """
    email = (email or "").strip()
    if not email or not password:
        return visit, "Enter your email address and password."
    result = assistant.signin.attempt(email, password, client)
    if result.customer is None:
        if result.locked_until is not None:
            left = result.locked_until - assistant.signin.clock()
            return visit, LOCKED.format(minutes=max(1, round(left.total_seconds() / 60)))
        return visit, BAD_CREDENTIALS
    close_visit(visit)
    return open_visit(assistant, result.customer), ""


def admit(assistant: Any, visit: Visit | None, browser: str | None) -> tuple[Visit | None, str]:
    """Let an event act on ``visit`` only from its own browser and before it expires.

    A Visit is bound to the signed browser id of its first event; another browser (one that
    replays the tab's Gradio session hash) or an idle timeout ends it. Returns the Visit (or
    None) and the note to show on the sign-in form.
    """
    if visit is None:
        return None, ""
    if visit.browser is None:
        visit.browser = browser
    elif browser != visit.browser:
        log.warning("visit_other_browser", extra={"session": visit.session.session_id[:8]})
        close_visit(visit)
        return None, OTHER_BROWSER
    idle = assistant.settings.session_idle_minutes * 60
    now = time.monotonic()
    if now - visit.last_seen > idle:
        close_visit(visit)
        return None, EXPIRED
    visit.last_seen = now
    return visit, ""


def continue_as_guest(assistant: Any, visit: Visit | None) -> Visit:
    """Open a guest conversation: general questions only, no account data."""
    close_visit(visit)
    return open_visit(assistant, None)


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
            visit.status = f"Your choice was not saved: {exc}"
            return visit
        visit.status = "Permission granted." if grant else "Permission withdrawn; it stops at once."
        return visit
