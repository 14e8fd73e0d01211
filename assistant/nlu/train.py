"""Train the intent model: ``python -m assistant.nlu.train [--dev DIR] [--out PATH]``.

Reads every training row (``data/train/*.jsonl``), adds a misspelt copy of each, embeds them
with MiniLM, fits a
multinomial logistic regression (scikit-learn, deterministic solver), fits the softmax
temperature on the dev split (``eval/suites/understanding/dev-*.jsonl``; never the held-out
split) and writes ``data/model.npz``. Prints dev accuracy per intent. ~1 minute on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from assistant.nlu.classifier import IntentClassifier, fingerprint, model_path
from assistant.nlu.corpus import Example, load_training, read_rows
from assistant.nlu.features import Featurizer, words

#: Vector, character and word feature weights; and the regularisation strength.
WEIGHTS = (1.0, 1.0, 0.5)
C = 8.0
REPO = Path(__file__).resolve().parents[2]


def load_dev(folder: Path) -> list[Example]:
    """Dev cases (``dev-*.jsonl``) as labelled rows; held-out files are never read."""
    rows: list[Example] = []
    for path in sorted(folder.glob("dev-*.jsonl")):
        rows.extend(read_rows(path))
    return rows


def encode(texts: list[str]) -> np.ndarray:
    """Unit MiniLM vectors of ``texts``."""
    from knowledge.embeddings import MiniLMEmbeddings

    return MiniLMEmbeddings(threads=None).encode(texts)


def vocabulary(rows: list[Example]) -> frozenset[str]:
    """Every word of the training rows and of the documents' corpus."""
    seen: set[str] = set()
    for row in rows:
        seen.update(words(row.text))
    for path in sorted((REPO / "knowledge" / "corpus").glob("*.md")):
        seen.update(words(path.read_text("utf-8")))
    return frozenset(seen)


_VOWELS = "aeiou"


def misspell(text: str, rng: random.Random) -> str:
    """``text`` with a few typos of the kinds customers make: a letter dropped, two swapped,
    a vowel left out, a letter doubled (words of four letters or more, about one in three)."""
    out = []
    for word in text.split(" "):
        if len(word) >= 4 and word.isalpha() and rng.random() < 0.35:
            i = rng.randrange(1, len(word) - 1)
            kind = rng.randrange(4)
            if kind == 0:
                word = word[:i] + word[i + 1 :]
            elif kind == 1:
                word = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
            elif kind == 2:
                vowels = [j for j, c in enumerate(word) if c.lower() in _VOWELS and j > 0]
                if vowels:
                    j = rng.choice(vowels)
                    word = word[:j] + word[j + 1 :]
            else:
                word = word[:i] + word[i] + word[i:]
        out.append(word)
    return " ".join(out)


def augment(rows: list[Example]) -> list[Example]:
    """One misspelt copy of every row whose copy differs: typos must not change the intent.

    Deterministic: each row's typos come from a generator seeded by its own text.
    """
    extra = []
    for row in rows:
        rng = random.Random(hashlib.sha256(row.text.encode()).hexdigest())
        noisy = misspell(row.text, rng)
        if noisy != row.text:
            extra.append(Example(noisy, row.intent, row.lang, f"{row.source}+typos"))
    return extra


def fit(rows: list[Example], vectors: np.ndarray) -> IntentClassifier:
    """A classifier fitted on ``rows`` and their misspelt copies (temperature 1).

    ``vectors`` holds the rows' vectors, then those of ``augment(rows)``, in that order.
    """
    featurizer = Featurizer(WEIGHTS[1], WEIGHTS[2], vector_weight=WEIGHTS[0])
    everything = rows + augment(rows)
    if vectors.shape[0] != len(everything):
        raise ValueError(f"{len(everything)} rows with typo copies but {vectors.shape[0]} vectors")
    x = featurizer.transform([r.text for r in everything], vectors)
    y = [r.intent for r in everything]
    model = LogisticRegression(C=C, max_iter=3000, class_weight="balanced")
    model.fit(x, y)
    return IntentClassifier(
        [str(c) for c in model.classes_],
        model.coef_,
        model.intercept_,
        1.0,
        WEIGHTS,
        fingerprint(rows, WEIGHTS),
        vocabulary(rows),
    )


def fit_temperature(model: IntentClassifier, rows: list[Example], vectors: np.ndarray) -> float:
    """The temperature that minimises the dev split's negative log-likelihood (grid search)."""
    index = {c: i for i, c in enumerate(model.classes)}
    known = [i for i, r in enumerate(rows) if r.intent in index]
    if not known:
        return 1.0
    texts = [rows[i].text for i in known]
    target = np.array([index[rows[i].intent] for i in known])
    best, best_nll = 1.0, float("inf")
    for t in np.arange(0.5, 4.01, 0.1):
        model.temperature = float(t)
        p = model.probabilities(texts, vectors[known])[np.arange(len(known)), target]
        nll = float(-np.log(np.clip(p, 1e-9, 1)).mean())
        if nll < best_nll:
            best, best_nll = float(t), nll
    model.temperature = best
    return best


def report(model: IntentClassifier, rows: list[Example], vectors: np.ndarray) -> dict[str, float]:
    """Dev accuracy overall and per intent, printed and returned."""
    probs = model.probabilities([r.text for r in rows], vectors)
    guess = [model.classes[i] for i in probs.argmax(axis=1)]
    total = Counter(r.intent for r in rows)
    right: Counter[str] = Counter()
    for r, g in zip(rows, guess, strict=True):
        right[r.intent] += r.intent == g
    accuracy = sum(right.values()) / max(1, len(rows))
    print(f"dev accuracy {accuracy:.3f} over {len(rows)} cases")
    for intent in sorted(total):
        print(f"  {intent:18s} {right[intent]:4d}/{total[intent]:<4d}")
    return {"dev_accuracy": round(accuracy, 4), "dev_cases": len(rows)}


def main(argv: list[str] | None = None) -> int:
    """Train and write the model."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=REPO / "eval" / "suites" / "understanding")
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args(argv)
    rows = load_training()
    dev = load_dev(args.dev) if args.dev.is_dir() else []
    print(f"training on {len(rows)} rows: {dict(sorted(Counter(r.lang for r in rows).items()))}")
    train_texts = [r.text for r in rows + augment(rows)]
    vectors = encode(train_texts + [r.text for r in dev])
    model = fit(rows, vectors[: len(train_texts)])
    extra: dict[str, object] = {"rows": len(rows), "typo_copies": len(train_texts) - len(rows)}
    if dev:
        dev_vectors = vectors[len(train_texts) :]
        print(f"temperature {fit_temperature(model, dev, dev_vectors):.2f}")
        extra.update(report(model, dev, dev_vectors))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out, extra)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB): {json.dumps(extra)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
