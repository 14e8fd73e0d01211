"""The row types the public-data build passes around, and the text normalisation it dedupes by."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

_PUNCT = re.compile(r"[^\w\s]|_")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form two texts are compared in: NFKC, lower case, no punctuation, single spaces.

    "Yes, please!" and "yes please" are the same utterance for the held-out guarantee.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE.sub(" ", _PUNCT.sub(" ", text)).strip()


def stable_hash(*parts: str) -> str:
    """A hex digest that orders and buckets rows the same way on every machine and run."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def hash_fraction(*parts: str) -> float:
    """`stable_hash` as a number in [0, 1), for assigning a deterministic share of rows."""
    return int(stable_hash(*parts)[:12], 16) / float(16**12)


@dataclass(frozen=True)
class SourceRow:
    """One utterance as the raw dataset has it.

    Attributes:
        source: our short name of the dataset (a key of mapping.yaml's `sources`).
        split: "train", "dev" or "heldout", after the source's own split names are resolved.
        label: the dataset's own intent label.
        text: the utterance, unchanged.
        origin: the file or split of the dataset it was read from, e.g. "test".
        lang: "en", "es" or "sw".
    """

    source: str
    split: str
    label: str
    text: str
    origin: str
    lang: str = "en"


@dataclass(frozen=True)
class MappedRow:
    """A source row with our intent, ready to be written to one of the three files.

    Attributes:
        row: the raw row it came from.
        intent: one of assistant/nlu/data/intents.yaml's intents.
        docs: knowledge corpus doc ids that answer it (intent knowledge only).
        answerable: False for a knowledge question no corpus document answers.
        tags: where the label came from, e.g. "clinc150:bill_due", "override".
    """

    row: SourceRow
    intent: str
    docs: tuple[str, ...] = ()
    answerable: bool = True
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        """The normalised text: the identity of the utterance across every file we write."""
        return normalise(self.row.text)
