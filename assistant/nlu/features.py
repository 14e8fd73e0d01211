"""Features of one message: its MiniLM sentence vector beside hashed character and word
n-grams of its folded text.

The sentence vector carries meaning across wordings and languages; the n-grams carry the
exact words and survive typos ("bil", "roamin", "facutra"). Hashing needs no vocabulary, so
the model file is just weights and nothing has to be kept in step with it.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import HashingVectorizer

from knowledge.text import fold

#: Sizes fixed by the shipped model; changing one means retraining (the model file records them).
CHAR_FEATURES = 2**14
WORD_FEATURES = 2**12
_SPACE = re.compile(r"\s+")
_REPEAT = re.compile(r"(.)\1{2,}")
_WORD = re.compile(r"[^\W\d_]{2,}")


def normalise(text: str) -> str:
    """Folded (lowercase, no accents), repeated letters cut to two, spaces collapsed."""
    return _SPACE.sub(" ", _REPEAT.sub(r"\1\1", fold(text))).strip()


def words(text: str) -> list[str]:
    """The normalised words of ``text`` (letters only, two or more)."""
    return _WORD.findall(normalise(text))


class Featurizer:
    """Turns texts and their sentence vectors into one feature matrix."""

    def __init__(
        self, char_weight: float = 1.0, word_weight: float = 0.5, vector_weight: float = 1.0
    ) -> None:
        self.weights = (vector_weight, char_weight, word_weight)
        self._chars = HashingVectorizer(
            analyzer="char_wb",
            ngram_range=(2, 5),
            n_features=CHAR_FEATURES,
            alternate_sign=False,
            norm="l2",
            lowercase=False,
            preprocessor=normalise,
        )
        self._words = HashingVectorizer(
            analyzer="word",
            ngram_range=(1, 2),
            n_features=WORD_FEATURES,
            alternate_sign=False,
            norm="l2",
            lowercase=False,
            preprocessor=normalise,
            token_pattern=r"(?u)\b\w+\b",
        )

    @property
    def size(self) -> int:
        """Columns of the feature matrix."""
        return 384 + CHAR_FEATURES + WORD_FEATURES

    def transform(self, texts: list[str], vectors: np.ndarray) -> sparse.csr_matrix:
        """The feature rows of ``texts`` (``vectors``: their unit sentence vectors, one a row)."""
        if vectors.shape[0] != len(texts):
            raise ValueError(f"{len(texts)} texts but {vectors.shape[0]} vectors")
        w_vec, w_char, w_word = self.weights
        return sparse.hstack(
            [
                sparse.csr_matrix(vectors * w_vec),
                self._chars.transform(texts) * w_char,
                self._words.transform(texts) * w_word,
            ],
            format="csr",
        )
