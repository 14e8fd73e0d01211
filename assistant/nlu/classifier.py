"""The shipped intent model: multinomial logistic regression over ``features.Featurizer``.

``data/model.npz`` holds the weights, the class names, the softmax temperature fitted on the
dev split (so confidences are calibrated) and a fingerprint of the training rows and feature
settings it was trained on; ``python -m assistant.nlu.train`` writes it. Prediction is one
sparse-dense product: well under a millisecond.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from assistant.errors import UsageError
from assistant.nlu.corpus import Example
from assistant.nlu.features import CHAR_FEATURES, WORD_FEATURES, Featurizer, words

#: Which sentence vectors the model was trained on; other vectors would make it guess.
EMBEDDING = "minilm/sentence-transformers/all-MiniLM-L6-v2"
FORMAT = 2  # 2: trained with misspelt copies of the rows


@dataclass(frozen=True)
class Prediction:
    """The most likely intent, its calibrated probability, and the runner-up."""

    intent: str
    confidence: float
    second: str
    second_confidence: float

    @property
    def margin(self) -> float:
        """How far ahead the winner is (0: a tie)."""
        return self.confidence - self.second_confidence


def fingerprint(rows: list[Example], weights: tuple[float, float, float]) -> str:
    """A hash of the training rows and the feature settings: the model's provenance."""
    digest = hashlib.sha256(
        json.dumps(
            {
                "format": FORMAT,
                "embedding": EMBEDDING,
                "weights": weights,
                "sizes": [CHAR_FEATURES, WORD_FEATURES],
            },
            sort_keys=True,
        ).encode()
    )
    for row in rows:
        digest.update(f"{row.intent}\x1f{row.text}\x1e".encode())
    return digest.hexdigest()


def model_path() -> Path:
    """Where the shipped model lives."""
    return Path(str(resources.files("assistant.nlu").joinpath("data", "model.npz")))


class IntentClassifier:
    """Predicts an intent from a message and its unit MiniLM vector."""

    def __init__(
        self,
        classes: list[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        temperature: float,
        weights: tuple[float, float, float],
        trained_on: str = "",
        vocabulary: frozenset[str] = frozenset(),
    ) -> None:
        self.classes = classes
        self.featurizer = Featurizer(*weights[1:], vector_weight=weights[0])
        if coef.shape != (len(classes), self.featurizer.size):
            raise UsageError(
                f"intent model: weights of shape {coef.shape}, expected "
                f"{(len(classes), self.featurizer.size)}"
            )
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.temperature = float(temperature)
        self.weights = weights
        self.trained_on = trained_on
        self.vocabulary = vocabulary
        """Folded words of the training rows and the documents: what the model has seen."""

    @classmethod
    def load(cls, path: Path | None = None) -> IntentClassifier:
        """The model at ``path`` (default: the shipped one); a bad file is a ``UsageError``."""
        path = path or model_path()
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                coef, intercept = data["coef"], data["intercept"]
        except (OSError, KeyError, ValueError) as exc:
            raise UsageError(
                f"intent model {path}: unreadable ({exc}); "
                "rebuild it with `python -m assistant.nlu.train`"
            ) from None
        if meta.get("format") != FORMAT or meta.get("embedding") != EMBEDDING:
            raise UsageError(
                f"intent model {path}: format {meta.get('format')} for "
                f"{meta.get('embedding')}; expected {FORMAT} for {EMBEDDING}"
            )
        return cls(
            list(meta["classes"]),
            coef,
            intercept,
            meta["temperature"],
            tuple(meta["weights"]),
            meta.get("trained_on", ""),
            frozenset(meta.get("vocabulary", ())),
        )

    def save(self, path: Path, extra: dict[str, object] | None = None) -> None:
        """Write the model (weights as float16: half the size, same predictions to 1e-3)."""
        meta = {
            "format": FORMAT,
            "embedding": EMBEDDING,
            "classes": self.classes,
            "temperature": self.temperature,
            "weights": list(self.weights),
            "trained_on": self.trained_on,
            "vocabulary": sorted(self.vocabulary),
            **(extra or {}),
        }
        with path.open("wb") as out:
            np.savez_compressed(
                out,
                coef=self.coef.astype(np.float16),
                intercept=self.intercept,
                meta=np.array(json.dumps(meta, sort_keys=True)),
            )

    def known_words(self, text: str) -> tuple[int, int]:
        """How many of the message's words the model has seen, out of how many words.

        "asdfgh" or a row of emoji has none: whatever the weights say about it is a guess.
        """
        tokens = words(text)
        return sum(t in self.vocabulary for t in tokens), len(tokens)

    def probabilities(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        """Calibrated class probabilities, one row per text, columns in ``classes`` order."""
        logits = self.featurizer.transform(texts, vectors) @ self.coef.T + self.intercept
        logits = np.asarray(logits) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, text: str, vector: np.ndarray) -> Prediction:
        """The intent of one message."""
        probs = self.probabilities([text], vector.reshape(1, -1))[0]
        first, second = np.argsort(-probs, kind="stable")[:2]
        return Prediction(
            self.classes[first], float(probs[first]), self.classes[second], float(probs[second])
        )
