"""Fixtures for the offline engine tests: the real MiniLM (once per session) and helpers
that build the message lists the agent would send."""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage, ToolMessage

from assistant.engine import OfflineEngine, load_catalog

TODAY = date(2026, 11, 20)
SYSTEM = SystemMessage("You are Vela's customer assistant.")


@pytest.fixture(scope="session")
def minilm() -> Any:
    """The bundled MiniLM embeddings, loaded once for the whole test session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from knowledge.embeddings import MiniLMEmbeddings

    return MiniLMEmbeddings()


@pytest.fixture(scope="session")
def engine(minilm: Any) -> OfflineEngine:
    """One engine for the session, examples embedded up front."""
    model = OfflineEngine(minilm, load_catalog(), today=TODAY)
    model.warm()
    return model


class Chat:
    """Builds a conversation message by message, the way the agent records it."""

    def __init__(self) -> None:
        self.messages: list[BaseMessage] = [SYSTEM]
        self._n = 0

    def user(self, text: str) -> Chat:
        self.messages.append(HumanMessage(text))
        return self

    def call(self, name: str, args: dict[str, Any] | None = None) -> str:
        self._n += 1
        call_id = f"t{self._n}"
        self.messages.append(AIMessage("", tool_calls=[
            {"name": name, "args": args or {}, "id": call_id, "type": "tool_call"}]))
        return call_id

    def result(self, call_id: str, payload: Any, name: str = "") -> Chat:
        self.messages.append(ToolMessage(json.dumps(payload), tool_call_id=call_id, name=name,
                                         artifact=payload))
        return self

    def step(self, name: str, args: dict[str, Any] | None, payload: Any) -> Chat:
        """A tool call and its result."""
        return self.result(self.call(name, args), payload, name)

    def ai(self, text: str) -> Chat:
        self.messages.append(AIMessage(text))
        return self


def ask(engine: OfflineEngine, chat: Chat | list[BaseMessage]) -> AIMessage:
    """Run the engine on a conversation."""
    messages = chat.messages if isinstance(chat, Chat) else chat
    return engine.invoke(messages)


def first_call(message: AIMessage) -> tuple[str, dict[str, Any]] | None:
    """(name, args) of the message's tool call, or None for a text answer."""
    if not message.tool_calls:
        return None
    call = message.tool_calls[0]
    return call["name"], call["args"]
