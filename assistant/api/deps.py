"""What every route receives: the API's state and the caller's identity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from assistant.api.auth import GUEST, Identity, TokenAuthority, bearer_token
from assistant.api.ownership import ConversationStore
from assistant.api.problems import Problem
from assistant.errors import NotFound
from assistant.settings import Settings

#: Declares the bearer scheme in the OpenAPI schema; the header is checked in ``identity``.
BEARER = HTTPBearer(auto_error=False, description="A token from /v1/auth/token or your IdP.")


@dataclass
class ApiState:
    """What the routes share: the SDK's Assistant, conversation ownership, token checks."""

    assistant: Any
    store: ConversationStore
    authority: TokenAuthority
    settings: Settings


def api_state(request: Request) -> ApiState:
    """The app's state (set by ``create_app``)."""
    return request.app.state.vela


def identity(
    request: Request,
    state: Annotated[ApiState, Depends(api_state)],
    _: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)] = None,
) -> Identity:
    """The caller: the token's subject, or a guest when there is no Authorization header."""
    token = bearer_token(request.headers.get("authorization"))
    if token is None:
        return GUEST
    customer_id = state.authority.verify(token)
    try:
        state.assistant.records.get_customer(customer_id)
    except NotFound:
        raise Problem(401, "unauthenticated", "the token's subject is not a customer") from None
    return Identity(customer_id)


def customer(who: Annotated[Identity, Depends(identity)]) -> Identity:
    """A signed-in customer; Problem 401 for a guest."""
    if who.customer_id is None:
        raise Problem(401, "unauthenticated", "this needs a bearer token (sign in)")
    return who


State = Annotated[ApiState, Depends(api_state)]
Caller = Annotated[Identity, Depends(identity)]
Customer = Annotated[Identity, Depends(customer)]
