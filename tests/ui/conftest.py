"""Fixtures for the UI tests: a scripted Assistant and free loopback ports."""

from __future__ import annotations

import socket

import pytest

from tests.ui.fakes import FakeAssistant


@pytest.fixture
def fake() -> FakeAssistant:
    """A fresh scripted Assistant (two customers: C-1 ann@test / pw-ann, C-2 bea@test / pw-bea)."""
    return FakeAssistant()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
