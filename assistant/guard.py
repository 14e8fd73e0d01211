"""The guard: identity, consent and confirmation, enforced around every tool call.

This middleware is the tool layer's gatekeeper; the prompt only explains the rules. For each
call the model makes it checks, in order:

1. the tool exists, and the model did not try to name a customer, account or number itself
   (identity comes only from the session's run context);
2. account tools: a customer is signed in, and 'account data' consent stands in the ledger.
   If not, the run pauses (a LangGraph interrupt) with the consent request; only the human's
   decision, delivered by the SDK, resumes it, and the ledger is re-read afterwards;
3. writes: the run pauses with the stored quote; only an explicit confirm for that same
   quote id applies it. A "yes" or "SYSTEM: confirmed" typed in chat is just a message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from langchain.agents import AgentState
from langchain.agents.middleware import AgentMiddleware
from langchain_core.messages import ToolMessage
from langgraph.prebuilt.tool_node import ToolCallRequest
from langgraph.types import Command, interrupt

from assistant.context import SessionContext
from assistant.contracts import ConfirmationPause, ConsentPause, Decision
from assistant.errors import ConsentRequired, DomainError, ModelBehaviourError, NotSignedIn
from assistant.services import Services
from assistant.tools.base import result, tool_spec
from assistant.tools.registry import IDENTITY_ARGS

log = logging.getLogger("assistant.guard")

ACCOUNT_PURPOSE = "account_data"


def _refusal(request: ToolCallRequest, error: DomainError | ModelBehaviourError) -> ToolMessage:
    if isinstance(error, DomainError):
        content, artifact = result(error.to_dict(), outcome="error", code=error.code)
    else:
        payload = {"error": "refused", "message": str(error)}
        content, artifact = result(payload, outcome="refused", code="refused")
    return ToolMessage(
        content=content,
        artifact=artifact,
        tool_call_id=request.tool_call["id"],
        name=request.tool_call["name"],
        status="error",
    )


class GuardMiddleware(AgentMiddleware[AgentState[Any], SessionContext]):
    """Enforces identity binding, the consent gate and write confirmation in code."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services

    # -- the checks ---------------------------------------------------------------------

    def _identity_violation(self, request: ToolCallRequest) -> ModelBehaviourError | None:
        declared = set(request.tool.args) if request.tool is not None else set()
        forged = sorted(set(request.tool_call.get("args") or {}) & IDENTITY_ARGS - declared)
        if forged:
            return ModelBehaviourError(
                f"Refused: tools act only for the signed-in customer; the argument(s) "
                f"{', '.join(forged)} are not accepted."
            )
        return None

    def _consent_request(self) -> ConsentPause:
        purpose = next(
            p for p in self.services.records.consent_purposes() if p.purpose == ACCOUNT_PURPOSE
        )
        return ConsentPause(
            purpose=purpose.purpose,
            title=purpose.title,
            notice=purpose.notice,
            version=purpose.version,
        )

    def _ensure_consent(self, customer_id: str) -> None:
        records = self.services.records
        if records.has_consent(customer_id, ACCOUNT_PURPOSE):
            return
        # Pauses are stored in the checkpoint, so they travel as plain data.
        decision = interrupt(self._consent_request().model_dump(mode="json"))
        # The SDK writes the grant to the ledger before resuming; the ledger, not the resume
        # value, is what counts.
        if not records.has_consent(customer_id, ACCOUNT_PURPOSE):
            log.info("consent_declined", extra={"decision": str(decision)[:20]})
            raise ConsentRequired(
                "The customer has not allowed access to their account data, so this was not "
                "looked up. General questions can still be answered.",
                purpose=ACCOUNT_PURPOSE,
            )

    def _confirm_write(self, request: ToolCallRequest, customer_id: str) -> bool:
        quote_id = str((request.tool_call.get("args") or {}).get("quote_id", ""))
        quote = self.services.records.get_quote(customer_id, quote_id)
        pause = ConfirmationPause(
            action=request.tool_call["name"], quote_id=quote_id, quote=quote.model_dump(mode="json")
        )
        confirmed = Decision.read(interrupt(pause.model_dump(mode="json"))).confirms(quote_id)
        if not confirmed:
            self.services.records.cancel_quote(customer_id, quote_id)
        return confirmed

    # -- the middleware hook ----------------------------------------------------------------

    def wrap_tool_call(
        self,
        request: ToolCallRequest,
        handler: Callable[[ToolCallRequest], ToolMessage | Command[Any]],
    ) -> ToolMessage | Command[Any]:
        """Run a tool call only if identity, consent and confirmation allow it."""
        name = request.tool_call["name"]
        if request.tool is None:
            return _refusal(request, ModelBehaviourError(f"There is no tool named {name!r}."))
        violation = self._identity_violation(request)
        if violation is not None:
            log.warning("identity_argument_refused", extra={"tool": name})
            return _refusal(request, violation)
        spec = tool_spec(request.tool)
        context = request.runtime.context if request.runtime else None
        customer_id = getattr(context, "customer_id", None)
        try:
            if spec.scope == "account" and customer_id is None:
                raise NotSignedIn(
                    "Not signed in: account help needs the customer to sign in first. "
                    "General questions can still be answered."
                )
            if spec.needs_confirmation:
                if customer_id is None:
                    raise NotSignedIn("Not signed in: nothing can be changed for a guest.")
                # A write never asks for consent itself: its quote (a read) already did.
                # This keeps one pause per tool call, so resumes always match their pause.
                if spec.scope == "account" and not self.services.records.has_consent(
                    customer_id, ACCOUNT_PURPOSE
                ):
                    raise ConsentRequired(
                        "Account data consent is not in place; nothing was changed.",
                        purpose=ACCOUNT_PURPOSE,
                    )
                if not self._confirm_write(request, customer_id):
                    declined = {
                        "status": "cancelled",
                        "message": "The customer declined; nothing changed.",
                    }
                    content, artifact = result(
                        declined,
                        outcome="cancelled",
                        code="declined",
                    )
                    return ToolMessage(
                        content=content,
                        artifact=artifact,
                        name=name,
                        tool_call_id=request.tool_call["id"],
                    )
            elif spec.needs_consent and customer_id is not None:
                self._ensure_consent(customer_id)
        except DomainError as exc:
            return _refusal(request, exc)
        return handler(request)
