"""The engine's fixed texts, embedded once and kept on disk beside the index.

The texts the engine embeds that do not depend on the customer are the candidate answer
sentences of every indexed passage. Embedding the
sentences a knowledge answer is picked from was most of a knowledge turn's time (~35 ms for
six sentences with MiniLM on 2 cores), so they are embedded when the engine is set up, not
when a customer asks, and stored in one ``.npz`` file keyed by text. Only the texts that are
new since the file was written are embedded: a rebuilt index costs its changed passages.

Customer messages are never written here: they may hold personal data.
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from assistant.engine.knowledge_answer import candidates, embedding_text
from assistant.engine.vectors import EmbeddingCache, unit
from knowledge.atomic import replacing

log = logging.getLogger("assistant.engine.precomputed")

#: The file's name in the data directory.
FILE_NAME = "engine-vectors.npz"


def engine_texts(passage_texts: Iterable[str]) -> list[str]:
    """Every candidate answer sentence of the passages, once."""
    sentences = [
        embedding_text(candidate)
        for text in passage_texts
        for candidate in candidates([{"text": text}])
    ]
    return list(dict.fromkeys(sentences))


def identity_of(cache: EmbeddingCache) -> str:
    """Which model the vectors come from: a file from another model is not reused."""
    inner = cache.embeddings
    return "/".join(
        str(getattr(inner, attr, "?")) for attr in ("provider", "model_name", "dimensions")
    )


def read(path: Path, identity: str) -> dict[str, np.ndarray]:
    """The stored vectors by text, or nothing if the file is absent, unreadable or foreign."""
    if not path.exists():
        return {}
    try:
        # Opened here, not by np.load: given a path, it leaks the file when the archive is bad.
        with open(path, "rb") as handle:
            data = np.load(handle, allow_pickle=False)
            if not isinstance(data, np.lib.npyio.NpzFile):
                raise ValueError("not an .npz archive")
            with data:
                if str(data["identity"]) != identity:
                    log.info("engine_vectors_other_model", extra={"path": str(path)})
                    return {}
                texts, vectors = data["texts"], data["vectors"]
                if vectors.ndim != 2 or len(texts) != len(vectors):
                    raise ValueError(f"{len(texts)} texts but vectors of shape {vectors.shape}")
                return {str(t): v for t, v in zip(texts, vectors.astype(np.float32),
                                                  strict=True)}
    except (OSError, EOFError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        # Only a cache: say so and rebuild it rather than fail the start-up.
        log.warning("engine_vectors_unreadable", extra={"path": str(path), "error": str(exc)})
        return {}


def write(path: Path, identity: str, texts: list[str], vectors: np.ndarray) -> None:
    """Write the file atomically: a reader sees the old file or the new one, never half."""
    with replacing(path, prefix=".engine-vectors-", suffix=".npz") as tmp, tmp.open("wb") as out:
        np.savez(out, identity=np.array(identity), texts=np.array(texts),
                 vectors=vectors.astype(np.float32))


def prepare(cache: EmbeddingCache, passage_texts: Iterable[str], path: Path) -> int:
    """Pin the vectors of the engine's fixed texts in ``cache``; returns how many were new.

    Vectors come from ``path`` when it has them; the rest are embedded in one batch and the
    file is rewritten with exactly the current texts (stale sentences are dropped).
    """
    texts = engine_texts(passage_texts)
    identity = identity_of(cache)
    stored = read(path, identity)
    missing = [t for t in texts if t not in stored]
    if missing:
        log.info("embedding_engine_texts", extra={"count": len(missing)})
        fresh = unit(np.asarray(cache.embeddings.embed_documents(missing), dtype=np.float32))
        stored.update(zip(missing, fresh, strict=True))
    if not texts:
        return 0
    vectors = np.stack([stored[t] for t in texts])
    cache.pin(texts, vectors)
    if missing or len(stored) != len(texts):
        write(path, identity, texts, vectors)
    return len(missing)
