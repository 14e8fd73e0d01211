"""Reciprocal rank fusion: combine ranked lists without comparing their score scales."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol


class Ranked(Protocol):
    """Anything with a 1-based ``rank``."""

    rank: int


def reciprocal_rank_fusion(
    rankings: Sequence[Mapping[int, Ranked]],
    *,
    k: int = 60,
    weights: Sequence[float] | None = None,
) -> dict[int, float]:
    """Fused score per item: the sum over rankings of ``weight / (k + rank)``.

    ``k`` damps the advantage of the very top ranks (60 is the value from Cormack et al.,
    2009); ``weights`` lets one retriever count more than another.
    """
    weights = weights or [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for item, hit in ranking.items():
            fused[item] = fused.get(item, 0.0) + weight / (k + hit.rank)
    return fused
