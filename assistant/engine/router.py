"""Intent routing: the safety rules first, then the trained intent classifier.

Only rules that guard the customer or the operator are decisive (``data/rules.yaml``:
prompt injection, reading out secrets, another customer's account, bulk changes, consent
withdrawal, discount demands): security lives in code, not in a statistical guess.
Everything else is the classifier's (``assistant.nlu``): multinomial logistic regression over
the message's MiniLM vector and character/word n-grams, trained on thousands of labelled
utterances, with a calibrated confidence.
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
from assistant.nlu import IntentClassifier, Prediction

#: Sentence ends (and ";"), where a message with several requests is split.
_SENTENCES = re.compile(r"(?<=[.!?;])\s+|\s*\n+\s*")
#: "what's my bill and how much data do I have left": a conjunction before a new request.
_AND_THEN = re.compile(
    r",?\s+(?:and also|and|also|plus|y también|y además|y|e|na pia|na)\s+(?=(?:what|what's|how|"
    r"when|why|can|could|is|are|do|does|did|show|tell|give|check|i|my|que|qué|cuanto|cuánto|"
    r"cual|cuál|como|cómo|cuando|cuándo|puedo|mi|mis|quiero|dime|hay)\b)",
    re.IGNORECASE,
)
#: A part of a message counts as a request of its own only when the classifier is this sure.
PART_CONFIDENCE = 0.6
#: Intents that carry no request of their own: "Hi! I give you permission. What's my bill?"
#: is a bill request. A safety intent guessed (not ruled) is no request either.
_NO_REQUEST = frozenset({"greeting", "thanks", "goodbye", "identity", "withdraw_consent",
                         "clarify", "injection", "sensitive", "other_customer", "bulk_change",
                         "discount", "confirm", "decline"})

#: Below this calibrated confidence the classifier's guess is not acted on; the policy falls
#: back to the documents (a question) or a clarifying reply. Chosen on the dev split.
MIN_CONFIDENCE = 0.30


@dataclass(frozen=True)
class Rule:
    """One decisive rule from ``data/rules.yaml``."""

    intent: str
    patterns: tuple[re.Pattern[str], ...]
    max_words: int | None = None
    unless: re.Pattern[str] | None = None

    def matches(self, folded: str, n_words: int) -> bool:
        """True when this rule decides the intent of a (folded) message."""
        if self.max_words is not None and n_words > self.max_words:
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
    second: str = ""
    """The classifier's runner-up (empty for a rule)."""
    segment: str = ""
    """The part of a several-sentence message the intent was read from (empty: all of it)."""


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
        )
        for r in _data("rules.yaml")
    ]


def _is_minilm(embeddings: Embeddings) -> bool:
    inner = embeddings.embeddings if isinstance(embeddings, EmbeddingCache) else embeddings
    return getattr(inner, "provider", None) == "minilm"


class IntentRouter:
    """Routes a message to an intent."""

    def __init__(self, embeddings: Embeddings, cache: EmbeddingCache | None = None,
                 classifier: IntentClassifier | None = None) -> None:
        self.embeddings = embeddings
        self.cache = cache or EmbeddingCache(embeddings)
        self.rules = load_rules()
        self._classifier = classifier
        self._lock = threading.Lock()
        if not _is_minilm(self.cache):
            # The classifier was trained on MiniLM vectors; a knowledge base on another model
            # (a hosted embedding) does not change what the router needs. MiniLM is bundled.
            from knowledge.embeddings import MiniLMEmbeddings

            self.cache = EmbeddingCache(MiniLMEmbeddings())

    @property
    def classifier(self) -> IntentClassifier:
        """The intent model, loaded on first use."""
        with self._lock:
            if self._classifier is None:
                self._classifier = IntentClassifier.load()
            return self._classifier

    def warm(self) -> None:
        """Load the intent model now (otherwise done on the first message)."""
        _ = self.classifier

    def embed(self, text: str) -> np.ndarray:
        """The unit embedding of ``text``, cached by text (a turn asks for it several times)."""
        return self.cache.query(text)

    def rule_intent(self, text: str) -> str | None:
        """The intent a decisive rule assigns to ``text``, or None."""
        folded = fold(text).strip()
        n_words = len(words(folded))
        for rule in self.rules:
            if rule.matches(folded, n_words):
                return rule.intent
        return None

    def classify(self, text: str, vector: np.ndarray) -> Prediction:
        """The classifier's prediction for ``text``."""
        return self.classifier.predict(text, vector)

    def route(self, text: str) -> Route:
        """Route ``text``: a decisive rule if one matches, else the classifier."""
        vector = self.embed(text)
        ruled = self.rule_intent(text)
        if ruled is not None:
            return Route(ruled, 1.0, True, vector)
        known, _ = self.classifier.known_words(text)
        if known == 0:
            # Gibberish, a row of emoji, a number alone: nothing the model has ever seen.
            return Route("clarify", 0.0, False, vector)
        p = self.classify(text, vector)
        whole = Route(p.intent, p.confidence, False, vector, p.second)
        if p.intent not in _NO_REQUEST:
            return whole
        return self._request_in_parts(text) or whole

    def requests(self, text: str) -> list[Route]:
        """The separate requests of a message ("my bill? and how much data have I left?"):
        one route per sentence or conjoined clause the classifier is sure of, in order.
        Fewer than two parts, or a safety rule in any part: an empty list."""
        routes = self._parts(text, conjunctions=True)
        if any(r.by_rule for r in routes):
            return []  # a safety rule in any part: the whole message is judged by it
        return [r for r in routes
                if r.intent not in _NO_REQUEST and r.score >= PART_CONFIDENCE]

    def _request_in_parts(self, text: str) -> Route | None:
        """The request in one sentence of a message whose whole reads as no request."""
        found = [r for r in self._parts(text, conjunctions=False)
                 if not r.by_rule and r.intent not in _NO_REQUEST]
        return max(found, key=lambda r: r.score, default=None)

    def _parts(self, text: str, *, conjunctions: bool) -> list[Route]:
        """One route per sentence (and, with ``conjunctions``, per conjoined clause) of two
        words or more; a part a safety rule decides is routed by it. Under two parts: none."""
        parts = [p for s in _SENTENCES.split(text.strip())
                 for p in (_AND_THEN.split(s) if conjunctions else [s]) if len(words(p)) >= 2]
        if len(parts) < 2:
            return []
        routes = []
        for part in parts:
            ruled = self.rule_intent(part)
            if ruled is not None:  # never acted on by itself: no need to embed it
                routes.append(Route(ruled, 1.0, True, np.zeros(0, dtype=np.float32), "", part))
                continue
            vector = self.embed(part)
            p = self.classify(part, vector)
            routes.append(Route(p.intent, p.confidence, False, vector, p.second, part))
        return routes
