"""Search: filters, the version in force, modes, passages and the answerable verdict."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.errors import KnowledgeError
from knowledge.fusion import RetrievalConfig
from knowledge.index import build_index
from knowledge.passages import SNIPPET_CHARS
from knowledge.retrieval import KnowledgeBase


@pytest.fixture
def kb(settings, corpus, embeddings) -> KnowledgeBase:
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)
    return KnowledgeBase.open(settings, embeddings=embeddings)


def docs(result) -> list[tuple[str, int]]:
    return [(p.doc_id, p.version) for p in result.passages]


def test_current_version_wins_by_default(kb) -> None:
    result = kb.search("price of the Europe roaming day pass", k=10)
    assert result.as_of == date(2026, 11, 20)  # settings.now(), the demo clock
    roaming = [p for p in result.passages if p.doc_id == "policy-roaming"]
    assert roaming and all(p.version == 2 for p in roaming)
    assert "£2.50" in roaming[0].text


def test_as_of_a_past_date_serves_the_superseded_version(kb) -> None:
    result = kb.search("price of the Europe roaming day pass", as_of=date(2025, 6, 1), k=10)
    roaming = [p for p in result.passages if p.doc_id == "policy-roaming"]
    assert roaming and {p.version for p in roaming} == {1}
    assert "£2.00" in roaming[0].text and roaming[0].effective_to == date(2025, 12, 31)


def test_as_of_before_any_version_finds_nothing_from_it(kb) -> None:
    result = kb.search("roaming day pass", as_of=date(2023, 6, 1), k=10)
    assert "policy-roaming" not in {p.doc_id for p in result.passages}


@pytest.mark.parametrize(
    ("filters", "allowed"),
    [
        ({"country": "ES"}, {"politica-portabilidad"}),
        ({"country": "KE"}, {"guide-business"}),
        ({"segment": "business"}, {"guide-business", "policy-roaming", "politica-portabilidad"}),
        ({"segment": "consumer"}, {"plan-gb-test-plus", "policy-roaming", "politica-portabilidad"}),
        ({"language": "es"}, {"politica-portabilidad"}),
        ({"country": "GB", "segment": "consumer"}, {"plan-gb-test-plus", "policy-roaming"}),
    ],
)
def test_filters_apply_to_both_retrievers(kb, filters, allowed) -> None:
    for mode in ("hybrid", "bm25", "dense"):
        result = kb.search("plan roaming invoice portabilidad fee", k=20, mode=mode, **filters)
        assert result.passages, mode
        assert {p.doc_id for p in result.passages} <= allowed, mode


def test_passage_carries_citation_data(kb) -> None:
    top = kb.search("how much is the early termination fee", country="GB", k=1).passages[0]
    assert (top.doc_id, top.section_id, top.section) == (
        "plan-gb-test-plus",
        "plan-gb-test-plus#early-termination-fee",
        "Early termination fee",
    )
    assert top.chunk_id == "plan-gb-test-plus.v1/early-termination-fee/0"
    assert (top.title, top.kind, top.plan_id, top.countries) == (
        "Test Plus",
        "plan",
        "GB-PLUS-30",
        ("GB",),
    )
    assert top.text.startswith("Leaving during the minimum term")  # no context line
    assert "50%" in top.snippet and len(top.snippet) <= SNIPPET_CHARS
    assert top.citation() == "Test Plus, Early termination fee (v1)"
    assert top.bm25_rank == 1 and top.dense_rank is not None


def test_modes_report_their_own_scores(kb) -> None:
    bm25 = kb.search("early termination fee", mode="bm25").passages[0]
    dense = kb.search("early termination fee", mode="dense").passages[0]
    assert bm25.dense_score is None and bm25.bm25_score == bm25.score
    assert dense.bm25_score is None and dense.dense_score == dense.score
    with pytest.raises(KnowledgeError, match="unknown search mode"):
        kb.search("fee", mode="magic")  # type: ignore[arg-type]


def test_rrf_fusion_is_available(settings, corpus, embeddings, kb) -> None:
    rrf = KnowledgeBase.open(settings, embeddings=embeddings, config=RetrievalConfig(fusion="rrf"))
    top = rrf.search("early termination fee", country="GB").passages[0]
    assert top.section_id == "plan-gb-test-plus#early-termination-fee"
    assert top.score == pytest.approx(2 / 61)  # rank 1 in both lists, k = 60


def test_answerable_threshold(kb) -> None:
    covered = kb.search("early termination fee for leaving during the minimum term")
    unrelated = kb.search("write me a poem about cats and the moon")
    assert covered.confidence > unrelated.confidence
    assert covered.answerable
    assert not unrelated.answerable
    assert not kb.search("early termination fee", threshold=1.01).answerable
    assert kb.search("poem about cats", threshold=0.0).answerable


def test_nothing_allowed_means_not_answerable(kb) -> None:
    result = kb.search("roaming", country="KE", language="es")
    assert result.passages == [] and not result.answerable and result.confidence == 0.0


def test_misspelt_words_still_match(kb) -> None:
    result = kb.search("early terminaton fee", mode="bm25", k=1)
    assert result.passages[0].section_id == "plan-gb-test-plus#early-termination-fee"


def test_embeddings_are_exposed_for_reuse(kb, embeddings) -> None:
    assert kb.embeddings is embeddings
