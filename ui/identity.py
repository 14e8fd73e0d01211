"""Who is in the tab: sign-in against the database, guest mode, sign-out, consent choices."""

from __future__ import annotations

from typing import Any

from assistant.errors import DomainError, UsageError
from ui.state import Visit, close_visit, exclusive, open_visit

#: Shown for a wrong email or password alike, so the form does not reveal which accounts exist.
BAD_CREDENTIALS = "That email and password don't match our records. Please try again."


def sign_in(
    assistant: Any, visit: Visit | None, email: str, password: str
) -> tuple[Visit | None, str]:
    """Check the credentials (hashes live in the database) and open the customer's chat.

    Returns the tab's Visit and an error to show (empty on success). A failed attempt leaves
    the current Visit as it was.
    """
    email = (email or "").strip()
    if not email or not password:
        return visit, "Enter your email address and password."
    customer = assistant.records.authenticate(email, password)
    if customer is None:
        return visit, BAD_CREDENTIALS
    close_visit(visit)
    return open_visit(assistant, customer), ""


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
