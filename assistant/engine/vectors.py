"""A small thread-safe LRU cache in front of an ``Embeddings`` instance.

The engine embeds the customer's message once per turn (a turn calls the model several
times) and candidate answer sentences once per process: the documents do not change between
turns, so a sentence seen before costs nothing. The cache is itself an ``Embeddings``, so the
knowledge base can be given the same instance: a question the engine has just routed is then
not embedded a second time for retrieval.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from langchain_core.embeddings import Embeddings


def unit(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows left as they are)."""
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


class EmbeddingCache(Embeddings):
    """Unit-length embeddings by text, computing only the texts not seen recently."""

    def __init__(self, embeddings: Embeddings, size: int = 8192) -> None:
        self.embeddings = embeddings
        # Identity of the wrapped model, for index specs that record it.
        for attr in ("provider", "model_name", "dimensions"):
            if hasattr(embeddings, attr):
                setattr(self, attr, getattr(embeddings, attr))
        self.size = size
        self._store: OrderedDict[str, np.ndarray] = OrderedDict()
        # Vectors given by ``pin`` (the documents' answer sentences): never evicted.
        self._pinned: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def pin(self, texts: list[str], vectors: np.ndarray) -> None:
        """Keep these texts' (unit) vectors for the life of the cache, outside the LRU."""
        with self._lock:
            self._pinned.update(zip(texts, vectors, strict=True))

    @property
    def pinned(self) -> int:
        """How many texts are pinned."""
        return len(self._pinned)

    def _lookup(self, text: str) -> np.ndarray | None:
        pinned = self._pinned.get(text)
        if pinned is not None:
            return pinned
        with self._lock:
            vector = self._store.get(text)
            if vector is not None:
                self._store.move_to_end(text)
            return vector

    def _keep(self, text: str, vector: np.ndarray) -> None:
        with self._lock:
            self._store[text] = vector
            while len(self._store) > self.size:
                self._store.popitem(last=False)

    def query(self, text: str) -> np.ndarray:
        """The embedding of one query text."""
        hit = self._lookup(text)
        if hit is not None:
            return hit
        vector = unit(np.asarray(self.embeddings.embed_query(text), dtype=np.float32))
        self._keep(text, vector)
        return vector

    def documents(self, texts: list[str]) -> np.ndarray:
        """Embeddings of ``texts`` as rows, embedding the missing ones in one batch."""
        found = {t: v for t in dict.fromkeys(texts) if (v := self._lookup(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = unit(np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32))
            for text, vector in zip(missing, fresh, strict=True):
                self._keep(text, vector)
                found[text] = vector
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[t] for t in texts])

    # -- the LangChain Embeddings interface -----------------------------------------------

    def embed_query(self, text: str) -> list[float]:
        """Embed one query (cached)."""
        return self.query(text).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Embed several texts (cached), one row each."""
        return self.documents(texts).tolist() if texts else []
