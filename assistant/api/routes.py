"""The /v1 routes: sign-in, conversations, turns, consent. Each is a thin call into the SDK."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, status
from fastapi.concurrency import run_in_threadpool

from assistant.api.deps import Caller, Customer, State
from assistant.api.problems import Problem
from assistant.api.schemas import (
    ConversationCreated,
    MessageRequest,
    TokenRequest,
    TokenResponse,
)
from assistant.api.streaming import stream_turn
from assistant.api.turns import CHANNEL, ask, resolve, run_turn
from assistant.records.views import ConsentState
from assistant.replies import Reply
from assistant.telemetry import metrics

router = APIRouter(prefix="/v1")

ConversationId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The id POST /v1/conversations returned.",
    ),
]
Purpose = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[a-z_]+$")]

_PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
_TURN_ERRORS: dict[int | str, dict[str, Any]] = {
    401: _PROBLEM,
    403: _PROBLEM,
    404: _PROBLEM,
    409: _PROBLEM,
    413: _PROBLEM,
    422: _PROBLEM,
}


@router.post(
    "/auth/token",
    response_model=TokenResponse,
    tags=["auth"],
    responses={401: _PROBLEM, 404: _PROBLEM},
)
def issue_token(body: TokenRequest, state: State) -> TokenResponse:
    """Exchange demo credentials for a bearer token (demo mode only)."""
    if not state.authority.demo:
        raise Problem(
            404, "demo-login-disabled", "tokens come from the operator's identity provider"
        )
    found = state.assistant.records.authenticate(body.email, body.password)
    if found is None:
        raise Problem(401, "unauthenticated", "that e-mail and password don't match")
    token, ttl = state.authority.issue(found.id)
    return TokenResponse(access_token=token, expires_in=ttl)


@router.post(
    "/conversations",
    response_model=ConversationCreated,
    status_code=status.HTTP_201_CREATED,
    tags=["conversations"],
    responses={401: _PROBLEM},
)
def create_conversation(state: State, who: Caller) -> ConversationCreated:
    """Open a conversation owned by the caller (a guest without a bearer token)."""
    return ConversationCreated(id=state.store.create(who))


@router.post(
    "/conversations/{conversation_id}/messages",
    response_model=Reply,
    tags=["conversations"],
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "The reply; with Accept: text/event-stream, `delta` events "
            '({"text"}) then one `reply` event (the Reply).',
        },
        **_TURN_ERRORS,
    },
)
async def post_message(
    conversation_id: ConversationId,
    body: MessageRequest,
    state: State,
    who: Caller,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    """Send a customer message; the reply as JSON, or as server-sent events."""
    if accept and "text/event-stream" in accept:
        return await stream_turn(state, conversation_id, who, body.text)
    return await run_in_threadpool(
        run_turn, state, conversation_id, who, "message", lambda s: ask(s, body.text)
    )


@router.post(
    "/conversations/{conversation_id}/confirm",
    response_model=Reply,
    tags=["conversations"],
    responses=_TURN_ERRORS,
)
def confirm(conversation_id: ConversationId, state: State, who: Caller) -> Reply:
    """Allow the pending consent request, or confirm the pending change."""
    return run_turn(state, conversation_id, who, "confirm", lambda s: resolve(s, True))


@router.post(
    "/conversations/{conversation_id}/decline",
    response_model=Reply,
    tags=["conversations"],
    responses=_TURN_ERRORS,
)
def decline(conversation_id: ConversationId, state: State, who: Caller) -> Reply:
    """Decline the pending consent request, or cancel the pending change."""
    return run_turn(state, conversation_id, who, "decline", lambda s: resolve(s, False))


def _consent_session(state: State, who: Customer) -> Any:
    # A fresh session id: consent belongs to the customer, not to a conversation.
    return state.assistant.session(who.customer_id, channel=CHANNEL)


@router.get(
    "/consents", response_model=dict[str, ConsentState], tags=["consent"], responses={401: _PROBLEM}
)
def list_consents(state: State, who: Customer) -> dict[str, Any]:
    """The signed-in customer's consent state, per purpose."""
    return _consent_session(state, who).consents


@router.post(
    "/consents/{purpose}",
    response_model=ConsentState,
    tags=["consent"],
    responses={401: _PROBLEM, 422: _PROBLEM},
)
def grant_consent(purpose: Purpose, state: State, who: Customer) -> Any:
    """Grant ``purpose`` at the current notice version; effective at once."""
    result = _consent_session(state, who).grant_consent(purpose)
    metrics().consent_grants.labels(purpose=purpose, action="granted").inc()
    return result


@router.delete(
    "/consents/{purpose}",
    response_model=ConsentState,
    tags=["consent"],
    responses={401: _PROBLEM, 422: _PROBLEM},
)
def withdraw_consent(purpose: Purpose, state: State, who: Customer) -> Any:
    """Withdraw ``purpose``; effective at once."""
    result = _consent_session(state, who).withdraw_consent(purpose)
    metrics().consent_grants.labels(purpose=purpose, action="withdrawn").inc()
    return result
