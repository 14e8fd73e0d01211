"""Drop training rows that hold held-out wording: ``python -m assistant.nlu.sources.isolate``.

Held-out sets are written independently of the training data, so short common phrasings
sometimes occur in both. The held-out set stays as written; the training
row goes. Matching is the isolation test's (``tests/eval/test_heldout_isolation.py``): the
same normalisation, whole-text for messages under three words, contained for longer ones.
Run it after adding training rows; it rewrites only the files it changes.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[3]
SUBSTRING_MIN_WORDS = 3


def normalise(text: str) -> str:
    """Lowercase, strip accents, turn punctuation into spaces, collapse whitespace."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]|_", " ", plain)).strip()


def heldout_texts(repo: Path = REPO) -> set[str]:
    """Every normalised held-out message (single-turn cases and dialogue turns)."""
    found = set()
    for path in sorted((repo / "eval" / "suites" / "understanding").glob("heldout-*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                found.add(normalise(json.loads(line)["text"]))
    for path in sorted((repo / "eval" / "suites" / "dialogues").glob("heldout*.yaml")):
        for scenario in yaml.safe_load(path.read_text("utf-8"))["scenarios"]:
            found.update(normalise(t["user"]) for t in scenario["turns"] if t.get("user"))
    return found


def leaks(text: str, heldout: set[str]) -> bool:
    """True when the training ``text`` holds a held-out message."""
    norm = normalise(text)
    if norm in heldout:
        return True
    padded = f" {norm} "
    return any(len(h.split()) >= SUBSTRING_MIN_WORDS and f" {h} " in padded for h in heldout)


def main() -> int:
    """Rewrite each training file without its leaking rows; print what was dropped."""
    heldout = heldout_texts()
    for path in sorted((REPO / "assistant" / "nlu" / "data" / "train").glob("*.jsonl")):
        lines = path.read_text("utf-8").splitlines()
        kept = [
            line
            for line in lines
            if not line.strip() or not leaks(json.loads(line)["text"], heldout)
        ]
        if len(kept) != len(lines):
            path.write_text("\n".join(kept) + "\n", "utf-8")
            print(f"{path.name}: dropped {len(lines) - len(kept)} rows holding held-out wording")
    return 0


if __name__ == "__main__":
    sys.exit(main())
