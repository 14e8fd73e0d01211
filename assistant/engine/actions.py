"""What the engine can do next, and how a hand-off ticket is worded.

``Call`` (one tool call) or ``Say`` (the final answer); ``Hints`` is what the session's run
context tells the engine. Ticket topic and summary come from the customer's own words, with
long numbers and e-mail addresses taken out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_LONG_DIGITS = re.compile(r"\d[\d\s-]{5,}\d")
_EMAIL = re.compile(r"\S+@\S+")


@dataclass(frozen=True)
class Call:
    """Call one tool with these arguments."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Say:
    """Answer the customer with this text (ends the turn)."""

    text: str


Action = Call | Say


@dataclass(frozen=True)
class Hints:
    """What the session's run context tells the engine (all optional)."""

    country: str | None = None
    segment: str | None = None
    language: str | None = None
    signed_in: bool | None = None


def ticket_summary(text: str) -> str:
    """The customer's words for a hand-off ticket, without long numbers or e-mails."""
    clean = _EMAIL.sub("[email]", _LONG_DIGITS.sub("[number]", text))
    return clean[:240]


def ticket_topic(text: str, intent: str) -> str:
    """A short topic for a hand-off ticket, from the customer's words and the intent."""
    folded = text.lower()
    if intent == "complaint" or re.search(r"complain|complaint|queja|reclama", folded):
        return "complaint"
    if re.search(r"fraud|stolen|robad|fraude", folded):
        return "fraud"
    if intent == "discount" or re.search(r"discount|credit|refund|descuento|reembolso", folded):
        return "discount or credit request"
    if intent == "bulk_change":
        return "multi-line change"
    if re.search(r"bill|factura|charge|cargo", folded):
        return "billing"
    return "customer request"
