"""What one browser tab holds: its Session, who is signed in and the transcript shown.

A ``Visit`` lives only in that tab's ``gr.State``; nothing per-user is kept at module level, so
one customer can never see another's conversation, and signing out simply drops the Visit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ui.i18n import Locale

if TYPE_CHECKING:
    from assistant.records.views import CustomerView
    from assistant.sdk import Session

log = logging.getLogger("ui.state")

#: A chat message in Gradio's messages format: {"role", "content", optional "metadata"}.
ChatItem = dict[str, Any]

#: How long an event waits for this tab's previous one (e.g. a streaming answer) to finish.
BUSY_WAIT_S = 5.0


@dataclass
class Visit:
    """One tab's conversation with one customer (or a guest)."""

    session: Session
    customer: CustomerView | None = None
    messages: list[ChatItem] = field(default_factory=list)
    greeting: str = ""
    """The AI disclosure already shown; the first reply's own copy of it is not repeated."""
    asked: bool = False
    """True once a message went to the assistant (its first reply carries the disclosure)."""
    status: str = ""
    """One line of feedback under the chat (ticket reference, refused message...)."""
    lang: str = "en"
    """The guest's chosen language; a signed-in customer's comes from their profile."""
    browser: str | None = None
    """The signed browser id (``ui.browser``) this tab belongs to; set on its first event."""
    last_seen: float = field(default_factory=time.monotonic)
    """When this tab last had an event; idle past the session timeout, it expires."""
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    """Serialises this tab's events: a Confirm click must not race a streaming turn. A plain
    Lock, because Gradio may resume a streaming generator on another worker thread."""

    @property
    def customer_id(self) -> str | None:
        """The signed-in customer's id, or None for a guest."""
        return self.customer.id if self.customer else None

    @property
    def locale(self) -> Locale:
        """The language, market and price display this tab's customer reads."""
        return Locale.of(self.customer, self.lang)

    @property
    def busy(self) -> bool:
        """True while one of this tab's events (a streaming turn) holds its lock."""
        return self.lock.locked()


@contextmanager
def exclusive(visit: Visit) -> Iterator[bool]:
    """Hold the tab's lock for one event; yields False (and sets a note) if it stayed busy."""
    acquired = visit.lock.acquire(timeout=BUSY_WAIT_S)
    if not acquired:
        visit.status = visit.locale.t("busy")
    try:
        yield acquired
    finally:
        if acquired:
            visit.lock.release()


def open_visit(assistant: Any, customer: CustomerView | None, lang: str = "en") -> Visit:
    """Start a conversation and show the AI disclosure as its first message.

    A guest's conversation is opened in ``lang`` (their language switch); a customer's in the
    language of their profile.
    """
    if customer is None:
        session = assistant.session(None, channel="ui", language=lang)
    else:
        session = assistant.session(customer.id, channel="ui")
        lang = customer.language
    greeting = session.greeting()
    return Visit(
        session=session,
        customer=customer,
        messages=[{"role": "assistant", "content": greeting}],
        greeting=greeting,
        lang=lang,
    )


def close_visit(visit: Visit | None) -> None:
    """End the Session (its transcript is deleted unless retention was granted).

    Also Gradio's delete callback for a closed tab, so a failure is logged, never raised.
    """
    if visit is None:
        return
    try:
        visit.session.close()
    except Exception as exc:  # a store failure must not keep the tab (or Gradio's sweeper) stuck
        log.warning("session_close_failed", extra={"error_type": type(exc).__name__})
