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
from ui.activity import activity_messages
from ui.render import sources_html
from ui.state import ChatItem, Visit, close_visit, exclusive, open_visit

#: Topic of the tickets opened by the "Talk to a person" button.
HANDOFF_TOPIC = "chat hand-off"


def _today(assistant: Any) -> date:
    return assistant.settings.now().date()


def without_disclosure(text: str, greeting: str) -> str:
    """Drop the SDK's AI disclosure from the first reply: the tab already shows it on top.

    While streaming, a text that is still a prefix of the disclosure shows as nothing yet.
    A disclosure in another language (the customer switched) is kept.
    """
    if greeting and text.startswith(greeting):
        return text[len(greeting):].lstrip("\n")
    if greeting.startswith(text):
        return ""
    return text


def reply_messages(reply: Reply, today: date, greeting: str = "") -> list[ChatItem]:
    """A reply as chat messages: tool activity (collapsed), then the text with its sources."""
    text = without_disclosure(reply.text, greeting) if greeting else reply.text
    items = activity_messages(reply.tool_calls, today)
    items.append({"role": "assistant", "content": text + sources_html(reply.citations)})
    return items


def _ensure(assistant: Any, visit: Visit | None) -> Visit:
    return visit if visit is not None else open_visit(assistant, None)


def chat_turn(assistant: Any, visit: Visit | None, message: str) -> Iterator[Visit]:
    """Send ``message`` and yield the Visit as the reply streams in, then once complete."""
    visit = _ensure(assistant, visit)
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
            visit.status = f"Your message was not sent: {exc}."
            yield visit
            return
        reply = visit.session.last_reply
        if reply is not None:
            visit.messages = history + reply_messages(reply, _today(assistant), greeting)
        yield visit


def resolve(assistant: Any, visit: Visit | None, accept: bool) -> Visit | None:
    """Answer the pending consent request (Allow / Not now) or change (Confirm / Cancel)."""
    if visit is None:
        return None
    with exclusive(visit) as free:
        if not free:
            return visit
        pending = visit.session.pending
        if pending is None:
            visit.status = "Nothing is waiting for your answer."
            return visit
        if isinstance(pending, PendingConsent):
            said = "Allow" if accept else "Not now"
        else:
            said = "Confirm" if accept else "Cancel"
        try:
            reply = visit.session.confirm() if accept else visit.session.decline()
        except (UsageError, DomainError) as exc:
            visit.status = f"That did not go through: {exc}"
            return visit
        visit.status = ""
        visit.messages = [
            *visit.messages, {"role": "user", "content": said},
            *reply_messages(reply, _today(assistant)),
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
            visit.status = f"I couldn't open a ticket just now: {exc.message}"
            return visit
        visit.messages = [
            *visit.messages,
            {"role": "user", "content": "Talk to a person"},
            {"role": "assistant", "content": (
                f"I've asked a colleague to help you. Your ticket reference is "
                f"**{ticket.reference}**; a person will pick it up from here."
            )},
        ]
        visit.status = f"Ticket {ticket.reference} opened."
        return visit


def new_conversation(assistant: Any, visit: Visit | None) -> Visit:
    """Close this conversation and start a fresh one for the same customer (or guest)."""
    if visit is None:
        return open_visit(assistant, None)
    with exclusive(visit) as free:
        if not free:
            return visit
    close_visit(visit)
    return open_visit(assistant, visit.customer)
