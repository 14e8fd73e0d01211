"""The engine's precomputed vectors: what is embedded, when, and what reaches the disk."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.engine import precomputed
from assistant.engine.knowledge_answer import EMBED_WORDS
from assistant.engine.vectors import EmbeddingCache
from knowledge.embeddings import HashEmbeddings

PASSAGES = [
    "Roaming in the EU costs £2.00 a day. It includes calls, texts and your data allowance.",
    "You can leave early by paying the remaining monthly charges. Call us to arrange it.",
]


class Counting(HashEmbeddings):
    """Hash embeddings that remember every text they were asked to embed."""

    def __init__(self) -> None:
        super().__init__(64)
        self.seen: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.seen.extend(texts)
        return super().embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        self.seen.append(text)
        return super().embed_query(text)


def stored_texts(path) -> list[str]:
    with np.load(path, allow_pickle=False) as data:
        return [str(t) for t in data["texts"]]


def test_engine_texts_are_every_candidate_sentence():
    texts = precomputed.engine_texts(PASSAGES)
    assert len(texts) == len(set(texts))
    assert "Roaming in the EU costs £2.00 a day." in texts
    assert "Call us to arrange it." in texts
    long = "Word " * (EMBED_WORDS + 20) + "end."
    (sentence,) = [t for t in precomputed.engine_texts([long]) if t.startswith("Word")]
    assert len(sentence.split()) == EMBED_WORDS  # the same opening words the answer embeds


def test_prepare_embeds_once_then_only_what_changed(tmp_path):
    path = tmp_path / precomputed.FILE_NAME
    model = Counting()
    cache = EmbeddingCache(model)
    first = precomputed.prepare(cache, PASSAGES, path)
    assert first == len(precomputed.engine_texts(PASSAGES)) == cache.pinned
    assert stored_texts(path) == precomputed.engine_texts(PASSAGES)

    model.seen.clear()
    again = EmbeddingCache(model)
    assert precomputed.prepare(again, PASSAGES, path) == 0 and model.seen == []
    assert again.pinned == first
    # Pinned vectors are served without the model and equal what it would compute.
    text = "Call us to arrange it."
    np.testing.assert_allclose(again.query(text), model.embed_query(text), atol=1e-6)
    model.seen.clear()

    changed = [PASSAGES[0], "Our shops open at nine. Bring photo ID."]
    assert precomputed.prepare(EmbeddingCache(model), changed, path) == 2
    assert sorted(model.seen) == ["Bring photo ID.", "Our shops open at nine."]
    kept = stored_texts(path)
    assert "Call us to arrange it." not in kept  # a sentence no passage has any more
    assert "Bring photo ID." in kept


def test_vectors_of_another_model_are_not_reused(tmp_path):
    path = tmp_path / precomputed.FILE_NAME
    precomputed.prepare(EmbeddingCache(HashEmbeddings(32)), PASSAGES, path)
    other = Counting()  # 64 dimensions: another identity
    assert precomputed.prepare(EmbeddingCache(other), PASSAGES, path) > 0
    assert len(other.seen) == len(precomputed.engine_texts(PASSAGES))


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 not really a zip", b"\x93NUMPY..."])
def test_an_unreadable_file_is_reported_and_rebuilt(tmp_path, caplog, damage):
    path = tmp_path / precomputed.FILE_NAME
    path.write_bytes(damage)
    if damage.startswith(b"\x93NUMPY"):
        with path.open("wb") as handle:
            np.save(handle, np.zeros(3))  # a plain array, not an archive
    cache = EmbeddingCache(Counting())
    assert precomputed.prepare(cache, PASSAGES, path) == cache.pinned > 0
    assert "engine_vectors_unreadable" in caplog.text
    assert stored_texts(path) == precomputed.engine_texts(PASSAGES)
    assert not list(tmp_path.glob(".engine-vectors-*"))


def test_pinned_vectors_survive_the_lru():
    cache = EmbeddingCache(Counting(), size=2)
    cache.pin(["kept"], np.ones((1, 64), dtype=np.float32) / 8)
    for text in ("a", "b", "c", "d"):
        cache.query(text)
    assert cache.pinned == 1
    np.testing.assert_allclose(cache.query("kept"), np.ones(64) / 8)
