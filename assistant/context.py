"""The run context: who is talking, carried by the session, never by the model.

LangGraph passes this object to every tool and middleware as ``runtime.context``. Tools read the
customer's identity from here; no tool has a customer-id parameter the model could fill in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SessionContext:
    """Identity and locale of one conversation, fixed when the session is opened."""

    session_id: str
    customer_id: str | None = None
    """The signed-in customer, or None for a guest (general help only)."""
    country: str | None = None
    """Market (GB, ES, KE) used to filter documents; the customer's own country when signed in."""
    segment: str | None = None
    """consumer or business; filters plan documents."""
    language: str = "en"
    """Preferred reply language (en or es); a Spanish question still gets a Spanish answer."""
    channel: str = "sdk"
    """Where the conversation happens (sdk, ui, terminal, eval); recorded with consent decisions."""

    @property
    def signed_in(self) -> bool:
        """True when a customer is signed in."""
        return self.customer_id is not None
