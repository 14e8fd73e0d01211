"""Vela Telecom customer assistant.

Public entry point: ``from assistant import Assistant`` (the SDK). Importing this package does
no work: the agent, models and stores are built when ``Assistant()`` is created.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from assistant.sdk import Assistant

__all__ = ["Assistant"]


def __getattr__(name: str) -> Any:
    if name == "Assistant":
        from assistant.sdk import Assistant

        return Assistant
    raise AttributeError(name)
