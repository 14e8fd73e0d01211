"""One turn through the SDK, as the routes run it: owner check, lease, trace span, metrics."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from langchain_core.messages import HumanMessage
from opentelemetry import trace
from opentelemetry.trace import Span

from assistant.api.auth import Identity
from assistant.api.deps import ApiState
from assistant.api.problems import Problem
from assistant.errors import UsageError
from assistant.replies import PendingConsent, Reply
from assistant.telemetry import metrics, record_reply, tracer
from assistant.telemetry.metrics import outcome_of
from assistant.turns import tool_calls_of

#: Where the API's conversations are recorded as the channel (consent ledger, logs).
CHANNEL = "api"


def open_session(state: ApiState, conversation_id: str, who: Identity) -> Any:
    """The SDK session of this conversation for this caller."""
    return state.assistant.session(who.customer_id, session_id=conversation_id, channel=CHANNEL)


def settled_calls(state: ApiState, conversation_id: str) -> int:
    """Tool calls of the paused turn that already ended (counted when it paused)."""
    snapshot = state.assistant.graph.get_state({"configurable": {"thread_id": conversation_id}})
    messages = list(snapshot.values.get("messages", [])) if snapshot.values else []
    start = max((i for i, m in enumerate(messages) if isinstance(m, HumanMessage)), default=0)
    return sum(1 for c in tool_calls_of(messages[start:]) if c.outcome != "pending")


def turn_span(kind: str, conversation_id: str, who: Identity) -> Span:
    """The span of one turn; the conversation id is hashed, the customer never recorded."""
    digest = hashlib.sha256(conversation_id.encode()).hexdigest()[:16]
    return tracer().start_span(
        "turn",
        attributes={
            "vela.turn.kind": kind,
            "vela.conversation": digest,
            "vela.signed_in": who.customer_id is not None,
        },
    )


def finish(span: Span, kind: str, reply: Reply, started: float, settled: int = 0) -> None:
    """Record the turn's metrics and close its span."""
    record_reply(kind, reply, time.perf_counter() - started, settled)
    span.set_attribute("vela.turn.outcome", outcome_of(reply))
    span.set_attribute("vela.turn.tools", [f"{c.name}:{c.outcome}" for c in reply.tool_calls])
    span.end()


def refuse_if_pending(session: Any) -> None:
    """409 when a consent request or confirmation waits: a message must not decline it."""
    pending = session.pending
    if pending is not None:
        raise Problem(
            409,
            "decision-pending",
            f"a {pending.kind} is waiting: POST .../confirm or .../decline first",
            pending=pending.kind,
        )


@contextmanager
def leased(state: ApiState, conversation_id: str, who: Identity) -> Iterator[None]:
    """Check the owner and hold the conversation's turn lease."""
    state.store.check(conversation_id, who)
    with state.store.turn(conversation_id):
        yield


def run_turn(
    state: ApiState,
    conversation_id: str,
    who: Identity,
    kind: str,
    action: Callable[[Any], Reply],
) -> Reply:
    """Run ``action(session)`` as one turn: owner check, lease, span, metrics."""
    with leased(state, conversation_id, who):
        session = open_session(state, conversation_id, who)
        settled = settled_calls(state, conversation_id) if kind != "message" else 0
        span = turn_span(kind, conversation_id, who)
        started = time.perf_counter()
        with trace.use_span(span, end_on_exit=False, record_exception=True):
            try:
                reply = action(session)
            except BaseException:
                span.end()
                raise
        finish(span, kind, reply, started, settled)
        return reply


def ask(session: Any, text: str) -> Reply:
    """A customer message (refused while a decision is pending)."""
    refuse_if_pending(session)
    return session.ask(text)


def resolve(session: Any, accept: bool) -> Reply:
    """Confirm or decline the pending item; 409 when nothing is pending."""
    pending = session.pending
    if pending is None:
        raise Problem(409, "nothing-pending", "there is no consent request or confirmation")
    try:
        reply = session.confirm() if accept else session.decline()
    except UsageError as exc:  # resolved meanwhile by another request
        raise Problem(409, "nothing-pending", str(exc)) from None
    if accept and isinstance(pending, PendingConsent):
        metrics().consent_grants.labels(purpose=pending.purpose, action="granted").inc()
    return reply
