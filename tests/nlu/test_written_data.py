"""The written NLU training corpus (assistant/nlu/data/train/written.jsonl) and its templates.

Checks the row schema, the label set, the per-intent and per-language minimums, that no text
appears twice (nor, with case, accents and punctuation ignored, under two intents), that the
template generator reproduces the committed template rows byte for byte, and that the plan and
add-on names the templates use are the catalog's.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from importlib import resources

import pytest
import yaml

from assistant.nlu.sources import templates
from assistant.records.catalog import read_catalog

LANGS = {"en", "es", "sw"}
SOURCES = {"written", "template"}
MIN_EN, MIN_ES, MIN_TOTAL = 40, 25, 60
MIN_OUT_OF_SCOPE = 300
# Intents Kenyan customers use in Swahili / Sheng-English mixes; each needs some sw rows.
KENYAN = (
    "greeting",
    "thanks",
    "goodbye",
    "confirm",
    "decline",
    "handoff",
    "complaint",
    "out_of_scope",
    "knowledge",
    "account_overview",
    "bill",
    "usage",
    "payments",
    "pay_bill",
    "list_plans",
    "quote_plan",
    "change_plan",
    "addons",
    "buy_addon",
)
MIN_SW = 10


def _intents() -> set[str]:
    text = (resources.files("assistant") / "nlu" / "data" / "intents.yaml").read_text("utf-8")
    return set(yaml.safe_load(text)["intents"])


def _lines() -> list[str]:
    return templates.written_path().read_text("utf-8").splitlines()


def _rows() -> list[dict[str, str]]:
    return [json.loads(line) for line in _lines()]


def _folded(text: str) -> str:
    """Case, accents, punctuation and spacing ignored: "¿Qué tarifa?" ~ "que tarifa"."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def test_every_line_is_a_valid_row():
    intents = _intents()
    for number, line in enumerate(_lines(), start=1):
        row = json.loads(line)
        where = f"written.jsonl:{number}"
        assert list(row) == ["text", "intent", "lang", "source"], where
        assert isinstance(row["text"], str) and row["text"] == row["text"].strip(), where
        assert row["text"], where
        assert row["intent"] in intents, f"{where}: unknown intent {row['intent']!r}"
        assert row["lang"] in LANGS, where
        assert row["source"] in SOURCES, where


def test_every_intent_has_enough_rows_in_english_and_spanish():
    counts = Counter((row["intent"], row["lang"]) for row in _rows())
    short = {
        intent: (counts[(intent, "en")], counts[(intent, "es")])
        for intent in sorted(_intents())
        if counts[(intent, "en")] < MIN_EN
        or counts[(intent, "es")] < MIN_ES
        or sum(counts[(intent, lang)] for lang in LANGS) < MIN_TOTAL
    }
    assert not short, f"intents below {MIN_EN} en / {MIN_ES} es / {MIN_TOTAL} rows: {short}"


def test_kenyan_intents_have_swahili_rows_and_out_of_scope_is_broad():
    rows = _rows()
    sw = Counter(row["intent"] for row in rows if row["lang"] == "sw")
    assert {i: sw[i] for i in KENYAN if sw[i] < MIN_SW} == {}
    oos = Counter(row["lang"] for row in rows if row["intent"] == "out_of_scope")
    assert sum(oos.values()) >= MIN_OUT_OF_SCOPE
    assert all(oos[lang] >= 50 for lang in LANGS), oos


def test_no_text_appears_twice():
    texts = Counter(row["text"] for row in _rows())
    assert [t for t, n in texts.items() if n > 1] == []


def test_no_text_is_labelled_with_two_intents():
    labels: dict[str, set[str]] = {}
    for row in _rows():
        labels.setdefault(_folded(row["text"]), set()).add(row["intent"])
    assert {t: sorted(i) for t, i in labels.items() if len(i) > 1} == {}


def test_written_rows_come_first_then_the_template_rows():
    sources = [row["source"] for row in _rows()]
    first_template = sources.index("template") if "template" in sources else len(sources)
    assert set(sources[first_template:]) <= {"template"}
    assert sources.count("written") >= 2000, "the bulk of the corpus is hand-written"


def test_generator_reproduces_the_committed_file_byte_for_byte():
    path = templates.written_path()
    assert templates.render(path) == path.read_text("utf-8"), (
        "template rows are stale: run python -m assistant.nlu.sources.templates"
    )


def test_generator_is_deterministic_and_capped():
    spec = templates.load_spec()
    first, second = templates.generate(spec), templates.generate(spec)
    assert first == second
    n_templates = sum(len(t) for by_lang in spec["templates"].values() for t in by_lang.values())
    assert len(first) <= n_templates * spec["per_template"]


def test_template_intents_exist():
    assert set(templates.load_spec()["templates"]) <= _intents()


@pytest.mark.parametrize(
    ("slot", "kind", "country"),
    [
        ("plan_gb", "plans", "GB"),
        ("plan_gb_business", "plans", "GB"),
        ("plan_es", "plans", "ES"),
        ("plan_ke", "plans", "KE"),
        ("addon_gb", "addons", "GB"),
        ("addon_es", "addons", "ES"),
        ("addon_ke", "addons", "KE"),
    ],
)
def test_catalog_slots_hold_catalog_names(slot, kind, country):
    names = {item["name"] for item in read_catalog()[kind] if item["country"] == country}
    fillers = set(templates.load_spec()["slots"][slot])
    assert fillers - names == set(), f"{slot} names not in the {country} catalog"
