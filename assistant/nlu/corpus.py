"""The labelled training rows: ``data/train/*.jsonl``, one ``{"text", "intent", "lang",
"source"}`` object a line. Held-out evaluation text never goes here (a test checks it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from assistant.errors import UsageError
from assistant.nlu.labels import load_intents

LANGUAGES = frozenset({"en", "es", "sw"})


@dataclass(frozen=True)
class Example:
    """One labelled utterance."""

    text: str
    intent: str
    lang: str
    source: str


def training_dir() -> Path:
    """The folder of the shipped training files."""
    return Path(str(resources.files("assistant.nlu").joinpath("data", "train")))


def read_rows(path: Path) -> list[Example]:
    """The rows of one JSONL file; a bad row is a ``UsageError`` naming file and line."""
    names = set(load_intents().names)
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise UsageError(f"{where}: expected an object")
        text, intent, lang = raw.get("text"), raw.get("intent"), raw.get("lang")
        if not isinstance(text, str) or not text.strip():
            raise UsageError(f"{where}: 'text' must be a non-empty string")
        if intent not in names:
            raise UsageError(f"{where}: unknown intent {intent!r} (see intents.yaml)")
        if lang not in LANGUAGES:
            raise UsageError(f"{where}: 'lang' must be one of {sorted(LANGUAGES)}")
        rows.append(Example(text.strip(), str(intent), str(lang), str(raw.get("source", ""))))
    return rows


def load_training(folder: Path | None = None) -> list[Example]:
    """Every training row, files in name order, exact duplicates (text and intent) once."""
    folder = folder or training_dir()
    seen: set[tuple[str, str]] = set()
    rows = []
    for path in sorted(folder.glob("*.jsonl")):
        for row in read_rows(path):
            key = (row.text.casefold(), row.intent)
            if key not in seen:
                seen.add(key)
                rows.append(row)
    return rows
