"""Fixtures for the HTTP API: a seeded SQLite copy, an Assistant with a scripted model, a client."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from fastapi.testclient import TestClient

from assistant.settings import Settings

# seeded_db is the agent tests' session fixture (one seeded SQLite file), shared here.
from tests.agent.conftest import FakeKnowledge, seeded_db  # noqa: F401
from tests.scripted import ScriptedModel

SECRET = "test-secret-" + "x" * 32
EMAIL, PASSWORD, CUSTOMER = "oliver@demo.vela", "vela-demo-1002", "C-1002"


@pytest.fixture()
def api_settings(tmp_path: Path, seeded_db: Path) -> Settings:  # noqa: F811
    """Demo-mode API settings on a fresh copy of the seeded database."""
    (tmp_path / "telco.db").write_bytes(seeded_db.read_bytes())
    return Settings(data_dir=tmp_path, model_max_retries=0, api_secret=SECRET, _env_file=None)  # type: ignore[call-arg]


@pytest.fixture()
def make_client(api_settings: Settings) -> Iterator[Callable[..., tuple[TestClient, Any]]]:
    """``make_client(steps)`` -> (TestClient over a new app, the scripted model)."""
    from assistant.api import create_app
    from assistant.sdk import Assistant

    built: list[tuple[TestClient, Any]] = []

    def factory(steps: list[Any], settings: Settings | None = None):
        model = ScriptedModel(steps=steps)
        bot = Assistant(
            settings or api_settings, model=model, knowledge=FakeKnowledge(), auto_setup=False
        )
        client = TestClient(create_app(bot, settings or api_settings))
        built.append((client, bot))
        return client, model

    yield factory
    for client, bot in built:
        client.close()
        bot.close()


def demo_token(subject: str = CUSTOMER, *, secret: str = SECRET, ttl: int = 600) -> str:
    """A token as the demo authority signs it (or forged, with another secret)."""
    now = int(time.time())
    claims = {"sub": subject, "iss": "vela-demo", "aud": "vela-api", "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm="HS256")


def bearer(token: str) -> dict[str, str]:
    """The Authorization header for ``token``."""
    return {"Authorization": f"Bearer {token}"}
