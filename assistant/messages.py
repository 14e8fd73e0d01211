"""The fixed texts the product itself says (not the model), one catalog per front end.

``say`` reads the SDK's own texts (``prompts/messages.yaml``): disclosure, consent and
confirmation requests, failures, and the reply verifier's truthful replacement. A front end
keeps its labels in its own package data file and reads them through a ``Catalog`` too (the
Gradio UI: ``ui/texts.yaml``), so every customer-facing text is looked up one way, in the
customer's language, with English as the fallback.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any, Literal

import yaml


class Catalog:
    """Texts by language from one YAML package data file: ``{lang: {key: text | {key: ...}}}``.

    Keys may be dotted to reach a nested table (``"activity_done.get_bill"``).
    """

    def __init__(self, package: str, filename: str) -> None:
        self.package = package
        self.filename = filename

    def _load(self) -> dict[str, dict[str, Any]]:
        return _load_yaml(self.package, self.filename)

    def find(self, key: str, language: str) -> Any:
        """The raw entry for ``key`` in ``language`` (else English), or None if neither has it."""
        for lang in (language, "en"):
            node: Any = self._load().get(lang) or {}
            for part in key.split("."):
                node = node.get(part) if isinstance(node, dict) else None
            if node is not None:
                return node
        return None

    def say(self, key: str, language: str, **values: Any) -> str:
        """The text for ``key`` in ``language`` (English if missing there), filled with ``values``.

        A key missing in English too is a programming error and raises KeyError naming it.
        """
        text = self.find(key, language)
        if text is None:
            raise KeyError(f"no text {key!r} in {self.package}/{self.filename}")
        return str(text).format(**values)


@cache
def _load_yaml(package: str, filename: str) -> dict[str, dict[str, Any]]:
    text = resources.files(package).joinpath(filename).read_text("utf-8")
    return yaml.safe_load(text)


#: The SDK's own texts.
MESSAGES = Catalog("assistant.prompts", "messages.yaml")


def say(key: str, language: str, **values: Any) -> str:
    """A fixed text in ``language`` (falls back to English)."""
    return MESSAGES.say(key, language, **values)


def say_action(tool: str, form: Literal["done", "todo"], language: str) -> str:
    """What a tool does, as "I've changed your plan" (done) or "change your plan" (todo).

    A tool without a phrase (one added after this table) is named generically.
    """
    fallback = {"done": "I've completed that", "todo": "complete that"}[form]
    return str(MESSAGES.find(f"actions_{form}.{tool}", language) or fallback)
