"""The public-data NLU files: schema, labels from intents.yaml, held-out kept out of training."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.nlu.sources.build import DEV_FILE, HELDOUT_FILE, TRAIN_FILE
from assistant.nlu.sources.mapping import load_mapping
from assistant.nlu.sources.rows import normalise

ROOT = Path(__file__).resolve().parents[2]
LICENSES = ROOT / "assistant/nlu/data/licenses"
TRAIN_KEYS = {"text", "intent", "lang", "source"}
EVAL_KEYS = {"id", "text", "lang", "intent", "as", "docs", "answerable", "source", "tags"}
LANGS = {"en", "es", "sw"}


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in (ROOT / path).read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def intents() -> set[str]:
    data = yaml.safe_load((ROOT / "assistant/nlu/data/intents.yaml").read_text("utf-8"))
    return set(data["intents"])


@pytest.fixture(scope="module")
def doc_ids() -> set[str]:
    return {path.stem for path in (ROOT / "knowledge/corpus").glob("*.md")}


@pytest.fixture(scope="module")
def files() -> dict[str, list[dict[str, Any]]]:
    return {"train": _rows(TRAIN_FILE), "heldout": _rows(HELDOUT_FILE), "dev": _rows(DEV_FILE)}


def test_normalise_ignores_case_punctuation_and_spacing() -> None:
    assert normalise("  Yes, please!  ") == normalise("yes   please") == "yes please"
    assert normalise("That’s all.") == normalise("that s all")


def test_training_rows_have_the_schema(
    files: dict[str, list[dict[str, Any]]], intents: set[str]
) -> None:
    for row in files["train"]:
        assert set(row) == TRAIN_KEYS, row
        assert row["intent"] in intents, row
        assert row["lang"] in LANGS, row
        assert row["text"].strip(), row


@pytest.mark.parametrize("split", ["heldout", "dev"])
def test_eval_cases_have_the_schema(
    files: dict[str, list[dict[str, Any]]], intents: set[str], doc_ids: set[str], split: str
) -> None:
    prefix = {"heldout": "ho-", "dev": "dev-"}[split]
    for case in files[split]:
        assert set(case) == EVAL_KEYS, case
        assert case["id"].startswith(prefix), case
        assert case["intent"] in intents, case
        assert case["lang"] in LANGS and case["as"] in {"customer", "guest", "both"}, case
        assert isinstance(case["answerable"], bool) and isinstance(case["tags"], list), case
        assert set(case["docs"]) <= doc_ids, case
        if case["intent"] != "knowledge":
            assert case["docs"] == [], case
        elif case["answerable"]:
            assert case["docs"], case


def test_ids_are_unique(files: dict[str, list[dict[str, Any]]]) -> None:
    ids = Counter(case["id"] for split in ("heldout", "dev") for case in files[split])
    assert [i for i, n in ids.items() if n > 1] == []


def test_no_text_is_in_two_places(files: dict[str, list[dict[str, Any]]]) -> None:
    seen: dict[str, str] = {}
    for split, rows in files.items():
        for row in rows:
            key = normalise(row["text"])
            assert key not in seen, f"{row['text']!r} is in {split} and in {seen.get(key)}"
            seen[key] = split


@pytest.mark.parametrize("split", ["heldout", "dev"])
def test_out_of_scope_is_at_most_a_quarter(
    files: dict[str, list[dict[str, Any]]], split: str
) -> None:
    share = load_mapping()["caps"]["heldout_out_of_scope_share"]
    oos = sum(case["intent"] == "out_of_scope" for case in files[split])
    assert oos <= share * len(files[split])


def test_every_named_source_has_its_licence_file(files: dict[str, list[dict[str, Any]]]) -> None:
    sources = load_mapping()["sources"]
    named: set[tuple[str, str | None]] = set()
    for rows in files.values():
        for row in rows:
            match = re.fullmatch(r"([\w-]+)/[^()]+?(?: \((.+)\))?", row["source"])
            assert match, row
            named.add((match.group(1), match.group(2)))
    for name, licence in named:
        assert name in sources, name
        assert (LICENSES / sources[name]["licence_file"]).is_file(), name
        assert licence in (None, sources[name]["licence"]), (name, licence)
    assert (ROOT / "assistant/nlu/data/SOURCES.md").is_file()
