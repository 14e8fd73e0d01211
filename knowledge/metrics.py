"""Retrieval metrics with binary relevance, reusable by the benchmark and the eval harness.

A ranked passage matches a labeled item when it comes from the item's document and, if the
item names a section (``<doc_id>#<slug>``), from that section. Each labeled item is credited
once, at the rank of its first matching passage, so several chunks of one section cannot
inflate a score. Ranks are 1-based; 0 means "not retrieved".
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from knowledge.text import normalise_section_id


@dataclass(frozen=True)
class Relevant:
    """A labeled relevant passage: a document, optionally one ``##`` section of it."""

    doc_id: str
    section_id: str | None = None

    @classmethod
    def from_mapping(cls, item: Mapping[str, object]) -> Relevant:
        """From a JSON object with ``doc_id`` and optional ``section_id``."""
        section = item.get("section_id")
        return cls(str(item["doc_id"]), str(section) if section else None)


def matches(doc_id: str, section_id: str, item: Relevant) -> bool:
    """Whether a passage (doc id, section id) satisfies a labeled item."""
    if doc_id != item.doc_id:
        return False
    if item.section_id is None:
        return True
    return normalise_section_id(section_id) == normalise_section_id(item.section_id)


def first_ranks(ranked: Sequence[tuple[str, str]], relevant: Sequence[Relevant]) -> list[int]:
    """For each labeled item, the rank of its first matching passage (0 when absent)."""
    return [
        next((r for r, (doc, sec) in enumerate(ranked, start=1) if matches(doc, sec, item)), 0)
        for item in relevant
    ]


def recall_at(ranks: Sequence[int], k: int) -> float:
    """Share of labeled items found in the top ``k``."""
    return sum(1 for r in ranks if 0 < r <= k) / len(ranks) if ranks else 0.0


def reciprocal_rank(ranks: Sequence[int]) -> float:
    """1 / rank of the first relevant passage (0 when none was retrieved)."""
    found = [r for r in ranks if r > 0]
    return 1.0 / min(found) if found else 0.0


def ndcg_at(ranks: Sequence[int], k: int = 10) -> float:
    """nDCG at ``k`` with binary gains: each item gains 1 at its first rank."""
    if not ranks:
        return 0.0
    dcg = sum(1.0 / math.log2(r + 1) for r in set(ranks) if 0 < r <= k)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(ranks), k) + 1))
    return dcg / ideal


@dataclass(frozen=True)
class RankingSummary:
    """Mean ranking metrics over a set of answerable queries."""

    queries: int
    recall: dict[int, float]
    mrr: float
    ndcg10: float


def summarize_rankings(
    all_ranks: Iterable[Sequence[int]], ks: Sequence[int] = (1, 5, 10)
) -> RankingSummary:
    """Average recall@k, MRR and nDCG@10 over queries (one rank list per query)."""
    rows = list(all_ranks)
    if not rows:
        return RankingSummary(0, {k: 0.0 for k in ks}, 0.0, 0.0)
    return RankingSummary(
        queries=len(rows),
        recall={k: statistics.fmean(recall_at(r, k) for r in rows) for k in ks},
        mrr=statistics.fmean(reciprocal_rank(r) for r in rows),
        ndcg10=statistics.fmean(ndcg_at(r, 10) for r in rows),
    )


@dataclass(frozen=True)
class Abstention:
    """How well the answerable verdict separates answerable from unanswerable queries."""

    unanswerable_accuracy: float  # share of unanswerable queries the search declined
    answerable_accuracy: float  # share of answerable queries the search accepted
    balanced_accuracy: float


def abstention(predicted: Sequence[bool], expected: Sequence[bool]) -> Abstention:
    """Compare predicted ``answerable`` verdicts with the labels."""
    if len(predicted) != len(expected):
        raise ValueError("one prediction per label")
    neg = [p for p, e in zip(predicted, expected, strict=True) if not e]
    pos = [p for p, e in zip(predicted, expected, strict=True) if e]
    unans = sum(1 for p in neg if not p) / len(neg) if neg else 0.0
    ans = sum(1 for p in pos if p) / len(pos) if pos else 0.0
    return Abstention(unans, ans, (unans + ans) / 2)


def best_threshold(
    confidences: Sequence[float], expected: Sequence[bool]
) -> tuple[float, Abstention]:
    """The threshold on ``confidence >= t`` with the best balanced accuracy (ties: lowest t)."""
    best: tuple[float, Abstention] | None = None
    for t in sorted(set(confidences)):
        result = abstention([c >= t for c in confidences], expected)
        if best is None or result.balanced_accuracy > best[1].balanced_accuracy:
            best = (t, result)
    if best is None:
        raise ValueError("no confidences to calibrate on")
    return best
