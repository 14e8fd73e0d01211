"""BM25 over the chunk texts, with an analyzer for English and Spanish.

The analyzer folds case and accents, drops English and Spanish stopwords, and strips common
suffixes of both languages with a few hand-written rules (no stemming library is bundled).
Query words missing from the vocabulary are mapped to the closest vocabulary word when the
match is close (customers misspell), using rapidfuzz.
"""

from __future__ import annotations

import re
from functools import cache

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH
from rapidfuzz import fuzz, process

from knowledge.text import fold

_WORD = re.compile(r"[a-z0-9]+")
# Longest first; each pair is (suffix, replacement). The first rule that applies wins.
_SUFFIXES = (
    ("aciones", ""),
    ("iciones", ""),
    ("ciones", "c"),
    ("acion", ""),
    ("icion", ""),
    ("cion", "c"),
    ("ations", ""),
    ("ation", ""),
    ("ments", ""),
    ("ment", ""),
    ("ies", "y"),
    ("ing", ""),
    ("ed", ""),
    ("es", ""),
    ("s", ""),
)
_KEEP_ENDINGS = ("ss", "us", "is")


@cache
def stopwords() -> frozenset[str]:
    """English and Spanish stopwords, accent-folded."""
    return frozenset(fold(w) for w in (*STOPWORDS_EN_PLUS, *STOPWORDS_SPANISH))


def stem(word: str) -> str:
    """A light suffix stripper shared by English and Spanish (``roaming`` -> ``roam``)."""
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_ENDINGS):
                continue
            word = word[: -len(suffix)] + replacement
            break
    if len(word) > 4 and word[-1] == "e":
        word = word[:-1]  # charge / charged / charges -> charg
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "aeiou":
        word = word[:-1]  # cancelled -> cancel
    return word


def analyze(text: str) -> list[str]:
    """Tokens as indexed: folded, stopwords removed, stemmed."""
    stop = stopwords()
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in stop]


class LexicalIndex:
    """A bm25s index over a fixed list of texts, scored all at once (the corpus is small)."""

    def __init__(self, texts: list[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        corpus_tokens = [analyze(text) or ["_empty_"] for text in texts]
        self._bm25.index(corpus_tokens, show_progress=False)
        self._vocab = list(self._bm25.vocab_dict)

    def analyze_query(self, query: str) -> list[str]:
        """Query tokens, with out-of-vocabulary words snapped to a close vocabulary word."""
        tokens: list[str] = []
        for token in analyze(query):
            if token in self._bm25.vocab_dict or len(token) < 4:
                tokens.append(token)
                continue
            match = process.extractOne(token, self._vocab, scorer=fuzz.ratio, score_cutoff=80)
            if match is not None:
                tokens.append(match[0])
        return tokens

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every text for ``query`` (zeros when no query word is known)."""
        tokens = [t for t in self.analyze_query(query) if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return self._bm25.get_scores(tokens)
