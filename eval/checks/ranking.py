"""Ranking metrics for the retrieval suite (binary relevance).

A retrieved passage is relevant to a labeled item when it comes from the item's document and,
if the item names a section, from that section. Each relevant item is credited once, at the
rank of its first matching passage, so several chunks of one section cannot inflate a score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from eval.schema.retrieval import Relevant


def _matches(doc_id: str, section_id: str, item: Relevant) -> bool:
    return doc_id == item.doc_id and (item.section_id is None or section_id == item.section_id)


def first_ranks(ranked: Sequence[tuple[str, str]], relevant: Sequence[Relevant]) -> list[int]:
    """For each relevant item, the 1-based rank of its first match (0 when not retrieved)."""
    ranks = []
    for item in relevant:
        rank = next(
            (i for i, (doc, sec) in enumerate(ranked, start=1) if _matches(doc, sec, item)), 0
        )
        ranks.append(rank)
    return ranks


def recall_at(ranks: Sequence[int], k: int) -> float:
    """Share of relevant items found in the top ``k``."""
    return sum(1 for r in ranks if 0 < r <= k) / len(ranks) if ranks else 0.0


def reciprocal_rank(ranks: Sequence[int]) -> float:
    """1 / rank of the first relevant passage (0 when none was retrieved)."""
    found = [r for r in ranks if r > 0]
    return 1.0 / min(found) if found else 0.0


def ndcg_at(ranks: Sequence[int], k: int = 10) -> float:
    """Normalised discounted cumulative gain at ``k`` with binary gains."""
    if not ranks:
        return 0.0
    dcg = sum(1.0 / math.log2(r + 1) for r in set(ranks) if 0 < r <= k)
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(ranks), k) + 1))
    return dcg / ideal
