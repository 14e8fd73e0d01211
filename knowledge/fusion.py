"""How the BM25 and dense rankings are combined, and the knobs that tune it.

Two methods: a convex combination of per-query normalised scores (the default: it beat
reciprocal rank fusion on the labeled queries, see docs/benchmarks.md) and reciprocal rank
fusion. Spanish queries weight the dense side less, because the bundled MiniLM model was
trained on English and ranks Spanish passages poorly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol


class Hit(Protocol):
    """A retriever's hit: its raw score and 1-based rank (read-only, so frozen hits fit)."""

    @property
    def score(self) -> float:
        """The retriever's raw score."""
        ...

    @property
    def rank(self) -> int:
        """1-based rank among the retriever's hits."""
        ...


@dataclass(frozen=True)
class RetrievalConfig:
    """Tuning of ``KnowledgeBase.search``; the defaults are the measured best."""

    fusion: Literal["convex", "rrf"] = "convex"
    #: Weight of the dense score (BM25 gets 1 - w) in convex fusion, by query language.
    dense_weight: Mapping[str, float] = field(default_factory=lambda: {"en": 0.5, "es": 0.2})
    rrf_k: int = 60
    #: Candidates each retriever contributes before fusion.
    depth: int = 50
    #: Hybrid only: added (as a fraction of the best fused score) to every chunk of a document
    #: whose title the query names (``knowledge.titles``), plus ``summary_bonus`` more to that
    #: document's summary section, which states the price and allowances. The document the
    #: customer named is the authoritative answer; see docs/knowledge.md.
    title_bonus: float = 0.10
    summary_bonus: float = 0.10
    #: Document kinds whose titles count as names; generic policy titles match by accident.
    title_kinds: frozenset[str] = frozenset({"plan"})
    #: ``answerable`` needs ``confidence >= threshold[mode]`` (see ``knowledge.confidence``):
    #: the best balanced accuracy on the labeled queries with MiniLM, rounded down to two
    #: places (``bench/knowledge_bench.py``). One value serves English and Spanish: calibrated
    #: per language, the hybrid thresholds differ by less than 0.01.
    threshold: Mapping[str, float] = field(
        default_factory=lambda: {"hybrid": 0.42, "dense": 0.30, "bm25": 0.62}
    )


def convex_fusion(
    bm25: Mapping[int, Hit], dense: Mapping[int, Hit], dense_weight: float
) -> dict[int, float]:
    """``w * dense + (1 - w) * bm25``, each min-max normalised over its own candidates.

    Normalising per query puts BM25's unbounded scores and cosine similarities on one scale;
    a candidate missing from one list scores 0 there.
    """
    b = _normalise({i: h.score for i, h in bm25.items()}, floor_zero=True)
    d = _normalise({i: h.score for i, h in dense.items()}, floor_zero=False)
    return {
        i: dense_weight * d.get(i, 0.0) + (1.0 - dense_weight) * b.get(i, 0.0)
        for i in set(b) | set(d)
    }


def _normalise(scores: Mapping[int, float], *, floor_zero: bool) -> dict[int, float]:
    """Scale to [0, 1]; BM25 is divided by its maximum (0 stays "no match")."""
    if not scores:
        return {}
    top = max(scores.values())
    low = 0.0 if floor_zero else min(scores.values())
    span = (top - low) or 1.0
    return {i: (s - low) / span for i, s in scores.items()}


def reciprocal_rank_fusion(
    rankings: Sequence[Mapping[int, Hit]],
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
