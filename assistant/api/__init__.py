"""The HTTP API (FastAPI): a thin adapter over the SDK for every channel.

``create_app(assistant)`` builds the app; ``python -m assistant serve`` runs it under uvicorn.
"""

from assistant.api.app import create_app

__all__ = ["create_app"]
