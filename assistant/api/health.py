"""Liveness, readiness and metrics: ``/healthz``, ``/readyz``, ``/metrics``."""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlparse

import sqlalchemy as sa
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from assistant.api.deps import State
from assistant.api.problems import MEDIA_TYPE
from assistant.api.schemas import Health
from assistant.settings import Settings
from assistant.telemetry.metrics import exposition

router = APIRouter(tags=["operations"])

#: Where each hosted provider is reached, when no base URL or endpoint is configured.
_DEFAULT_HOSTS = {"openai": "https://api.openai.com"}


@router.get("/healthz", response_model=Health)
def healthz() -> Health:
    """The process is alive (no dependency is checked)."""
    return Health(status="ok")


@router.get("/readyz", response_model=Health, responses={503: {"model": Health}})
def readyz(state: State) -> Any:
    """Database, knowledge index and chat model reachable; 503 naming what is not."""
    checks = {
        "database": _check(lambda: _database(state.assistant.records.engine)),
        "index": _check(lambda: _index(state.assistant.services.knowledge)),
        "model": _check(lambda: _model(state.settings)),
    }
    if all(v == "ok" for v in checks.values()):
        return Health(status="ready", checks=checks)
    failing = ", ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok")
    body = {
        "type": "urn:vela:problem:not-ready",
        "title": "Not ready",
        "status": 503,
        "detail": failing,
        "checks": checks,
    }
    return JSONResponse(body, status_code=503, media_type=MEDIA_TYPE)


@router.get("/metrics", include_in_schema=False)
def prometheus_metrics() -> Response:
    """Prometheus text exposition."""
    body, content_type = exposition()
    return Response(body, media_type=content_type)


def _check(probe: Any) -> str:
    try:
        probe()
    except Exception as exc:  # the reason is the readiness answer
        return f"{type(exc).__name__}: {exc}"[:300]
    return "ok"


def _database(engine: sa.Engine) -> None:
    with engine.connect() as conn:
        conn.execute(sa.text("SELECT 1"))


def _index(knowledge: Any) -> None:
    # A real search: embeds a query and reads the vector store (a Chroma server when set).
    knowledge.search("roaming")


def _model(settings: Settings) -> None:
    """The offline engine is in-process; a hosted model's endpoint must accept connections.

    Only a TCP connection is opened: readiness probes must not spend tokens.
    """
    provider = settings.model_provider
    if provider == "offline":
        return
    url = {
        "openai": settings.model_base_url or _DEFAULT_HOSTS["openai"],
        "openai-compatible": settings.model_base_url,
        "azure": settings.azure_endpoint,
    }.get(provider)
    if not url:
        raise ConnectionError(f"no endpoint configured for model_provider={provider!r}")
    parsed = urlparse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    with socket.create_connection((parsed.hostname or "", port), timeout=2.0):
        pass
