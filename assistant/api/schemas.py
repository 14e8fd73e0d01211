"""Request and response bodies of the HTTP API (the OpenAPI schema is built from these)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from assistant.sdk import MAX_MESSAGE_CHARS


class Body(BaseModel):
    """A request body: unknown fields are refused, so a typo is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


class TokenRequest(Body):
    """Demo customer credentials (see `python -m assistant customers`)."""

    email: str = Field(min_length=3, max_length=254, description="The customer's e-mail.")
    password: str = Field(min_length=1, max_length=256, description="The customer's password.")


class TokenResponse(BaseModel):
    """A bearer token; its subject is the customer id."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int = Field(description="Seconds until the token expires.")


class ConversationCreated(BaseModel):
    """A new conversation."""

    id: str = Field(description="The conversation id, used in every later request.")


class MessageRequest(Body):
    """One customer message."""

    text: str = Field(
        min_length=1, max_length=MAX_MESSAGE_CHARS, description="What the customer wrote."
    )


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    checks: dict[str, str] = Field(default_factory=dict)
