"""Run the API under uvicorn: ``python -m assistant serve``.

Each worker process builds its own ``Assistant`` from settings (``app_from_settings`` is the
uvicorn factory); everything that matters lives in the database, the checkpointer and the
index, so any worker serves any turn. The embedded defaults (schema, demo data, index,
engine vectors) are prepared once, before the workers start, so they never race to build them.
"""

from __future__ import annotations

import multiprocessing
from typing import Any

DEFAULT_FACTORY = "assistant.api.server:app_from_settings"


def app_from_settings() -> Any:
    """The uvicorn factory: settings from the environment, a new Assistant, the app."""
    from assistant.api.app import create_app
    from assistant.bootstrap import offline_env
    from assistant.observability import configure_logging
    from assistant.sdk import Assistant
    from assistant.settings import get_settings
    from assistant.telemetry import configure_tracing

    offline_env()
    settings = get_settings()
    configure_logging(settings.log_level)
    configure_tracing(settings)
    assistant = Assistant(settings, auto_setup=False)
    try:
        return create_app(assistant, settings, close_on_shutdown=True)
    except BaseException:
        assistant.close()
        raise


def prepare() -> None:
    """Build what the workers only open: schema and demo data, index, engine vectors."""
    from assistant.api.auth import TokenAuthority
    from assistant.bootstrap import default_model, ensure_database, offline_env, open_knowledge
    from assistant.settings import get_settings

    offline_env()
    settings = get_settings()
    TokenAuthority(settings)  # a missing TELCO_API_SECRET is reported before anything starts
    ensure_database(settings)
    knowledge = open_knowledge(settings)
    if settings.model_provider == "offline":
        default_model(settings, knowledge)  # writes the engine's precomputed vectors


def serve(host: str, port: int, workers: int, factory: str = DEFAULT_FACTORY) -> None:
    """Prepare the stores, then run ``workers`` uvicorn worker processes on ``host:port``."""
    import uvicorn

    from assistant.settings import get_settings

    if factory == DEFAULT_FACTORY:
        # In a child process, so the parent does not keep the embedding model in memory
        # while the workers load their own.
        child = multiprocessing.get_context("spawn").Process(target=prepare)
        child.start()
        child.join()
        if child.exitcode != 0:
            raise SystemExit(f"preparing the stores failed (exit code {child.exitcode})")
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level.lower(),
        access_log=False,
    )
