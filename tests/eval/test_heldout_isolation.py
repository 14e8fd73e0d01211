"""Held-out means held out: no held-out wording may appear in what the assistant is tuned on.

The held-out texts are every ``text`` of ``eval/suites/understanding/heldout-*.jsonl`` and every
user turn of ``eval/suites/dialogues/heldout*.yaml`` and ``eval/suites/tasks-heldout.yaml``.
They must not appear - after lowercasing, accent folding and punctuation/whitespace
normalisation - in ``assistant/engine/data/*.yaml`` or any file under
``assistant/nlu/data/train/``. Either place may not exist yet; what exists is checked. Messages
of three words or more are looked for anywhere in a file; shorter ones ("hiya", "bill?") only
as a whole string of it, since as substrings they occur everywhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
UNDERSTANDING = ROOT / "eval" / "suites" / "understanding"
DIALOGUES = ROOT / "eval" / "suites" / "dialogues"
TASKS_HELDOUT = ROOT / "eval" / "suites" / "tasks-heldout.yaml"
TUNED_ON = [
    *sorted((ROOT / "assistant" / "engine" / "data").glob("*.yaml")),
    *sorted(p for p in (ROOT / "assistant" / "nlu" / "data" / "train").rglob("*") if p.is_file()),
]
#: Below this many words a held-out text must match a whole string, not a substring.
SUBSTRING_MIN_WORDS = 3


def normalise(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces, collapse whitespace."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", plain)).strip()


def heldout_texts() -> dict[str, str]:
    """Normalised held-out text -> where it comes from."""
    found: dict[str, str] = {}
    for path in sorted(UNDERSTANDING.glob("heldout-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                found[normalise(case["text"])] = f"{path.name}: {case['id']}"
    for path in sorted(DIALOGUES.glob("heldout*.yaml")):
        for scenario in yaml.safe_load(path.read_text("utf-8"))["scenarios"]:
            for turn in scenario["turns"]:
                if turn.get("user"):
                    found[normalise(turn["user"])] = f"{path.name}: {scenario['id']}"
    if TASKS_HELDOUT.exists():
        for case in yaml.safe_load(TASKS_HELDOUT.read_text("utf-8"))["cases"]:
            for turn in case["turns"]:
                if turn.get("user"):
                    found[normalise(turn["user"])] = f"{TASKS_HELDOUT.name}: {case['id']}"
    return found


def _walk(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        # Keys are field names and template ids ("goodbye:"), not wording anyone tuned.
        for item in value.values():
            yield from _walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def strings_of(path: Path) -> list[str]:
    """Every string a file holds: parsed for YAML/JSON/JSONL, else its lines and cells."""
    text = path.read_text("utf-8", errors="replace")
    try:
        if path.suffix in (".yaml", ".yml"):
            return [s for doc in yaml.safe_load_all(text) for s in _walk(doc)]
        if path.suffix == ".json":
            return list(_walk(json.loads(text)))
        if path.suffix == ".jsonl":
            # Training rows: the wording is the "text"; "intent": "goodbye" is a label.
            rows = [json.loads(line) for line in text.splitlines() if line.strip()]
            return [s for row in rows for s in _walk(row.get("text", row))]
    except (yaml.YAMLError, json.JSONDecodeError):
        return _cells(text)  # not what its name says: searched as plain lines instead
    return _cells(text)


def _cells(text: str) -> list[str]:
    """Every line of a text, and every tab- or comma-separated cell of it."""
    return [cell for line in text.splitlines() for cell in [line, *re.split(r"\t|,", line)]]


def leaks(texts: dict[str, str], files: list[Path]) -> list[str]:
    """Held-out texts found in ``files``, described."""
    found = []
    for path in files:
        strings = {normalise(s) for s in strings_of(path)}
        padded = [f" {s} " for s in strings]
        for text, origin in texts.items():
            long_enough = len(text.split()) >= SUBSTRING_MIN_WORDS
            if text in strings or (long_enough and any(f" {text} " in s for s in padded)):
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                found.append(f"{origin} ({text!r}) is in {where}")
    return found


def test_there_is_held_out_material() -> None:
    texts = heldout_texts()
    assert len(texts) > 400, "the held-out splits went missing"


def test_no_heldout_text_in_tuning_data() -> None:
    found = leaks(heldout_texts(), TUNED_ON)
    assert not found, "held-out wording leaked into tuning data:\n" + "\n".join(found[:50])


def test_detector_finds_planted_leaks_and_ignores_short_substrings(tmp_path: Path) -> None:
    texts = {normalise("niaje, nataka kujua BILL yangu"): "a", normalise("hiya"): "b"}
    examples = tmp_path / "examples.yaml"
    examples.write_text(
        yaml.safe_dump({"bill": ["Niaje nataka kujua bill yangu!", "say hiya there"]}), "utf-8"
    )
    train = tmp_path / "train.jsonl"
    train.write_text(json.dumps({"text": "Hiya", "intent": "greeting"}) + "\n", "utf-8")
    assert len(leaks(texts, [examples])) == 1  # the long one; "hiya" only inside a sentence
    assert len(leaks(texts, [train])) == 1  # "hiya" as a whole string


def test_dev_and_heldout_share_no_text() -> None:
    dev = set()
    for path in UNDERSTANDING.glob("dev-*.jsonl"):
        dev |= {normalise(json.loads(x)["text"]) for x in path.read_text("utf-8").splitlines() if x}
    shared = dev & set(heldout_texts())
    assert not shared, sorted(shared)[:20]


@pytest.mark.parametrize("text", ["Qué tarifa tengo?", "que   tarifa, tengo"])
def test_normalise_folds_case_accents_and_punctuation(text: str) -> None:
    assert normalise(text) == "que tarifa tengo"
