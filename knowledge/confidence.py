"""The answerable signal: how sure a search is that the corpus covers the question.

Two language-neutral signals are combined:

- **coverage**: the share of the query's (analyzed) words that the best-covering top passage
  contains, compared on stem prefixes (``knowledge.lexical.COVERAGE_PREFIX``);
- **dense margin**: how far the best cosine similarity among the top passages stands above the
  median similarity of all dense candidates for this query.

The margin replaces the raw cosine similarity used before. MiniLM is an English model: it gives
every Spanish text a similar, raised similarity to a Spanish query, so a raw cosine threshold
that fits English lets unrelated Spanish questions through, and one that fits Spanish declines
answerable English ones. Subtracting the query's own background similarity cancels that offset;
calibrated per language on the labeled queries, the best thresholds coincide (0.427 for
English, 0.421 for Spanish; see docs/benchmarks.md), so one threshold serves both.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from typing import Literal

#: The margin is doubled before averaging: observed margins of answerable queries span about
#: 0.05-0.45, so doubling puts them on the same 0-1 footing as coverage.
MARGIN_SCALE = 2.0

ConfidenceMode = Literal["hybrid", "bm25", "dense"]


def dense_margin(best: float, pool: Sequence[float]) -> float:
    """``best`` minus the median of the candidate similarities ``pool`` (0 for an empty pool),
    scaled by ``MARGIN_SCALE`` and clipped to [0, 1]."""
    if not pool:
        return 0.0
    margin = MARGIN_SCALE * (best - statistics.median(pool))
    return min(1.0, max(0.0, margin))


def confidence(
    coverage: float, best_similarity: float, pool: Sequence[float], mode: ConfidenceMode
) -> float:
    """The value compared with the answerable threshold, in [0, 1].

    ``coverage`` is the best query-word share of the top passages, ``best_similarity`` the best
    cosine similarity among them and ``pool`` the cosine similarities of every dense candidate
    (empty in BM25 mode). BM25 mode uses coverage alone, dense mode the margin alone, hybrid
    mode their mean.
    """
    if mode == "bm25":
        return coverage
    margin = dense_margin(best_similarity, pool)
    if mode == "dense":
        return margin
    return (coverage + margin) / 2
