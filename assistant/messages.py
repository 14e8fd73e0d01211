"""The fixed texts the product itself says (not the model), from ``prompts/messages.yaml``.

The SDK's prompts (disclosure, consent and confirmation requests, failures) and the reply
verifier's truthful replacement are read from here, in the customer's language.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml


@lru_cache(maxsize=1)
def _messages() -> dict[str, dict[str, Any]]:
    text = resources.files("assistant.prompts").joinpath("messages.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _table(language: str) -> dict[str, Any]:
    return _messages().get(language) or _messages()["en"]


def say(key: str, language: str, **values: Any) -> str:
    """A fixed text in ``language`` (falls back to English)."""
    return str(_table(language)[key]).format(**values)


def say_action(tool: str, form: Literal["done", "todo"], language: str) -> str:
    """What a tool does, as "I've changed your plan" (done) or "change your plan" (todo).

    A tool without a phrase (one added after this table) is named generically.
    """
    phrases = _table(language).get(f"actions_{form}") or {}
    fallback = {"done": "I've completed that", "todo": "complete that"}[form]
    return str(phrases.get(tool) or (_messages()["en"].get(f"actions_{form}") or {}).get(tool)
               or fallback)  # fmt: skip
