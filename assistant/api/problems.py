"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the API returns has a ``type`` (a stable URN naming the problem), a ``title``,
the HTTP ``status`` and a ``detail`` saying what was wrong and where. Handlers here turn the
product's typed errors and FastAPI's own (validation, 404, 413) into that shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import DomainError, NotFound, UsageError
from assistant.observability import redact

log = logging.getLogger("assistant.api")

MEDIA_TYPE = "application/problem+json"

#: Titles of the problems by slug; the slug is the stable part clients switch on.
TITLES: dict[str, str] = {
    "malformed-json": "Malformed JSON",
    "invalid-request": "Invalid request",
    "invalid-message": "Invalid message",
    "unauthenticated": "Missing or invalid bearer token",
    "forbidden": "Not yours",
    "not-found": "Not found",
    "conversation-busy": "A turn is already running on this conversation",
    "decision-pending": "A consent request or confirmation is waiting",
    "nothing-pending": "Nothing is waiting for a decision",
    "body-too-large": "Request body too large",
    "demo-login-disabled": "Demo sign-in is disabled",
    "rejected": "Refused by a business rule",
    "method-not-allowed": "Method not allowed",
    "internal": "Internal error",
}

_BY_STATUS = {404: "not-found", 405: "method-not-allowed", 413: "body-too-large"}


class Problem(Exception):
    """An error to answer with a problem+json body."""

    def __init__(self, status: int, slug: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.extra = extra


def problem_response(
    status: int, slug: str, detail: str, instance: str | None = None, **extra: Any
) -> JSONResponse:
    """The problem+json response for ``slug``."""
    body: dict[str, Any] = {
        "type": f"urn:vela:problem:{slug}",
        "title": TITLES.get(slug, slug),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_detail(exc: RequestValidationError) -> tuple[str, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        where = next(e for e in errors if e.get("type") == "json_invalid")
        pos = where.get("ctx", {}).get("error", "")
        return "malformed-json", f"the request body is not valid JSON ({pos})".replace(" ()", "")
    parts = []
    for error in errors:
        loc = ".".join(str(p) for p in error.get("loc", ()) if p != "body") or "body"
        parts.append(f"{loc}: {error.get('msg', 'invalid')}")
    return "invalid-request", "; ".join(parts)


def install_handlers(app: FastAPI) -> None:
    """Answer every error with problem+json."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_response(exc.status, exc.slug, exc.detail, request.url.path, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        slug, detail = _validation_detail(exc)
        status = 400 if slug == "malformed-json" else 422
        return problem_response(status, slug, detail, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = _BY_STATUS.get(exc.status_code, "invalid-request")
        return problem_response(exc.status_code, slug, str(exc.detail), request.url.path)

    @app.exception_handler(NotFound)
    async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem_response(404, "not-found", exc.message, request.url.path)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        return problem_response(422, "rejected", exc.message, request.url.path, code=exc.code)

    @app.exception_handler(UsageError)
    async def _usage(request: Request, exc: UsageError) -> JSONResponse:
        return problem_response(422, "invalid-message", str(exc), request.url.path)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> JSONResponse:
        # The cause goes to the (redacted) log, never to the client.
        log.error("api_error", extra={"path": request.url.path, "error": redact(repr(exc))})
        return problem_response(500, "internal", "the server failed; see its logs")
