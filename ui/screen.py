"""What the page shows for one tab, computed from its Visit: plain data, no Gradio.

``screen_for`` is called after every event, so the account panel, the consent states and the
pending cards always reflect the database and the agent's state, not what the UI remembers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from html import escape
from typing import Any

from assistant.errors import DomainError
from assistant.replies import PendingConfirmation, PendingConsent
from ui.i18n import Locale
from ui.render import account_panel, change_card, consent_card, consent_line
from ui.state import ChatItem, Visit

log = logging.getLogger("ui.screen")

#: The consent purpose that unlocks the account panel.
ACCOUNT_PURPOSE = "account_data"


@dataclass(frozen=True)
class PurposeState:
    """One consent purpose as the panel shows it."""

    text: str
    granted: bool


@dataclass(frozen=True)
class Screen:
    """Everything that depends on who is in this tab and where the conversation stands."""

    signed_in: bool = False
    """A conversation is open (a customer or a guest): the workspace replaces the sign-in form."""
    is_customer: bool = False
    locale: Locale = field(default_factory=Locale)
    """The language and market everything on the page is shown in."""
    who: str = ""
    messages: list[ChatItem] = field(default_factory=list)
    consent_request: str | None = None
    change_request: str | None = None
    account: str | None = None
    consents: dict[str, PurposeState] = field(default_factory=dict)
    status: str = ""


def _who(visit: Visit) -> str:
    c = visit.customer
    if c is None:
        return visit.locale.t("guest_note")
    return visit.locale.t("who", name=escape(c.name))


def _consents(assistant: Any, visit: Visit) -> dict[str, PurposeState]:
    states = visit.session.consents
    return {
        p.purpose: PurposeState(
            text=consent_line(states.get(p.purpose), p.version, visit.locale),
            granted=bool(states.get(p.purpose) and states[p.purpose].granted),
        )
        for p in assistant.records.consent_purposes()
    }


def _account(assistant: Any, customer_id: str, loc: Locale) -> str:
    try:
        overview = assistant.records.account_overview(customer_id)
        usage = assistant.records.current_usage(customer_id)
    except DomainError as exc:
        log.info("account_panel_unavailable", extra={"code": exc.code})
        return f"### {loc.t('account_heading')}\n{loc.t('account_unavailable')}"
    return account_panel(overview, usage, loc, loc.today(assistant.settings.now()))


def screen_for(assistant: Any, visit: Visit | None, lang: str = "en") -> Screen:
    """The page for this tab; the signed-out page (in ``lang``) when ``visit`` is None."""
    if visit is None:
        return Screen(locale=Locale.of(None, lang))
    loc = visit.locale
    pending = visit.session.pending
    consents: dict[str, PurposeState] = {}
    account = None
    if visit.customer_id is not None:
        consents = _consents(assistant, visit)
        if consents.get(ACCOUNT_PURPOSE, PurposeState("", False)).granted:
            account = _account(assistant, visit.customer_id, loc)
    return Screen(
        signed_in=True,
        is_customer=visit.customer_id is not None,
        locale=loc,
        who=_who(visit),
        messages=list(visit.messages),
        consent_request=consent_card(pending, loc) if isinstance(pending, PendingConsent) else None,
        change_request=(
            change_card(pending, loc) if isinstance(pending, PendingConfirmation) else None
        ),
        account=account,
        consents=consents,
        status=visit.status,
    )
