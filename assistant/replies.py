"""What a turn returns through the SDK: text, citations, tool calls and any pending decision."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """A document passage the answer relies on, numbered as in the text ("[1]").

    A reply's citations are numbered 1..n in the order the text first cites them, whatever
    number the search gave the passage (that one is ``passage``).
    """

    model_config = ConfigDict(frozen=True)

    number: int = Field(description="The citation marker number used in the reply text.")
    passage: int | None = Field(
        default=None,
        description="The number search_knowledge gave the passage (the model's own marker).",
    )
    doc_id: str = Field(description="Stable id of the source document.")
    title: str = Field(description="Document title.")
    section: str = Field(description="Heading path of the passage, e.g. 'Roaming > Day passes'.")
    section_id: str = Field(default="", description="'<doc_id>#<section slug>'.")
    version: int = Field(default=1, description="Document version the passage comes from.")
    snippet: str = Field(description="A short excerpt of the passage.")


#: How a tool call ended (``assistant.contracts.Outcome``); 'pending' while it is paused,
#: waiting for the customer.
ToolOutcome = Literal["ok", "error", "refused", "cancelled", "pending"]


class ToolCallRecord(BaseModel):
    """One tool call made during the turn and how it ended."""

    model_config = ConfigDict(frozen=True)

    name: str
    args: dict[str, Any]
    outcome: ToolOutcome
    result: Any = Field(default=None, description="Structured result (the envelope's payload).")
    code: str | None = Field(
        default=None, description="Why it did not end 'ok' (e.g. 'not_eligible', 'declined')."
    )


class PendingConsent(BaseModel):
    """The assistant needs the customer's opt-in for a purpose before it can continue."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["consent"] = "consent"
    purpose: str
    title: str
    notice: str
    version: str
    interrupt_id: str = ""


class PendingConfirmation(BaseModel):
    """A write waits for the customer's explicit confirmation of this quote."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["confirmation"] = "confirmation"
    action: str
    quote_id: str
    quote: dict[str, Any]
    interrupt_id: str = ""


Pending = PendingConsent | PendingConfirmation


class Reply(BaseModel):
    """The assistant's answer to one message (or to a confirm/decline)."""

    model_config = ConfigDict(frozen=True)

    text: str
    citations: list[Citation] = Field(default_factory=list)
    pending: Pending | None = None
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    session_id: str = ""
    error: str | None = Field(
        default=None, description="Set when the turn failed (e.g. 'provider_unavailable')."
    )
    replaced: list[str] = Field(
        default_factory=list,
        description="Why the reply verifier replaced the model's text with a truthful reply "
        "built from the turn's tool results (empty when the model's text went out).",
    )
