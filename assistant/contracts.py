"""What crosses the tool layer, typed: the tool result envelope, the pauses and the decisions.

A tool's structured result travels in its ``ToolMessage.artifact`` as a ``ToolResult`` dumped to
JSON-ready data (checkpoints store plain data, not classes), and every reader turns it back into
the model with ``ToolResult.read``, never by looking for keys such as ``"error"`` in the payload.
The model still reads only ``content``: the payload as JSON, exactly as before the envelope.

A pause (the guard waiting for the customer) is a ``ConsentPause`` or ``ConfirmationPause``
passed to LangGraph's ``interrupt`` as data and read back with ``read_pause``; the customer's
answer is a ``Decision``. This module imports nothing of the product, so every layer may use it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

#: How a finished tool call ended. ``refused``: the guard refused the call itself (a tool that
#: does not exist, an identity argument); ``error``: a rule said no or the call failed (not
#: eligible, quote expired, no consent, not signed in); ``cancelled``: the customer declined.
Outcome = Literal["ok", "refused", "error", "cancelled"]


class ToolResult(BaseModel):
    """The envelope of one tool result: how it ended, and its payload."""

    model_config = ConfigDict(frozen=True)

    kind: Literal["tool_result"] = "tool_result"
    outcome: Outcome = Field(description="How the call ended.")
    data: Any = Field(default=None, description="The payload, JSON-ready (what the model read).")
    code: str | None = Field(
        default=None, description="Machine-readable reason when the outcome is not 'ok'."
    )

    @property
    def ok(self) -> bool:
        """The tool did what it was asked."""
        return self.outcome == "ok"

    def artifact(self) -> dict[str, Any]:
        """The envelope as plain data, for ``ToolMessage.artifact`` (and so for checkpoints)."""
        return self.model_dump(mode="json")

    @classmethod
    def of_payload(cls, data: Any) -> ToolResult:
        """An envelope for a payload given without an outcome (callers of ``tools.base.result``
        written before the envelope): an error payload keeps the outcome it always meant."""
        outcome, code = _legacy_outcome(data, "success")
        return cls(outcome=outcome, data=data, code=code)

    @classmethod
    def read(cls, artifact: Any, status: str = "success") -> ToolResult:
        """The envelope in a ToolMessage's artifact (``status`` is the message's own).

        Artifacts written before the envelope existed (stored transcripts, hand-built
        messages) carry the bare payload; their outcome is read the way it always was.
        """
        if isinstance(artifact, dict) and artifact.get("kind") == "tool_result":
            try:
                return cls.model_validate(artifact)
            except ValidationError:
                pass  # a payload that happens to say kind=tool_result: treat as legacy
        outcome, code = _legacy_outcome(artifact, status)
        return cls(outcome=outcome, data=artifact, code=code)


def _legacy_outcome(data: Any, status: str) -> tuple[Outcome, str | None]:
    payload = data if isinstance(data, dict) else {}
    if payload.get("status") == "cancelled":
        return "cancelled", "declined"
    if payload.get("error") == "refused":
        return "refused", "refused"
    if status == "error" or "error" in payload:
        return "error", str(payload.get("error") or "error")
    return "ok", None


class ConsentPause(BaseModel):
    """The guard waits for the customer's opt-in to a purpose before an account tool runs."""

    model_config = ConfigDict(frozen=True)

    type: Literal["consent"] = "consent"
    purpose: str
    title: str
    notice: str
    version: str


class ConfirmationPause(BaseModel):
    """The guard waits for the customer's explicit confirmation of a stored quote."""

    model_config = ConfigDict(frozen=True)

    type: Literal["confirmation"] = "confirmation"
    action: str = Field(description="The write tool that will run, e.g. 'change_plan'.")
    quote_id: str
    quote: dict[str, Any] = Field(description="The stored quote, as the customer is shown it.")


Pause = Annotated[ConsentPause | ConfirmationPause, Field(discriminator="type")]
_PAUSE: TypeAdapter[ConsentPause | ConfirmationPause] = TypeAdapter(Pause)


def read_pause(value: Any) -> ConsentPause | ConfirmationPause | None:
    """The pause an interrupt carries, or None for an interrupt that is not one of ours."""
    try:
        return _PAUSE.validate_python(value)
    except ValidationError:
        return None


class Decision(BaseModel):
    """The customer's answer to a pause, given by the SDK when it resumes the run."""

    model_config = ConfigDict(frozen=True)

    decision: Literal["allow", "confirm", "decline"]
    quote_id: str | None = Field(default=None, description="The quote a confirm is for.")

    @classmethod
    def read(cls, value: Any) -> Decision:
        """The decision a resume carries; anything unreadable counts as a decline."""
        try:
            return cls.model_validate(value)
        except ValidationError:
            return cls(decision="decline")

    def confirms(self, quote_id: str) -> bool:
        """An explicit confirm of exactly this quote."""
        return self.decision == "confirm" and self.quote_id == quote_id
