"""The intent label set, read from ``data/intents.yaml`` (one source for NLU, data and eval)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from assistant.errors import UsageError


@dataclass(frozen=True)
class Intent:
    """One intent: its name, group and what the assistant does with it."""

    name: str
    group: str
    does: str
    means: str


@dataclass(frozen=True)
class Intents:
    """Every intent, in file order."""

    items: tuple[Intent, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The intent names, in file order."""
        return tuple(i.name for i in self.items)

    def group(self, name: str) -> str:
        """The group of intent ``name`` (``social``, ``account``, ``documents``...)."""
        for intent in self.items:
            if intent.name == name:
                return intent.group
        raise KeyError(name)


@lru_cache(maxsize=1)
def load_intents() -> Intents:
    """The label set; a malformed file is a ``UsageError`` naming the entry."""
    where = "assistant/nlu/data/intents.yaml"
    raw = yaml.safe_load(
        resources.files("assistant.nlu").joinpath("data", "intents.yaml").read_text("utf-8")
    )
    entries = raw.get("intents") if isinstance(raw, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise UsageError(f"{where}: expected a mapping 'intents: {{name: {{...}}}}'")
    items = []
    for name, spec in entries.items():
        if not isinstance(spec, dict) or not {"group", "does", "means"} <= spec.keys():
            raise UsageError(f"{where}: intent {name!r} needs group, does and means")
        items.append(Intent(str(name), str(spec["group"]), str(spec["does"]), str(spec["means"])))
    return Intents(tuple(items))
