"""Title matching and the bonus it gives the document a query names."""

from __future__ import annotations

import pytest

from knowledge.fusion import RetrievalConfig
from knowledge.index import build_index
from knowledge.retrieval import KnowledgeBase
from knowledge.titles import TitleIndex, title_key

#: Names the plan, but its words ("roaming", "day passes") belong to the roaming policy.
QUERY = "Can I buy roaming day passes on test plus?"


def test_title_key_folds_case_accents_units_and_qualifiers() -> None:
    assert title_key("Tarifa Básica 10GB") == "tarifa basica 10 gb"
    assert title_key("Plus 20GB (legacy)") == "plus 20 gb"


def test_named_in_matches_whole_titles_only() -> None:
    titles = TitleIndex({"p15": "Prepago 15", "basic": "Tarifa Básica 10GB", "faq": "FAQ"})
    assert titles.named_in("¿Cuánto cuesta PREPAGO 15?") == {"p15"}
    assert titles.named_in("¿Qué incluye la tarifa basica 10 GB?") == {"basic"}
    assert titles.named_in("prepago 150 o tarifa basica") == set()
    assert titles.named_in("faq") == set()  # one-word titles are too generic


def test_longer_title_wins_over_one_it_contains() -> None:
    titles = TitleIndex({"max": "Unlimited Max", "max-plus": "Unlimited Max Plus"})
    assert titles.named_in("is unlimited max plus worth it") == {"max-plus"}


@pytest.fixture
def build(settings, corpus, embeddings):
    build_index(settings, embeddings=embeddings, corpus_dir=corpus)

    def open_kb(**config) -> KnowledgeBase:
        return KnowledgeBase.open(
            settings, embeddings=embeddings, config=RetrievalConfig(**config)
        )

    return open_kb


def test_named_plan_chunks_gain_the_bonus_others_do_not(build) -> None:
    summary = "plan-gb-test-plus#summary"
    plain = build(title_bonus=0.0, summary_bonus=0.0).search(QUERY, k=3)
    boosted = build().search(QUERY, k=3)
    before = {p.section_id: p.score for p in plain.passages}
    after = {p.section_id: p.score for p in boosted.passages}
    top = max(before.values())
    # Title bonus plus summary bonus, both scaled by the best fused score.
    assert after[summary] == pytest.approx(before[summary] + 0.20 * top)
    assert after["policy-roaming#day-passes"] == pytest.approx(before["policy-roaming#day-passes"])


def test_bonus_is_hybrid_only(build) -> None:
    plain = build(title_bonus=0.0, summary_bonus=0.0).search(QUERY, k=5, mode="bm25")
    boosted = build().search(QUERY, k=5, mode="bm25")
    assert [p.chunk_id for p in plain.passages] == [p.chunk_id for p in boosted.passages]
