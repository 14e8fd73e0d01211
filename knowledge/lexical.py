"""BM25 over the chunk texts, with an analyzer for English and Spanish.

The analyzer folds case and accents, drops English and Spanish stopwords, and strips common
suffixes of both languages with a few hand-written rules (no stemming library is bundled).
Query words missing from the vocabulary are mapped to the closest vocabulary word when the
match is close (customers misspell), using rapidfuzz.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import bm25s
import numpy as np
from bm25s.stopwords import STOPWORDS_EN_PLUS, STOPWORDS_SPANISH
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

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
#: Stems are cut to this many letters: a crude but measured-helpful way to conflate Spanish
#: verb and noun forms the suffix rules miss (desistir / desistimiento -> desisti).
_STEM_PREFIX = 7
#: Coverage (the answerable signal, not the ranking) compares only the first letters of the
#: stems, so the other persons of a Spanish verb count as the same word (cobrais / cobramos,
#: devolveis / devolvemos); measured on the labeled queries it raised the Spanish answerable
#: share from 0.84 to 0.95 without letting an unanswerable question through.
COVERAGE_PREFIX = 4
# Words that only Spanish uses among the questions customers type (accents are folded first).
_SPANISH_MARKERS = frozenset(
    "el la los las de del que en y por para con una uno mi mis me te se es esta este tengo "
    "cuanto cuanta como donde cuando puedo quiero hay mas pero si tarifa factura movil "
    "linea".split()
)
_ENGLISH_MARKERS = frozenset(
    "the a an of to is are my i you your do does can how what when where with for on in it "
    "and or if have has bill plan phone".split()
)
# Question and filler words customers use that carry no topic (the FAQ headings are full of
# them, so left in they pull every "how much / cuánto" question towards the FAQ).
_EXTRA_STOPWORDS = (
    "much many can could would get got need want tell please hi hello thanks u im ive dont "
    "cant whats hey ok pls yes also still really actually know "
    "cuanto cuanta cuantos cuantas como donde cuando puedo puede pueden podeis quiero "
    "queria tengo tiene teneis hay hacer algun alguna alguno vale hola gracias porfa favor"
).split()


@cache
def stopwords() -> frozenset[str]:
    """English and Spanish stopwords plus customer filler words, accent-folded."""
    words = (*STOPWORDS_EN_PLUS, *STOPWORDS_SPANISH, *_EXTRA_STOPWORDS)
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=1 << 16)
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
    return word[:_STEM_PREFIX]


def query_language(text: str) -> str:
    """``es`` or ``en``, by Spanish punctuation and letters or a majority of marker words."""
    if any(ch in text for ch in "¿¡ñÑ"):
        return "es"
    found = _WORD.findall(fold(text))
    spanish = sum(w in _SPANISH_MARKERS for w in found)
    english = sum(w in _ENGLISH_MARKERS for w in found)
    return "es" if spanish > english else "en"


def words(text: str) -> list[str]:
    """Folded words without stopwords, before stemming."""
    stop = stopwords()
    return [w for w in _WORD.findall(fold(text)) if w not in stop]


def analyze(text: str) -> list[str]:
    """Tokens as indexed: folded, stopwords removed, stemmed."""
    return [stem(w) for w in words(text)]


def max_typos(word: str) -> int:
    """Edits we assume a misspelling of ``word`` may contain: none below 5 letters."""
    return 0 if len(word) < 5 else 1 if len(word) < 10 else 2


class LexicalIndex:
    """A bm25s index over a fixed list of texts, scored all at once (the corpus is small)."""

    def __init__(self, texts: list[str], *, k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25(k1=k1, b=b)
        corpus_words = [words(text) for text in texts]
        self._bm25.index(
            [[stem(w) for w in ws] or ["_empty_"] for ws in corpus_words], show_progress=False
        )
        self._prefix_sets = [
            frozenset(stem(w)[:COVERAGE_PREFIX] for w in ws) for ws in corpus_words
        ]
        self._surface = sorted({w for ws in corpus_words for w in ws})
        self._known = frozenset(self._surface)
        self._known_stems = frozenset(stem(w) for w in self._surface)

    def analyze_query(self, query: str) -> list[str]:
        """Query tokens; a word the corpus never uses is replaced by a corpus word one or two
        edits away (``roming`` -> ``roaming``), judged on unstemmed words so stems don't blur it.

        A word whose stem the corpus indexes is another form of a known word, not a typo
        (``plane`` where the corpus says ``planes``): snapping it to a closer spelling
        (``place``) would swap the topic for an unrelated one."""
        tokens: list[str] = []
        for word in words(query):
            typos = max_typos(word)
            known = word in self._known or stem(word) in self._known_stems
            if not known and typos:
                match = process.extractOne(
                    word, self._surface, scorer=Levenshtein.distance, score_cutoff=typos
                )
                # Customers rarely mistype the first letter; requiring it avoids snapping a
                # legitimately new word onto an unrelated neighbour.
                if (
                    match is not None
                    and abs(len(match[0]) - len(word)) <= 1
                    and match[0][0] == word[0]
                ):
                    word = match[0]
            tokens.append(stem(word))
        return tokens

    def coverage(self, query_tokens: list[str], position: int) -> float:
        """Share of the query's tokens that occur in text ``position`` (0 for an empty query),
        a token counting as present when a text token starts with the same
        ``COVERAGE_PREFIX`` letters."""
        if not query_tokens:
            return 0.0
        present = self._prefix_sets[position]
        return sum(t[:COVERAGE_PREFIX] in present for t in query_tokens) / len(query_tokens)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """BM25 score of every text for analyzed query tokens (zeros when none is known)."""
        tokens = [t for t in query_tokens if t in self._bm25.vocab_dict]
        if not tokens:
            return np.zeros(self.size, dtype=np.float32)
        return self._bm25.get_scores(tokens)
