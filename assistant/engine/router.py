"""Intent routing: decisive rules first, then the nearest labeled examples on the embeddings.

Examples (``data/examples.yaml``) are embedded once per router and kept as one normalised
matrix; a message is embedded once (cached by text) and scored against every example with a
single matrix product. An intent's score is the mean of its best two example similarities.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import yaml
from langchain_core.embeddings import Embeddings

from assistant.engine.text import fold, words
from assistant.engine.vectors import EmbeddingCache

#: Below this similarity the nearest example is too far to trust; the policy falls back.
MIN_SIMILARITY = 0.42


@dataclass(frozen=True)
class Rule:
    """One decisive rule from ``data/rules.yaml``."""

    intent: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int | None = None
    unless: re.Pattern[str] | None = None
    needs_plan: bool | None = None
    needs_period: bool = False

    def matches(self, folded: str, n_words: int, has_plan: bool, has_period: bool) -> bool:
        """True when this rule decides the intent of a (folded) message."""
        if self.max_words is not None and n_words > self.max_words:
            return False
        if self.needs_plan is not None and self.needs_plan != has_plan:
            return False
        if self.needs_period and not has_period:
            return False
        if self.unless is not None and self.unless.search(folded):
            return False
        return any(p.search(folded) for p in self.patterns)


@dataclass(frozen=True)
class Route:
    """The routed intent, how it was decided, and the message's embedding."""

    intent: str
    score: float
    by_rule: bool
    vector: np.ndarray


def _data(name: str) -> Any:
    return yaml.safe_load(
        resources.files("assistant.engine").joinpath("data", name).read_text("utf-8")
    )


def load_rules() -> list[Rule]:
    """The decisive rules, in the order they are tried."""
    return [
        Rule(
            intent=r["intent"],
            patterns=tuple(re.compile(p) for p in r["patterns"]),
            max_words=r.get("max_words"),
            unless=re.compile(r["unless"]) if r.get("unless") else None,
            needs_plan=r.get("needs_plan"),
            needs_period=bool(r.get("needs_period", False)),
        )
        for r in _data("rules.yaml")
    ]


def load_examples() -> dict[str, list[str]]:
    """Labeled example messages per intent."""
    examples = {intent: list(texts) for intent, texts in _data("examples.yaml").items()}
    for intent, texts in examples.items():
        bad = [t for t in texts if not isinstance(t, str)]
        if bad:  # e.g. an unquoted "SYSTEM: ..." line that YAML read as a mapping
            raise TypeError(f"examples.yaml: intent {intent!r} has non-text examples {bad!r}")
    return examples


class IntentRouter:
    """Routes a message to an intent; embeds the examples lazily, once."""

    def __init__(self, embeddings: Embeddings, cache: EmbeddingCache | None = None) -> None:
        self.embeddings = embeddings
        self.cache = cache or EmbeddingCache(embeddings)
        self.rules = load_rules()
        self._examples = load_examples()
        self._groups: dict[str, np.ndarray] = {}
        self._matrix: np.ndarray | None = None
        self._padded: tuple[list[str], np.ndarray, np.ndarray] | None = None
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Embed the labeled examples now (otherwise done on the first message)."""
        self._example_matrix()

    def _example_matrix(self) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                labels = [i for i, texts in self._examples.items() for _ in texts]
                texts = [t for ts in self._examples.values() for t in ts]
                # Through the cache: the examples' vectors are usually pinned there already
                # (``assistant.engine.precomputed``).
                self._matrix = self.cache.documents(texts)
                self._groups = {
                    intent: np.array([i for i, label in enumerate(labels) if label == intent])
                    for intent in self._examples
                }
            return self._matrix

    def embed(self, text: str) -> np.ndarray:
        """The unit embedding of ``text``, cached by text (a turn asks for it several times)."""
        return self.cache.query(text)

    def rule_intent(self, text: str, has_plan: bool, has_period: bool = False) -> str | None:
        """The intent a decisive rule assigns to ``text``, or None."""
        folded = fold(text).strip()
        n_words = len(words(folded))
        for rule in self.rules:
            if rule.matches(folded, n_words, has_plan, has_period):
                return rule.intent
        return None

    def nearest(self, vector: np.ndarray) -> tuple[str, float]:
        """The intent of the nearest examples and its score (mean of the best two)."""
        sims = self._example_matrix() @ vector
        intents, rows, sizes = self._table
        # One padded (intent x example) matrix instead of a loop over intents: this runs on
        # every routed message.
        grid = np.where(rows >= 0, sims[np.maximum(rows, 0)], -np.inf)
        best = -np.sort(-grid, axis=1)[:, :2]
        pair = sizes > 1
        scores = np.where(pair, (best[:, 0] + np.where(pair, best[:, 1], 0.0)) / 2, best[:, 0])
        top = int(np.argmax(scores))  # the first of equal scores, intents in sorted order
        return intents[top], float(scores[top])

    @property
    def _table(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Intents in sorted order, their example rows padded with -1, and group sizes."""
        if self._padded is None:
            self._example_matrix()
            intents = sorted(self._groups)
            width = max(len(self._groups[i]) for i in intents)
            rows = np.full((len(intents), width), -1, dtype=np.int64)
            for n, intent in enumerate(intents):
                rows[n, : len(self._groups[intent])] = self._groups[intent]
            sizes = np.array([len(self._groups[i]) for i in intents])
            self._padded = (intents, rows, sizes)
        return self._padded

    def route(self, text: str, has_plan: bool = False, has_period: bool = False) -> Route:
        """Route ``text``: a decisive rule if one matches, else the nearest examples."""
        vector = self.embed(text)
        ruled = self.rule_intent(text, has_plan, has_period)
        if ruled is not None:
            return Route(ruled, 1.0, True, vector)
        intent, score = self.nearest(vector)
        return Route(intent, score, False, vector)
