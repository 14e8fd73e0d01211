"""Fixtures for the UI tests: a scripted Assistant, the real one, and launching on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import gradio as gr
import pytest

from tests.ui.fakes import FakeAssistant
from ui.app import launch_options


@pytest.fixture
def fake() -> FakeAssistant:
    """A fresh scripted Assistant (two customers: C-1 ann@test / pw-ann, C-2 bea@test / pw-bea)."""
    return FakeAssistant()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def launched(app: gr.Blocks) -> Iterator[str]:
    """Serve ``app`` on a free loopback port (never shared) and yield its URL."""
    port = free_port()
    app.launch(
        server_name="127.0.0.1",
        server_port=port,
        share=False,
        prevent_thread_lock=True,
        quiet=True,
        **launch_options(),
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        app.close()


@pytest.fixture(scope="session")
def real_assistant(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The real Assistant on a fresh data dir: seeds the DB and builds the index (slow, once)."""
    from assistant import Assistant
    from assistant.bootstrap import offline_env
    from assistant.settings import Settings
    from tests.conftest import copy_built_data

    offline_env()
    built = request.getfixturevalue("built_data_template")
    data = copy_built_data(built, tmp_path_factory.mktemp("ui-real-data"))
    settings = Settings(data_dir=data, _env_file=None)
    with Assistant(settings) as assistant:
        yield assistant


@pytest.fixture(scope="session")
def demo() -> dict[str, dict[str, str]]:
    """The demo personas by id, with their sign-in e-mail and password."""
    from assistant.cli_db import demo_customers

    return {person["id"]: person for person in demo_customers()}
