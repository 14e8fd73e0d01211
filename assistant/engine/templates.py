"""Reply templates (``data/templates.yaml``) and list formatting for both languages.

Values are copied from tool results as they are written there (amounts like "36.00", ISO
dates), so every number an answer states can be found in that turn's results; amounts are
written by ``assistant.i18n.money``, which the SDK's own prompts use too.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

LANGUAGES = ("en", "es")


@cache
def _table() -> dict[str, dict[str, str]]:
    source = resources.files("assistant.engine").joinpath("data", "templates.yaml")
    return yaml.safe_load(source.read_text("utf-8"))


def say(lang: str, key: str, **values: Any) -> str:
    """The template ``key`` in ``lang`` (English if missing), filled with ``values``."""
    table = _table()
    text = table.get(lang, {}).get(key) or table["en"][key]
    if "{offer}" in text and "offer" not in values:
        values["offer"] = say(lang, "offer_handoff")
    return text.format(**values)


def handoff_offers() -> tuple[str, ...]:
    """The hand-off offer in every language, to recognise it in an earlier answer."""
    return tuple(_table()[lang]["offer_handoff"] for lang in LANGUAGES)


def join(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a, b y c'."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    last = " y " if lang == "es" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def bullets(lines: list[str]) -> str:
    """A short bulleted list, one item per line."""
    return "\n".join(f"- {line}" for line in lines)
