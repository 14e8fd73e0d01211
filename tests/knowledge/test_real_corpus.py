"""Hybrid search over the real corpus with the fast hash embeddings (no model load)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import Settings
from knowledge.corpus import load_corpus
from knowledge.embeddings import HashEmbeddings
from knowledge.index import build_index
from knowledge.metrics import Relevant, first_ranks, summarize_rankings
from knowledge.retrieval import KnowledgeBase

QUERIES = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "labeled_queries.jsonl"


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    index_dir = tmp_path_factory.mktemp("real") / "index"
    settings = Settings(index_dir=index_dir, clock="demo", _env_file=None)  # type: ignore[call-arg]
    embeddings = HashEmbeddings()
    build_index(settings, embeddings=embeddings)
    return KnowledgeBase.open(settings, embeddings=embeddings)


@pytest.mark.parametrize(
    ("question", "country", "expected"),
    [
        ("what's the early termination fee if I leave Plus 30GB?", "GB", "plan-gb-plus-30"),
        ("¿cuánto cuesta la Tarifa Libre 50GB al mes?", "ES", "plan-es-libre-50"),
        (
            "how do I reverse a VelaPesa transfer sent to the wrong number",
            "KE",
            "guide-velapesa-wallet",
        ),
        ("is roming in france included on plus 30", "GB", "plan-gb-plus-30"),
    ],
)
def test_finds_the_right_document(kb, question: str, country: str, expected: str) -> None:
    result = kb.search(question, country=country, k=5)
    assert expected in [p.doc_id for p in result.passages]
    assert all(country in p.countries for p in result.passages)


def test_only_versions_in_force_are_served(kb) -> None:
    today = kb.knowledge_config.today()
    superseded = [d for d in load_corpus() if d.meta.effective_to and d.meta.effective_to < today]
    assert len({d.meta.id for d in superseded}) >= 2  # the corpus keeps old versions to test this
    for doc in superseded:
        result = kb.search(doc.meta.title, k=20)
        served = {p.version for p in result.passages if p.doc_id == doc.meta.id}
        assert doc.meta.version not in served, doc.path.name
        past = kb.search(doc.meta.title, k=20, as_of=doc.meta.effective_from)
        assert doc.meta.version in {p.version for p in past.passages if p.doc_id == doc.meta.id}


def test_labeled_queries_floor(kb) -> None:
    """A regression floor with hash embeddings; the MiniLM figures live in the benchmark."""
    queries = [json.loads(line) for line in QUERIES.read_text("utf-8").splitlines() if line]
    ranks = []
    for query in queries:
        if not query["answerable"]:
            continue
        result = kb.search(query["question"], country=query["country"], k=10)
        ranked = [(p.doc_id, p.section_id) for p in result.passages]
        ranks.append(first_ranks(ranked, [Relevant.from_mapping(r) for r in query["relevant"]]))
    summary = summarize_rankings(ranks)
    assert summary.queries >= 150
    assert summary.recall[10] >= 0.9, summary
    assert summary.recall[5] >= 0.78, summary
