"""Retrieval metrics on hand-computed examples."""

from __future__ import annotations

import math

import pytest

from knowledge.metrics import (
    Relevant,
    abstention,
    best_threshold,
    first_ranks,
    ndcg_at,
    recall_at,
    reciprocal_rank,
    summarize_rankings,
)

RANKED = [
    ("plan-a", "plan-a#summary"),
    ("policy-b", "policy-b#fees"),
    ("plan-a", "plan-a#fees"),
    ("policy-b", "policy-b#fees"),
]


def test_first_ranks_credit_each_item_once_and_match_sections() -> None:
    relevant = [
        Relevant("plan-a", "plan-a#fees"),
        Relevant("policy-b"),
        Relevant("faq-c"),
        Relevant("policy-b", "policy-b#Fées"),  # hand-written label: case and accents tolerated
    ]
    assert first_ranks(RANKED, relevant) == [3, 2, 0, 2]


def test_recall_mrr_ndcg() -> None:
    ranks = [3, 0]
    assert recall_at(ranks, 1) == 0.0
    assert recall_at(ranks, 3) == 0.5
    assert reciprocal_rank(ranks) == pytest.approx(1 / 3)
    assert ndcg_at(ranks, 10) == pytest.approx((1 / math.log2(4)) / (1 + 1 / math.log2(3)))
    assert ndcg_at([1, 2], 10) == pytest.approx(1.0)
    assert ndcg_at([11], 10) == 0.0
    assert reciprocal_rank([0, 0]) == 0.0


def test_summary_averages_over_queries() -> None:
    summary = summarize_rankings([[1], [0], [5]], ks=(1, 5))
    assert summary.queries == 3
    assert summary.recall == {1: pytest.approx(1 / 3), 5: pytest.approx(2 / 3)}
    assert summary.mrr == pytest.approx((1 + 0 + 0.2) / 3)


def test_abstention_and_calibration() -> None:
    expected = [True, True, False, False]
    result = abstention([True, False, False, True], expected)
    assert (result.answerable_accuracy, result.unanswerable_accuracy) == (0.5, 0.5)
    threshold, best = best_threshold([0.9, 0.7, 0.3, 0.6], expected)
    assert threshold == 0.7 and best.balanced_accuracy == 1.0
    with pytest.raises(ValueError):
        abstention([True], expected)
