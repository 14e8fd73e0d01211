"""The real offline model: loads from the wheel, normalised 384-d vectors, end-to-end search."""

from __future__ import annotations

import math

import pytest

from knowledge.embeddings import MiniLMEmbeddings
from knowledge.index import build_index
from knowledge.retrieval import KnowledgeBase

pytestmark = pytest.mark.slow


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_minilm_offline_end_to_end(settings, corpus) -> None:
    embeddings = MiniLMEmbeddings()
    query = embeddings.embed_query("how much does it cost to leave my contract early?")
    near, far = embeddings.embed_documents(
        ["Leaving during the minimum term costs an early termination fee.", "Cats sleep a lot."]
    )
    assert len(query) == 384 and math.isclose(cosine(query, query), 1.0, rel_tol=1e-4)
    assert cosine(query, near) > cosine(query, far) + 0.2

    report = build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    assert report.spec.embedding_provider == "minilm" and report.spec.dimensions == 384
    kb = KnowledgeBase.open(settings, embeddings=embeddings)
    result = kb.search("how much does it cost to leave my contract early?", country="GB")
    assert result.passages[0].section_id == "plan-gb-test-plus#early-termination-fee"
    assert result.answerable
    assert not kb.search("who won the football last night?").answerable
