"""The request body limit: a larger body gets 413 problem+json before it is read in full."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.api.problems import problem_response


class BodyLimit:
    """ASGI middleware refusing bodies over ``limit`` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    def _detail(self) -> str:
        return f"the request body is larger than {self.limit} bytes"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check Content-Length first, then count the bytes as they arrive."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = problem_response(413, "body-too-large", self._detail(), scope.get("path"))
            await response(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    # Raised inside the app, so the app's problem+json handler answers it.
                    raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counted, send)
