"""``create_app(assistant)``: the FastAPI application over an SDK ``Assistant``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from assistant.api import health, routes
from assistant.api.auth import TokenAuthority
from assistant.api.deps import ApiState
from assistant.api.limits import BodyLimit
from assistant.api.ownership import ConversationStore
from assistant.api.problems import install_handlers
from assistant.settings import Settings
from assistant.telemetry import instrument

DESCRIPTION = """The Vela assistant over HTTP, for every channel (app, web widget, messaging,
contact-centre desktop). Sign in with a bearer token (its subject is the customer); without
one you are a guest. Errors are RFC 9457 problem details."""


def create_app(
    assistant: Any, settings: Settings | None = None, *, close_on_shutdown: bool = False
) -> FastAPI:
    """The API over ``assistant`` (an ``assistant.sdk.Assistant``).

    Creates the conversation-ownership table if missing and attaches the tracing/metrics
    callback to the assistant's graph. ``close_on_shutdown`` closes the assistant when the
    server stops (for an assistant the server built itself).
    """
    settings = settings or assistant.settings
    authority = TokenAuthority(settings)  # ConfigError now, not at the first request
    store = ConversationStore(assistant.records.engine, settings.api_turn_lease_s)
    store.setup()
    assistant.graph = instrument(assistant.graph)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if close_on_shutdown:
            assistant.close()

    app = FastAPI(
        title="Vela assistant API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=settings.api_max_body_bytes)
    app.state.vela = ApiState(
        assistant=assistant, store=store, authority=authority, settings=settings
    )
    install_handlers(app)
    app.include_router(health.router)
    app.include_router(routes.router)
    return app
