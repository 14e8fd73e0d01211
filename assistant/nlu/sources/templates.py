"""The slot-template rows of the written NLU training corpus.

`assistant/nlu/data/templates.yaml` holds templates ("switch me to {plan_gb}") and slot fillers;
`generate()` expands them into rows, at most `per_template` per template, chosen by a seeded
shuffle so the output is the same on every machine. The rows are committed at the end of
`assistant/nlu/data/train/written.jsonl` with `"source": "template"`, after the hand-written
rows (`"source": "written"`), which this module never changes.

    python -m assistant.nlu.sources.templates           # rewrite the template rows
    python -m assistant.nlu.sources.templates --check   # exit 1 if the committed rows differ
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import sys
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import UsageError
from assistant.nlu.sources.isolate import heldout_texts, leaks

_SLOT = re.compile(r"\{(\w+)\}")
LANGUAGES = ("en", "es", "sw")


@dataclass(frozen=True)
class Row:
    """One training row, in the field order of the JSONL files.

    Attributes:
        text: the customer's message.
        intent: one of assistant/nlu/data/intents.yaml's intents.
        lang: "en", "es" or "sw" (Kenyan Swahili / Sheng-English mixes).
        source: "written" (hand-written) or "template" (generated here).
    """

    text: str
    intent: str
    lang: str
    source: str

    def to_json(self) -> str:
        """The row as one JSONL line (no newline), UTF-8 text kept as is."""
        return json.dumps(asdict(self), ensure_ascii=False)


def data_dir() -> Path:
    """The NLU package data folder (assistant/nlu/data)."""
    return Path(str(resources.files("assistant") / "nlu" / "data"))


def templates_path() -> Path:
    """The template and slot-filler file."""
    return data_dir() / "templates.yaml"


def written_path() -> Path:
    """The written training corpus: hand-written rows, then the template rows."""
    return data_dir() / "train" / "written.jsonl"


def load_spec(path: Path | None = None) -> dict[str, Any]:
    """The parsed templates.yaml; a missing slot or unknown language is a `UsageError`."""
    path = path or templates_path()
    spec = yaml.safe_load(path.read_text("utf-8"))
    slots = spec.get("slots", {})
    for intent, by_lang in spec.get("templates", {}).items():
        for lang, texts in by_lang.items():
            if lang not in LANGUAGES:
                raise UsageError(f"{path.name}: {intent}: unknown language {lang!r}")
            for text in texts:
                missing = set(_SLOT.findall(text)) - set(slots)
                if missing:
                    raise UsageError(f"{path.name}: {text!r}: no slot {sorted(missing)}")
    return spec


def _fill(template: str, values: dict[str, str]) -> str:
    return _SLOT.sub(lambda m: values[m.group(1)], template)


def expand(template: str, slots: dict[str, list[str]], limit: int, seed: str) -> list[str]:
    """Up to `limit` distinct fillings of `template`, picked by a shuffle seeded with `seed`.

    A slot that appears twice takes the same value both times. All combinations are listed in
    a fixed order before the shuffle, so the pick depends only on the template, the fillers
    and the seed.
    """
    names = list(dict.fromkeys(_SLOT.findall(template)))
    combos = list(itertools.product(*(slots[name] for name in names)))
    random.Random(seed).shuffle(combos)
    texts: list[str] = []
    for combo in combos:
        text = _fill(template, dict(zip(names, combo, strict=True)))
        if text not in texts:
            texts.append(text)
        if len(texts) == limit:
            break
    return texts


def generate(spec: dict[str, Any] | None = None) -> list[Row]:
    """Every template row, in templates.yaml order (intent, language, template, pick)."""
    spec = spec or load_spec()
    slots = {name: [str(v) for v in values] for name, values in spec["slots"].items()}
    limit = int(spec["per_template"])
    rows: list[Row] = []
    seen: set[str] = set()
    for intent, by_lang in spec["templates"].items():
        for lang, templates in by_lang.items():
            for template in templates:
                seed = f"{spec['seed']}|{intent}|{lang}|{template}"
                for text in expand(template, slots, limit, seed):
                    if text.casefold() not in seen:  # two templates may meet on one text
                        seen.add(text.casefold())
                        rows.append(Row(text, intent, lang, "template"))
    return rows


def written_lines(path: Path | None = None) -> list[str]:
    """The hand-written lines of the corpus file, unchanged, in file order."""
    path = path or written_path()
    lines = path.read_text("utf-8").splitlines() if path.exists() else []
    return [line for line in lines if json.loads(line).get("source") == "written"]


def render(path: Path | None = None, spec: dict[str, Any] | None = None) -> str:
    """The whole corpus file: its hand-written lines, then freshly generated template rows.

    Generated rows holding held-out wording are left out (``isolate.py``). A generated text
    that a hand-written row already has with the same intent is left out, so
    the file never holds a text twice; with another intent it is a `UsageError` (a label clash
    to resolve in the templates or the written rows, not to paper over).
    """
    kept = written_lines(path)
    heldout = heldout_texts()
    taken: dict[str, str] = {}
    for line in kept:
        raw = json.loads(line)
        taken[raw["text"].casefold()] = raw["intent"]
    generated = []
    for row in generate(spec):
        intent = taken.get(row.text.casefold())
        if leaks(row.text, heldout):
            continue  # held-out wording never becomes training data (isolate.py)
        if intent is None:
            generated.append(row.to_json())
        elif intent != row.intent:
            raise UsageError(f"template row {row.text!r} ({row.intent}) is written as {intent}")
    return "".join(line + "\n" for line in kept + generated)


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with --check, verify) the template rows of written.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    args = parser.parse_args(argv)
    path = written_path()
    text = render(path)
    if args.check:
        same = path.read_text("utf-8") == text
        print("template rows are up to date" if same else f"{path} is out of date")
        return 0 if same else 1
    path.write_text(text, "utf-8")
    print(f"wrote {path} ({text.count(chr(10))} rows)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
