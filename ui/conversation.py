"""Chat events: a streamed turn, Allow / Not now / Confirm / Cancel, a person, a new chat.

Each function takes the tab's Visit (None when nobody has started yet: an API client that just
calls ``chat`` gets a guest conversation), changes it through the SDK Session and returns it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from assistant.errors import DomainError, UsageError
from assistant.replies import PendingConsent, Reply
from assistant.sdk import MAX_MESSAGE_CHARS
from ui.activity import activity_messages
from ui.i18n import Locale
from ui.render import sources_html
from ui.state import ChatItem, Visit, close_visit, exclusive, open_visit

#: Topic of the tickets opened by the "Talk to a person" button.
HANDOFF_TOPIC = "chat hand-off"


def _today(assistant: Any, loc: Locale) -> date:
    return loc.today(assistant.settings.now())


def too_long(message: str, loc: Locale) -> str:
    """The error for a message over the SDK's limit (empty when it fits).

    Checked before the message leaves the box, so a long message is never thrown away.
    """
    length = len((message or "").strip())
    if length <= MAX_MESSAGE_CHARS:
        return ""
    return loc.t("too_long", length=loc.number(length), limit=loc.number(MAX_MESSAGE_CHARS))


def without_disclosure(text: str, greeting: str) -> str:
    """Drop the SDK's AI disclosure from the first reply: the tab already shows it on top.

    While streaming, a text that is still a prefix of the disclosure shows as nothing yet.
    A disclosure in another language (the customer switched) is kept.
    """
    if greeting and text.startswith(greeting):
        return text[len(greeting) :].lstrip("\n")
    if greeting.startswith(text):
        return ""
    return text


def reply_messages(reply: Reply, loc: Locale, today: date, greeting: str = "") -> list[ChatItem]:
    """A reply as chat messages: tool activity (collapsed), then the text with its sources."""
    text = without_disclosure(reply.text, greeting) if greeting else reply.text
    items = activity_messages(reply.tool_calls, loc, today)
    items.append({"role": "assistant", "content": text + sources_html(reply.citations, loc)})
    return items


def _ensure(assistant: Any, visit: Visit | None, lang: str = "en") -> Visit:
    return visit if visit is not None else open_visit(assistant, None, lang)


def chat_turn(
    assistant: Any, visit: Visit | None, message: str, lang: str = "en"
) -> Iterator[Visit]:
    """Send ``message`` and yield the Visit as the reply streams in, then once complete.

    Without a Visit (an API client's first call) a guest conversation in ``lang`` is opened.
    """
    visit = _ensure(assistant, visit, lang)
    if not (message or "").strip():
        yield visit
        return
    with exclusive(visit) as free:
        if not free:
            yield visit
            return
        greeting = "" if visit.asked else visit.greeting
        visit.asked = True
        history = [*visit.messages, {"role": "user", "content": message}]
        visit.messages, visit.status = history, ""
        yield visit  # the customer's message shows at once, before the first token
        streamed = ""
        try:
            for chunk in visit.session.stream(message):
                streamed += chunk
                shown = without_disclosure(streamed, greeting) if greeting else streamed
                if shown:
                    visit.messages = [*history, {"role": "assistant", "content": shown}]
                    yield visit
        except UsageError as exc:
            visit.messages = history[:-1]
            visit.status = visit.locale.t("not_sent", reason=exc)
            yield visit
            return
        reply = visit.session.last_reply
        if reply is not None:
            loc = visit.locale
            visit.messages = history + reply_messages(reply, loc, _today(assistant, loc), greeting)
        yield visit


def resolve(assistant: Any, visit: Visit | None, accept: bool) -> Visit | None:
    """Answer the pending consent request (Allow / Not now) or change (Confirm / Cancel)."""
    if visit is None:
        return None
    with exclusive(visit) as free:
        if not free:
            return visit
        loc = visit.locale
        pending = visit.session.pending
        if pending is None:
            visit.status = loc.t("nothing_waiting")
            return visit
        if isinstance(pending, PendingConsent):
            said = loc.t("said_allow" if accept else "said_not_now")
        else:
            said = loc.t("said_confirm" if accept else "said_cancel")
        try:
            reply = visit.session.confirm() if accept else visit.session.decline()
        except (UsageError, DomainError) as exc:
            visit.status = loc.t("not_through", reason=exc)
            return visit
        visit.status = ""
        visit.messages = [
            *visit.messages,
            {"role": "user", "content": said},
            *reply_messages(reply, loc, _today(assistant, loc)),
        ]
        return visit


def talk_to_person(assistant: Any, visit: Visit | None) -> Visit:
    """Open a ticket for a human colleague and show its reference."""
    visit = _ensure(assistant, visit)
    with exclusive(visit) as free:
        if not free:
            return visit
        asked = sum(1 for m in visit.messages if m["role"] == "user")
        summary = (
            f"The customer pressed 'Talk to a person' in the web chat after {asked} message(s) "
            f"(session {visit.session.session_id[:8]})."
        )
        try:
            ticket = assistant.records.open_ticket(
                visit.customer_id, HANDOFF_TOPIC, summary, actor="customer"
            )
        except DomainError as exc:
            visit.status = visit.locale.t("no_ticket", reason=exc.message)
            return visit
        loc = visit.locale
        visit.messages = [
            *visit.messages,
            {"role": "user", "content": loc.t("person")},
            {"role": "assistant", "content": loc.t("handoff_reply", reference=ticket.reference)},
        ]
        visit.status = loc.t("ticket_opened", reference=ticket.reference)
        return visit


def new_conversation(assistant: Any, visit: Visit | None) -> Visit:
    """Close this conversation and start a fresh one for the same customer (or guest)."""
    if visit is None:
        return open_visit(assistant, None)
    with exclusive(visit) as free:
        if not free:
            return visit
    close_visit(visit)
    return open_visit(assistant, visit.customer, visit.lang)
