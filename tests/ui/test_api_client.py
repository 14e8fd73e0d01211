"""The named ``chat`` endpoint, driven with gradio_client against a launched app (loopback)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from gradio_client import Client

from tests.ui.conftest import launched
from tests.ui.fakes import GREETING, FakeAssistant
from ui.app import create_app


def text_of(message: dict) -> str:
    """A chat message's text as the Chatbot serialises it ([{"type": "text", "text": ...}])."""
    return "".join(part.get("text", "") for part in message["content"])


@pytest.fixture
def url(fake: FakeAssistant) -> Iterator[str]:
    with launched(create_app(fake)) as address:
        yield address


def test_chat_endpoint_answers_a_guest_with_sources(url: str, fake: FakeAssistant) -> None:
    client = Client(url, verbose=False)
    messages = client.predict("Is roaming included?", api_name="/chat")
    assert text_of(messages[0]) == GREETING
    assert text_of(messages[-1]).startswith("Unlimited Max includes EU roaming [1].")
    assert fake.sessions[0].customer_id is None


def test_api_client_signs_in_and_confirms_in_its_own_session(url: str, fake: FakeAssistant) -> None:
    client = Client(url, verbose=False)
    client.predict("ann@test", "pw-ann", api_name="/sign_in")
    client.predict("my bill", api_name="/chat")
    assert fake.sessions[0].pending is not None
    client.predict(api_name="/confirm")
    messages = client.predict("switch me", api_name="/chat")
    assert text_of(messages[-1]) == "Please confirm the change."
    client.predict(api_name="/confirm")
    assert "PC-1001" in fake.sessions[0].last_reply.text
    # A second client is a different browser session: a guest, with none of Ann's data.
    other = Client(url, verbose=False).predict("my bill", api_name="/chat")
    assert text_of(other[-1]) == "Please sign in for account help."
    assert fake.sessions[1].customer_id is None
